using Hookline.Reports.Analysis;
using Hookline.Reports.Recognition;

namespace Hookline.Reports.Assessment;

/// <summary>
/// Turns the findings into an assessment with rules kept as data.
/// FIRST VERSION (keeps the pipeline whole): clean, score 0, no reasons.
/// </summary>
public sealed class Assessor
{
    public static Assessor Default { get; } = new();

    private readonly IReadOnlyList<string> _noReasons = [];

    public Assessment Assess(MessageAnalysis analysis, Report? report) => new(AssessmentVerdict.Clean, 0, _noReasons);
}
