namespace Hookline.Reports.Assessment;

/// <summary>What Hookline thinks the message is.</summary>
public enum AssessmentVerdict
{
    Clean,
    Spam,
    Phishing,
}

/// <summary>The verdict, a 0–100 score (how sure, towards the verdict's side) and the reasons that led there.</summary>
public sealed record Assessment(AssessmentVerdict Verdict, int Score, IReadOnlyList<string> Reasons);
