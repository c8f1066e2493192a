using Hookline.Mime;

namespace Hookline.Reports.Recognition;

/// <summary>Which envelope was recognised. Stable names: they appear in JSON as camelCase.</summary>
public enum ReportFormat
{
    /// <summary>Microsoft's Report button or Report Message/Phishing add-ins, current subject layout ("Phishing:" + Network Message ID + fields).</summary>
    Microsoft,

    /// <summary>Microsoft's documented 2020–21 layout: "Action|NetworkMessageId|SenderIp|FromAddress|(Subject)".</summary>
    Legacy,

    /// <summary>A non-Microsoft report button: "1|"/"2|"/"3|" or "Junk:"/"Not junk:"/"Phishing:" without Microsoft's fields.</summary>
    ThirdParty,

    /// <summary>A user's forward with the original attached (.eml, .msg, TNEF).</summary>
    Forward,

    /// <summary>A user's forward with the original only quoted in the body (recovered, lower confidence).</summary>
    InlineForward,
}

/// <summary>What the reporting user said the message is.</summary>
public enum UserVerdict
{
    Phishing,
    Junk,
    NotJunk,
}

/// <summary>The user who reported (the envelope's From: Exchange sends the report on the user's behalf).</summary>
public sealed record Reporter(string Name, string Address);

/// <summary>How the original message was carried in the envelope.</summary>
public enum OriginalSource
{
    /// <summary>A message/rfc822 (or message/global) part.</summary>
    MessagePart,

    /// <summary>An attachment of another declared type whose content is an RFC 5322 message (.eml).</summary>
    EmlAttachment,

    /// <summary>An Outlook .msg attachment (application/vnd.ms-outlook or a .msg name).</summary>
    MsgAttachment,

    /// <summary>A TNEF attachment (winmail.dat, application/ms-tnef).</summary>
    TnefAttachment,

    /// <summary>Quoted in the body of an inline forward; only what the quoted headers give.</summary>
    InlineForward,
}

/// <summary>The reported message as it was carried: its exact bytes and the parsed model.</summary>
public sealed class OriginalMessage(ReadOnlyMemory<byte> bytes, MailFormat format, MimeMessage message, OriginalSource source, string? fileName)
{
    /// <summary>The original's bytes exactly as attached (for a message/rfc822 part: that part's content; for .msg/TNEF: the file).</summary>
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    public MailFormat Format { get; } = format;

    /// <summary>The parsed original (for .msg/TNEF: the MIME synthesized from it).</summary>
    public MimeMessage Message { get; } = message;

    public OriginalSource Source { get; } = source;

    public string? FileName { get; } = fileName;

    public bool IsRecoveredFromForward => Source == OriginalSource.InlineForward;
}

/// <summary>A recognised report: who reported what, as what.</summary>
public sealed class Report
{
    public required ReportFormat Format { get; init; }

    public Reporter? Reporter { get; init; }

    public required UserVerdict UserVerdict { get; init; }

    /// <summary>True when the envelope stated no verdict and phishing was assumed (Microsoft's rule for unformatted reports).</summary>
    public bool VerdictAssumed { get; init; }

    /// <summary>Exchange Online's Network Message ID of the original, from the subject or the original's headers.</summary>
    public string? NetworkMessageId { get; init; }

    /// <summary>When the report was sent (the envelope's Date).</summary>
    public DateTimeOffset? ReportedAt { get; init; }

    /// <summary>Fields the report's subject carried about the original, where the layout has them.</summary>
    public string? SubjectSenderIp { get; init; }

    public string? SubjectSenderAddress { get; init; }

    public string? SubjectOriginalSubject { get; init; }

    /// <summary>Every original found, in document order. Several: the report is flagged and an analyst chooses.</summary>
    public IReadOnlyList<OriginalMessage> Originals { get; init; } = [];

    public bool HasSeveralOriginals => Originals.Count > 1;

    /// <summary>What was assumed or damaged while reading the envelope, readable by an analyst.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
