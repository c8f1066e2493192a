using Hookline.Reports.Assessment;

namespace Hookline.Reports.Tests.AssessmentTests;

/// <summary>Raw messages through every stage and the default rules (Assessor.Default), for Contoso (contoso.com).</summary>
public sealed class DefaultRulesEndToEndTests
{
    private static Assessment.Assessment Assess(string mime) => TestMail.AnalyzeForContoso(mime).Assessment;

    private static void AssertEveryMatchHasWeightAndEvidence(Assessment.Assessment assessment)
    {
        Assert.NotEmpty(assessment.Matches);
        foreach (var match in assessment.Matches)
        {
            Assert.Equal(match.Category == RuleCategory.Clean ? -match.Points : match.Points, match.Weight);
            Assert.NotEqual(0, match.Weight);
            Assert.False(string.IsNullOrWhiteSpace(match.Evidence), $"{match.RuleId} has no evidence");
        }
    }

    [Fact]
    public void Assess_WhenADocuSignLookalikeAsksToReviewADocument_IsPhishing()
    {
        var assessment = Assess("""
            From: DocuSign <dse@docusign-notify.co>
            To: Anna <anna@contoso.com>
            Subject: Please review document: Q3 Supplier Agreement
            Date: Tue, 4 Mar 2025 09:12:00 +0000
            MIME-Version: 1.0
            Content-Type: text/html; charset=utf-8

            <html><body><p>Northwind Legal sent you a document to review and sign.</p>
            <p><a href="https://secure-files-cdn.co/wp-admin/login.php?doc=8812">REVIEW DOCUMENT</a></p>
            <p>Do not share this email.</p></body></html>
            """);

        Assert.Equal(AssessmentVerdict.Phishing, assessment.Verdict);
        Assert.InRange(assessment.Risk, 60, 100);
        Assert.StartsWith("Phishing, risk ", assessment.Summary, StringComparison.Ordinal);
        AssertEveryMatchHasWeightAndEvidence(assessment);
        var rules = assessment.Matches.Select(m => m.RuleId).ToArray();
        foreach (var rule in new[] { "brand.display-name", "brand.sender-domain", "brand.lure", "intent.credential", "url.login-path" })
        {
            Assert.Contains(rule, rules);
        }

        var impersonation = Assert.Single(assessment.Matches, m => m.RuleId == "brand.display-name");
        Assert.Equal(60, impersonation.Weight);
        Assert.Equal("the sender's name \"DocuSign\" names DocuSign, but dse@docusign-notify.co is not DocuSign's", impersonation.Evidence);
        Assert.Equal("\"review document\" in the subject", Assert.Single(assessment.Matches, m => m.RuleId == "intent.credential").Evidence);
    }

    [Fact]
    public void Assess_WhenGiftCardsAreAskedForFromFreeMail_IsNotClean()
    {
        var assessment = Assess("""
            From: Dana Smith <dana.smith.office@gmail.com>
            To: Anna <anna@contoso.com>
            Subject: Are you available?
            Date: Tue, 4 Mar 2025 09:12:00 +0000
            Content-Type: text/plain; charset=utf-8

            Hi Anna, are you available? I need you to buy gift cards for a client meeting today.
            Keep this confidential, I'm in a meeting.
            Dana
            """);

        Assert.NotEqual(AssessmentVerdict.Clean, assessment.Verdict);
        Assert.InRange(assessment.Risk, 35, 100);
        AssertEveryMatchHasWeightAndEvidence(assessment);
        Assert.Equal("\"are you available\" in the subject", Assert.Single(assessment.Matches, m => m.RuleId == "intent.bec-diverted").Evidence);
    }

    [Fact]
    public void Assess_WhenCeoFraudOpensFromFreeMail_IsPhishing()
    {
        var assessment = Assess("""
            From: Daniel Okafor <d.okafor.office@gmail.com>
            To: Anna <anna@contoso.com>
            Subject: Quick request
            Date: Tue, 4 Mar 2025 09:12:00 +0000
            Content-Type: text/plain; charset=utf-8

            Hi Anna, are you available? I need you to handle a task for me discreetly.
            I'm in a meeting and can't talk on the phone. Reply when you get this.
            Daniel
            """);

        Assert.Equal(AssessmentVerdict.Phishing, assessment.Verdict);
        AssertEveryMatchHasWeightAndEvidence(assessment);
        Assert.Equal(25, Assert.Single(assessment.Matches, m => m.RuleId == "intent.bec-opener").Weight);
    }

    [Fact]
    public void Assess_WhenSextortionArrives_IsPhishing()
    {
        var assessment = Assess("""
            From: Anna <anna@contoso.com>
            To: Anna <anna@contoso.com>
            Subject: anna
            Date: Tue, 4 Mar 2025 09:12:00 +0000
            Content-Type: text/plain; charset=utf-8

            Hello. I have been monitoring your device for months: I installed malware when you visited
            adult websites and recorded a video of you through your webcam. Send 1500 USD to my bitcoin
            wallet and I will delete the video. You have 48 hours.
            """);

        Assert.Equal(AssessmentVerdict.Phishing, assessment.Verdict);
        Assert.Contains(assessment.Matches, m => m.RuleId == "intent.extortion-many");
    }

    [Fact]
    public void Assess_WhenAColleagueWritesTheSamePhrases_HasNoBecOpener()
    {
        var assessment = Assess("""
            Authentication-Results: spf=pass (sender IP is 198.51.100.7) smtp.mailfrom=contoso.com; dkim=pass (signature was verified) header.d=contoso.com;dmarc=pass action=none header.from=contoso.com;compauth=pass reason=100
            From: Sam Patel <sam.patel@contoso.com>
            To: Anna <anna@contoso.com>
            Subject: Call at 3?
            Date: Tue, 4 Mar 2025 09:12:00 +0000
            Content-Type: text/plain; charset=utf-8

            Hi Anna, are you available at 3? I'm in a meeting until then and can't talk now.
            Sam
            """);

        Assert.Equal(AssessmentVerdict.Clean, assessment.Verdict);
        Assert.DoesNotContain(assessment.Matches, m => m.RuleId is "intent.bec-opener" or "intent.bec-diverted");
    }

    [Fact]
    public void Assess_WhenAFreelancerAsksForPaymentByBankTransfer_IsNotPhishing()
    {
        var assessment = Assess("""
            From: Priya Raman <priya.raman@gmail.com>
            To: Anna <anna@contoso.com>
            Subject: Workshop follow-up
            Date: Tue, 4 Mar 2025 09:12:00 +0000
            Content-Type: text/plain; charset=utf-8

            Hi Anna, thanks again for having me. Payment by bank transfer to the usual account is fine.
            I need you to confirm the PO number when you get a moment.
            Priya
            """);

        Assert.NotEqual(AssessmentVerdict.Phishing, assessment.Verdict);
        Assert.DoesNotContain(assessment.Matches, m => m.RuleId.StartsWith("intent.bec", StringComparison.Ordinal));
    }

    [Fact]
    public void Assess_WhenAColleagueSendsAPlainNote_IsClean()
    {
        var assessment = Assess("""
            Authentication-Results: spf=pass (sender IP is 198.51.100.7) smtp.mailfrom=contoso.com; dkim=pass (signature was verified) header.d=contoso.com;dmarc=pass action=none header.from=contoso.com;compauth=pass reason=100
            From: Bob Jones <bob.jones@contoso.com>
            To: Anna <anna@contoso.com>
            Subject: Notes from Tuesday's planning meeting
            Date: Tue, 4 Mar 2025 09:12:00 +0000
            Content-Type: text/plain; charset=utf-8

            Hi Anna,

            Thanks for joining on Tuesday. We agreed to move the review to Thursday afternoon
            and to share the draft budget by Friday.

            Bob
            """);

        Assert.Equal(AssessmentVerdict.Clean, assessment.Verdict);
        Assert.InRange(assessment.Risk, 0, 19);
        Assert.StartsWith("Clean, risk ", assessment.Summary, StringComparison.Ordinal);
        var trust = Assert.Single(assessment.Matches, m => m.RuleId == "trust.authenticated-brand");
        Assert.Equal(-20, trust.Weight);
        Assert.Equal("contoso.com is the organisation's own domain and its authentication passed (DMARC pass, compauth pass)", trust.Evidence);
    }

    [Fact]
    public void Assess_WhenANewsletterIsAuthenticatedForItsOwnDomain_IsClean()
    {
        var assessment = Assess("""
            Authentication-Results: spf=pass (sender IP is 198.51.100.20) smtp.mailfrom=bounces.northwind-traders.com; dkim=pass (signature was verified) header.d=northwind-traders.com;dmarc=pass action=none header.from=northwind-traders.com;compauth=pass reason=100
            From: Northwind Traders <news@northwind-traders.com>
            To: anna@contoso.com
            Subject: Our spring catalogue is here
            Date: Tue, 4 Mar 2025 09:12:00 +0000
            List-Unsubscribe: <https://click.mailhub-esp.com/unsub?u=8812>
            List-Unsubscribe-Post: List-Unsubscribe=One-Click
            Precedence: bulk
            MIME-Version: 1.0
            Content-Type: multipart/alternative; boundary="b1"

            --b1
            Content-Type: text/plain; charset=utf-8

            Our spring catalogue is here. Browse it at https://click.mailhub-esp.com/c/8812/1
            --b1
            Content-Type: text/html; charset=utf-8

            <html><body><p>Our spring catalogue is here.</p>
            <p><a href="https://click.mailhub-esp.com/c/8812/1">www.northwind-traders.com/spring</a></p>
            <p><a href="https://click.mailhub-esp.com/c/8812/2">New garden furniture</a></p>
            <img src="https://click.mailhub-esp.com/o/8812.gif" width="1" height="1">
            <p><a href="https://click.mailhub-esp.com/unsub?u=8812">Unsubscribe</a></p></body></html>
            --b1--
            """);

        Assert.Equal(AssessmentVerdict.Clean, assessment.Verdict);
        Assert.InRange(assessment.Risk, 0, 34);
        Assert.Equal(-15, Assert.Single(assessment.Matches, m => m.RuleId == "trust.authenticated-list-mail").Weight);
        AssertEveryMatchHasWeightAndEvidence(assessment);
    }

    [Fact]
    public void Assess_WhenMicrosoftsNameHidesBehindAnUnquotedComma_IsPhishing()
    {
        var assessment = Assess("""
            From: Microsoft account team ,_<no-reply@access-accsecurity.com>
            To: anna@contoso.com
            Subject: Unusual sign-in activity
            Content-Type: text/plain; charset=utf-8

            We detected something unusual about a recent sign-in to your account.
            """);

        Assert.Equal(AssessmentVerdict.Phishing, assessment.Verdict);
        AssertEveryMatchHasWeightAndEvidence(assessment);
        Assert.Contains(assessment.Matches, m => m.RuleId == "sender.from-malformed");
        Assert.Contains(assessment.Matches, m => m.RuleId == "brand.display-name");
    }
}
