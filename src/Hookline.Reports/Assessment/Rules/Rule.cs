namespace Hookline.Reports.Assessment;

/// <summary>One rule of a loaded rule set, after every file that mentions its id has been applied.</summary>
public sealed class Rule
{
    internal Rule(RuleDefinition merged, Condition compiled, ReasonTemplate template, IReadOnlyList<string> definedAt)
    {
        Id = merged.Id;
        Description = merged.Description;
        Enabled = merged.Enabled ?? true;
        Category = merged.Category!.Value;
        Points = merged.Points!.Value;
        When = merged.When!;
        Reason = merged.Reason!;
        DefinedAt = definedAt;
        Compiled = compiled;
        Template = template;
    }

    public string Id { get; }

    public string? Description { get; }

    public bool Enabled { get; }

    public RuleCategory Category { get; }

    public int Points { get; }

    public ConditionSyntax When { get; }

    public string Reason { get; }

    /// <summary>Every place ("file:line:column") that defined or changed the rule, in load order.</summary>
    public IReadOnlyList<string> DefinedAt { get; }

    internal Condition Compiled { get; }

    internal ReasonTemplate Template { get; }
}
