using System.Globalization;
using Hookline.Mime;
using Hookline.Mime.Decoding;
using Hookline.Mime.Headers;
using Hookline.Reports.Analysis.Attachments;

namespace Hookline.Reports.Analysis.Structure;

/// <summary>A file that a part's headers name (or declare by type) where the parse or the analysis stopped.</summary>
internal readonly record struct HiddenFile(string? FileName, string? ContentType, string What)
{
    public string Label => FileName is { Length: > 0 } name
        ? (ContentType is null ? name : $"{name} ({ContentType})")
        : $"a part of type {ContentType}";
}

/// <summary>
/// Finds risky files where Hookline's limits kept it from looking: in raw bytes the parser did not
/// parse (a cheap scan for MIME part headers, with no MIME structure needed) and among the parts of
/// attached messages nested too deep to be analysed. Risky: programs, scripts, disk images,
/// shortcuts and HTML pages, by name (also a double extension) or by declared type.
/// </summary>
internal static class HiddenFiles
{
    /// <summary>Most bytes of one header field read when scanning raw bytes.</summary>
    private const int MaxFieldBytes = 8 * 1024;

    /// <summary>Extensions of files that open in a browser, outside the mail client's protection.</summary>
    private static readonly HashSet<string> BrowserExtensions = new(StringComparer.OrdinalIgnoreCase) { "html", "htm", "xhtml", "shtml", "svg", "mht", "mhtml" };

    /// <summary>Declared types of programs, scripts, shortcuts and disk images (what an extension would otherwise say).</summary>
    private static readonly Dictionary<string, string> RiskyTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application/x-msdownload"] = "a Windows program",
        ["application/x-msdos-program"] = "a Windows program",
        ["application/x-dosexec"] = "a Windows program",
        ["application/x-ms-dos-executable"] = "a Windows program",
        ["application/vnd.microsoft.portable-executable"] = "a Windows program",
        ["application/x-executable"] = "a program",
        ["application/x-msi"] = "a Windows installer",
        ["application/x-ms-installer"] = "a Windows installer",
        ["application/x-ms-shortcut"] = "a Windows shortcut",
        ["application/hta"] = "an HTML application",
        ["application/x-iso9660-image"] = "a disk image",
        ["application/javascript"] = "a script",
        ["application/x-javascript"] = "a script",
        ["text/javascript"] = "a script",
        ["text/vbscript"] = "a script",
        ["application/x-vbscript"] = "a script",
        ["application/x-bat"] = "a script",
        ["application/x-sh"] = "a script",
        ["application/java-archive"] = "a Java archive",
    };

    /// <summary>What makes a file with this name or declared type risky, or null when nothing does.</summary>
    public static string? Risk(string? fileName, string? contentType)
    {
        var extension = FileTypes.ExtensionOf(fileName);
        if (fileName is { Length: > 0 } && AttachmentAnalyzer.DoubleExtension(fileName) is { } deception)
        {
            return deception;
        }

        if (extension is not null)
        {
            if (FileTypes.ExecutableExtensions.Contains(extension))
            {
                return $".{extension}: a program";
            }

            if (FileTypes.ScriptExtensions.Contains(extension))
            {
                return $".{extension}: a script";
            }

            if (FileTypes.DiskImageExtensions.Contains(extension))
            {
                return $".{extension}: a disk image";
            }

            if (BrowserExtensions.Contains(extension))
            {
                return $".{extension}: opens in a browser";
            }
        }

        return contentType is not null && RiskyTypes.TryGetValue(contentType, out var what) ? $"declared {contentType}: {what}" : null;
    }

    /// <summary>
    /// Risky files named by the part headers in raw bytes (at most <paramref name="maxFiles"/>,
    /// distinct): every header block's Content-Type (name, type) and Content-Disposition (filename),
    /// RFC 2231 and RFC 2047 names included. Lines are read one by one; no boundary is needed. An
    /// attached message in base64 or quoted-printable is decoded (its body runs to the next line
    /// that starts with "--") and scanned too, up to <see cref="MaxEncodedMessageDepth"/> deep.
    /// </summary>
    public static List<HiddenFile> ScanRaw(ReadOnlySpan<byte> bytes, int maxFiles)
    {
        var found = new List<HiddenFile>();
        ScanRaw(bytes, maxFiles, found, 0);
        return found;
    }

    /// <summary>Attached messages inside attached messages decoded at most when scanning raw bytes.</summary>
    public const int MaxEncodedMessageDepth = 3;

    private static void ScanRaw(ReadOnlySpan<byte> bytes, int maxFiles, List<HiddenFile> found, int depth)
    {
        var block = new Block();
        var position = 0;
        while (position < bytes.Length && found.Count < maxFiles)
        {
            var lineEnd = LineEnd(bytes, position);
            var line = bytes[position..lineEnd];
            if (line.TrimEnd("\r\n"u8).IsEmpty)
            {
                // A blank line ends a header block: the part it described is complete.
                position = lineEnd;
                if (block.Started)
                {
                    Add(found, block.FileName, block.Type, maxFiles);
                    if (block.IsEncodedMessage && depth < MaxEncodedMessageDepth)
                    {
                        var bodyEnd = BodyEnd(bytes, position);
                        var body = bytes[position..bodyEnd];
                        var decoded = block.Encoding == "base64" ? Base64Decoder.Decode(body, body.Length, null, 0) : QuotedPrintableDecoder.Decode(body, body.Length, null, 0);
                        ScanRaw(decoded, maxFiles, found, depth + 1);
                        position = bodyEnd;
                    }
                }

                block = new Block();
                continue;
            }

            var field = FieldOf(line);
            if (field is Field.None)
            {
                position = lineEnd;
                continue;
            }

            // The field with its folded lines, bounded.
            var fieldEnd = lineEnd;
            while (fieldEnd < bytes.Length && bytes[fieldEnd] is (byte)' ' or (byte)'\t' && fieldEnd - position < MaxFieldBytes)
            {
                fieldEnd = LineEnd(bytes, fieldEnd);
            }

            var value = bytes[(position + line.IndexOf((byte)':') + 1)..Math.Min(fieldEnd, position + MaxFieldBytes)];
            block.Started = true;
            switch (field)
            {
                case Field.ContentType:
                    var contentType = ContentType.Parse(value);
                    block.Type = contentType.MimeType;
                    block.IsMessage = contentType.IsEncapsulatedMessage;
                    block.FileName ??= NullIfEmpty(contentType.Name);
                    break;
                case Field.ContentDisposition:
                    block.FileName = NullIfEmpty(ContentDisposition.Parse(value).FileName) ?? block.FileName;
                    break;
                default:
                    block.Encoding = System.Text.Encoding.ASCII.GetString(value).Trim().ToLowerInvariant();
                    break;
            }

            position = fieldEnd;
        }

        if (block.Started)
        {
            Add(found, block.FileName, block.Type, maxFiles);
        }
    }

    /// <summary>Where an encoded body found by the raw scan ends: at the next line that starts with "--" (a delimiter), or the end.</summary>
    private static int BodyEnd(ReadOnlySpan<byte> bytes, int position)
    {
        while (position < bytes.Length && !bytes[position..].StartsWith("--"u8))
        {
            position = LineEnd(bytes, position);
        }

        return position;
    }

    /// <summary>What one header block seen by the raw scan said about its part.</summary>
    private struct Block
    {
        public bool Started;
        public string? FileName;
        public string? Type;
        public bool IsMessage;
        public string? Encoding;

        public readonly bool IsEncodedMessage => IsMessage && Encoding is "base64" or "quoted-printable";
    }

    /// <summary>Risky files among the parts of a message nobody analysed (at most <paramref name="maxFiles"/>, distinct), into its attached messages.</summary>
    public static List<HiddenFile> ScanParsed(MimeMessage message, int maxFiles)
    {
        var found = new List<HiddenFile>();
        foreach (var entity in message.Entities(intoAttachedMessages: true))
        {
            if (found.Count >= maxFiles)
            {
                break;
            }

            if (entity is MimePart part && (part.IsAttachment || part.ContentType.MediaType == "application"))
            {
                Add(found, NullIfEmpty(part.FileName), part.ContentType.MimeType);
            }
        }

        return found;
    }

    public static string Bytes(long count) => count.ToString("N0", CultureInfo.InvariantCulture);

    private static void Add(List<HiddenFile> found, string? fileName, string? type, int maxFiles = int.MaxValue)
    {
        if (found.Count >= maxFiles || Risk(fileName, type) is not { } what)
        {
            return;
        }

        var file = new HiddenFile(fileName, type, what);
        if (!found.Contains(file))
        {
            found.Add(file);
        }
    }

    private enum Field
    {
        None,
        ContentType,
        ContentDisposition,
        ContentTransferEncoding,
    }

    private static Field FieldOf(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || (line[0] | 0x20) != 'c')
        {
            return Field.None;
        }

        var colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            return Field.None;
        }

        var name = line[..colon].TrimEnd(" \t"u8);
        if (System.Text.Ascii.EqualsIgnoreCase(name, "Content-Type"u8))
        {
            return Field.ContentType;
        }

        if (System.Text.Ascii.EqualsIgnoreCase(name, "Content-Disposition"u8))
        {
            return Field.ContentDisposition;
        }

        return System.Text.Ascii.EqualsIgnoreCase(name, "Content-Transfer-Encoding"u8) ? Field.ContentTransferEncoding : Field.None;
    }

    private static int LineEnd(ReadOnlySpan<byte> bytes, int position)
    {
        var index = bytes[position..].IndexOf((byte)'\n');
        return index < 0 ? bytes.Length : position + index + 1;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
