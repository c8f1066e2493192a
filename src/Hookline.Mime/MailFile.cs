using Hookline.Mime.Outlook;

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
    public static MailFormat Detect(ReadOnlySpan<byte> bytes)
    {
        if (OutlookMessageReader.IsCompoundFile(bytes))
        {
            return MailFormat.OutlookMessage;
        }

        return TnefReader.IsTnef(bytes) ? MailFormat.Tnef : MailFormat.Mime;
    }

    /// <summary>Parses the bytes in the format their content shows. Never throws on content.</summary>
    public static MimeMessage Read(ReadOnlyMemory<byte> bytes, MimeLimits? limits = null) => Detect(bytes.Span) switch
    {
        MailFormat.OutlookMessage => OutlookMessageReader.Read(bytes, limits),
        MailFormat.Tnef => TnefReader.Read(bytes, limits),
        _ => MimeMessage.Parse(bytes, limits),
    };
}
