namespace Hookline.Reports.Assessment;

/// <summary>What Hookline thinks the message is.</summary>
public enum AssessmentVerdict
{
    Clean,
    Spam,
    Phishing,
}

/// <summary>
/// The verdict, a 0–100 <see cref="Risk"/> (higher is more dangerous, for every verdict: clean below
/// the spam threshold, spam from it to just under the phishing threshold, phishing from there), a
/// one-sentence <see cref="Summary"/> for the analyst and the reasons that led there, most weighty
/// first. <see cref="Matches"/> lists every rule that matched, with its signed weight and evidence;
/// <see cref="PhishingPoints"/> and <see cref="SpamPoints"/> are the net sums (the category's points
/// minus the clean points) that were compared with the thresholds.
/// </summary>
public sealed record Assessment(AssessmentVerdict Verdict, int Risk, IReadOnlyList<string> Reasons)
{
    /// <summary>The same as <see cref="Risk"/>: the name the JSON contract and the store have always used.</summary>
    public int Score => Risk;

    public string Summary { get; init; } = string.Empty;

    public IReadOnlyList<RuleMatch> Matches { get; init; } = [];

    public int PhishingPoints { get; init; }

    public int SpamPoints { get; init; }
}

/// <summary>
/// One rule that matched a message: its id, category, points and the reason as written for this
/// message, with the detail of the finding that made it hold (<see cref="Evidence"/>: which link,
/// which brand, which words, which attachment; null for rules without a signal condition).
/// </summary>
public sealed record RuleMatch(string RuleId, RuleCategory Category, int Points, string Reason)
{
    /// <summary>The finding's detail that made the rule hold, or null.</summary>
    public string? Evidence { get; init; }

    /// <summary>Signed effect on the risk: clean rules lower it (−points), phishing and spam rules raise it.</summary>
    public int Weight => Category == RuleCategory.Clean ? -Points : Points;
}
