namespace Hookline.Reports.Assessment;

/// <summary>A rule file's text and the name it is reported under (a path, or "default-rules.yaml").</summary>
public sealed record RuleSource(string Name, string Text)
{
    public static RuleSource FromFile(string path) => new(path, File.ReadAllText(path));
}

/// <summary>
/// One rule as a file writes it. In the file that first defines an id every field but
/// <see cref="Description"/> and <see cref="Enabled"/> is required; a later file that repeats the id
/// changes only the fields it writes (e.g. <c>enabled: false</c>, or new <c>points</c>).
/// </summary>
public sealed record RuleDefinition
{
    public required string Id { get; init; }

    /// <summary>"file:line:column" of the rule, for messages.</summary>
    public required string Where { get; init; }

    public string? Description { get; init; }

    public bool? Enabled { get; init; }

    public RuleCategory? Category { get; init; }

    public int? Points { get; init; }

    public ConditionSyntax? When { get; init; }

    public string? Reason { get; init; }
}

/// <summary>A parsed rule file: its thresholds (when it sets them), extra known signals and rules, in file order.</summary>
public sealed record RuleFile
{
    public required string Name { get; init; }

    public int? PhishingThreshold { get; init; }

    public int? SpamThreshold { get; init; }

    /// <summary>Signals the file declares as known (produced by analyzers the built-in catalogue does not list).</summary>
    public IReadOnlyList<string> Signals { get; init; } = [];

    public IReadOnlyList<RuleDefinition> Rules { get; init; } = [];
}

/// <summary>A rule file, or a set of them, is invalid. <see cref="Errors"/> lists every problem found, each "file:line:column: what".</summary>
public sealed class RuleFileException : FormatException
{
    public RuleFileException()
        : this([])
    {
    }

    public RuleFileException(string message)
        : this([message])
    {
    }

    public RuleFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public RuleFileException(IReadOnlyList<string> errors)
        : base(errors.Count == 0 ? "The rules are invalid." : "The rules are invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
