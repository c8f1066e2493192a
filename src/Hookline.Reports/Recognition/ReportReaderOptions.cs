namespace Hookline.Reports.Recognition;

/// <summary>Bounds and site knowledge for <see cref="ReportReader"/>.</summary>
public sealed record ReportReaderOptions
{
    public static ReportReaderOptions Default { get; } = new();

    /// <summary>Most originals read from one envelope; the rest are counted in a warning.</summary>
    public int MaxOriginals { get; init; } = 20;

    /// <summary>Most characters of body text searched for an inline forward and for Microsoft's comment.</summary>
    public int MaxInlineForwardChars { get; init; } = 64 * 1024;

    /// <summary>
    /// The reporting mailboxes' addresses (compared case-blind). When the envelope's From is one of
    /// them (a copy re-sent by the mailbox itself), the reporter is taken from Sender instead.
    /// </summary>
    public IReadOnlyCollection<string> ReportingMailboxes { get; init; } = [];
}
