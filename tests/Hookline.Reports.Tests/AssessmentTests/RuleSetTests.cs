using Hookline.Reports.Assessment;

namespace Hookline.Reports.Tests.AssessmentTests;

public class RuleSetTests
{
    private const string Base = """
        thresholds: { phishing: 50, spam: 30 }
        rules:
          - { id: link.ip, category: phishing, points: 20, when: url.ip-literal, reason: ip }
          - { id: link.mismatch, category: phishing, points: 30, when: url.text-mismatch, reason: mismatch }
        """;

    private static RuleSet Load(params string[] files) =>
        RuleSet.Load(files.Select((text, i) => new RuleSource($"file{i}.yaml", text)));

    [Fact]
    public void Load_WhenALaterFileRepeatsAnId_ChangesOnlyTheFieldsItWrites()
    {
        var rules = Load(Base, "rules:\n  - { id: link.ip, points: 45 }\n");

        var rule = rules.Rules.Single(r => string.Equals(r.Id, "link.ip", StringComparison.Ordinal));
        Assert.Equal(45, rule.Points);
        Assert.Equal("ip", rule.Reason);
        Assert.Equal(RuleCategory.Phishing, rule.Category);
        Assert.Equal(["file0.yaml:3:5", "file1.yaml:2:5"], rule.DefinedAt);
        Assert.Equal(2, rules.Rules.Count);
    }

    [Fact]
    public void Load_WhenALaterFileDisablesARule_ItNoLongerMatches()
    {
        var assessor = new Assessor(Load(Base, "rules:\n  - { id: link.mismatch, enabled: false }\n"));

        var result = assessor.Assess(Build.Analysis("url.text-mismatch"), null);

        Assert.Empty(result.Matches);
        Assert.False(assessor.Rules.Rules.Single(r => string.Equals(r.Id, "link.mismatch", StringComparison.Ordinal)).Enabled);
    }

    [Fact]
    public void Load_WhenALaterFileSetsThresholds_TheyReplaceTheEarlierOnes()
    {
        var rules = Load(Base, "thresholds: { spam: 10 }\n");

        Assert.Equal(50, rules.PhishingThreshold);
        Assert.Equal(10, rules.SpamThreshold);
    }

    [Fact]
    public void Load_WhenANewRuleLacksFields_ReportsWhichAreMissing()
    {
        var e = Assert.Throws<RuleFileException>(() => Load(Base, "rules:\n  - { id: brand.new, points: 5 }\n"));

        Assert.Equal("file1.yaml:2:5: rule 'brand.new' is new (no earlier file defines it) and lacks when, category, reason", Assert.Single(e.Errors));
    }

    [Fact]
    public void Load_WhenNoFileSetsThresholds_ReportsNoThresholds()
    {
        var e = Assert.Throws<RuleFileException>(() => Load("rules: []\n"));

        Assert.Contains("no thresholds", Assert.Single(e.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WhenTwoFilesAreInvalid_ReportsTheErrorsOfBoth()
    {
        var e = Assert.Throws<RuleFileException>(() => Load("rules: 3\n", "bogus: 1\n"));

        Assert.Equal(2, e.Errors.Count);
        Assert.StartsWith("file0.yaml:", e.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("file1.yaml:", e.Errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WhenASignalIsMisspelt_WarnsAndSuggestsTheKnownOne()
    {
        var rules = Load(Base, "rules:\n  - { id: typo, category: spam, points: 5, when: url.text-missmatch, reason: r }\n");

        var warning = Assert.Single(rules.Warnings);
        Assert.StartsWith("file1.yaml:2:50: rule 'typo' refers to signal 'url.text-missmatch'", warning, StringComparison.Ordinal);
        Assert.Contains("did you mean 'url.text-mismatch'?", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WhenAFileDeclaresItsSignalOrUsesAKnownPrefix_DoesNotWarn()
    {
        var rules = Load(Base, """
            signals: [partner.sandbox.detonated]
            rules:
              - { id: sandbox, category: phishing, points: 60, when: partner.sandbox.detonated, reason: r }
              - { id: any-url, category: spam, points: 1, when: url.*, reason: r }
            """);

        Assert.Empty(rules.Warnings);
        Assert.Contains("partner.sandbox.detonated", rules.KnownSignals);
    }

    [Fact]
    public void Load_WhenAPrefixMatchesNoKnownSignal_Warns()
    {
        var rules = Load(Base, "rules:\n  - { id: p, category: spam, points: 1, when: nothing.*, reason: r }\n");

        Assert.Contains("'nothing.*'", Assert.Single(rules.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Default_WhenLoaded_HasThresholdsAndNoWarnings()
    {
        var rules = RuleSet.Default;

        Assert.Empty(rules.Warnings);
        Assert.True(rules.Rules.Count >= 30, $"only {rules.Rules.Count} default rules");
        Assert.InRange(rules.PhishingThreshold, 1, 100);
        Assert.InRange(rules.SpamThreshold, 1, 100);
        Assert.Contains("thresholds:", RuleSet.DefaultSource.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadWithDefaults_WhenAnOrganisationFileDisablesADefault_KeepsTheOthers()
    {
        var rules = RuleSet.LoadWithDefaults([new RuleSource("org.yaml", "rules:\n  - { id: url.shortener, enabled: false }\n")]);

        Assert.False(rules.Rules.Single(r => string.Equals(r.Id, "url.shortener", StringComparison.Ordinal)).Enabled);
        Assert.Equal(RuleSet.Default.Rules.Count, rules.Rules.Count);
    }
}
