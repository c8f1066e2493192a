namespace Hookline.Storage.Model;

/// <summary>
/// The analyze contract's JSON for one report (about 4 KB), kept beside <see cref="ReportRecord"/> in
/// its own table so that the list's scans, searches and sorts read narrow rows. Derived: rewritten
/// with the report's other derived fields by every analysis and reprocess.
/// </summary>
public sealed class ReportAnalysis
{
    /// <summary>The report's id (the primary key, and the key to <c>Reports</c>).</summary>
    public long ReportId { get; set; }

    public string? Json { get; set; }
}
