using Hookline.Reports.Assessment;

namespace Hookline.Reports.Tests.AssessmentTests;

/// <summary>
/// The default rules that weigh independent evidence together: disguise in two places (sender, links,
/// text), free mail acting as a sender it is not, and a brand's name on a stranger's address.
/// </summary>
public class CorroborationRulesTests
{
    private static Assessment.Assessment Assess(params string[] signals) => Assessor.Default.Assess(Build.Analysis(signals), null);

    private static bool Matched(Assessment.Assessment assessment, string rule) =>
        assessment.Matches.Any(m => string.Equals(m.RuleId, rule, StringComparison.Ordinal));

    [Fact]
    public void Disguise_InTheSenderAndTheLinks_IsPhishing()
    {
        var result = Assess(
            "sender.from-malformed=From \"Billing\" <billing@@invoices.example>",
            "url.free-hosting=https://pay-now.web.app/ is on a free hosting platform",
            "url.ip-literal=http://203.0.113.7/login goes to a bare IP address");

        Assert.True(Matched(result, "combo.disguised-twice"));
        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        var match = Assert.Single(result.Matches, m => m.RuleId == "combo.disguised-twice");
        Assert.Equal(20, match.Weight);
        Assert.StartsWith("Disguised in two places at once (the sender, the links or the text), e.g. ", match.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Disguise_InTheLinksAndTheText_Counts()
    {
        var result = Assess(
            "url.shortener=https://bit.ly/x is a URL shortener",
            "text.hidden=412 characters of text are hidden (display:none)");

        Assert.True(Matched(result, "combo.disguised-twice"));
    }

    [Fact]
    public void Disguise_TwiceInOnePlace_IsNotCorroboration()
    {
        // Three link signals are one kind of evidence for this rule (combo.links-disguised-many weighs them).
        var result = Assess(
            "url.free-hosting=https://pay-now.web.app/ is on a free hosting platform",
            "url.ip-literal=http://203.0.113.7/login goes to a bare IP address",
            "url.shortener=https://bit.ly/x is a URL shortener");

        Assert.False(Matched(result, "combo.disguised-twice"));
        Assert.True(Matched(result, "combo.links-disguised-many"));
    }

    [Fact]
    public void Disguise_AnAuthenticationFailureOnlyInAnAttachedMessage_DoesNotMakeTheSenderDisguised()
    {
        var analysis = Build.Analysis("url.shortener=https://bit.ly/x is a URL shortener")
            .WithAttached(Build.Analysis("auth.dmarc.fail=dmarc=fail (header.from=old-thread.example)"));

        var result = Assessor.Default.Assess(analysis, null);

        Assert.DoesNotContain(result.Matches, m => m.RuleId == "combo.disguised-twice");
    }

    [Fact]
    public void BrandInTheDisplayName_OnAStrangersAddress_AloneIsPhishing()
    {
        var result = Assess("brand.display-name=the sender's name \"Ledger\" names Ledger, but support@garden-tools.example is not Ledger's");

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        Assert.Equal(60, result.Risk);
    }

    [Fact]
    public void BrandInTheSubject_FromAMachineMadeAddress_IsCorroborated()
    {
        var throwaway = Assess(
            "brand.subject=the subject names Amazon, but no-reply_4471xk2@slibaw.diempresarial.example is not Amazon's",
            "sender.random-name=the sender's address no-reply_4471xk2@slibaw.diempresarial.example looks machine-made");
        var ordinary = Assess("brand.subject=the subject names Amazon, but offers@garden-tools.example is not Amazon's");

        var match = Assert.Single(throwaway.Matches, m => m.RuleId == "brand.from-throwaway");
        Assert.Equal(15, match.Weight);
        Assert.False(Matched(ordinary, "brand.from-throwaway"));
    }

    [Fact]
    public void FreeMail_WithALinkingPdf_AddsToTheFreeMailCompanyRule()
    {
        var result = Assess(
            "sender.freemail=gmail.com is a free-mail provider",
            "attachment.pdf-uri=Statement.pdf links to https://files.example/get");

        Assert.True(Matched(result, "attachment.pdf-link-from-freemail"));
        Assert.True(Matched(result, "sender.freemail-acting-as-company"));
        Assert.Equal(AssessmentVerdict.Spam, result.Verdict);
    }

    [Fact]
    public void FreeMail_ToHiddenRecipients_IsBulkFromAPersonalAccount()
    {
        var withHiddenRecipients = Assess("sender.freemail=gmail.com is a free-mail provider", "content.no-recipient=To: undisclosed-recipients:;");
        var toSomeone = Assess("sender.freemail=gmail.com is a free-mail provider");

        Assert.True(Matched(withHiddenRecipients, "sender.freemail-bulk"));
        Assert.False(Matched(toSomeone, "sender.freemail-bulk"));
    }

    [Fact]
    public void FreeMail_ThatFailsItsProvidersDmarc_IsForged()
    {
        var forged = Assess("sender.freemail=outlook.com is a free-mail provider", "auth.dmarc.fail=dmarc=fail (header.from=outlook.com)");
        var company = Assess("auth.dmarc.fail=dmarc=fail (header.from=northwind.example)");

        Assert.True(Matched(forged, "auth.freemail-forged"));
        Assert.Equal(AssessmentVerdict.Spam, forged.Verdict);
        Assert.False(Matched(company, "auth.freemail-forged"));
    }

    [Fact]
    public void Links_DisguisedThreeWays_ArePhishingTwoWaysAreNot()
    {
        var three = Assess(
            "url.free-hosting=https://pay-now.web.app/ is on a free hosting platform",
            "url.ip-literal=http://203.0.113.7/login goes to a bare IP address",
            "url.shortener=https://bit.ly/x is a URL shortener");
        var two = Assess(
            "url.free-hosting=https://pay-now.web.app/ is on a free hosting platform",
            "url.shortener=https://bit.ly/x is a URL shortener");

        Assert.True(Matched(three, "combo.links-disguised-many"));
        Assert.Equal(AssessmentVerdict.Phishing, three.Verdict);
        Assert.False(Matched(two, "combo.links-disguised-many"));
    }

    [Fact]
    public void MalformedFrom_ThatFailsAuthentication_IsPhishing()
    {
        var forged = Assess(
            "sender.from-malformed=The From display name has an unquoted comma",
            "auth.dmarc.fail=dmarc=fail (header.from=accounts-notice.example)");
        var malformedOnly = Assess("sender.from-malformed=The From display name has an unquoted comma");

        Assert.True(Matched(forged, "combo.forged-malformed-sender"));
        Assert.Equal(AssessmentVerdict.Phishing, forged.Verdict);
        Assert.False(Matched(malformedOnly, "combo.forged-malformed-sender"));
    }
}
