using System.Buffers;
using System.IO.Compression;
using System.Text;

namespace Hookline.Reports.Analysis.Attachments;

/// <summary>What <see cref="PdfScanner"/> found in a PDF: the risky names present and the <c>/URI</c> targets.</summary>
public sealed class PdfScan
{
    public bool JavaScript { get; set; }

    public bool OpenAction { get; set; }

    public bool Launch { get; set; }

    public bool EmbeddedFile { get; set; }

    public bool AcroForm { get; set; }

    public bool SubmitForm { get; set; }

    /// <summary>Distinct <c>/URI</c> targets, at most <see cref="PdfScanner.MaxUris"/>.</summary>
    public List<string> Uris { get; } = [];

    /// <summary>Every <c>/URI</c> seen, kept or not.</summary>
    public int UriCount { get; set; }

    /// <summary>Names were written with <c>#xx</c> escapes (a common evasion).</summary>
    public bool ObfuscatedNames { get; set; }

    /// <summary>Object streams that were inflated and scanned.</summary>
    public int ObjectStreams { get; set; }
}

/// <summary>
/// Scans PDF bytes for the names that make a PDF act (ISO 32000-1 §7.3.5 names, with <c>#xx</c>
/// escapes undone): <c>/JavaScript</c>, <c>/JS</c>, <c>/OpenAction</c>, <c>/AA</c>, <c>/Launch</c>,
/// <c>/EmbeddedFile(s)</c>, <c>/AcroForm</c>, <c>/XFA</c>, <c>/SubmitForm</c>, and collects <c>/URI</c>
/// strings. Object streams (<c>/ObjStm</c>, FlateDecode) are inflated within a budget and scanned too,
/// since modern writers put annotations and actions there. Linear; never throws.
/// </summary>
public static class PdfScanner
{
    public const int MaxUris = 1000;

    /// <summary>Total bytes inflated from object streams per PDF.</summary>
    public const int InflateBudget = 32 * 1024 * 1024;

    private const int MaxUriLength = 4096;

    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n\f\0"u8);

    private static readonly SearchValues<byte> Delimiters = SearchValues.Create("()<>[]{}/% \t\r\n\f\0"u8);

    public static PdfScan Scan(ReadOnlySpan<byte> pdf)
    {
        var scan = new PdfScan();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var budget = InflateBudget;
        ScanBytes(pdf, scan, seen, ref budget, topLevel: true);
        return scan;
    }

    private static void ScanBytes(ReadOnlySpan<byte> data, PdfScan scan, HashSet<string> seen, ref int budget, bool topLevel)
    {
        Span<byte> name = stackalloc byte[32];
        var position = 0;
        while (position < data.Length)
        {
            var slash = data[position..].IndexOf((byte)'/');
            if (slash < 0)
            {
                break;
            }

            position += slash + 1;
            var rest = data[position..];
            var end = rest.IndexOfAny(Delimiters);
            if (end < 0)
            {
                end = rest.Length;
            }

            if (end == 0 || end > 64)
            {
                continue;
            }

            var length = DecodeName(rest[..end], name, out var escaped);
            if (length <= 0)
            {
                continue;
            }

            var decoded = name[..length];
            var interesting = true;
            if (decoded.SequenceEqual("JavaScript"u8) || decoded.SequenceEqual("JS"u8))
            {
                scan.JavaScript = true;
            }
            else if (decoded.SequenceEqual("OpenAction"u8) || decoded.SequenceEqual("AA"u8))
            {
                scan.OpenAction = true;
            }
            else if (decoded.SequenceEqual("Launch"u8))
            {
                scan.Launch = true;
            }
            else if (decoded.SequenceEqual("EmbeddedFile"u8) || decoded.SequenceEqual("EmbeddedFiles"u8))
            {
                scan.EmbeddedFile = true;
            }
            else if (decoded.SequenceEqual("AcroForm"u8) || decoded.SequenceEqual("XFA"u8))
            {
                scan.AcroForm = true;
            }
            else if (decoded.SequenceEqual("SubmitForm"u8))
            {
                scan.SubmitForm = true;
            }
            else if (decoded.SequenceEqual("URI"u8))
            {
                // "/S /URI" names the action type; "/URI (…)" is the target.
                var value = rest[end..];
                var first = value.IndexOfAnyExcept(Whitespace);
                if (first >= 0 && (value[first] == '(' || (value[first] == '<' && (first + 1 >= value.Length || value[first + 1] != '<'))))
                {
                    scan.UriCount++;
                    if (scan.Uris.Count < MaxUris && ReadString(value) is { } uri && uri.Length > 0 && seen.Add(uri))
                    {
                        scan.Uris.Add(uri);
                    }
                }
            }
            else if (topLevel && decoded.SequenceEqual("ObjStm"u8) && budget > 0)
            {
                var consumed = InflateObjectStream(data, position, scan, seen, ref budget);
                position = Math.Max(position, consumed);
                interesting = false;
            }
            else
            {
                interesting = false;
            }

            if (interesting && escaped)
            {
                scan.ObfuscatedNames = true;
            }

            position += end;
        }
    }

    /// <summary>Undoes <c>#xx</c> escapes into <paramref name="output"/>; returns the length, or -1 when too long for a name we look for.</summary>
    private static int DecodeName(ReadOnlySpan<byte> raw, Span<byte> output, out bool escaped)
    {
        escaped = false;
        var length = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            if (length == output.Length)
            {
                return -1;
            }

            var b = raw[i];
            if (b == '#' && i + 2 < raw.Length && IsHex(raw[i + 1]) && IsHex(raw[i + 2]))
            {
                b = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
                i += 2;
                escaped = true;
            }

            output[length++] = b;
        }

        return length;
    }

    /// <summary>The literal <c>(…)</c> or hex <c>&lt;…&gt;</c> string that follows, decoded; null when none.</summary>
    private static string? ReadString(ReadOnlySpan<byte> data)
    {
        var start = data.IndexOfAnyExcept(Whitespace);
        if (start < 0)
        {
            return null;
        }

        data = data[start..];
        var buffer = new List<byte>(128);
        if (data[0] == '(')
        {
            var depth = 1;
            for (var i = 1; i < data.Length && buffer.Count < MaxUriLength; i++)
            {
                var b = data[i];
                if (b == '\\' && i + 1 < data.Length)
                {
                    var next = data[++i];
                    switch (next)
                    {
                        case (byte)'n': buffer.Add((byte)'\n'); break;
                        case (byte)'r': buffer.Add((byte)'\r'); break;
                        case (byte)'t': buffer.Add((byte)'\t'); break;
                        case (byte)'b' or (byte)'f': break;
                        case (byte)'\r' or (byte)'\n': break;
                        case >= (byte)'0' and <= (byte)'7':
                            var value = next - '0';
                            for (var k = 0; k < 2 && i + 1 < data.Length && data[i + 1] is >= (byte)'0' and <= (byte)'7'; k++)
                            {
                                value = (value * 8) + (data[++i] - '0');
                            }

                            buffer.Add((byte)value);
                            break;
                        default: buffer.Add(next); break;
                    }

                    continue;
                }

                if (b == '(')
                {
                    depth++;
                }
                else if (b == ')' && --depth == 0)
                {
                    break;
                }

                buffer.Add(b);
            }
        }
        else if (data[0] == '<' && (data.Length < 2 || data[1] != '<'))
        {
            var high = -1;
            for (var i = 1; i < data.Length && data[i] != '>' && buffer.Count < MaxUriLength; i++)
            {
                if (!IsHex(data[i]))
                {
                    continue;
                }

                if (high < 0)
                {
                    high = HexValue(data[i]);
                }
                else
                {
                    buffer.Add((byte)((high << 4) | HexValue(data[i])));
                    high = -1;
                }
            }
        }
        else
        {
            return null;
        }

        var bytes = buffer.ToArray();
        var text = bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF
            ? Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2)
            : Encoding.Latin1.GetString(bytes);
        return text.Trim();
    }

    /// <summary>Inflates the stream of the object whose dictionary has <c>/ObjStm</c> at <paramref name="at"/>, scans it; returns where scanning may continue.</summary>
    private static int InflateObjectStream(ReadOnlySpan<byte> data, int at, PdfScan scan, HashSet<string> seen, ref int budget)
    {
        var window = data[at..Math.Min(data.Length, at + 4096)];
        var keyword = window.IndexOf("stream"u8);
        if (keyword < 0)
        {
            return at;
        }

        var start = at + keyword + 6;
        if (start < data.Length && data[start] == '\r')
        {
            start++;
        }

        if (start < data.Length && data[start] == '\n')
        {
            start++;
        }

        var length = data[start..].IndexOf("endstream"u8);
        if (length < 0)
        {
            length = data.Length - start;
        }

        try
        {
            using var input = new MemoryStream(data.Slice(start, length).ToArray(), writable: false);
            using var inflater = new ZLibStream(input, CompressionMode.Decompress);
            var inflated = ZipReader.ReadBounded(inflater, Math.Min(budget, 8 * 1024 * 1024));
            budget -= inflated.Length;
            scan.ObjectStreams++;
            ScanBytes(inflated, scan, seen, ref budget, topLevel: false);
        }
        catch (InvalidDataException)
        {
            // Not zlib data (another filter, or damaged): the raw bytes are scanned anyway.
        }

        return start + length;
    }

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
}
