using System.Buffers.Binary;
using System.Text;

namespace Hookline.Mime.Outlook;

/// <summary>
/// Decompression of PidTagRtfCompressed (MS-OXRTFCP): the LZFu form with its 4096-byte dictionary
/// pre-loaded with a fixed 207-byte RTF prefix, and the uncompressed MELA form. Output is bounded by
/// the declared raw size and by a caller limit; damage (bad CRC, truncation, missing end marker)
/// becomes warnings and the bytes decoded so far are returned. Never throws.
/// </summary>
public static class CompressedRtf
{
    /// <summary>COMPTYPE "LZFu" (MS-OXRTFCP 2.1.3.1.1).</summary>
    public const uint Compressed = 0x75465A4C;

    /// <summary>COMPTYPE "MELA".</summary>
    public const uint Uncompressed = 0x414C454D;

    private const int DictionarySize = 4096;

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>The dictionary's initial content (MS-OXRTFCP 3.1.1.3): 207 bytes, CR LF included.</summary>
    internal static byte[] Preload { get; } = Encoding.ASCII.GetBytes(
        "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx");

    /// <summary>Decompresses; <paramref name="warnings"/> receives what was wrong. At most <paramref name="maxBytes"/> bytes are produced.</summary>
    public static byte[] Decompress(ReadOnlySpan<byte> data, long maxBytes, out IReadOnlyList<MimeWarning> warnings)
    {
        var list = new List<MimeWarning>();
        var result = Decompress(data, maxBytes, list);
        warnings = list;
        return result;
    }

    internal static byte[] Decompress(ReadOnlySpan<byte> data, long maxBytes, List<MimeWarning> warnings)
    {
        if (data.Length < 16)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.Truncated, data.Length, $"Compressed RTF is {data.Length} bytes, shorter than its 16-byte header."));
            return [];
        }

        var compSize = BinaryPrimitives.ReadUInt32LittleEndian(data);
        var rawSize = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        var compType = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);

        // COMPSIZE counts the contents plus the 12 header bytes after itself.
        var declaredEnd = 4L + compSize;
        var contents = data[16..];
        if (compSize < 12)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 0, $"Compressed RTF COMPSIZE {compSize} is smaller than the header; using the available bytes."));
        }
        else if (declaredEnd > data.Length)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.Truncated, data.Length, $"Compressed RTF declares {compSize - 12} content bytes but only {contents.Length} are present."));
        }
        else
        {
            contents = data[16..(int)declaredEnd];
        }

        var limit = Math.Min(rawSize, maxBytes);
        switch (compType)
        {
            case Uncompressed:
                {
                    var take = (int)Math.Min(limit, contents.Length);
                    if (rawSize > contents.Length)
                    {
                        warnings.Add(new MimeWarning(MimeWarningCode.Truncated, data.Length, $"Uncompressed RTF declares {rawSize} bytes but holds {contents.Length}."));
                    }
                    else if (rawSize > maxBytes)
                    {
                        warnings.Add(new MimeWarning(MimeWarningCode.DecodedSizeLimit, 0, $"RTF is {rawSize} bytes; cut at {maxBytes}."));
                    }

                    return contents[..take].ToArray();
                }

            case Compressed:
                var actual = Crc32(contents);
                if (actual != crc)
                {
                    warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 12, $"Compressed RTF CRC is 0x{crc:X8} but the content's is 0x{actual:X8}; decompressed anyway."));
                }

                return Inflate(contents, rawSize, maxBytes, warnings);
            default:
                warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 8, $"Compressed RTF type 0x{compType:X8} is neither LZFu nor MELA; not decoded."));
                return [];
        }
    }

    private static byte[] Inflate(ReadOnlySpan<byte> input, uint rawSize, long maxBytes, List<MimeWarning> warnings)
    {
        var limit = Math.Min(rawSize, maxBytes);
        var dictionary = new byte[DictionarySize];
        Preload.CopyTo(dictionary, 0);
        var write = Preload.Length;

        // Each input byte yields at most 17/2 output bytes, so the input bounds the output too.
        var output = new List<byte>((int)Math.Min(limit, Math.Min(input.Length * 9L, 1 << 20)));
        var pos = 0;
        var ended = false;
        var overflow = false;
        while (pos < input.Length && !ended && !overflow)
        {
            var control = input[pos++];
            for (var bit = 0; bit < 8; bit++)
            {
                if (pos >= input.Length)
                {
                    break;
                }

                if ((control & (1 << bit)) == 0)
                {
                    if (!Emit(input[pos++]))
                    {
                        break;
                    }

                    continue;
                }

                if (pos + 1 >= input.Length)
                {
                    pos = input.Length;
                    break;
                }

                var token = (input[pos] << 8) | input[pos + 1];
                pos += 2;
                var offset = token >> 4;
                var length = (token & 0xF) + 2;
                if (offset == write)
                {
                    ended = true;
                    break;
                }

                for (var i = 0; i < length; i++)
                {
                    if (!Emit(dictionary[(offset + i) % DictionarySize]))
                    {
                        break;
                    }
                }

                if (overflow)
                {
                    break;
                }
            }
        }

        if (overflow)
        {
            warnings.Add(rawSize > maxBytes
                ? new MimeWarning(MimeWarningCode.DecodedSizeLimit, 0, $"RTF is {rawSize} bytes; cut at {maxBytes}.")
                : new MimeWarning(MimeWarningCode.OutlookFormat, 0, $"Compressed RTF decodes to more than its declared {rawSize} bytes; cut there."));
        }
        else if (!ended)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.Truncated, 0, "Compressed RTF ends without its end marker; the output may be incomplete."));
        }
        else if (output.Count < rawSize)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 0, $"Compressed RTF declares {rawSize} bytes but decodes to {output.Count}."));
        }

        return [.. output];

        bool Emit(byte value)
        {
            if (output.Count >= limit)
            {
                overflow = true;
                return false;
            }

            output.Add(value);
            dictionary[write] = value;
            write = (write + 1) % DictionarySize;
            return true;
        }
    }

    /// <summary>The CRC of MS-OXRTFCP 3.1.3.2: the usual CRC-32 table, initial value 0 and no final inversion.</summary>
    internal static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0;
        foreach (var b in data)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
