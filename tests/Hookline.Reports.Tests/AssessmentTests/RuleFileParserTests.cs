using Hookline.Reports.Assessment;

namespace Hookline.Reports.Tests.AssessmentTests;

public class RuleFileParserTests
{
    private const string Valid = """
        version: 1
        thresholds:
          phishing: 70
          spam: 35
        signals: [custom.signal]
        rules:
          - id: phish.form
            description: A credential form.
            category: phishing
            points: 40
            when:
              all:
                - url.credential-form
                - not: { signal: auth.dmarc.pass }
                - any:
                    - { signal: url.text-mismatch, atLeast: 2 }
                    - { signal: sender.reply-to-differs, detailContains: gmail, in: message }
                - { atLeast: 1, of: [custom.signal, relay.*] }
                - userVerdict: [phishing, junk]
                - reportFormat: microsoft
                - isReport: true
                - verdictAssumed: false
            reason: "Form: {detail} ({count}, {signal}) {{braces}}"
          - id: clean.pass
            category: clean
            points: -5
            enabled: false
            when: auth.dmarc.pass
            reason: ok
        """;

    private static RuleFileException Fails(string yaml) =>
        Assert.Throws<RuleFileException>(() => RuleFileParser.Parse(new RuleSource("bad.yaml", yaml)));

    [Fact]
    public void Parse_WhenEveryKindOfConditionIsWritten_ReadsRulesThresholdsAndSignals()
    {
        var file = RuleFileParser.Parse(new RuleSource("ok.yaml", Valid));

        Assert.Equal(70, file.PhishingThreshold);
        Assert.Equal(35, file.SpamThreshold);
        Assert.Equal(["custom.signal"], file.Signals);
        Assert.Equal(2, file.Rules.Count);
        var rule = file.Rules[0];
        Assert.Equal("phish.form", rule.Id);
        Assert.Equal(RuleCategory.Phishing, rule.Category);
        Assert.Equal(40, rule.Points);
        Assert.Equal("ok.yaml:7:5", rule.Where);
        var all = Assert.IsType<AllConditionSyntax>(rule.When);
        Assert.Equal(8, all.Conditions.Count);
        Assert.Equal("url.credential-form", Assert.IsType<SignalConditionSyntax>(all.Conditions[0]).Pattern);
        Assert.IsType<NotConditionSyntax>(all.Conditions[1]);
        var any = Assert.IsType<AnyConditionSyntax>(all.Conditions[2]);
        Assert.Equal(2, Assert.IsType<SignalConditionSyntax>(any.Conditions[0]).AtLeast);
        var detail = Assert.IsType<SignalConditionSyntax>(any.Conditions[1]);
        Assert.Equal("gmail", detail.DetailContains);
        Assert.Equal(FindingScope.Message, detail.Scope);
        Assert.True(Assert.IsType<SignalConditionSyntax>(Assert.IsType<AtLeastOfConditionSyntax>(all.Conditions[3]).Conditions[1]).IsPrefix);
        Assert.Equal(2, Assert.IsType<UserVerdictConditionSyntax>(all.Conditions[4]).Verdicts.Count);
        Assert.Equal(false, file.Rules[1].Enabled);
        Assert.Equal(-5, file.Rules[1].Points);
        Assert.Equal(RuleCategory.Clean, file.Rules[1].Category);
    }

    [Fact]
    public void Parse_WhenRuleHasUnknownKey_ReportsItsPositionAndTheKnownKeys()
    {
        var e = Fails("""
            thresholds: { phishing: 50, spam: 30 }
            rules:
              - id: a.b
                category: phishing
                pionts: 10
                when: url.ip-literal
                reason: r
            """);

        var error = Assert.Single(e.Errors);
        Assert.StartsWith("bad.yaml:5:5: rule 'a.b': unknown key 'pionts'", error, StringComparison.Ordinal);
        Assert.Contains("points", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenFileHasUnknownTopLevelKey_ReportsIt()
    {
        var e = Fails("threshold: { phishing: 50 }\nrules: []\n");

        Assert.Contains(e.Errors, m => m.Contains("unknown key 'threshold'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Upper.Case")]
    [InlineData("space here")]
    [InlineData("trailing.")]
    [InlineData("double..dot")]
    [InlineData("-lead")]
    public void Parse_WhenRuleIdIsMalformed_ReportsANotValidRuleId(string id)
    {
        var e = Fails($"rules:\n  - id: \"{id}\"\n    category: spam\n    points: 1\n    when: url.many\n    reason: r\n");

        Assert.Contains(e.Errors, m => m.Contains($"'{id}' is not a valid rule id", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_WhenIdIsRepeatedInOneFile_ReportsTheDuplicateAndTheFirstPlace()
    {
        var e = Fails("""
            rules:
              - { id: same, category: spam, points: 1, when: url.many, reason: r }
              - { id: same, category: spam, points: 2, when: url.many, reason: r }
            """);

        var error = Assert.Single(e.Errors);
        Assert.Equal("bad.yaml:3:5: duplicate rule id 'same' (first at bad.yaml:2:5); a file defines each id once", error);
    }

    [Theory]
    [InlineData("category: malware", "unknown category 'malware'")]
    [InlineData("points: 101", "points must be between -100 and 100")]
    [InlineData("points: ten", "'points' must be a whole number")]
    [InlineData("points: \"10\"", "'points' must be a whole number")]
    [InlineData("enabled: yes", "'enabled' must be true or false")]
    [InlineData("reason: \"{details}\"", "unknown placeholder '{details}'")]
    [InlineData("reason: \"a { b\"", "a '{' without '}'")]
    [InlineData("reason: \"  \"", "the reason is empty")]
    [InlineData("when: { signal: url.many, atLeast: 0 }", "'atLeast' must be a whole number of at least 1")]
    [InlineData("when: { signal: url.many, in: body }", "'in' is 'message', 'attached' or 'any'")]
    [InlineData("when: { signal: url.many, not: url.ip-literal }", "unknown key 'not'")]
    [InlineData("when: { any: [url.many], all: [url.many] }", "exactly one kind")]
    [InlineData("when: { any: [] }", "non-empty list of conditions")]
    [InlineData("when: { atLeast: 3, of: [url.many, url.ip-literal] }", "'atLeast' must be between 1 and the number of conditions")]
    [InlineData("when: { userVerdict: spam }", "unknown userVerdict 'spam' (known: phishing, junk, notJunk)")]
    [InlineData("when: { reportFormat: \"1\" }", "unknown reportFormat '1'")]
    [InlineData("when: { sometimes: true }", "unknown condition 'sometimes'")]
    [InlineData("when: URL.Many", "'URL.Many' is not a valid signal")]
    [InlineData("when: [url.many]", "a condition is a signal id, or a mapping")]
    public void Parse_WhenAFieldIsInvalid_ReportsWhatIsWrong(string field, string expected)
    {
        var rule = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = "id: r.one",
            ["category"] = "category: phishing",
            ["points"] = "points: 10",
            ["when"] = "when: url.many",
            ["reason"] = "reason: r",
            ["enabled"] = "enabled: true",
        };
        rule[field[..field.IndexOf(':', StringComparison.Ordinal)]] = field;
        var yaml = "rules:\n  - " + string.Join("\n    ", rule.Values) + "\n";

        var e = Fails(yaml);

        Assert.Contains(e.Errors, m => m.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_WhenYamlIsMalformed_ReportsNotValidYamlWithPosition()
    {
        var e = Fails("rules:\n  - id: [unclosed\n");

        Assert.StartsWith("bad.yaml:", Assert.Single(e.Errors), StringComparison.Ordinal);
        Assert.Contains("not valid YAML", e.Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenSeveralRulesAreWrong_ReportsEveryError()
    {
        var e = Fails("""
            thresholds: { phishing: 0, spam: 30 }
            rules:
              - { id: one, category: nope, points: 1, when: url.many, reason: r }
              - { id: Two, category: spam, points: 1, when: url.many, reason: r }
              - { category: spam, points: 1, when: url.many, reason: r }
            """);

        Assert.Equal(4, e.Errors.Count);
        Assert.Contains("threshold must be between 1 and 100", e.Errors[0], StringComparison.Ordinal);
        Assert.Contains("the rule has no 'id'", e.Errors[3], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("url.text-mismatch", true)]
    [InlineData("auth.spf.fail", true)]
    [InlineData("a1.b-2.c", true)]
    [InlineData("url.text--mismatch", false)]
    [InlineData("url.Text", false)]
    [InlineData("", false)]
    public void IsValidId_WhenGivenAnId_TellsWhetherItIsWellFormed(string id, bool expected) =>
        Assert.Equal(expected, RuleFileParser.IsValidId(id));
}
