using Hookline.Reports.Assessment;
using Hookline.Reports.Settings;

namespace Hookline.Reports.Tests.AssessmentTests;

public sealed class OrganizationSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hookline-settings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Load_WhenEverySectionIsWritten_FillsAnalysisSettingsAndAppliesRuleFilesThenThresholds()
    {
        Write("rules/local.yaml", """
            thresholds: { phishing: 70 }
            rules:
              - { id: url.shortener, enabled: false }
              - { id: local.sandbox, category: phishing, points: 80, when: partner.sandbox, reason: "Sandbox: {detail}" }
            signals: [partner.sandbox]
            """);
        var path = Write("settings.yaml", """
            organization:
              name: Contoso
              domains: [contoso.com, contoso.co.uk]
            authentication:
              trustedAuthServIds: [mx.contoso.com]
            senders:
              allowed: [partner.example, ceo@contoso.com]
              blocked: [evil.example]
            urls:
              blockedHosts: [bad.example]
            analysis:
              maxAttachedMessageDepth: 2
            assessment:
              ruleFiles: [rules/local.yaml]
              thresholds: { spam: 45 }
            """);

        var settings = OrganizationSettings.Load(path);

        Assert.Equal("Contoso", settings.Analysis.OrganizationName);
        Assert.Equal(["contoso.com", "contoso.co.uk"], settings.Analysis.OrganizationDomains);
        Assert.Equal(["mx.contoso.com"], settings.Analysis.TrustedAuthServIds);
        Assert.Equal(["partner.example", "ceo@contoso.com"], settings.Analysis.AllowedSenders);
        Assert.Equal(["evil.example"], settings.Analysis.BlockedSenders);
        Assert.Equal(["bad.example"], settings.Analysis.BlockedUrlHosts);
        Assert.Equal(2, settings.Analysis.MaxAttachedMessageDepth);
        Assert.Equal(70, settings.Rules.PhishingThreshold);
        Assert.Equal(45, settings.Rules.SpamThreshold);
        Assert.Empty(settings.Warnings);
        Assert.False(settings.Rules.Rules.Single(r => r.Id == "url.shortener").Enabled);
        var result = settings.Assessor.Assess(Build.Analysis("partner.sandbox=detonated"), null);
        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        Assert.Equal("Sandbox: detonated", result.Reasons[0]);
    }

    [Fact]
    public void Parse_WhenEmpty_GivesTheDefaults()
    {
        var settings = OrganizationSettings.Parse(string.Empty, "empty.yaml", _folder);

        Assert.Empty(settings.Analysis.OrganizationDomains);
        Assert.Equal(RuleSet.Default.Rules.Count, settings.Rules.Rules.Count);
        Assert.Equal(RuleSet.Default.PhishingThreshold, settings.Rules.PhishingThreshold);
    }

    [Fact]
    public void Parse_WhenKeysAndValuesAreWrong_ReportsEveryErrorWithItsPosition()
    {
        var e = Assert.Throws<SettingsException>(() => OrganizationSettings.Parse("""
            organisation:
              name: Contoso
            senders:
              allowed: [partner.example, "not a domain"]
            assessment:
              thresholds: { phishing: 0 }
            """, "s.yaml", _folder));

        Assert.Equal(3, e.Errors.Count);
        Assert.StartsWith("s.yaml:1:1: the settings: unknown key 'organisation'", e.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("s.yaml:4:30: 'not a domain' in 'allowed' is not an address", e.Errors[1], StringComparison.Ordinal);
        Assert.Contains("phishing threshold must be between 1 and 100", e.Errors[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenARuleFileIsMissingOrInvalid_ReportsIt()
    {
        Write("bad.yaml", "rules:\n  - { id: x, pionts: 1 }\n");

        var e = Assert.Throws<SettingsException>(() => OrganizationSettings.Parse("assessment:\n  ruleFiles: [missing.yaml, bad.yaml]\n", "s.yaml", _folder));

        Assert.Equal(2, e.Errors.Count);
        Assert.Contains("missing.yaml cannot be read", e.Errors[0], StringComparison.Ordinal);
        Assert.Contains("unknown key 'pionts'", e.Errors[1], StringComparison.Ordinal);
    }
}
