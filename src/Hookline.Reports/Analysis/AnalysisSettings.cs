using Hookline.Reports.Analysis.QrCodes;

namespace Hookline.Reports.Analysis;

/// <summary>The organisation's own facts and lists that the analysis applies.</summary>
public sealed record AnalysisSettings
{
    public static AnalysisSettings Default { get; } = new();

    /// <summary>The organisation's own domains (for impersonation, lookalikes and the first external hop).</summary>
    public IReadOnlyList<string> OrganizationDomains { get; init; } = [];

    /// <summary>The reporting mailboxes (report@contoso.com): a report whose From is one of them names its reporter in Sender.</summary>
    public IReadOnlyList<string> ReportingMailboxes { get; init; } = [];

    /// <summary>The organisation's name as senders would impersonate it in display names.</summary>
    public string? OrganizationName { get; init; }

    /// <summary>Authentication-Results authserv-ids written by the organisation's own mail system; results from other ids are not trusted.</summary>
    public IReadOnlyList<string> TrustedAuthServIds { get; init; } = [];

    /// <summary>Addresses or domains whose mail is trusted (allow list) or always suspect (block list).</summary>
    public IReadOnlyList<string> AllowedSenders { get; init; } = [];

    public IReadOnlyList<string> BlockedSenders { get; init; } = [];

    /// <summary>Hosts (or registrable domains) of URLs that are always suspect.</summary>
    public IReadOnlyList<string> BlockedUrlHosts { get; init; } = [];

    /// <summary>How deep attached messages are analysed recursively.</summary>
    public int MaxAttachedMessageDepth { get; init; } = 4;

    /// <summary>How much searching images for QR codes may cost per report.</summary>
    public QrCodeLimits QrCodes { get; init; } = QrCodeLimits.Default;
}
