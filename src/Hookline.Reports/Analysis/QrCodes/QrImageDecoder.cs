using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Hookline.Reports.Analysis.QrCodes;

/// <summary>An 8-bit grey image, one byte per pixel, rows packed.</summary>
internal sealed record GrayImage(byte[] Pixels, int Width, int Height);

/// <summary>What an encoded image's header says: its format and size.</summary>
internal readonly record struct ImageHeader(string Format, int Width, int Height)
{
    public long Pixels => (long)Width * Height;
}

/// <summary>
/// Images to grey pixels (ImageSharp) and grey pixels to a QR code's text (ZXing). Only PNG, JPEG and
/// GIF are read (the decoders are registered one by one, so no other format's decoder is exposed to
/// hostile input); GIFs only to their first frame; one allocation may not exceed 64 MB; JPEG decoding
/// stops when its time is up. Callers check the header's size before decoding.
/// </summary>
internal static class QrImageDecoder
{
    /// <summary>The largest single buffer ImageSharp may allocate (a 16-megapixel image at 4 bytes a pixel).</summary>
    public const int AllocationLimitMegabytes = 64;

    private static readonly Configuration Images = CreateConfiguration();

    private static readonly Lazy<bool> Warm = new(WarmUpOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Dictionary<DecodeHintType, object> Hints = new()
    {
        [DecodeHintType.TRY_HARDER] = true,
        [DecodeHintType.POSSIBLE_FORMATS] = new List<BarcodeFormat> { BarcodeFormat.QR_CODE },
    };

    /// <summary>
    /// Decodes and searches a few tiny images once per process (a QR code as grey, RGBA and palette
    /// PNG, JPEG and GIF), so that compiling the decoders and the reader — a quarter of a second or
    /// more, the code is not precompiled — is not charged to the first report's budget. True when
    /// every warm-up image was read.
    /// </summary>
    public static bool WarmUp() => Warm.Value;

    /// <summary>The header of a PNG, JPEG or GIF; null when the bytes are none of those. Throws on a damaged header.</summary>
    public static ImageHeader? Identify(ReadOnlyMemory<byte> encoded)
    {
        using var stream = Open(encoded);
        var info = Image.Identify(Images, stream, out var format);
        return info is null || format is null ? null : new ImageHeader(format.Name, info.Width, info.Height);
    }

    /// <summary>Decodes to grey (transparent pixels over white, as a mail client shows them), scaled down to at most <paramref name="maxPixels"/>. Throws on damaged data.</summary>
    public static GrayImage DecodeGray(ReadOnlyMemory<byte> encoded, long maxPixels, CancellationToken cancellationToken)
    {
        using var stream = Open(encoded);
        var format = Image.DetectFormat(Images, stream) ?? throw new UnknownImageFormatException("not a PNG, JPEG or GIF image");
        stream.Position = 0;
        var decoder = Images.ImageFormatsManager.FindDecoder(format) ?? throw new UnknownImageFormatException($"no decoder for {format.Name}");
        if (format is JpegFormat)
        {
            // No transparency in JPEG. ImageSharp's own conversion to L8 costs half as much again as the
            // decode to RGB (measured on a 1024×768 photo: 4.8 against 3.0 ms), so luminance is taken here.
            using var opaque = decoder.Decode<Rgb24>(Images, stream, cancellationToken);
            return ToGray(opaque, maxPixels, static (ReadOnlySpan<Rgb24> row, Span<byte> gray) =>
            {
                for (var x = 0; x < gray.Length; x++)
                {
                    var pixel = row[x];
                    gray[x] = (byte)(((pixel.R * 77) + (pixel.G * 150) + (pixel.B * 29)) >> 8);
                }
            });
        }

        using var image = decoder.Decode<La16>(Images, stream, cancellationToken);
        return ToGray(image, maxPixels, static (ReadOnlySpan<La16> row, Span<byte> gray) =>
        {
            for (var x = 0; x < gray.Length; x++)
            {
                var pixel = row[x];
                gray[x] = (byte)(((pixel.L * pixel.A) + (255 * (255 - pixel.A)) + 127) / 255);
            }
        });
    }

    /// <summary>The text of the first QR code found in the image, or null.</summary>
    public static string? Search(GrayImage image)
    {
        var source = new PlanarYUVLuminanceSource(image.Pixels, image.Width, image.Height, 0, 0, image.Width, image.Height, false);
        var result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)), Hints);
        return result?.Text;
    }

    /// <summary>The whole factor by which an image must shrink to fit in <paramref name="maxPixels"/>.</summary>
    public static int ScaleFactor(int width, int height, long maxPixels)
    {
        var factor = 1;
        while ((long)(width / factor) * (height / factor) > maxPixels)
        {
            factor++;
        }

        return factor;
    }

    /// <summary>
    /// Shrinks a grey image by a whole factor (each output pixel the mean of a factor×factor box), so the
    /// QR search sees at most <paramref name="maxPixels"/>; the image itself when it already fits.
    /// </summary>
    public static GrayImage Fit(byte[] pixels, int width, int height, long maxPixels)
    {
        var factor = ScaleFactor(width, height, maxPixels);
        if (factor == 1)
        {
            return new GrayImage(pixels, width, height);
        }

        var scaler = new BoxScaler(width, height, factor);
        for (var y = 0; y < scaler.SourceRows; y++)
        {
            scaler.AddRow(pixels.AsSpan(y * width, width), y);
        }

        return scaler.Result;
    }

    private delegate void RowToGray<TPixel>(ReadOnlySpan<TPixel> row, Span<byte> gray)
        where TPixel : unmanaged;

    private static GrayImage ToGray<TPixel>(Image<TPixel> image, long maxPixels, RowToGray<TPixel> convert)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        var scaler = new BoxScaler(image.Width, image.Height, ScaleFactor(image.Width, image.Height, maxPixels));
        var gray = new byte[image.Width];
        image.ProcessPixelRows(accessor =>
        {
            for (var y = 0; y < scaler.SourceRows; y++)
            {
                convert(accessor.GetRowSpan(y), gray);
                scaler.AddRow(gray, y);
            }
        });
        return scaler.Result;
    }

    private static bool WarmUpOnce()
    {
        var found = 0;
        var names = (string[])["warm-up.png", "warm-up-rgba.png", "warm-up-palette.png", "warm-up.jpg", "warm-up.gif"];
        foreach (var name in names)
        {
            using var resource = typeof(QrImageDecoder).Assembly.GetManifestResourceStream("Hookline.Reports.Analysis.QrCodes." + name);
            if (resource is null)
            {
                continue;
            }

            using var bytes = new MemoryStream();
            resource.CopyTo(bytes);
            try
            {
                if (Identify(bytes.ToArray()) is not null && Search(DecodeGray(bytes.ToArray(), long.MaxValue, CancellationToken.None)) is not null)
                {
                    found++;
                }
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                // A warm-up that fails only leaves compiling to the first real image.
            }
        }

        return found == names.Length;
    }

    /// <summary>A read-only stream over the bytes, without copying them when they are an array's.</summary>
    internal static MemoryStream Open(ReadOnlyMemory<byte> encoded) =>
        MemoryMarshal.TryGetArray(encoded, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(encoded.ToArray(), writable: false);

    private static Configuration CreateConfiguration()
    {
        var configuration = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule(), new GifConfigurationModule())
        {
            // The analysis already runs one file per core; an image must not take a second one.
            MaxDegreeOfParallelism = 1,
            MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { AllocationLimitMegabytes = AllocationLimitMegabytes, MaximumPoolSizeMegabytes = 16 }),
        };
        configuration.ImageFormatsManager.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = true });
        configuration.ImageFormatsManager.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = true });
        return configuration;
    }
}

/// <summary>Box-filter down-scaling one source row at a time (rows and columns past a whole box are dropped).</summary>
internal sealed class BoxScaler
{
    private readonly int _factor;
    private readonly int[] _sums;
    private readonly byte[] _output;
    private readonly int _width;

    public BoxScaler(int width, int height, int factor)
    {
        _factor = factor;
        _width = Math.Max(1, width / factor);
        var outputHeight = Math.Max(1, height / factor);
        SourceRows = Math.Min(height, outputHeight * factor);
        _sums = factor == 1 ? [] : new int[_width];
        _output = new byte[_width * outputHeight];
        Result = new GrayImage(_output, _width, outputHeight);
    }

    public int SourceRows { get; }

    public GrayImage Result { get; }

    public void AddRow(ReadOnlySpan<byte> row, int y)
    {
        if (_factor == 1)
        {
            row[.._width].CopyTo(_output.AsSpan(y * _width, _width));
            return;
        }

        var columns = Math.Min(row.Length / _factor, _width);
        for (var x = 0; x < columns; x++)
        {
            var sum = 0;
            foreach (var value in row.Slice(x * _factor, _factor))
            {
                sum += value;
            }

            _sums[x] += sum;
        }

        if ((y + 1) % _factor != 0)
        {
            return;
        }

        var area = _factor * _factor;
        var output = _output.AsSpan(y / _factor * _width, _width);
        for (var x = 0; x < _width; x++)
        {
            output[x] = (byte)(_sums[x] / area);
            _sums[x] = 0;
        }
    }
}
