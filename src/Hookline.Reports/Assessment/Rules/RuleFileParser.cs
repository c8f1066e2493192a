using System.Globalization;
using Hookline.Reports.Recognition;
using Hookline.Reports.Settings;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hookline.Reports.Assessment;

/// <summary>
/// Reads a rule file (YAML, see docs/rules.md) strictly: unknown keys, wrong types, bad ids and
/// duplicate ids are errors with their position; every error in the file is collected before
/// <see cref="RuleFileException"/> is thrown.
/// </summary>
public static class RuleFileParser
{
    public const int MinPoints = -100;
    public const int MaxPoints = 100;

    private static readonly string[] FileKeys = ["version", "thresholds", "signals", "rules"];
    private static readonly string[] ThresholdKeys = ["phishing", "spam"];
    private static readonly string[] RuleKeys = ["id", "description", "enabled", "category", "points", "when", "reason"];
    private static readonly string[] SignalKeys = ["signal", "atLeast", "detailContains", "in"];
    private static readonly string[] AtLeastOfKeys = ["atLeast", "of"];
    private static readonly string[] SingleKinds = ["all", "any", "not", "userVerdict", "reportFormat", "isReport", "verdictAssumed"];

    private const string ConditionHelp = "a condition is a signal id, or a mapping with 'signal' (and optionally 'atLeast', 'detailContains', 'in'), 'all', 'any', 'not', 'atLeast' with 'of', 'userVerdict', 'reportFormat', 'isReport' or 'verdictAssumed'";

    public static RuleFile Parse(RuleSource source)
    {
        var parser = new Reader(source.Name);
        var file = parser.Read(source.Text);
        if (parser.Errors.Count > 0)
        {
            throw new RuleFileException(parser.Errors);
        }

        return file;
    }

    /// <summary>A signal id or rule id: lower-case words of letters and digits joined by '-', separated by '.'.</summary>
    public static bool IsValidId(string id)
    {
        if (id.Length == 0 || id.Length > 200)
        {
            return false;
        }

        var previous = '.';
        foreach (var c in id)
        {
            var isWordChar = c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (!isWordChar && !(c is '.' or '-'))
            {
                return false;
            }

            if (!isWordChar && previous is '.' or '-')
            {
                return false;
            }

            previous = c;
        }

        return previous is not ('.' or '-');
    }

    /// <summary>A signal pattern: a signal id, or a prefix written "relay.*".</summary>
    public static bool IsValidSignalPattern(string pattern) =>
        pattern.EndsWith(".*", StringComparison.Ordinal) ? IsValidId(pattern[..^2]) : IsValidId(pattern);

    private sealed class Reader(string name) : YamlFileReader(name)
    {
        public RuleFile Read(string text)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                Errors.Add(string.Create(CultureInfo.InvariantCulture, $"{Name}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}"));
                return new RuleFile { Name = Name };
            }

            if (stream.Documents.Count == 0)
            {
                Errors.Add($"{Name}: the file is empty (expected a mapping with 'rules')");
                return new RuleFile { Name = Name };
            }

            if (stream.Documents.Count > 1)
            {
                Errors.Add($"{At(stream.Documents[1].RootNode)}: only one YAML document is allowed in a rule file");
            }

            if (stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                Errors.Add($"{At(stream.Documents[0].RootNode)}: a rule file is a mapping with 'rules' (and optionally 'version', 'thresholds', 'signals')");
                return new RuleFile { Name = Name };
            }

            int? phishing = null, spam = null;
            var signals = new List<string>();
            var rules = new List<RuleDefinition>();
            foreach (var (keyNode, value) in Entries(root, FileKeys, "the rule file"))
            {
                switch (keyNode.Value)
                {
                    case "version":
                        if (Integer(value, "version") is { } version && version != 1)
                        {
                            Errors.Add($"{At(value)}: version {version.ToString(CultureInfo.InvariantCulture)} is not supported (this build reads version 1)");
                        }

                        break;
                    case "thresholds":
                        ReadThresholds(value, ref phishing, ref spam);
                        break;
                    case "signals":
                        foreach (var item in Sequence(value, "signals"))
                        {
                            if (Text(item, "a signal") is { } signal)
                            {
                                if (IsValidId(signal))
                                {
                                    signals.Add(signal);
                                }
                                else
                                {
                                    Errors.Add($"{At(item)}: '{signal}' is not a valid signal id (lower-case letters, digits and '-', in dot-separated words, e.g. 'url.text-mismatch')");
                                }
                            }
                        }

                        break;
                    case "rules":
                        ReadRules(value, rules);
                        break;
                }
            }

            return new RuleFile { Name = Name, PhishingThreshold = phishing, SpamThreshold = spam, Signals = signals, Rules = rules };
        }

        private void ReadThresholds(YamlNode node, ref int? phishing, ref int? spam)
        {
            if (node is not YamlMappingNode mapping)
            {
                Errors.Add($"{At(node)}: 'thresholds' is a mapping with 'phishing' and 'spam'");
                return;
            }

            foreach (var (key, value) in Entries(mapping, ThresholdKeys, "'thresholds'"))
            {
                if (Integer(value, key.Value!) is not { } threshold)
                {
                    continue;
                }

                if (threshold is < 1 or > 100)
                {
                    Errors.Add($"{At(value)}: the {key.Value} threshold must be between 1 and 100");
                    continue;
                }

                if (string.Equals(key.Value, "phishing", StringComparison.Ordinal))
                {
                    phishing = threshold;
                }
                else
                {
                    spam = threshold;
                }
            }
        }

        private void ReadRules(YamlNode node, List<RuleDefinition> rules)
        {
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in Sequence(node, "rules"))
            {
                if (item is not YamlMappingNode mapping)
                {
                    Errors.Add($"{At(item)}: each rule is a mapping with 'id', 'when', 'category', 'points' and 'reason'");
                    continue;
                }

                if (ReadRule(mapping) is not { } rule)
                {
                    continue;
                }

                if (seen.TryGetValue(rule.Id, out var first))
                {
                    Errors.Add($"{rule.Where}: duplicate rule id '{rule.Id}' (first at {first}); a file defines each id once");
                    continue;
                }

                seen.Add(rule.Id, rule.Where);
                rules.Add(rule);
            }
        }

        private RuleDefinition? ReadRule(YamlMappingNode mapping)
        {
            string? id = null;
            string? description = null, reason = null;
            bool? enabled = null;
            RuleCategory? category = null;
            int? points = null;
            ConditionSyntax? when = null;
            var errorsBefore = Errors.Count;
            var idNode = Find(mapping, "id");
            var label = idNode is YamlScalarNode { Value: { } idText } ? $"rule '{idText}'" : "the rule";
            foreach (var (key, value) in Entries(mapping, RuleKeys, label))
            {
                switch (key.Value)
                {
                    case "id":
                        id = Text(value, "'id'");
                        if (id is not null && !IsValidId(id))
                        {
                            Errors.Add($"{At(value)}: '{id}' is not a valid rule id (lower-case letters, digits and '-', in dot-separated words, e.g. 'phish.credential-form')");
                        }

                        break;
                    case "description":
                        description = Text(value, "'description'");
                        break;
                    case "enabled":
                        enabled = Boolean(value, "'enabled'");
                        break;
                    case "category":
                        category = Text(value, "'category'") switch
                        {
                            null => null,
                            "phishing" => RuleCategory.Phishing,
                            "spam" => RuleCategory.Spam,
                            "clean" => RuleCategory.Clean,
                            var other => Invalid<RuleCategory>(value, $"{label}: unknown category '{other}' (phishing, spam or clean)"),
                        };
                        break;
                    case "points":
                        points = Integer(value, "'points'");
                        if (points is < MinPoints or > MaxPoints)
                        {
                            Errors.Add($"{At(value)}: {label}: points must be between {MinPoints.ToString(CultureInfo.InvariantCulture)} and {MaxPoints.ToString(CultureInfo.InvariantCulture)}");
                            points = null;
                        }

                        break;
                    case "when":
                        when = ReadCondition(value);
                        break;
                    case "reason":
                        reason = Text(value, "'reason'");
                        if (reason is not null)
                        {
                            if (reason.Trim().Length == 0)
                            {
                                Errors.Add($"{At(value)}: {label}: the reason is empty");
                            }
                            else if (ReasonTemplate.Parse(reason, out var error) is null)
                            {
                                Errors.Add($"{At(value)}: {label}: {error}");
                            }
                        }

                        break;
                }
            }

            if (idNode is null)
            {
                Errors.Add($"{At(mapping)}: the rule has no 'id'");
                return null;
            }

            if (id is null || Errors.Count > errorsBefore)
            {
                return null;
            }

            return new RuleDefinition
            {
                Id = id,
                Where = At(mapping),
                Description = description,
                Enabled = enabled,
                Category = category,
                Points = points,
                When = when,
                Reason = reason,
            };
        }

        private ConditionSyntax? ReadCondition(YamlNode node)
        {
            if (node is YamlScalarNode scalar)
            {
                return SignalCondition(scalar, null, null, null);
            }

            if (node is not YamlMappingNode mapping || mapping.Children.Count == 0)
            {
                Errors.Add($"{At(node)}: {ConditionHelp}");
                return null;
            }

            if (Find(mapping, "signal") is { } signal)
            {
                CheckKeys(mapping, SignalKeys, "a 'signal' condition");
                return SignalCondition(signal, Find(mapping, "atLeast"), Find(mapping, "detailContains"), Find(mapping, "in"));
            }

            if (Find(mapping, "of") is { } of)
            {
                CheckKeys(mapping, AtLeastOfKeys, "an 'atLeast'/'of' condition");
                if (Find(mapping, "atLeast") is not { } atLeastNode)
                {
                    Errors.Add($"{At(mapping)}: 'of' needs 'atLeast' (how many of the conditions must hold)");
                    return null;
                }

                var conditions = Conditions(of, "'of'");
                if (Integer(atLeastNode, "'atLeast'") is not { } atLeast || conditions is null)
                {
                    return null;
                }

                if (atLeast < 1 || atLeast > conditions.Count)
                {
                    Errors.Add($"{At(atLeastNode)}: 'atLeast' must be between 1 and the number of conditions in 'of' ({conditions.Count.ToString(CultureInfo.InvariantCulture)})");
                    return null;
                }

                return new AtLeastOfConditionSyntax(At(mapping), atLeast, conditions);
            }

            if (mapping.Children.Count != 1)
            {
                Errors.Add($"{At(mapping)}: a condition has exactly one kind; combine several with 'all' or 'any' ({ConditionHelp})");
                return null;
            }

            var (keyNode, value) = mapping.Children.First();
            var kind = (keyNode as YamlScalarNode)?.Value;
            switch (kind)
            {
                case "all":
                    return Conditions(value, "'all'") is { } all ? new AllConditionSyntax(At(mapping), all) : null;
                case "any":
                    return Conditions(value, "'any'") is { } any ? new AnyConditionSyntax(At(mapping), any) : null;
                case "not":
                    return ReadCondition(value) is { } inner ? new NotConditionSyntax(At(mapping), inner) : null;
                case "userVerdict":
                    return Names<UserVerdict>(value, "userVerdict") is { } verdicts ? new UserVerdictConditionSyntax(At(mapping), verdicts) : null;
                case "reportFormat":
                    return Names<ReportFormat>(value, "reportFormat") is { } formats ? new ReportFormatConditionSyntax(At(mapping), formats) : null;
                case "isReport":
                    return Boolean(value, "'isReport'") is { } isReport ? new IsReportConditionSyntax(At(mapping), isReport) : null;
                case "verdictAssumed":
                    return Boolean(value, "'verdictAssumed'") is { } assumed ? new VerdictAssumedConditionSyntax(At(mapping), assumed) : null;
                default:
                    Errors.Add($"{At(keyNode)}: unknown condition '{kind}' ({ConditionHelp})");
                    return null;
            }
        }

        private SignalConditionSyntax? SignalCondition(YamlNode signalNode, YamlNode? atLeastNode, YamlNode? detailNode, YamlNode? scopeNode)
        {
            var pattern = Text(signalNode, "'signal'");
            if (pattern is null)
            {
                return null;
            }

            var ok = true;
            if (!IsValidSignalPattern(pattern))
            {
                Errors.Add($"{At(signalNode)}: '{pattern}' is not a valid signal (an id such as 'url.text-mismatch', or a prefix such as 'relay.*')");
                ok = false;
            }

            var atLeast = 1;
            if (atLeastNode is not null)
            {
                if (Integer(atLeastNode, "'atLeast'") is { } value and >= 1)
                {
                    atLeast = value;
                }
                else
                {
                    Errors.Add($"{At(atLeastNode)}: 'atLeast' must be a whole number of at least 1");
                    ok = false;
                }
            }

            string? detail = null;
            if (detailNode is not null)
            {
                detail = Text(detailNode, "'detailContains'");
                if (string.IsNullOrEmpty(detail))
                {
                    Errors.Add($"{At(detailNode)}: 'detailContains' must be a non-empty text");
                    ok = false;
                }
            }

            var scope = FindingScope.Any;
            if (scopeNode is not null)
            {
                switch (Text(scopeNode, "'in'"))
                {
                    case "any":
                        break;
                    case "message":
                        scope = FindingScope.Message;
                        break;
                    case "attached":
                        scope = FindingScope.Attached;
                        break;
                    case var other:
                        Errors.Add($"{At(scopeNode)}: 'in' is 'message', 'attached' or 'any', not '{other}'");
                        ok = false;
                        break;
                }
            }

            return ok ? new SignalConditionSyntax(At(signalNode), pattern, atLeast, detail, scope) : null;
        }

        private List<ConditionSyntax>? Conditions(YamlNode node, string what)
        {
            if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
            {
                Errors.Add($"{At(node)}: {what} takes a non-empty list of conditions");
                return null;
            }

            var conditions = new List<ConditionSyntax>(sequence.Children.Count);
            var ok = true;
            foreach (var child in sequence.Children)
            {
                if (ReadCondition(child) is { } condition)
                {
                    conditions.Add(condition);
                }
                else
                {
                    ok = false;
                }
            }

            return ok ? conditions : null;
        }

        private List<T>? Names<T>(YamlNode node, string what)
            where T : struct, Enum
        {
            var items = node is YamlSequenceNode sequence ? sequence.Children : (IList<YamlNode>)[node];
            var names = new List<T>();
            foreach (var item in items)
            {
                var text = Text(item, $"'{what}'");
                if (text is null)
                {
                    return null;
                }

                if (text.Length == 0 || !char.IsLetter(text[0]) || !Enum.TryParse<T>(text, ignoreCase: true, out var value))
                {
                    var known = string.Join(", ", Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]));
                    Errors.Add($"{At(item)}: unknown {what} '{text}' (known: {known})");
                    return null;
                }

                names.Add(value);
            }

            if (names.Count == 0)
            {
                Errors.Add($"{At(node)}: {what} needs at least one value");
                return null;
            }

            return names;
        }

        private IEnumerable<(YamlScalarNode Key, YamlNode Value)> Entries(YamlMappingNode mapping, string[] known, string where)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key } scalar)
                {
                    Errors.Add($"{At(keyNode)}: keys are plain names");
                    continue;
                }

                if (Array.IndexOf(known, key) < 0)
                {
                    Errors.Add($"{At(keyNode)}: {where}: unknown key '{key}' (known: {string.Join(", ", known)})");
                    continue;
                }

                if (!seen.Add(key))
                {
                    Errors.Add($"{At(keyNode)}: {where}: '{key}' is written twice");
                    continue;
                }

                yield return (scalar, value);
            }
        }

        private void CheckKeys(YamlMappingNode mapping, string[] known, string where)
        {
            foreach (var (keyNode, _) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value;
                if (key is null || Array.IndexOf(known, key) < 0)
                {
                    var hint = key is not null && Array.IndexOf(SingleKinds, key) >= 0
                        ? "; combine conditions with 'all' or 'any'"
                        : string.Empty;
                    Errors.Add($"{At(keyNode)}: {where}: unknown key '{key}' (known: {string.Join(", ", known)}){hint}");
                }
            }
        }

        private static YamlNode? Find(YamlMappingNode mapping, string key)
        {
            foreach (var (keyNode, value) in mapping.Children)
            {
                if (keyNode is YamlScalarNode { Value: { } text } && string.Equals(text, key, StringComparison.Ordinal))
                {
                    return value;
                }
            }

            return null;
        }

        private IEnumerable<YamlNode> Sequence(YamlNode node, string what)
        {
            if (node is YamlSequenceNode sequence)
            {
                return sequence.Children;
            }

            if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return [];
            }

            Errors.Add($"{At(node)}: '{what}' is a list");
            return [];
        }

        private bool? Boolean(YamlNode node, string what)
        {
            switch (node)
            {
                case YamlScalarNode { Value: "true", Style: ScalarStyle.Plain }:
                    return true;
                case YamlScalarNode { Value: "false", Style: ScalarStyle.Plain }:
                    return false;
                default:
                    Errors.Add($"{At(node)}: {what} must be true or false");
                    return null;
            }
        }

        private T? Invalid<T>(YamlNode node, string message)
            where T : struct
        {
            Errors.Add($"{At(node)}: {message}");
            return null;
        }

    }
}
