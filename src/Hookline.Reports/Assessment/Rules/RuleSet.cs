using System.Globalization;

namespace Hookline.Reports.Assessment;

/// <summary>
/// A loaded set of rules: the files applied in order (the defaults first, then the organisation's),
/// merged by id, validated and compiled. Immutable and thread-safe.
/// </summary>
public sealed class RuleSet
{
    /// <summary>The name the embedded default rules are reported under.</summary>
    public const string DefaultRulesName = "default-rules.yaml";

    private static readonly RuleSource EmbeddedDefault = ReadDefaultSource();
    private static readonly Lazy<RuleSet> LazyDefault = new(() => Load([EmbeddedDefault]));

    private RuleSet(int phishingThreshold, int spamThreshold, Rule[] rules, SignalTable signals, IReadOnlyList<string> knownSignals, IReadOnlyList<string> warnings)
    {
        PhishingThreshold = phishingThreshold;
        SpamThreshold = spamThreshold;
        Rules = rules;
        Signals = signals;
        KnownSignals = knownSignals;
        Warnings = warnings;
        var enabled = new List<Rule>(rules.Length);
        foreach (var rule in rules)
        {
            if (rule.Enabled)
            {
                enabled.Add(rule);
            }
        }

        EnabledRules = [.. enabled];
    }

    /// <summary>The embedded default rules alone.</summary>
    public static RuleSet Default => LazyDefault.Value;

    /// <summary>The embedded default rule file, as text (to show an administrator, or to start a local file from).</summary>
    public static RuleSource DefaultSource => EmbeddedDefault;

    public int PhishingThreshold { get; }

    public int SpamThreshold { get; }

    /// <summary>Every rule, enabled or not, in the order first defined.</summary>
    public IReadOnlyList<Rule> Rules { get; }

    /// <summary>The built-in signal catalogue plus the signals the files declared.</summary>
    public IReadOnlyList<string> KnownSignals { get; }

    /// <summary>What loaded but looks wrong (e.g. a signal no analyzer produces), "file:line:column: what".</summary>
    public IReadOnlyList<string> Warnings { get; }

    internal Rule[] EnabledRules { get; }

    internal SignalTable Signals { get; }

    /// <summary>The default rules followed by <paramref name="sources"/> (later files override earlier ones by id).</summary>
    public static RuleSet LoadWithDefaults(IEnumerable<RuleSource> sources) => Load([DefaultSource, .. sources]);

    /// <summary>Exactly these files, in order. Throws <see cref="RuleFileException"/> listing every error.</summary>
    public static RuleSet Load(IEnumerable<RuleSource> sources)
    {
        var files = new List<RuleFile>();
        var errors = new List<string>();
        foreach (var source in sources)
        {
            try
            {
                files.Add(RuleFileParser.Parse(source));
            }
            catch (RuleFileException e)
            {
                errors.AddRange(e.Errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new RuleFileException(errors);
        }

        return Build(files);
    }

    /// <summary>Merges parsed files in order and compiles them.</summary>
    public static RuleSet Build(IReadOnlyList<RuleFile> files)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        int? phishing = null, spam = null;
        var known = new HashSet<string>(SignalCatalogue.Known, StringComparer.Ordinal);
        var knownList = new List<string>(SignalCatalogue.Known);
        var order = new List<string>();
        var merged = new Dictionary<string, RuleDefinition>(StringComparer.Ordinal);
        var definedAt = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            phishing = file.PhishingThreshold ?? phishing;
            spam = file.SpamThreshold ?? spam;
            foreach (var signal in file.Signals)
            {
                if (known.Add(signal))
                {
                    knownList.Add(signal);
                }
            }

            foreach (var rule in file.Rules)
            {
                if (merged.TryGetValue(rule.Id, out var earlier))
                {
                    merged[rule.Id] = earlier with
                    {
                        Description = rule.Description ?? earlier.Description,
                        Enabled = rule.Enabled ?? earlier.Enabled,
                        Category = rule.Category ?? earlier.Category,
                        Points = rule.Points ?? earlier.Points,
                        When = rule.When ?? earlier.When,
                        Reason = rule.Reason ?? earlier.Reason,
                    };
                    definedAt[rule.Id].Add(rule.Where);
                    continue;
                }

                var missing = new List<string>();
                if (rule.When is null)
                {
                    missing.Add("when");
                }

                if (rule.Category is null)
                {
                    missing.Add("category");
                }

                if (rule.Points is null)
                {
                    missing.Add("points");
                }

                if (rule.Reason is null)
                {
                    missing.Add("reason");
                }

                if (missing.Count > 0)
                {
                    errors.Add($"{rule.Where}: rule '{rule.Id}' is new (no earlier file defines it) and lacks {string.Join(", ", missing)}");
                    continue;
                }

                merged.Add(rule.Id, rule);
                definedAt.Add(rule.Id, [rule.Where]);
                order.Add(rule.Id);
            }
        }

        if (phishing is null || spam is null)
        {
            errors.Add("no thresholds: a rule file must set 'thresholds' with 'phishing' and 'spam'");
        }

        var table = new SignalTable();
        var rules = new List<Rule>(order.Count);
        foreach (var id in order)
        {
            var definition = merged[id];
            var compiled = Compile(definition.When!, table, known, id, definition.Enabled ?? true, warnings);
            var template = ReasonTemplate.Parse(definition.Reason!, out var error);
            if (template is null)
            {
                errors.Add($"{definition.Where}: rule '{id}': {error}");
                continue;
            }

            rules.Add(new Rule(definition, compiled, template, definedAt[id]));
        }

        if (errors.Count > 0)
        {
            throw new RuleFileException(errors);
        }

        return new RuleSet(phishing!.Value, spam!.Value, [.. rules], table, knownList, warnings);
    }

    private static Condition Compile(ConditionSyntax syntax, SignalTable table, HashSet<string> known, string ruleId, bool enabled, List<string> warnings)
    {
        switch (syntax)
        {
            case SignalConditionSyntax signal:
                if (enabled && !SignalCatalogue.Covers(known, signal.Match, signal.IsPrefix))
                {
                    var nearest = signal.IsPrefix ? null : SignalCatalogue.Nearest(known, signal.Pattern);
                    var hint = nearest is null ? string.Empty : $" (did you mean '{nearest}'?)";
                    warnings.Add($"{signal.Where}: rule '{ruleId}' refers to signal '{signal.Pattern}', which no analyzer is known to produce{hint}; declare it under 'signals:' if it is real");
                }

                return new SignalCondition(table.Slot(signal.Match, signal.IsPrefix), signal.Match, signal.IsPrefix, signal.AtLeast, signal.DetailContains, signal.Scope);
            case AllConditionSyntax all:
                return new AllCondition(CompileAll(all.Conditions, table, known, ruleId, enabled, warnings));
            case AnyConditionSyntax any:
                return new AnyCondition(CompileAll(any.Conditions, table, known, ruleId, enabled, warnings));
            case AtLeastOfConditionSyntax atLeastOf:
                return new AtLeastOfCondition(atLeastOf.AtLeast, CompileAll(atLeastOf.Conditions, table, known, ruleId, enabled, warnings));
            case NotConditionSyntax not:
                return new NotCondition(Compile(not.Condition, table, known, ruleId, enabled, warnings));
            case UserVerdictConditionSyntax verdicts:
                var verdictSet = new bool[Enum.GetValues<Recognition.UserVerdict>().Length];
                foreach (var verdict in verdicts.Verdicts)
                {
                    verdictSet[(int)verdict] = true;
                }

                return new UserVerdictCondition(verdictSet);
            case ReportFormatConditionSyntax formats:
                var formatSet = new bool[Enum.GetValues<Recognition.ReportFormat>().Length];
                foreach (var format in formats.Formats)
                {
                    formatSet[(int)format] = true;
                }

                return new ReportFormatCondition(formatSet);
            case IsReportConditionSyntax isReport:
                return new IsReportCondition(isReport.Value);
            case VerdictAssumedConditionSyntax assumed:
                return new VerdictAssumedCondition(assumed.Value);
            default:
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Unknown condition syntax {syntax.GetType().Name}."));
        }
    }

    private static Condition[] CompileAll(IReadOnlyList<ConditionSyntax> conditions, SignalTable table, HashSet<string> known, string ruleId, bool enabled, List<string> warnings)
    {
        var compiled = new Condition[conditions.Count];
        for (var i = 0; i < compiled.Length; i++)
        {
            compiled[i] = Compile(conditions[i], table, known, ruleId, enabled, warnings);
        }

        return compiled;
    }

    private static RuleSource ReadDefaultSource()
    {
        var assembly = typeof(RuleSet).Assembly;
        using var stream = assembly.GetManifestResourceStream("Hookline.Reports.Assessment.default-rules.yaml")
            ?? throw new InvalidOperationException("The default rules are not embedded in " + assembly.GetName().Name + ".");
        using var reader = new StreamReader(stream);
        return new RuleSource(DefaultRulesName, reader.ReadToEnd());
    }
}

/// <summary>
/// The distinct signal patterns of a rule set, numbered: exact ids looked up by hash, prefixes
/// ("relay.") tested with an ordinal prefix comparison.
/// </summary>
internal sealed class SignalTable
{
    private readonly Dictionary<string, int> _exact = new(StringComparer.Ordinal);
    private readonly List<string> _prefixes = [];
    private readonly List<int> _prefixSlots = [];
    private string[] _prefixArray = [];
    private int[] _prefixSlotArray = [];

    public int Count { get; private set; }

    public int Slot(string match, bool isPrefix)
    {
        if (!isPrefix)
        {
            if (!_exact.TryGetValue(match, out var slot))
            {
                slot = Count++;
                _exact.Add(match, slot);
            }

            return slot;
        }

        var index = _prefixes.IndexOf(match);
        if (index >= 0)
        {
            return _prefixSlots[index];
        }

        _prefixes.Add(match);
        _prefixSlots.Add(Count);
        _prefixArray = [.. _prefixes];
        _prefixSlotArray = [.. _prefixSlots];
        return Count++;
    }

    /// <summary>Counts one finding's signal into every slot it matches.</summary>
    public void Tally(string signal, int[] counts, int[]? topCounts)
    {
        if (_exact.TryGetValue(signal, out var slot))
        {
            counts[slot]++;
            if (topCounts is not null)
            {
                topCounts[slot]++;
            }
        }

        var prefixes = _prefixArray;
        for (var i = 0; i < prefixes.Length; i++)
        {
            if (signal.StartsWith(prefixes[i], StringComparison.Ordinal))
            {
                var prefixSlot = _prefixSlotArray[i];
                counts[prefixSlot]++;
                if (topCounts is not null)
                {
                    topCounts[prefixSlot]++;
                }
            }
        }
    }
}
