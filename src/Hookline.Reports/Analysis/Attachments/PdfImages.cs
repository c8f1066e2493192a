using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Hookline.Reports.Analysis.QrCodes;

namespace Hookline.Reports.Analysis.Attachments;

/// <summary>How an image XObject's stream is encoded, as far as <see cref="PdfImages"/> reads it.</summary>
internal enum PdfImageFilter
{
    /// <summary>Samples as they are.</summary>
    None,

    /// <summary>/FlateDecode samples (with or without a PNG predictor).</summary>
    Flate,

    /// <summary>/DCTDecode: the stream is a JPEG file.</summary>
    Dct,

    /// <summary>/FlateDecode over /DCTDecode: a deflated JPEG file.</summary>
    FlateDct,

    /// <summary>Any other filter (CCITT fax, JBIG2, JPEG 2000, LZW, ASCII encodings): not read.</summary>
    Unsupported,
}

/// <summary>One image XObject of a PDF: its declared size and sample format, and where its stream lies.</summary>
internal sealed class PdfImage
{
    public int Width { get; init; }

    public int Height { get; init; }

    public int BitsPerComponent { get; init; } = 8;

    /// <summary>Colour components per sample: 1 grey (or a palette index, or a stencil mask), 3 RGB, 4 CMYK; 0 when the colour space is an indirect object (then told from the data's length).</summary>
    public int Components { get; init; }

    /// <summary>An /Indexed colour space's table: <see cref="PaletteComponents"/> bytes per entry; null when none or not written inline.</summary>
    public byte[]? Palette { get; init; }

    public int PaletteComponents { get; init; }

    /// <summary>A stencil mask (/ImageMask true): 1-bit samples, 0 paints (black).</summary>
    public bool ImageMask { get; init; }

    /// <summary>/Decode [1 0]: samples are inverted.</summary>
    public bool Inverted { get; init; }

    public PdfImageFilter Filter { get; init; }

    /// <summary>/DecodeParms /Predictor: 1 none, 2 TIFF, 10–15 PNG.</summary>
    public int Predictor { get; init; } = 1;

    public int DataStart { get; init; }

    public int DataLength { get; init; }
}

/// <summary>
/// Finds the image XObjects of a PDF (a dictionary with <c>/Subtype /Image</c> before a stream; ISO
/// 32000-1 §8.9.5) with a small reader of PDF dictionaries, and turns their samples into grey pixels
/// for the QR search: JPEG streams go to the image decoder; deflated or raw samples (grey, RGB, CMYK,
/// palette, stencil masks; 1–8 bits; PNG predictors) are read here one row at a time, never holding
/// more than two rows of samples. Streams cannot live inside object streams, so the top-level bytes
/// hold every image. Encrypted PDFs' streams cannot be read without the key, and are not.
/// </summary>
internal static class PdfImages
{
    /// <summary>Image XObjects listed at most per PDF.</summary>
    public const int MaxImages = 256;

    private const int MaxDictionaryBytes = 8192;

    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n\f\0"u8);

    private static readonly SearchValues<byte> Delimiters = SearchValues.Create("()<>[]{}/% \t\r\n\f\0"u8);

    /// <summary>The PDF's image XObjects, in file order, at most <see cref="MaxImages"/>; none when the PDF is encrypted.</summary>
    public static List<PdfImage> Find(ReadOnlySpan<byte> pdf)
    {
        var images = new List<PdfImage>();
        if (IsEncrypted(pdf))
        {
            return images;
        }

        var objects = new Dictionary<PdfReference, object?>();
        var position = 0;
        while (images.Count < MaxImages && position < pdf.Length)
        {
            var found = pdf[position..].IndexOf("stream"u8);
            if (found < 0)
            {
                break;
            }

            var keyword = position + found;
            position = keyword + 6;
            if ((keyword >= 3 && pdf.Slice(keyword - 3, 3).SequenceEqual("end"u8)) || position >= pdf.Length || pdf[position] is not ((byte)'\r' or (byte)'\n'))
            {
                continue;
            }

            var windowStart = Math.Max(0, keyword - MaxDictionaryBytes);
            var window = pdf[windowStart..keyword];
            var obj = window.LastIndexOf("obj"u8);
            if (obj < 0)
            {
                continue;
            }

            var head = window[(obj + 3)..];
            if (head.IndexOf("Image"u8) < 0 && !head.Contains((byte)'#'))
            {
                continue;
            }

            var open = head.IndexOf("<<"u8);
            if (open < 0)
            {
                continue;
            }

            var reader = new Reader(head[open..]);
            if (reader.ReadValue(0) is not Dictionary<string, object?> dictionary || !IsImage(dictionary))
            {
                continue;
            }

            var dataStart = position + (pdf[position] == '\r' && position + 1 < pdf.Length && pdf[position + 1] == '\n' ? 2 : 1);
            var length = Integer(dictionary, "Length");
            if (length is not { } declared || declared < 0 || declared > pdf.Length - dataStart)
            {
                // Without a usable /Length, the data runs to "endstream", less the end-of-line before it (§7.3.8.1).
                var end = pdf[dataStart..].IndexOf("endstream"u8);
                length = end < 0 ? pdf.Length - dataStart : end;
                if (end > 0 && pdf[dataStart + end - 1] == '\n')
                {
                    length--;
                }

                if (length > 0 && pdf[dataStart + length.Value - 1] == '\r')
                {
                    length--;
                }
            }

            if (Describe(dictionary, dataStart, length.Value, pdf, objects) is { } image)
            {
                images.Add(image);
            }

            position = dataStart + length.Value;
        }

        return images;
    }

    /// <summary>The JPEG file a /DCTDecode image's stream holds (inflated first for /FlateDecode /DCTDecode), at most <paramref name="maxBytes"/>; null when larger.</summary>
    public static ReadOnlyMemory<byte>? Jpeg(ReadOnlyMemory<byte> pdf, PdfImage image, int maxBytes)
    {
        var stream = pdf.Slice(image.DataStart, image.DataLength);
        if (image.Filter == PdfImageFilter.Dct)
        {
            return stream.Length <= maxBytes ? stream : null;
        }

        using var input = new MemoryStream(stream.ToArray(), writable: false);
        using var inflater = new ZLibStream(input, CompressionMode.Decompress);
        var inflated = ZipReader.ReadBounded(inflater, maxBytes + 1);
        return inflated.Length <= maxBytes ? inflated : null;
    }

    /// <summary>What identifies the image's pixels for <see cref="QrResultCache"/>: everything <see cref="ToGray"/> reads, and its stream's bytes.</summary>
    public static QrResultCache.Key CacheKey(ReadOnlyMemory<byte> pdf, PdfImage image, long maxScanPixels) =>
        QrResultCache.KeyOf(
            string.Create(CultureInfo.InvariantCulture, $"pdf {image.Width}x{image.Height} {image.BitsPerComponent} {image.Components} {image.PaletteComponents} {image.ImageMask} {image.Inverted} {image.Filter} {image.Predictor} {Convert.ToHexString(image.Palette ?? [])}"),
            pdf.Span.Slice(image.DataStart, image.DataLength),
            maxScanPixels);

    /// <summary>
    /// The image's samples as grey pixels, scaled down to at most <paramref name="maxScanPixels"/>;
    /// null when its format is not one read here. Throws <see cref="InvalidDataException"/> on damaged deflate data.
    /// </summary>
    public static GrayImage? ToGray(ReadOnlyMemory<byte> pdf, PdfImage image, long maxScanPixels)
    {
        if (image.Filter is not (PdfImageFilter.None or PdfImageFilter.Flate) || image.Predictor is not (1 or >= 10 and <= 15)
            || image.BitsPerComponent is not (1 or 2 or 4 or 8))
        {
            return null;
        }

        var stream = pdf.Slice(image.DataStart, image.DataLength);
        var raw = QrImageDecoder.Open(stream);
        // Rows are read one at a time: a buffer in front of the inflater turns thousands of small reads into a few large ones.
        var samples = image.Filter == PdfImageFilter.Flate ? new BufferedStream(new ZLibStream(raw, CompressionMode.Decompress), 64 * 1024) : (Stream)raw;
        try
        {
            var components = image.Components;
            if (components == 0)
            {
                // A colour space that could not be resolved: tell the components from how much data there is.
                var all = image.Filter == PdfImageFilter.Flate ? ReadAll(samples, image) : stream.ToArray();
                components = GuessComponents(all.Length, image);
                samples.Dispose();
                samples = new MemoryStream(all, writable: false);
            }

            return ReadRows(samples, image, components, maxScanPixels);
        }
        finally
        {
            samples.Dispose();
        }
    }

    private static byte[] ReadAll(Stream samples, PdfImage image)
    {
        // At most four 8-bit components, plus a predictor byte per row.
        var bound = (((long)image.Width * 4 * image.BitsPerComponent + 7) / 8 + 1) * image.Height;
        return ZipReader.ReadBounded(samples, (int)Math.Min(bound, QrImageDecoder.AllocationLimitMegabytes * 1024L * 1024L));
    }

    private static int GuessComponents(long dataLength, PdfImage image)
    {
        var predictorByte = image.Predictor >= 10 ? 1 : 0;
        foreach (var components in (ReadOnlySpan<int>)[1, 3, 4])
        {
            var rowBytes = (((long)image.Width * components * image.BitsPerComponent) + 7) / 8;
            if (dataLength <= (rowBytes + predictorByte) * image.Height)
            {
                return components;
            }
        }

        return 4;
    }

    private static GrayImage? ReadRows(Stream samples, PdfImage image, int components, long maxScanPixels)
    {
        if (components is not (1 or 3 or 4))
        {
            return null;
        }

        var bpc = image.BitsPerComponent;
        var rowBytes = (int)((((long)image.Width * components * bpc) + 7) / 8);
        var png = image.Predictor >= 10;
        var bytesPerPixel = Math.Max(1, components * bpc / 8);
        var row = new byte[rowBytes + 1];
        var previous = new byte[rowBytes];
        var current = new byte[rowBytes];
        var gray = new byte[image.Width];
        var scaler = new BoxScaler(image.Width, image.Height, QrImageDecoder.ScaleFactor(image.Width, image.Height, maxScanPixels));
        var needed = png ? rowBytes + 1 : rowBytes;
        for (var y = 0; y < scaler.SourceRows; y++)
        {
            if (!ReadExactly(samples, row.AsSpan(0, needed)))
            {
                // A short stream: the rows that came are searched, the rest stay white.
                for (; y < scaler.SourceRows; y++)
                {
                    scaler.AddRow(WhiteRow(gray), y);
                }

                break;
            }

            if (png)
            {
                Unpredict(row[0], row.AsSpan(1, rowBytes), previous, current, bytesPerPixel);
            }
            else
            {
                row.AsSpan(0, rowBytes).CopyTo(current);
            }

            ToGrayRow(current, gray, image, components);
            scaler.AddRow(gray, y);
            (previous, current) = (current, previous);
        }

        return scaler.Result;
    }

    private static Span<byte> WhiteRow(byte[] gray)
    {
        Array.Fill(gray, (byte)0xFF);
        return gray;
    }

    private static bool ReadExactly(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer[total..]);
            if (read <= 0)
            {
                return false;
            }

            total += read;
        }

        return true;
    }

    /// <summary>Undoes one row's PNG filter (RFC 2083 §6; the PDF's /Predictor 10–15 choose per row).</summary>
    private static void Unpredict(byte filter, ReadOnlySpan<byte> input, ReadOnlySpan<byte> previous, Span<byte> output, int bytesPerPixel)
    {
        for (var i = 0; i < input.Length; i++)
        {
            var left = i >= bytesPerPixel ? output[i - bytesPerPixel] : 0;
            var up = previous[i];
            var upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
            output[i] = filter switch
            {
                1 => (byte)(input[i] + left),
                2 => (byte)(input[i] + up),
                3 => (byte)(input[i] + ((left + up) >> 1)),
                4 => (byte)(input[i] + Paeth(left, up, upLeft)),
                _ => input[i],
            };
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void ToGrayRow(ReadOnlySpan<byte> samples, Span<byte> gray, PdfImage image, int components)
    {
        var bpc = image.BitsPerComponent;
        var max = (1 << bpc) - 1;
        Span<byte> color = stackalloc byte[4];
        for (var x = 0; x < gray.Length; x++)
        {
            int value;
            if (components == 1)
            {
                var sample = Sample(samples, x, bpc);
                if (image.Palette is { } palette)
                {
                    var entry = sample * image.PaletteComponents;
                    value = entry + image.PaletteComponents <= palette.Length ? Luminance(palette.AsSpan(entry, image.PaletteComponents)) : 0;
                }
                else
                {
                    value = sample * 255 / max;
                }
            }
            else
            {
                for (var c = 0; c < components; c++)
                {
                    color[c] = (byte)(Sample(samples, (x * components) + c, bpc) * 255 / max);
                }

                value = Luminance(color[..components]);
            }

            gray[x] = (byte)(image.Inverted ? 255 - value : value);
        }
    }

    private static int Sample(ReadOnlySpan<byte> samples, int index, int bpc)
    {
        if (bpc == 8)
        {
            return index < samples.Length ? samples[index] : 0;
        }

        var bit = (long)index * bpc;
        var at = (int)(bit >> 3);
        if (at >= samples.Length)
        {
            return 0;
        }

        var shift = 8 - bpc - (int)(bit & 7);
        return (samples[at] >> shift) & ((1 << bpc) - 1);
    }

    private static int Luminance(ReadOnlySpan<byte> color) => color.Length switch
    {
        1 => color[0],
        3 => ((color[0] * 299) + (color[1] * 587) + (color[2] * 114)) / 1000,
        4 => (255 - Math.Min(255, ((color[0] * 299) + (color[1] * 587) + (color[2] * 114)) / 1000 + color[3])),
        _ => 0,
    };

    private static bool IsImage(Dictionary<string, object?> dictionary) =>
        dictionary.TryGetValue("Subtype", out var subtype) && subtype is PdfName { Value: "Image" };

    private static PdfImage? Describe(Dictionary<string, object?> dictionary, int dataStart, int dataLength, ReadOnlySpan<byte> pdf, Dictionary<PdfReference, object?> objects)
    {
        var width = Integer(dictionary, "Width") ?? Integer(dictionary, "W");
        var height = Integer(dictionary, "Height") ?? Integer(dictionary, "H");
        if (width is not > 0 || height is not > 0)
        {
            return null;
        }

        var imageMask = dictionary.TryGetValue("ImageMask", out var mask) && mask is true;
        var filters = Names(dictionary.GetValueOrDefault("Filter") ?? dictionary.GetValueOrDefault("F"));
        var filter = filters switch
        {
            [] => PdfImageFilter.None,
            ["FlateDecode" or "Fl"] => PdfImageFilter.Flate,
            ["DCTDecode" or "DCT"] => PdfImageFilter.Dct,
            ["FlateDecode" or "Fl", "DCTDecode" or "DCT"] => PdfImageFilter.FlateDct,
            _ => PdfImageFilter.Unsupported,
        };
        var parameters = dictionary.GetValueOrDefault("DecodeParms") ?? dictionary.GetValueOrDefault("DP");
        if (parameters is List<object?> list)
        {
            parameters = list.Count > 0 ? list[0] : null;
        }

        var predictor = parameters is Dictionary<string, object?> p ? Integer(p, "Predictor") ?? 1 : 1;
        var (components, palette, paletteComponents) = imageMask ? (1, null, 0) : ColorSpace(dictionary.GetValueOrDefault("ColorSpace") ?? dictionary.GetValueOrDefault("CS"), pdf, objects, 0);
        var inverted = dictionary.GetValueOrDefault("Decode") is List<object?> { Count: >= 2 } decode && Number(decode[0]) > Number(decode[1]);
        return new PdfImage
        {
            Width = width.Value,
            Height = height.Value,
            BitsPerComponent = imageMask ? 1 : Integer(dictionary, "BitsPerComponent") ?? Integer(dictionary, "BPC") ?? 8,
            Components = components,
            Palette = palette,
            PaletteComponents = paletteComponents,
            ImageMask = imageMask,
            Inverted = inverted,
            Filter = filter,
            Predictor = predictor,
            DataStart = dataStart,
            DataLength = dataLength,
        };
    }

    private static (int Components, byte[]? Palette, int PaletteComponents) ColorSpace(object? value, ReadOnlySpan<byte> pdf, Dictionary<PdfReference, object?> objects, int depth)
    {
        if (depth > 3)
        {
            return (0, null, 0);
        }

        if (value is PdfReference reference)
        {
            value = Resolve(reference, pdf, objects);
        }

        switch (value)
        {
            case PdfName name:
                return (ComponentsOf(name.Value), null, 0);
            case List<object?> { Count: >= 1 } array when array[0] is PdfName { Value: "Indexed" or "I" }:
                var baseComponents = array.Count > 1 ? ColorSpace(array[1], pdf, objects, depth + 1).Components : 0;
                var lookup = array.Count > 3 ? array[3] as byte[] : null;
                return baseComponents is 1 or 3 or 4 && lookup is not null ? (1, lookup, baseComponents) : (1, null, 0);
            case List<object?> { Count: >= 2 } array when array[0] is PdfName { Value: "ICCBased" }:
                // The ICC profile stream's dictionary says how many components: /N.
                var profile = array[1] is PdfReference profileReference ? Resolve(profileReference, pdf, objects) : array[1];
                return (profile is Dictionary<string, object?> stream && Integer(stream, "N") is 1 or 3 or 4 ? Integer(stream, "N")!.Value : 0, null, 0);
            case List<object?> { Count: >= 1 } array when array[0] is PdfName first:
                return (ComponentsOf(first.Value), null, 0);
            default:
                return (0, null, 0);
        }
    }

    /// <summary>The value of indirect object "N G obj" (its dictionary, for a stream); null when not found. At most 16 looked up per PDF.</summary>
    private static object? Resolve(PdfReference reference, ReadOnlySpan<byte> pdf, Dictionary<PdfReference, object?> objects)
    {
        if (objects.TryGetValue(reference, out var known) || objects.Count >= 16)
        {
            return known;
        }

        var header = Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{reference.Number} {reference.Generation} obj"));
        object? value = null;
        var position = 0;
        while (position < pdf.Length)
        {
            var found = pdf[position..].IndexOf(header);
            if (found < 0)
            {
                break;
            }

            var at = position + found;
            position = at + header.Length;
            if (at == 0 || Whitespace.Contains(pdf[at - 1]))
            {
                var reader = new Reader(pdf.Slice(position, Math.Min(MaxDictionaryBytes, pdf.Length - position)));
                value = reader.ReadValue(0);
                break;
            }
        }

        objects[reference] = value;
        return value;
    }

    private static int ComponentsOf(string name) => name switch
    {
        "DeviceGray" or "G" or "CalGray" => 1,
        "DeviceRGB" or "RGB" or "CalRGB" or "Lab" => 3,
        "DeviceCMYK" or "CMYK" => 4,
        _ => 0,
    };

    private static List<string> Names(object? value) => value switch
    {
        PdfName name => [name.Value],
        List<object?> array => array.OfType<PdfName>().Select(n => n.Value).ToList(),
        _ => [],
    };

    private static int? Integer(Dictionary<string, object?> dictionary, string key) =>
        dictionary.GetValueOrDefault(key) is double number && number is >= int.MinValue and <= int.MaxValue && number == Math.Floor(number) ? (int)number : null;

    private static double Number(object? value) => value is double number ? number : 0;

    private static bool IsEncrypted(ReadOnlySpan<byte> pdf)
    {
        // The trailer's /Encrypt entry; written near the end, and in a cross-reference stream's dictionary.
        var tail = pdf[Math.Max(0, pdf.Length - 65536)..];
        return tail.IndexOf("/Encrypt"u8) >= 0;
    }

    /// <summary>A PDF name, its #xx escapes undone.</summary>
    private sealed record PdfName(string Value);

    /// <summary>An indirect reference (N G R).</summary>
    private sealed record PdfReference(int Number, int Generation);

    /// <summary>Reads one PDF value (ISO 32000-1 §7.3): dictionaries, arrays, names, numbers, strings, booleans, null and references. Bounded in depth and length; null at anything malformed.</summary>
    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private const int MaxDepth = 8;
        private const int MaxItems = 256;
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public object? ReadValue(int depth)
        {
            if (depth > MaxDepth || !SkipWhitespace())
            {
                return null;
            }

            var b = _data[_position];
            if (b == '<' && _position + 1 < _data.Length && _data[_position + 1] == '<')
            {
                _position += 2;
                var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (dictionary.Count < MaxItems && SkipWhitespace())
                {
                    if (_data[_position] == '>' && _position + 1 < _data.Length && _data[_position + 1] == '>')
                    {
                        _position += 2;
                        return dictionary;
                    }

                    if (ReadValue(depth + 1) is not PdfName key)
                    {
                        return null;
                    }

                    dictionary[key.Value] = ReadValue(depth + 1);
                }

                return null;
            }

            if (b == '[')
            {
                _position++;
                var array = new List<object?>();
                while (array.Count < MaxItems && SkipWhitespace())
                {
                    if (_data[_position] == ']')
                    {
                        _position++;
                        return array;
                    }

                    var start = _position;
                    array.Add(ReadValue(depth + 1));
                    if (_position == start)
                    {
                        return null;
                    }
                }

                return null;
            }

            if (b == '/')
            {
                _position++;
                var end = _data[_position..].IndexOfAny(Delimiters);
                var raw = end < 0 ? _data[_position..] : _data.Slice(_position, end);
                _position += raw.Length;
                return new PdfName(DecodeName(raw));
            }

            if (b == '(')
            {
                return ReadLiteralString();
            }

            if (b == '<')
            {
                return ReadHexString();
            }

            if (b is (byte)'+' or (byte)'-' or (byte)'.' || char.IsAsciiDigit((char)b))
            {
                var number = ReadNumber();
                if (number is { } value && value >= 0 && value == Math.Floor(value))
                {
                    // "N G R" is a reference: look ahead without consuming when it is not.
                    var saved = _position;
                    if (SkipWhitespace() && char.IsAsciiDigit((char)_data[_position]) && ReadNumber() is { } generation
                        && SkipWhitespace() && _data[_position] == 'R' && (_position + 1 == _data.Length || Delimiters.Contains(_data[_position + 1])))
                    {
                        _position++;
                        return new PdfReference((int)Math.Min(value, int.MaxValue), (int)Math.Min(generation, int.MaxValue));
                    }

                    _position = saved;
                }

                return number;
            }

            var word = _data[_position..].IndexOfAny(Delimiters);
            var keyword = word < 0 ? _data[_position..] : _data.Slice(_position, word);
            if (keyword.IsEmpty)
            {
                _position++;
                return null;
            }

            _position += keyword.Length;
            return keyword.SequenceEqual("true"u8) ? true : keyword.SequenceEqual("false"u8) ? false : null;
        }

        private bool SkipWhitespace()
        {
            while (_position < _data.Length)
            {
                var b = _data[_position];
                if (Whitespace.Contains(b))
                {
                    _position++;
                }
                else if (b == '%')
                {
                    var end = _data[_position..].IndexOfAny((byte)'\r', (byte)'\n');
                    _position = end < 0 ? _data.Length : _position + end;
                }
                else
                {
                    return true;
                }
            }

            return false;
        }

        private double? ReadNumber()
        {
            var start = _position;
            while (_position < _data.Length && (char.IsAsciiDigit((char)_data[_position]) || _data[_position] is (byte)'+' or (byte)'-' or (byte)'.'))
            {
                _position++;
            }

            return double.TryParse(Encoding.ASCII.GetString(_data[start.._position]), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : null;
        }

        private byte[]? ReadLiteralString()
        {
            var output = new List<byte>();
            var depth = 0;
            _position++;
            while (_position < _data.Length && output.Count < 65536)
            {
                var b = _data[_position++];
                if (b == '\\' && _position < _data.Length)
                {
                    var next = _data[_position++];
                    switch (next)
                    {
                        case (byte)'n': output.Add((byte)'\n'); break;
                        case (byte)'r': output.Add((byte)'\r'); break;
                        case (byte)'t': output.Add((byte)'\t'); break;
                        case (byte)'b': output.Add(8); break;
                        case (byte)'f': output.Add(12); break;
                        case (byte)'\r':
                            if (_position < _data.Length && _data[_position] == '\n')
                            {
                                _position++;
                            }

                            break;
                        case (byte)'\n': break;
                        case >= (byte)'0' and <= (byte)'7':
                            var value = next - '0';
                            for (var k = 0; k < 2 && _position < _data.Length && _data[_position] is >= (byte)'0' and <= (byte)'7'; k++)
                            {
                                value = (value * 8) + (_data[_position++] - '0');
                            }

                            output.Add((byte)value);
                            break;
                        default: output.Add(next); break;
                    }

                    continue;
                }

                if (b == '(')
                {
                    depth++;
                }
                else if (b == ')' && depth-- == 0)
                {
                    return [.. output];
                }

                output.Add(b);
            }

            return null;
        }

        private byte[]? ReadHexString()
        {
            var output = new List<byte>();
            var high = -1;
            _position++;
            while (_position < _data.Length)
            {
                var b = _data[_position++];
                if (b == '>')
                {
                    if (high >= 0)
                    {
                        output.Add((byte)(high << 4));
                    }

                    return [.. output];
                }

                var value = HexValue(b);
                if (value < 0)
                {
                    continue;
                }

                if (high < 0)
                {
                    high = value;
                }
                else
                {
                    output.Add((byte)((high << 4) | value));
                    high = -1;
                }
            }

            return null;
        }

        private static string DecodeName(ReadOnlySpan<byte> raw)
        {
            var builder = new StringBuilder(raw.Length);
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] == '#' && i + 2 < raw.Length && HexValue(raw[i + 1]) >= 0 && HexValue(raw[i + 2]) >= 0)
                {
                    builder.Append((char)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2])));
                    i += 2;
                }
                else
                {
                    builder.Append((char)raw[i]);
                }
            }

            return builder.ToString();
        }

        private static int HexValue(byte b) => b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => -1,
        };
    }
}
