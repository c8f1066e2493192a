using Hookline.Reports.Analysis;
using Hookline.Reports.Recognition;

namespace Hookline.Reports.Assessment;

/// <summary>
/// The findings of one message being assessed, flattened once: the message's own findings first
/// (<c>[0, TopCount)</c>), then those of its attached messages, depth first; and per signal slot of
/// the rule set, how many findings matched it in all and in the message itself. Reused per thread.
/// </summary>
internal sealed class EvaluationState
{
    public Finding[] Findings = new Finding[32];

    public int FindingCount;

    public int TopCount;

    public int[] CountAll = new int[64];

    public int[] CountTop = new int[64];

    public Report? Report;

    public void Reset(int slots, Report? report)
    {
        if (CountAll.Length < slots)
        {
            CountAll = new int[slots];
            CountTop = new int[slots];
        }
        else
        {
            Array.Clear(CountAll, 0, slots);
            Array.Clear(CountTop, 0, slots);
        }

        Array.Clear(Findings, 0, FindingCount);
        FindingCount = 0;
        TopCount = 0;
        Report = report;
    }

    public void AddFinding(Finding finding)
    {
        if (FindingCount == Findings.Length)
        {
            Array.Resize(ref Findings, Findings.Length * 2);
        }

        Findings[FindingCount++] = finding;
    }
}

/// <summary>A compiled condition: evaluated per message with no allocation.</summary>
internal abstract class Condition
{
    public abstract bool Evaluate(EvaluationState state);

    /// <summary>
    /// For a matched rule's placeholders: the first finding (index into the state) that made a
    /// positive signal condition true, in the order the conditions are written, and that condition's count.
    /// </summary>
    public virtual bool TryGetEvidence(EvaluationState state, out int findingIndex, out int count)
    {
        findingIndex = -1;
        count = 0;
        return false;
    }
}

internal sealed class SignalCondition(int slot, string match, bool isPrefix, int atLeast, string? detailContains, FindingScope scope) : Condition
{
    public override bool Evaluate(EvaluationState state) => Count(state) >= atLeast;

    public override bool TryGetEvidence(EvaluationState state, out int findingIndex, out int count)
    {
        findingIndex = -1;
        count = Count(state);
        if (count < atLeast)
        {
            return false;
        }

        var (start, end) = Range(state);
        for (var i = start; i < end; i++)
        {
            if (Matches(state.Findings[i]))
            {
                findingIndex = i;
                return true;
            }
        }

        return true;
    }

    private int Count(EvaluationState state)
    {
        var counted = scope switch
        {
            FindingScope.Message => state.CountTop[slot],
            FindingScope.Attached => state.CountAll[slot] - state.CountTop[slot],
            _ => state.CountAll[slot],
        };
        if (detailContains is null || counted < atLeast)
        {
            return counted;
        }

        var matching = 0;
        var (start, end) = Range(state);
        for (var i = start; i < end; i++)
        {
            if (Matches(state.Findings[i]))
            {
                matching++;
            }
        }

        return matching;
    }

    private (int Start, int End) Range(EvaluationState state) => scope switch
    {
        FindingScope.Message => (0, state.TopCount),
        FindingScope.Attached => (state.TopCount, state.FindingCount),
        _ => (0, state.FindingCount),
    };

    private bool Matches(Finding finding)
    {
        var signalMatches = isPrefix
            ? finding.Signal.StartsWith(match, StringComparison.Ordinal)
            : string.Equals(finding.Signal, match, StringComparison.Ordinal);
        return signalMatches && (detailContains is null || finding.Detail.Contains(detailContains, StringComparison.OrdinalIgnoreCase));
    }
}

internal sealed class AllCondition(Condition[] conditions) : Condition
{
    public override bool Evaluate(EvaluationState state)
    {
        foreach (var condition in conditions)
        {
            if (!condition.Evaluate(state))
            {
                return false;
            }
        }

        return true;
    }

    public override bool TryGetEvidence(EvaluationState state, out int findingIndex, out int count) =>
        FirstEvidence(conditions, state, out findingIndex, out count);

    internal static bool FirstEvidence(Condition[] conditions, EvaluationState state, out int findingIndex, out int count)
    {
        foreach (var condition in conditions)
        {
            if (condition.Evaluate(state) && condition.TryGetEvidence(state, out findingIndex, out count))
            {
                return true;
            }
        }

        findingIndex = -1;
        count = 0;
        return false;
    }
}

internal sealed class AnyCondition(Condition[] conditions) : Condition
{
    public override bool Evaluate(EvaluationState state)
    {
        foreach (var condition in conditions)
        {
            if (condition.Evaluate(state))
            {
                return true;
            }
        }

        return false;
    }

    public override bool TryGetEvidence(EvaluationState state, out int findingIndex, out int count) =>
        AllCondition.FirstEvidence(conditions, state, out findingIndex, out count);
}

internal sealed class AtLeastOfCondition(int atLeast, Condition[] conditions) : Condition
{
    public override bool Evaluate(EvaluationState state)
    {
        var holding = 0;
        var remaining = conditions.Length;
        foreach (var condition in conditions)
        {
            if (condition.Evaluate(state) && ++holding >= atLeast)
            {
                return true;
            }

            if (holding + --remaining < atLeast)
            {
                return false;
            }
        }

        return holding >= atLeast;
    }

    public override bool TryGetEvidence(EvaluationState state, out int findingIndex, out int count) =>
        AllCondition.FirstEvidence(conditions, state, out findingIndex, out count);
}

internal sealed class NotCondition(Condition condition) : Condition
{
    public override bool Evaluate(EvaluationState state) => !condition.Evaluate(state);
}

internal sealed class UserVerdictCondition(bool[] verdicts) : Condition
{
    public override bool Evaluate(EvaluationState state) =>
        state.Report is { } report && verdicts[(int)report.UserVerdict];
}

internal sealed class ReportFormatCondition(bool[] formats) : Condition
{
    public override bool Evaluate(EvaluationState state) =>
        state.Report is { } report && formats[(int)report.Format];
}

internal sealed class IsReportCondition(bool value) : Condition
{
    public override bool Evaluate(EvaluationState state) => (state.Report is not null) == value;
}

internal sealed class VerdictAssumedCondition(bool value) : Condition
{
    public override bool Evaluate(EvaluationState state) => state.Report is { } report && report.VerdictAssumed == value;
}
