using System.Globalization;
using Hookline.Reports.Analysis;
using Hookline.Reports.Assessment;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hookline.Reports.Settings;

/// <summary>
/// The organisation's settings file (YAML, see docs/rules.md "Settings file"): its domains and name,
/// trusted authserv-ids, allow and block lists, and the assessment's extra rule files and thresholds.
/// Loading applies the default rules, then the rule files in order, then the file's thresholds.
/// </summary>
public sealed class OrganizationSettings
{
    private static readonly string[] RootKeys = ["organization", "authentication", "senders", "urls", "analysis", "assessment"];
    private static readonly string[] OrganizationKeys = ["name", "domains", "reportingMailboxes"];
    private static readonly string[] AuthenticationKeys = ["trustedAuthServIds"];
    private static readonly string[] SenderKeys = ["allowed", "blocked"];
    private static readonly string[] UrlKeys = ["blockedHosts"];
    private static readonly string[] AnalysisKeys = ["maxAttachedMessageDepth"];
    private static readonly string[] AssessmentKeys = ["ruleFiles", "thresholds"];
    private static readonly string[] ThresholdKeys = ["phishing", "spam"];

    private OrganizationSettings(AnalysisSettings analysis, RuleSet rules)
    {
        Analysis = analysis;
        Rules = rules;
        Assessor = new Assessor(rules);
    }

    /// <summary>No organisation facts, the default rules.</summary>
    public static OrganizationSettings Default { get; } = new(AnalysisSettings.Default, RuleSet.Default);

    public AnalysisSettings Analysis { get; }

    public RuleSet Rules { get; }

    public Assessor Assessor { get; }

    /// <summary>What loaded but looks wrong (the rules' warnings).</summary>
    public IReadOnlyList<string> Warnings => Rules.Warnings;

    /// <summary>Reads a settings file; rule files it names are relative to its folder. Throws <see cref="SettingsException"/> listing every error.</summary>
    public static OrganizationSettings Load(string path) =>
        Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path)));

    /// <summary>Reads settings from text; <paramref name="baseDirectory"/> resolves relative rule file paths (null: the current folder).</summary>
    public static OrganizationSettings Parse(string yaml, string name, string? baseDirectory)
    {
        var reader = new Reader(name, baseDirectory ?? Directory.GetCurrentDirectory());
        var (analysis, ruleFiles, phishing, spam) = reader.Read(yaml);
        if (reader.Errors.Count > 0)
        {
            throw new SettingsException(reader.Errors);
        }

        var files = new List<RuleFile> { RuleFileParser.Parse(RuleSet.DefaultSource) };
        var errors = new List<string>();
        foreach (var path in ruleFiles)
        {
            try
            {
                files.Add(RuleFileParser.Parse(RuleSource.FromFile(path)));
            }
            catch (RuleFileException e)
            {
                errors.AddRange(e.Errors);
            }
            catch (IOException e)
            {
                errors.Add($"{name}: rule file {path} cannot be read: {e.Message}");
            }
            catch (UnauthorizedAccessException e)
            {
                errors.Add($"{name}: rule file {path} cannot be read: {e.Message}");
            }
        }

        if (phishing is not null || spam is not null)
        {
            files.Add(new RuleFile { Name = name, PhishingThreshold = phishing, SpamThreshold = spam });
        }

        if (errors.Count > 0)
        {
            throw new SettingsException(errors);
        }

        try
        {
            return new OrganizationSettings(analysis, RuleSet.Build(files));
        }
        catch (RuleFileException e)
        {
            throw new SettingsException(e.Errors);
        }
    }

    private sealed class Reader(string name, string baseDirectory) : YamlFileReader(name)
    {
        public (AnalysisSettings Analysis, List<string> RuleFiles, int? Phishing, int? Spam) Read(string text)
        {
            var settings = new AnalysisSettings();
            var ruleFiles = new List<string>();
            int? phishing = null, spam = null;
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException e)
            {
                Errors.Add(string.Create(CultureInfo.InvariantCulture, $"{Name}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}"));
                return (settings, ruleFiles, null, null);
            }

            if (stream.Documents.Count == 0)
            {
                return (settings, ruleFiles, null, null);
            }

            if (stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                Errors.Add($"{At(stream.Documents[0].RootNode)}: the settings file is a mapping ({string.Join(", ", RootKeys)})");
                return (settings, ruleFiles, null, null);
            }

            foreach (var (section, value) in Entries(root, RootKeys, "the settings"))
            {
                if (value is not YamlMappingNode mapping)
                {
                    Errors.Add($"{At(value)}: '{section}' is a mapping");
                    continue;
                }

                switch (section)
                {
                    case "organization":
                        foreach (var (key, item) in Entries(mapping, OrganizationKeys, "'organization'"))
                        {
                            if (string.Equals(key, "name", StringComparison.Ordinal))
                            {
                                settings = settings with { OrganizationName = Text(item, "'name'") };
                            }
                            else if (string.Equals(key, "reportingMailboxes", StringComparison.Ordinal))
                            {
                                settings = settings with { ReportingMailboxes = List(item, "'reportingMailboxes'", IsSender, "an address such as report@contoso.com") };
                            }
                            else
                            {
                                settings = settings with { OrganizationDomains = List(item, "'domains'", IsDomain, "a domain such as contoso.com") };
                            }
                        }

                        break;
                    case "authentication":
                        foreach (var (_, item) in Entries(mapping, AuthenticationKeys, "'authentication'"))
                        {
                            settings = settings with { TrustedAuthServIds = List(item, "'trustedAuthServIds'", IsAuthServId, "a host name such as mx.contoso.com") };
                        }

                        break;
                    case "senders":
                        foreach (var (key, item) in Entries(mapping, SenderKeys, "'senders'"))
                        {
                            var list = List(item, $"'{key}'", IsSender, "an address (someone@partner.example) or a domain (partner.example)");
                            settings = string.Equals(key, "allowed", StringComparison.Ordinal)
                                ? settings with { AllowedSenders = list }
                                : settings with { BlockedSenders = list };
                        }

                        break;
                    case "urls":
                        foreach (var (_, item) in Entries(mapping, UrlKeys, "'urls'"))
                        {
                            settings = settings with { BlockedUrlHosts = List(item, "'blockedHosts'", IsDomain, "a host such as bad.example") };
                        }

                        break;
                    case "analysis":
                        foreach (var (_, item) in Entries(mapping, AnalysisKeys, "'analysis'"))
                        {
                            if (Integer(item, "'maxAttachedMessageDepth'") is { } depth)
                            {
                                if (depth is < 0 or > 16)
                                {
                                    Errors.Add($"{At(item)}: 'maxAttachedMessageDepth' must be between 0 and 16");
                                }
                                else
                                {
                                    settings = settings with { MaxAttachedMessageDepth = depth };
                                }
                            }
                        }

                        break;
                    case "assessment":
                        foreach (var (key, item) in Entries(mapping, AssessmentKeys, "'assessment'"))
                        {
                            if (string.Equals(key, "ruleFiles", StringComparison.Ordinal))
                            {
                                foreach (var file in List(item, "'ruleFiles'", f => f.Length > 0, "a file path"))
                                {
                                    ruleFiles.Add(Path.GetFullPath(Path.Combine(baseDirectory, file)));
                                }
                            }
                            else if (item is YamlMappingNode thresholds)
                            {
                                foreach (var (which, number) in Entries(thresholds, ThresholdKeys, "'thresholds'"))
                                {
                                    var threshold = Integer(number, $"the {which} threshold");
                                    if (threshold is < 1 or > 100)
                                    {
                                        Errors.Add($"{At(number)}: the {which} threshold must be between 1 and 100");
                                    }
                                    else if (string.Equals(which, "phishing", StringComparison.Ordinal))
                                    {
                                        phishing = threshold;
                                    }
                                    else
                                    {
                                        spam = threshold;
                                    }
                                }
                            }
                            else
                            {
                                Errors.Add($"{At(item)}: 'thresholds' is a mapping with 'phishing' and 'spam'");
                            }
                        }

                        break;
                }
            }

            return (settings, ruleFiles, phishing, spam);
        }

        private static bool IsDomain(string value)
        {
            if (value.Length is 0 or > 253 || value[0] == '.' || value[^1] == '.' || !value.Contains('.', StringComparison.Ordinal))
            {
                return false;
            }

            foreach (var c in value)
            {
                if (!(char.IsLetterOrDigit(c) || c is '.' or '-'))
                {
                    return false;
                }
            }

            return !value.Contains("..", StringComparison.Ordinal);
        }

        private static bool IsAuthServId(string value) => value.Length > 0 && !value.Any(char.IsWhiteSpace);

        private static bool IsSender(string value)
        {
            var at = value.LastIndexOf('@');
            return at < 0 ? IsDomain(value) : at > 0 && !value.Any(char.IsWhiteSpace) && IsDomain(value[(at + 1)..]);
        }

        private List<string> List(YamlNode node, string what, Func<string, bool> valid, string expected)
        {
            var result = new List<string>();
            if (node is not YamlSequenceNode sequence)
            {
                Errors.Add($"{At(node)}: {what} is a list");
                return result;
            }

            foreach (var item in sequence.Children)
            {
                if (Text(item, what) is not { } text)
                {
                    continue;
                }

                text = text.Trim();
                if (valid(text))
                {
                    result.Add(text);
                }
                else
                {
                    Errors.Add($"{At(item)}: '{text}' in {what} is not {expected}");
                }
            }

            return result;
        }

        private IEnumerable<(string Key, YamlNode Value)> Entries(YamlMappingNode mapping, string[] known, string where)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in mapping.Children)
            {
                var key = (keyNode as YamlScalarNode)?.Value;
                if (key is null || Array.IndexOf(known, key) < 0)
                {
                    Errors.Add($"{At(keyNode)}: {where}: unknown key '{key}' (known: {string.Join(", ", known)})");
                    continue;
                }

                if (!seen.Add(key))
                {
                    Errors.Add($"{At(keyNode)}: {where}: '{key}' is written twice");
                    continue;
                }

                yield return (key, value);
            }
        }

    }
}

/// <summary>The settings file, or a rule file it names, is invalid. <see cref="Errors"/> lists every problem, "file:line:column: what".</summary>
public sealed class SettingsException : FormatException
{
    public SettingsException()
        : this([])
    {
    }

    public SettingsException(string message)
        : this([message])
    {
    }

    public SettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public SettingsException(IReadOnlyList<string> errors)
        : base(errors.Count == 0 ? "The settings are invalid." : "The settings are invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<string> Errors { get; }
}
