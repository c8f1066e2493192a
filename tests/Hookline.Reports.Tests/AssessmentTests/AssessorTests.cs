using Hookline.Reports.Assessment;

namespace Hookline.Reports.Tests.AssessmentTests;

public class AssessorTests
{
    private const string Rules = """
        thresholds: { phishing: 50, spam: 30 }
        rules:
          - { id: p.small, category: phishing, points: 20, when: url.ip-literal, reason: "ip {detail}" }
          - { id: p.big, category: phishing, points: 40, when: url.userinfo, reason: "userinfo {detail}" }
          - { id: s.bulk, category: spam, points: 30, when: auth.scl.high, reason: "scl {detail}" }
          - { id: s.tiny, category: spam, points: 5, when: url.many, reason: many }
          - { id: c.pass, category: clean, points: 15, when: auth.dmarc.pass, reason: "pass {detail}" }
          - { id: p.negative, category: phishing, points: -10, when: url.wrapped, reason: wrapped }
        """;

    private static Assessment.Assessment Assess(params string[] signals) => Build.Assessor(Rules).Assess(Build.Analysis(signals), null);

    [Fact]
    public void Assess_WhenNothingMatches_IsCleanWithRisk0AndOneReason()
    {
        var result = Assess("url.shortener");

        Assert.Equal(AssessmentVerdict.Clean, result.Verdict);
        Assert.Equal(0, result.Risk);
        Assert.Equal(result.Risk, result.Score);
        Assert.Equal("Clean, risk 0: No sign of phishing or spam was found.", "Clean, risk 0: " + result.Summary);
        Assert.Equal([Assessor.NothingMatchedReason], result.Reasons);
    }

    [Fact]
    public void Assess_WhenPhishingPointsReachTheThresholdExactly_IsPhishing()
    {
        var result = Assess("url.userinfo", "url.wrapped", "url.ip-literal"); // 40 - 10 + 20 = 50

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        Assert.Equal(50, result.Score);
        Assert.Equal(50, result.PhishingPoints);
    }

    [Fact]
    public void Assess_WhenPhishingEvidenceReachesOnlyTheSpamThreshold_IsSpamWithItsRisk()
    {
        var result = Assess("url.userinfo", "url.wrapped"); // 30: under phishing (50), at spam (30)

        Assert.Equal(AssessmentVerdict.Spam, result.Verdict);
        Assert.Equal(30, result.Risk);
    }

    [Fact]
    public void Assess_WhenBelowEveryThreshold_IsCleanWithTheRiskItReached()
    {
        var result = Assess("url.ip-literal"); // 20 of the spam threshold's 30

        Assert.Equal(AssessmentVerdict.Clean, result.Verdict);
        Assert.Equal(20, result.Risk);
        Assert.Equal(20, Assert.Single(result.Matches).Weight);
        Assert.Equal("detail of url.ip-literal", result.Matches[0].Evidence);
        Assert.StartsWith("Clean, risk 20: below the thresholds; the strongest sign: ip detail of url.ip-literal", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_WhenBothCategoriesPass_PhishingBeatsSpam()
    {
        var result = Assess("auth.scl.high", "url.many", "url.userinfo", "url.ip-literal");

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        Assert.Equal(35, result.SpamPoints);
        Assert.Equal(["userinfo detail of url.userinfo", "ip detail of url.ip-literal", "scl detail of auth.scl.high", "many"], result.Reasons);
    }

    [Fact]
    public void Assess_WhenOnlySpamPasses_IsSpamScoredByItsPoints()
    {
        var result = Assess("auth.scl.high", "url.many", "url.ip-literal");

        Assert.Equal(AssessmentVerdict.Spam, result.Verdict);
        Assert.Equal(49, result.Score); // 55 points together, capped just under the phishing threshold
        Assert.Equal("scl detail of auth.scl.high", result.Reasons[0]);
        Assert.Equal("many", result.Reasons[1]);
        Assert.Equal("ip detail of url.ip-literal", result.Reasons[2]);
    }

    [Fact]
    public void Assess_WhenCleanEvidenceMatches_ItIsSubtractedFromBothSums()
    {
        var analysis = Build.Analysis("auth.scl.high", "url.userinfo", "url.ip-literal");
        analysis.Authentication.Dmarc = "pass";

        var result = Build.Assessor(Rules).Assess(analysis, null);

        Assert.Equal(45, result.PhishingPoints);
        Assert.Equal(15, result.SpamPoints);
        Assert.Equal(AssessmentVerdict.Spam, result.Verdict); // 45 + 15 − 15 phishing and spam together
        Assert.Equal(49, result.Risk);
        Assert.Contains(result.Matches, m => m.RuleId == "c.pass" && m.Weight == -15);
    }

    [Fact]
    public void Assess_WhenPointsExceed100_ScoreIsCappedAt100()
    {
        var assessor = Build.Assessor("""
            rules:
              - { id: a, category: phishing, points: 80, when: url.userinfo, reason: a }
              - { id: b, category: phishing, points: 80, when: url.ip-literal, reason: b }
            """);

        var result = assessor.Assess(Build.Analysis("url.userinfo", "url.ip-literal"), null);

        Assert.Equal(100, result.Score);
        Assert.Equal(160, result.PhishingPoints);
    }

    [Fact]
    public void Assess_WhenRulesTieOnWeight_ReasonsKeepRuleOrder()
    {
        var assessor = Build.Assessor("""
            rules:
              - { id: a, category: phishing, points: 10, when: url.many, reason: first }
              - { id: b, category: phishing, points: -10, when: url.many, reason: second }
              - { id: c, category: phishing, points: 10, when: url.many, reason: third }
              - { id: d, category: phishing, points: 11, when: url.many, reason: heaviest }
            """);

        var result = assessor.Assess(Build.Analysis("url.many"), null);

        Assert.Equal(["heaviest", "first", "second", "third"], result.Reasons);
        Assert.Equal(["d", "a", "b", "c"], result.Matches.Select(m => m.RuleId));
    }

    [Fact]
    public void Reason_WhenTemplateHasPlaceholders_WritesTheMatchingFindingCountAndSignal()
    {
        var assessor = Build.OneRule(
            "{ all: [{ not: url.many }, { signal: url.text-mismatch, atLeast: 2 }] }",
            reason: "{count} links like {detail} ({signal}) {{literal}}");

        var result = assessor.Assess(Build.Analysis("url.text-mismatch=paypal.example → evil.example", "url.text-mismatch=b"), null);

        Assert.Equal("2 links like paypal.example → evil.example (url.text-mismatch) {literal}", Assert.Single(result.Reasons));
    }

    [Fact]
    public void Reason_WhenTheDetailEndsItsOwnSentence_WritesOneFullStop()
    {
        var assessor = Build.OneRule("sender.multiple-from", reason: "Several From addresses: {detail}.");

        var result = assessor.Assess(Build.Analysis("sender.multiple-from=From holds 2 mailboxes and there is no Sender field."), null);

        Assert.Equal("Several From addresses: From holds 2 mailboxes and there is no Sender field.", Assert.Single(result.Reasons));
    }

    [Fact]
    public void Reason_WhenTheEvidenceIsInAnAttachedMessage_SaysSo()
    {
        var assessor = Build.OneRule("url.ip-literal", reason: "IP link: {detail}");
        var analysis = Build.Analysis("url.many").WithAttached(Build.Analysis("url.ip-literal=http://192.0.2.1/"));

        var result = assessor.Assess(analysis, null);

        Assert.Equal("IP link: in an attached message: http://192.0.2.1/", Assert.Single(result.Reasons));
    }

    [Fact]
    public void Reason_WhenTheRuleHasNoSignalCondition_LeavesDetailEmpty()
    {
        var assessor = Build.OneRule("{ isReport: false }", reason: "plain [{detail}]");

        Assert.Equal("plain []", Assert.Single(assessor.Assess(Build.Analysis(), null).Reasons));
    }

    [Fact]
    public void Assess_WhenTheSenderIsBlocked_IsAtLeastSpamWithTheBlockReasonFirst()
    {
        var result = Assess("sender.blocked=evil.example is on the block list", "url.many");

        Assert.Equal(AssessmentVerdict.Spam, result.Verdict);
        Assert.Equal(30, result.Score);
        Assert.Equal("The sender is on the organisation's block list: evil.example is on the block list", result.Reasons[0]);
        Assert.Equal("many", result.Reasons[1]);
    }

    [Fact]
    public void Assess_WhenABlockedSenderAlsoPhishes_StaysPhishing()
    {
        var result = Assess("sender.blocked", "url.userinfo", "url.ip-literal");

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        Assert.Equal(60, result.Score);
    }

    [Fact]
    public void Assess_WhenAnAllowedSenderPassedTrustedAuthentication_IsCleanDespiteOtherRules()
    {
        var analysis = Build.Analysis("sender.allowed=partner.example is allowed", "url.userinfo", "url.ip-literal", "auth.scl.high");
        analysis.Authentication.Compauth = "pass";

        var result = Build.Assessor(Rules).Assess(analysis, null);

        Assert.Equal(AssessmentVerdict.Clean, result.Verdict);
        Assert.Equal(0, result.Risk);
        Assert.StartsWith("The sender is on the organisation's allow list and its authentication passed: partner.example", result.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_WhenAnAllowedSenderDidNotAuthenticate_IsNotOverridden()
    {
        var analysis = Build.Analysis("sender.allowed", "url.userinfo", "url.ip-literal");
        analysis.Authentication.Spf = "pass";

        var result = Build.Assessor(Rules).Assess(analysis, null);

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
    }

    [Fact]
    public void Assess_WhenTheSenderIsBothAllowedAndBlocked_BlockWins()
    {
        var analysis = Build.Analysis("sender.allowed", "sender.blocked");
        analysis.Authentication.Dmarc = "pass";

        Assert.Equal(AssessmentVerdict.Spam, Build.Assessor(Rules).Assess(analysis, null).Verdict);
    }

    [Fact]
    public void Assess_WhenOnlyAnAttachedMessageIsFromAnAllowedSender_IsNotOverridden()
    {
        var attached = Build.Analysis("sender.allowed");
        attached.Authentication.Dmarc = "pass";
        var analysis = Build.Analysis("url.userinfo", "url.ip-literal", "url.many").WithAttached(attached);

        var result = Build.Assessor(Rules).Assess(analysis, null);

        Assert.DoesNotContain(result.Reasons, r => r.Contains("allow list", StringComparison.Ordinal));
        Assert.Equal(45, result.PhishingPoints); // 60 minus the attached message's clean 15: the rules still decide
        Assert.Equal(AssessmentVerdict.Spam, result.Verdict);
        Assert.Equal(49, result.Risk); // 45 phishing and 5 spam together, just under the phishing threshold
    }
}
