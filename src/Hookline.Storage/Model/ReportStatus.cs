namespace Hookline.Storage.Model;

/// <summary>Where a stored report is in the pipeline.</summary>
public enum ReportStatus
{
    /// <summary>Stored raw; not analysed yet (a worker will claim it).</summary>
    Received,

    /// <summary>Recognised and analysed; ready for review.</summary>
    Analysed,

    /// <summary>Stopped by an intake filter; the reason is in <see cref="ReportRecord.SkipReason"/>.</summary>
    Skipped,

    /// <summary>Nothing could be made of it (or analysis failed repeatedly); the raw bytes stay, the error is in <see cref="ReportRecord.Error"/>.</summary>
    Failed,
}
