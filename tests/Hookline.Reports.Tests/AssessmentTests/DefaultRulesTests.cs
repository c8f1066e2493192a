using Hookline.Reports.Analysis;
using Hookline.Reports.Assessment;
using Hookline.Reports.Recognition;

namespace Hookline.Reports.Tests.AssessmentTests;

/// <summary>The embedded default rules on hand-made analyses of typical messages.</summary>
public class DefaultRulesTests
{
    private static Assessment.Assessment Assess(MessageAnalysis analysis, Report? report = null) => Assessor.Default.Assess(analysis, report);

    [Fact]
    public void Default_WhenClassicCredentialPhish_IsPhishingWithTheFormFirst()
    {
        var analysis = Build.Analysis(
            "auth.spf.fail=spf=fail (smtp.mailfrom=mailer.evil.example)",
            "auth.dmarc.fail=dmarc=fail (header.from=microsoft-support.example)",
            "url.text-mismatch=Link text shows login.microsoftonline.com, goes to login-micros0ft.example",
            "url.credential-form=The page asks for a password and posts to login-micros0ft.example");

        var result = Assess(analysis, Build.Report(UserVerdict.Phishing));

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        Assert.Equal(100, result.Score);
        Assert.StartsWith("It asks for credentials: The page asks for a password", result.Reasons[0], StringComparison.Ordinal);
        Assert.Contains(result.Matches, m => string.Equals(m.RuleId, "combo.credential-lure", StringComparison.Ordinal));
    }

    [Fact]
    public void Default_WhenBusinessEmailCompromiseWithoutLinks_IsPhishing()
    {
        var analysis = Build.Analysis(
            "sender.display-name-impersonation=\"Dana Smith (CEO)\" writes from dana.smith.ceo@freemail.example",
            "sender.reply-to-differs=Reply-To ceo.office@freemail2.example");

        var result = Assess(analysis);

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        Assert.InRange(result.Score, 60, 100);
        Assert.Equal("The display name impersonates someone: \"Dana Smith (CEO)\" writes from dana.smith.ceo@freemail.example.", result.Reasons[0]);
    }

    [Fact]
    public void Default_WhenMalwareAttachment_IsPhishing()
    {
        var analysis = Build.Analysis(
            "attachment.archive-executable=invoice.zip holds invoice.pdf.exe",
            "attachment.double-extension=invoice.pdf.exe",
            "auth.spf.softfail");

        var result = Assess(analysis);

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        Assert.Equal("An attachment disguises its type with a double extension: invoice.pdf.exe.", result.Reasons[0]);
    }

    [Fact]
    public void Default_WhenMalwareIsInsideAnAttachedMessage_StillCounts()
    {
        var analysis = Build.Analysis().WithAttached(Build.Analysis("attachment.script=payment.js", "auth.dmarc.fail"));

        var result = Assess(analysis, Build.Report(UserVerdict.Phishing, ReportFormat.Forward));

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        Assert.Contains("in an attached message: payment.js", result.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Default_WhenNewsletterWithTrackingLinks_IsClean()
    {
        var analysis = Build.Analysis(
            "content.bulk=Precedence: bulk",
            "content.list-unsubscribe=List-Unsubscribe present",
            "sender.return-path-differs=bounces@esp.example",
            "sender.reply-to-differs=Reply-To news@shop.example",
            "url.many=48 links",
            "url.text-mismatch=Link text shows www.shop.example, goes to click.esp.example",
            "url.shortener=bit.ly");
        analysis.Authentication.Dmarc = "pass";

        var result = Assess(analysis, Build.Report(UserVerdict.Junk));

        Assert.Equal(AssessmentVerdict.Clean, result.Verdict);
        Assert.InRange(result.Risk, 0, 34);
        Assert.Contains(result.Matches, m => m.RuleId == "trust.authenticated-list-mail" && m.Weight == -15);
    }

    [Fact]
    public void Default_WhenTheMessageForwardsAnotherInItsBody_JudgesTheForwardedSenderAsTheMessagesOwn()
    {
        MessageAnalysis Forward() => Build.Analysis("message.inline-forward=the message forwards one from jo.smith.billing@gmail.com")
            .WithAttached(Build.Analysis("sender.freemail=gmail.com", "intent.payment=\"outstanding invoice\" in the body"));
        var attached = Build.Analysis().WithAttached(Build.Analysis("sender.freemail=gmail.com", "intent.payment=\"outstanding invoice\" in the body"));

        // sender.freemail counts "in: message": a forwarded message's sender is the message's, an attached one's is not.
        Assert.Contains(Assess(Forward(), Build.Report(UserVerdict.Phishing)).Matches, m => m.RuleId == "sender.freemail-acting-as-company");
        Assert.DoesNotContain(Assess(attached, Build.Report(UserVerdict.Phishing)).Matches, m => m.RuleId == "sender.freemail-acting-as-company");
    }

    [Fact]
    public void Default_WhenAForwardedMessagesSenderIsAllowed_TheForwardersAuthenticationDoesNotAllowIt()
    {
        var forward = Build.Analysis("message.inline-forward=the message forwards one from ceo@partner.example", "url.userinfo", "url.ip-literal")
            .WithAttached(Build.Analysis("sender.allowed=partner.example is allowed"));
        forward.Authentication.Dmarc = "pass";

        var result = Assess(forward, Build.Report(UserVerdict.Phishing));

        Assert.DoesNotContain(result.Reasons, r => r.Contains("allow list", StringComparison.Ordinal));
        Assert.NotEqual(AssessmentVerdict.Clean, result.Verdict);
    }

    [Fact]
    public void Default_WhenListHeadersComeFromAForgedSender_GivesThemNoDiscount()
    {
        var list = Build.Analysis("content.bulk=Precedence: bulk", "content.list-unsubscribe=List-Unsubscribe present");
        var forged = Build.Analysis("content.bulk=Precedence: bulk", "content.list-unsubscribe=List-Unsubscribe present", "auth.dmarc.fail=dmarc=fail");

        Assert.Contains(Assess(list, Build.Report(UserVerdict.Junk)).Matches, m => m.RuleId == "content.list-mail");
        Assert.DoesNotContain(Assess(forged, Build.Report(UserVerdict.Junk)).Matches, m => m.RuleId == "content.list-mail");
    }

    [Fact]
    public void Default_WhenInternalMailWithTrustedPass_IsCleanWithAuthenticationReason()
    {
        var analysis = Build.Analysis("sender.return-path-differs", "brand.authenticated=contoso.com is the organisation's own domain and its authentication passed", "url.ip-literal=http://10.0.0.5/wiki");
        analysis.Authentication.Spf = "pass";
        analysis.Authentication.Dkim = "pass";
        analysis.Authentication.Dmarc = "pass";
        analysis.Authentication.Compauth = "pass";

        var result = Assess(analysis, Build.Report(UserVerdict.Phishing));

        Assert.Equal(AssessmentVerdict.Clean, result.Verdict);
        Assert.Equal(0, result.Risk); // 15 for the IP link, less 20 for the authenticated organisation
        Assert.Equal("A known sender, authenticated: contoso.com is the organisation's own domain and its authentication passed.", result.Reasons[0]);
    }

    [Fact]
    public void Default_WhenAStrangerPassesDmarc_ItLowersNothing()
    {
        var analysis = Build.Analysis("url.ip-literal=http://203.0.113.9/login");
        analysis.Authentication.Dmarc = "pass";

        var result = Assess(analysis);

        Assert.Equal(15, result.Risk);
        Assert.DoesNotContain(result.Matches, m => m.Weight < 0);
    }

    [Fact]
    public void Default_WhenUpstreamFilterSaysSpam_IsSpam()
    {
        var result = Assess(Build.Analysis("auth.forefront.spam=X-Forefront-Antispam-Report SFV:SPM CAT:SPM", "auth.scl.high=SCL 9"));

        Assert.Equal(AssessmentVerdict.Spam, result.Verdict);
        Assert.Equal(59, result.Risk); // 70 points: spam's band ends just under the phishing threshold
    }

    [Fact]
    public void Default_WhenOneWeakSignalAlone_StaysClean()
    {
        foreach (var signal in new[] { "url.text-mismatch", "sender.reply-to-differs", "auth.spf.fail", "auth.dkim.fail", "url.shortener", "url.ip-literal", "attachment.macro", "auth.dmarc.fail" })
        {
            Assert.Equal(AssessmentVerdict.Clean, Assess(Build.Analysis(signal)).Verdict);
        }
    }

    [Theory]
    [InlineData("structure.part-limit")]
    [InlineData("structure.depth-limit")]
    [InlineData("structure.decode-limit")]
    [InlineData("structure.message-depth-limit")]
    [InlineData("attachment.archive-nested")]
    public void Default_WhenOnlyALimitWasReached_IsNeverPhishingButCounted(string signal)
    {
        var result = Assess(Build.Analysis(signal));

        Assert.NotEqual(AssessmentVerdict.Phishing, result.Verdict);
        Assert.InRange(result.PhishingPoints, 20, 40);
        Assert.Equal(result.PhishingPoints >= 35 ? AssessmentVerdict.Spam : AssessmentVerdict.Clean, result.Verdict);
    }

    [Fact]
    public void Default_WhenBothStructuralLimitsWereReached_CountsThemOnce()
    {
        var result = Assess(Build.Analysis("structure.part-limit", "structure.depth-limit"));

        Assert.Equal(AssessmentVerdict.Spam, result.Verdict);
        Assert.Equal(35, result.PhishingPoints);
    }

    [Theory]
    [InlineData("structure.part-limit")]
    [InlineData("structure.depth-limit")]
    [InlineData("structure.message-depth-limit")]
    public void Default_WhenARiskyFileLiesPastALimit_IsPhishing(string limit)
    {
        var result = Assess(Build.Analysis(limit, "attachment.beyond-limit=invoice.exe (.exe: a program), past the part limit (5,000 parts), not parsed"));

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        Assert.Equal("A risky file is hidden past a limit: invoice.exe (.exe: a program), past the part limit (5,000 parts), not parsed.", result.Reasons[0]);
    }

    [Fact]
    public void Default_WhenABombHidesInNestedArchives_IsPhishing()
    {
        var result = Assess(Build.Analysis("attachment.archive-nested", "attachment.archive-bomb"));

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
    }

    [Fact]
    public void Default_WhenQrCodeToASignInPageElsewhere_IsSuspectButNotPhishingOnItsOwn()
    {
        // An MFA enrolment from IT can hold exactly this; the three QR rules together stay below the threshold.
        var analysis = Build.Analysis(
            "url.qr-code=a QR code in image001.png leads to https://m365.evil.example/login",
            "url.qr-code-login=the QR code in image001.png opens what reads like a sign-in page: https://m365.evil.example/login",
            "url.qr-code-offsite=the QR code in image001.png leads to m365.evil.example, not the sender's mailer.example");

        var result = Assess(analysis);

        Assert.Equal(AssessmentVerdict.Spam, result.Verdict); // suspect: above the spam threshold, below phishing
        Assert.Equal(55, result.PhishingPoints);
        Assert.Equal("A QR code leads to a web link, out of reach of link protection (quishing): a QR code in image001.png leads to https://m365.evil.example/login.", result.Reasons[0]);
    }

    [Fact]
    public void Default_WhenQrCodeLureFromASpoofedSender_IsPhishing()
    {
        var analysis = Build.Analysis(
            "url.qr-code=a QR code in scan.pdf (image 1) leads to https://m365.evil.example/login",
            "url.qr-code-login=the QR code in scan.pdf (image 1) opens what reads like a sign-in page: https://m365.evil.example/login",
            "auth.dmarc.fail=dmarc=fail (header.from=contoso.com)");

        var result = Assess(analysis);

        Assert.Equal(AssessmentVerdict.Phishing, result.Verdict);
        Assert.Contains(result.Matches, m => string.Equals(m.RuleId, "combo.spoofed-with-link", StringComparison.Ordinal));
    }

    [Fact]
    public void Default_WhenQrBudgetOrUnreadableImage_NoPoints()
    {
        var result = Assess(Build.Analysis("url.qr-budget=the QR code search stopped", "url.qr-unreadable=image001.png: the image is damaged"));

        Assert.Equal(AssessmentVerdict.Clean, result.Verdict);
        Assert.Empty(result.Matches);
    }
}
