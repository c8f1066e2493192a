namespace Hookline.Reports.Assessment;

/// <summary>What Hookline thinks the message is.</summary>
public enum AssessmentVerdict
{
    Clean,
    Spam,
    Phishing,
}

/// <summary>
/// The verdict, a 0–100 score (how sure, towards the verdict's side) and the reasons that led there,
/// most weighty first. <see cref="Matches"/> lists every rule that matched, with its points, for
/// analysts and tests; <see cref="PhishingPoints"/> and <see cref="SpamPoints"/> are the net sums
/// (the category's points minus the clean points) that were compared with the thresholds.
/// </summary>
public sealed record Assessment(AssessmentVerdict Verdict, int Score, IReadOnlyList<string> Reasons)
{
    public IReadOnlyList<RuleMatch> Matches { get; init; } = [];

    public int PhishingPoints { get; init; }

    public int SpamPoints { get; init; }
}

/// <summary>One rule that matched a message: its id, category, points and the reason as written for this message.</summary>
public sealed record RuleMatch(string RuleId, RuleCategory Category, int Points, string Reason);
