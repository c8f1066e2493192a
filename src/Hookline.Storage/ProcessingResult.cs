using Hookline.Storage.Model;

namespace Hookline.Storage;

/// <summary>Everything a worker derived from a report's raw bytes: the fields it writes back, and the status it ends in.</summary>
public sealed record ProcessingResult
{
    public required long ReportId { get; init; }

    /// <summary><see cref="ReportStatus.Analysed"/>, <see cref="ReportStatus.Skipped"/> or <see cref="ReportStatus.Failed"/>.</summary>
    public required ReportStatus Status { get; init; }

    public string? Format { get; init; }

    public string? ReporterName { get; init; }

    public string? ReporterAddress { get; init; }

    public string? UserVerdict { get; init; }

    public bool VerdictAssumed { get; init; }

    public string? NetworkMessageId { get; init; }

    public DateTime? ReportedAt { get; init; }

    public string? Subject { get; init; }

    public string? SenderName { get; init; }

    public string? SenderAddress { get; init; }

    public string? OriginalMessageId { get; init; }

    public string? Assessment { get; init; }

    public int? Score { get; init; }

    public string? AnalysisJson { get; init; }

    public string? SkipReason { get; init; }

    public string? Error { get; init; }

    public int PipelineVersion { get; init; }

    internal void ApplyTo(ReportRecord record, DateTime now)
    {
        record.Status = Status;
        record.Format = Format;
        record.ReporterName = ReporterName;
        record.ReporterAddress = ReporterAddress;
        record.UserVerdict = UserVerdict;
        record.VerdictAssumed = VerdictAssumed;
        record.NetworkMessageId = NetworkMessageId;
        record.ReportedAt = ReportedAt ?? record.ReceivedAt;
        record.Subject = Subject;
        record.SenderName = SenderName;
        record.SenderAddress = SenderAddress;
        record.OriginalMessageId = OriginalMessageId;
        record.Assessment = Assessment;
        record.Score = Score;
        record.AnalysisJson = AnalysisJson;
        record.SkipReason = SkipReason;
        record.Error = Error;
        record.PipelineVersion = PipelineVersion;
        record.ProcessedAt = now;
        record.LeaseOwner = null;
        record.LeaseUntil = null;
    }
}
