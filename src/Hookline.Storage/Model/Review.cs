namespace Hookline.Storage.Model;

/// <summary>One analyst decision on a report ("mark as"). Re-marking adds a new one; none is ever rewritten.</summary>
public sealed class ReviewRecord
{
    public long Id { get; set; }

    public long ReportId { get; set; }

    /// <summary><c>noThreatsFound</c>, <c>phishing</c> or <c>spam</c>.</summary>
    public required string Verdict { get; set; }

    public string? Comment { get; set; }

    public required string ReviewedBy { get; set; }

    public DateTime ReviewedAt { get; set; }

    /// <summary>Whether the analyst asked for the reporter to be told of this decision.</summary>
    public bool Notify { get; set; }

    /// <summary>
    /// Why no result email was queued although <see cref="Notify"/> was asked (no delivery or sender
    /// configured, result emails switched off, no reporter address); null when it was queued or not
    /// asked. Reviews recorded before this was kept have null here whatever happened: the outbox (a row
    /// with this review's id) tells whether one was queued.
    /// </summary>
    public string? NotifySkipped { get; set; }
}

/// <summary>The review verdicts, as the API spells them.</summary>
public static class ReviewVerdicts
{
    public const string NoThreatsFound = "noThreatsFound";
    public const string Phishing = "phishing";
    public const string Spam = "spam";

    public static IReadOnlyList<string> All { get; } = [NoThreatsFound, Phishing, Spam];
}
