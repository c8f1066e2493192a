namespace Hookline.Reports.Analysis.Authentication;

/// <summary>
/// The authentication verdicts that matter, lower-case as written ("pass", "fail", "softfail",
/// "none", ...), or null when no trusted result says. FIRST VERSION: fields for the JSON contract.
/// </summary>
public sealed class AuthenticationSummary
{
    public string? Spf { get; set; }

    public string? Dkim { get; set; }

    public string? Dmarc { get; set; }

    public string? Compauth { get; set; }
}
