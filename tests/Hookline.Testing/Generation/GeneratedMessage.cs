namespace Hookline.Testing.Generation;

/// <summary>The overall structure of a generated message.</summary>
public enum MailShape
{
    PlainText,
    Alternative,
    MixedWithAttachments,
    Related,
    Forwarded,
    CalendarInvite,
    Phishing,
    HeaderHeavy,
    LargeWithAttachments,
}

/// <summary>Whose writing habits a generated message imitates.</summary>
public enum MailStyle
{
    ExchangeOnline,
    Gmail,
    Outlook,
    AppleMail,
    MailingList,
    Spammer,
}

/// <summary>
/// A generated message with the generator's truth about it, for checking a parser against.
/// <see cref="EntityCount"/> counts what <c>MimeMessage.Entities()</c> yields (into attached messages);
/// <see cref="FileNames"/> are the decoded file names of the entities that have one, in document order.
/// </summary>
public sealed record GeneratedMessage(
    byte[] Bytes,
    MailShape Shape,
    MailStyle Style,
    int Seed,
    string Subject,
    int EntityCount,
    int MaxDepth,
    int AttachedMessageCount,
    IReadOnlyList<string> FileNames)
{
    public override string ToString() => $"{Shape}/{Style} seed {Seed}, {Bytes.Length} bytes, {EntityCount} entities";
}
