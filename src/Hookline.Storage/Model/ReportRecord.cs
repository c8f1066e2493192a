namespace Hookline.Storage.Model;

/// <summary>
/// One report: where and when it arrived, its raw bytes (by hash), what recognition and analysis made
/// of it, and its place in the pipeline. Everything under "derived" is rebuilt from the raw bytes by
/// <c>hookline reprocess</c>; arrival and review fields never are.
/// </summary>
public sealed class ReportRecord
{
    public long Id { get; set; }

    // Arrival (never rewritten).

    /// <summary>SHA-256 of the raw bytes (<see cref="RawMessage.Sha256"/>); unique: the same bytes are one report.</summary>
    public required string RawSha256 { get; set; }

    /// <summary>The envelope's identity (reporter and Message-ID), unique when present: the same report delivered twice with different trace headers is one report.</summary>
    public string? DedupKey { get; set; }

    public required string Source { get; set; }

    public required string SourceKey { get; set; }

    public long Size { get; set; }

    /// <summary>When the source received it.</summary>
    public DateTime ReceivedAt { get; set; }

    /// <summary>When it was committed here.</summary>
    public DateTime StoredAt { get; set; }

    // Pipeline.
    public ReportStatus Status { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }

    /// <summary>How many times a worker claimed it; a report whose analysis keeps killing workers ends as failed.</summary>
    public int Attempts { get; set; }

    // Derived.
    public string? Format { get; set; }

    public string? ReporterName { get; set; }

    public string? ReporterAddress { get; set; }

    /// <summary><c>phishing</c>, <c>junk</c> or <c>notJunk</c>, as in the analyze contract.</summary>
    public string? UserVerdict { get; set; }

    public bool VerdictAssumed { get; set; }

    public string? NetworkMessageId { get; set; }

    public DateTime? ReportedAt { get; set; }

    public string? Subject { get; set; }

    public string? SenderName { get; set; }

    public string? SenderAddress { get; set; }

    public string? OriginalMessageId { get; set; }

    /// <summary><c>phishing</c>, <c>spam</c> or <c>clean</c>.</summary>
    public string? Assessment { get; set; }

    /// <summary>
    /// The assessment's risk, 0–100, higher is more dangerous for every verdict (clean below the spam
    /// threshold, spam from it, phishing from the phishing threshold). Null until analysed, and for clean
    /// and spam reports analysed before the risk scale (the <c>RiskScale</c> migration cleared their old
    /// "how sure" score; <c>hookline reprocess --outdated</c> brings the risk).
    /// </summary>
    public int? Score { get; set; }

    /// <summary>
    /// The analysis, stored in its own table (<c>ReportAnalyses</c>). Every query for whole reports
    /// loads it (an automatic include) except the list's, which opts out with <c>IgnoreAutoIncludes</c>.
    /// </summary>
    public ReportAnalysis? Analysis { get; set; }

    /// <summary>The analyze contract's JSON object for this report (<see cref="Analysis"/>'s, created on first set).</summary>
    public string? AnalysisJson
    {
        get => Analysis?.Json;
        set
        {
            if (Analysis is null && value is null)
            {
                return;
            }

            Analysis ??= new ReportAnalysis { ReportId = Id };
            Analysis.Json = value;
        }
    }

    public string? SkipReason { get; set; }

    public string? Error { get; set; }

    public DateTime? ProcessedAt { get; set; }

    /// <summary>The pipeline version that produced the derived fields.</summary>
    public int PipelineVersion { get; set; }

    // Review (the latest decision; every decision is a ReviewRecord). Never touched by reprocessing.

    /// <summary><c>noThreatsFound</c>, <c>phishing</c> or <c>spam</c>, or null when not marked.</summary>
    public string? MarkedAs { get; set; }

    public string? MarkedBy { get; set; }

    public DateTime? MarkedAt { get; set; }

    /// <summary>The reporter's notification for the latest decision: null (none), <c>pending</c>, <c>sent</c>, <c>failed</c>.</summary>
    public string? NotificationState { get; set; }
}
