using Hookline.Reports.Assessment;

namespace Hookline.Web.Ui;

/// <summary>
/// The rule set's thresholds as the UI reads a risk (0–100, higher is more dangerous): clean below the
/// spam threshold, spam from it, phishing from the phishing threshold. A clean verdict within
/// <see cref="NearMargin"/> of the lower threshold is "near the threshold": shown amber, not green,
/// and the mark form does not offer "No threats found" for it by default.
/// </summary>
internal sealed record RiskScale(int SpamThreshold, int PhishingThreshold)
{
    /// <summary>How close below the lower threshold a clean risk counts as near it (35 − 20 = 15 with the default rules: a clean message with that much evidence against it deserves a look).</summary>
    public const int NearMargin = 20;

    /// <summary>The default rules' scale (spam 35, phishing 60).</summary>
    public static RiskScale Default { get; } = From(RuleSet.Default);

    public static RiskScale From(RuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return new RiskScale(rules.SpamThreshold, rules.PhishingThreshold);
    }

    /// <summary>The lowest risk that is no longer clean (the lower of the two thresholds).</summary>
    public int CleanBelow => Math.Min(SpamThreshold, PhishingThreshold);

    /// <summary>The lowest clean risk shown as near the threshold.</summary>
    public int NearFrom => Math.Max(0, CleanBelow - NearMargin);

    /// <summary>A clean assessment whose risk is within <see cref="NearMargin"/> of the threshold.</summary>
    public bool IsNear(string? verdict, int? risk) => verdict == "clean" && risk is { } value && value >= NearFrom;

    /// <summary>A clean assessment with a risk well below the threshold (so "No threats found" is a fair default).</summary>
    public bool IsLow(string? verdict, int? risk) => verdict == "clean" && risk is { } value && value < NearFrom;
}
