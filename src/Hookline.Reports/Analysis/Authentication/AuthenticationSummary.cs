namespace Hookline.Reports.Analysis.Authentication;

/// <summary>
/// The authentication verdicts that matter, lower-case as written ("pass", "fail", "softfail",
/// "none", ...), or null when no trusted result says; the Exchange Online Protection fields; and every
/// result read, trusted or not, for an analyst to look at.
/// </summary>
public sealed class AuthenticationSummary
{
    public string? Spf { get; set; }

    public string? Dkim { get; set; }

    public string? Dmarc { get; set; }

    public string? Compauth { get; set; }

    /// <summary>compauth's reason code ("000", "001", "100", ...).</summary>
    public string? CompauthReason { get; set; }

    /// <summary>smtp.mailfrom of the trusted SPF result (or envelope-from of a trusted Received-SPF).</summary>
    public string? SpfMailFrom { get; set; }

    /// <summary>header.d (or header.i) of the trusted DKIM result that decided <see cref="Dkim"/>.</summary>
    public string? DkimDomain { get; set; }

    /// <summary>header.from of the trusted DMARC result.</summary>
    public string? DmarcFrom { get; set; }

    /// <summary>The DMARC action Exchange Online applied ("none", "quarantine", "reject", "oreject", "pct.quarantine").</summary>
    public string? DmarcAction { get; set; }

    /// <summary>Where <see cref="Spf"/> came from when it was not Authentication-Results ("Received-SPF").</summary>
    public string? SpfSource { get; set; }

    /// <summary>The authserv-ids whose results were trusted ("" stands for Exchange Online's field without one).</summary>
    public List<string> TrustedAuthServIds { get; } = [];

    /// <summary>Every Authentication-Results field read, topmost first, each flagged trusted or not.</summary>
    public List<AuthenticationResult> Results { get; } = [];

    /// <summary>Every ARC-Authentication-Results field read, topmost first (never used for the verdicts above).</summary>
    public List<AuthenticationResult> ArcResults { get; } = [];

    /// <summary>Every Received-SPF field read, topmost first.</summary>
    public List<ReceivedSpf> ReceivedSpf { get; } = [];

    /// <summary>The topmost X-Forefront-Antispam-Report, or null.</summary>
    public ForefrontReport? Forefront { get; set; }

    /// <summary>Spam confidence level: X-MS-Exchange-Organization-SCL, else Forefront's SCL.</summary>
    public int? Scl { get; set; }

    /// <summary>Bulk complaint level from X-Microsoft-Antispam.</summary>
    public int? Bcl { get; set; }

    /// <summary>X-MS-Exchange-Organization-AuthAs: "Anonymous", "Internal", "Partner", ...</summary>
    public string? AuthAs { get; set; }

    /// <summary>X-MS-Exchange-Organization-AuthSource: the server that authenticated the sender.</summary>
    public string? AuthSource { get; set; }

    /// <summary>How many Authentication-Results fields there were, including any beyond the number read.</summary>
    public int ResultFieldCount { get; set; }
}
