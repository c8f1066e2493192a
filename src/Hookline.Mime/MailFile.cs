using Hookline.Mime.Outlook;
using Hookline.Mime.Reading;

namespace Hookline.Mime;

/// <summary>Which format a mail file's bytes are in, recognised by content, never by name.</summary>
public enum MailFormat
{
    /// <summary>RFC 5322 / MIME (an .eml, or anything that is not one of the binary formats).</summary>
    Mime,

    /// <summary>An Outlook .msg: an OLE compound file (MS-CFB) holding MS-OXMSG properties.</summary>
    OutlookMessage,

    /// <summary>TNEF (winmail.dat, application/ms-tnef).</summary>
    Tnef,
}

/// <summary>
/// Reads a mail file of any format Hookline knows into the one message model. The .msg and TNEF
/// readers synthesize MIME from what they read (see docs/mime.md); the caller keeps the original bytes.
/// </summary>
public static class MailFile
{
    private static readonly System.Buffers.SearchValues<byte> WhiteSpace = System.Buffers.SearchValues.Create(" \t\r\n\f\v"u8);

    public static MailFormat Detect(ReadOnlySpan<byte> bytes)
    {
        if (OutlookMessageReader.IsCompoundFile(bytes))
        {
            return MailFormat.OutlookMessage;
        }

        return TnefReader.IsTnef(bytes) ? MailFormat.Tnef : MailFormat.Mime;
    }

    /// <summary>
    /// Why the bytes are not a mail message at all, or null when they may be one: "empty file",
    /// "empty: only white space", "not a mail message: no header fields" or "not a mail message:
    /// binary data, no header fields". Decided conservatively, so that damaged mail is still read
    /// as mail: an Outlook .msg or TNEF file is mail; so is anything that starts with an mbox
    /// "From " line, whose first line (after a byte order mark and blank lines) is a header field
    /// (<c>Name: value</c>), or whose top header block holds any valid field. Only bytes with no
    /// header field at all before the body are not mail. Reads at most the top header block.
    /// </summary>
    public static string? NotMailReason(ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (span.IsEmpty)
        {
            return "empty file";
        }

        if (Detect(span) != MailFormat.Mime || span.StartsWith("From "u8))
        {
            return null;
        }

        var start = span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? span[3..] : span;
        var first = start.IndexOfAnyExcept(WhiteSpace);
        if (first < 0)
        {
            return "empty: only white space";
        }

        // The first line that has anything on it (leading blank lines are a common artefact of saving).
        var lineStart = start[..first].LastIndexOf((byte)'\n') + 1;
        var line = start[lineStart..];
        var lineEnd = line.IndexOf((byte)'\n');
        if (MimeReader.FieldNameLength(lineEnd < 0 ? line : line[..lineEnd], out _) > 0)
        {
            return null;
        }

        foreach (var header in MimeMessage.ParseHeaders(bytes).Headers)
        {
            if (header.IsValid)
            {
                return null;
            }
        }

        return LooksBinary(span) ? "not a mail message: binary data, no header fields" : "not a mail message: no header fields";
    }

    /// <summary>NUL bytes, or more than one in ten control characters other than tab, line breaks, form feed and escape, in the first 4 KB.</summary>
    private static bool LooksBinary(ReadOnlySpan<byte> bytes)
    {
        var head = bytes[..Math.Min(bytes.Length, 4096)];
        if (head.IndexOf((byte)0) >= 0)
        {
            return true;
        }

        var controls = 0;
        foreach (var b in head)
        {
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C or 0x1B))
            {
                controls++;
            }
        }

        return controls * 10 > head.Length;
    }

    /// <summary>Parses the bytes in the format their content shows. Never throws on content.</summary>
    public static MimeMessage Read(ReadOnlyMemory<byte> bytes, MimeLimits? limits = null) => Detect(bytes.Span) switch
    {
        MailFormat.OutlookMessage => OutlookMessageReader.Read(bytes, limits),
        MailFormat.Tnef => TnefReader.Read(bytes, limits),
        _ => MimeMessage.Parse(bytes, limits),
    };
}
