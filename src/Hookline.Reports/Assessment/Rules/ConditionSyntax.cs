using Hookline.Reports.Recognition;

namespace Hookline.Reports.Assessment;

/// <summary>Which findings a signal condition counts: the assessed message's, its attached messages', or both.</summary>
public enum FindingScope
{
    Any,
    Message,
    Attached,
}

/// <summary>
/// A rule's <c>when</c> as read from the file, before it is compiled against the rule set's signal
/// table. Immutable; <see cref="Where"/> is "file:line:column" for messages.
/// </summary>
public abstract record ConditionSyntax(string Where);

/// <summary>
/// A signal (or every signal under a prefix, "relay.*") found at least <see cref="AtLeast"/> times in
/// <see cref="Scope"/>, optionally only findings whose detail contains <see cref="DetailContains"/>
/// (case-blind, ordinal).
/// </summary>
public sealed record SignalConditionSyntax(string Where, string Pattern, int AtLeast, string? DetailContains, FindingScope Scope)
    : ConditionSyntax(Where)
{
    public bool IsPrefix => Pattern.EndsWith(".*", StringComparison.Ordinal);

    /// <summary>For a prefix pattern "relay.*": "relay."; otherwise the signal itself.</summary>
    public string Match => IsPrefix ? Pattern[..^1] : Pattern;
}

public sealed record AllConditionSyntax(string Where, IReadOnlyList<ConditionSyntax> Conditions) : ConditionSyntax(Where);

public sealed record AnyConditionSyntax(string Where, IReadOnlyList<ConditionSyntax> Conditions) : ConditionSyntax(Where);

public sealed record NotConditionSyntax(string Where, ConditionSyntax Condition) : ConditionSyntax(Where);

/// <summary>At least <see cref="AtLeast"/> of the conditions hold.</summary>
public sealed record AtLeastOfConditionSyntax(string Where, int AtLeast, IReadOnlyList<ConditionSyntax> Conditions) : ConditionSyntax(Where);

/// <summary>The message came in a report whose user verdict is one of these.</summary>
public sealed record UserVerdictConditionSyntax(string Where, IReadOnlyList<UserVerdict> Verdicts) : ConditionSyntax(Where);

/// <summary>The message came in a report recognised as one of these formats.</summary>
public sealed record ReportFormatConditionSyntax(string Where, IReadOnlyList<ReportFormat> Formats) : ConditionSyntax(Where);

/// <summary>The message came in a report (true) or was analysed on its own (false).</summary>
public sealed record IsReportConditionSyntax(string Where, bool Value) : ConditionSyntax(Where);

/// <summary>The report's user verdict was assumed (the envelope stated none).</summary>
public sealed record VerdictAssumedConditionSyntax(string Where, bool Value) : ConditionSyntax(Where);
