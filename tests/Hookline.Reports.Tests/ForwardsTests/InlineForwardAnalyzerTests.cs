using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Forwards;
using Hookline.Reports.Assessment;
using Hookline.Reports.Pipeline;
using Hookline.Reports.Tests.UrlTests;

namespace Hookline.Reports.Tests.ForwardsTests;

/// <summary>
/// The inline-forward stage (InlineForwardAnalyzer): a colleague's "Fw:" that quotes a phish in its
/// body, reported as an attached original, has the quoted message recovered and analysed.
/// </summary>
public sealed class InlineForwardAnalyzerTests
{
    private const string ColleaguePasses = "Authentication-Results: spf=pass (sender IP is 198.51.100.7) smtp.mailfrom=contoso.com; dkim=pass (signature was verified) header.d=contoso.com;dmarc=pass action=none header.from=contoso.com;compauth=pass reason=100\n";

    private const string Phish = "Your mailbox is almost full. Verify your account within 24 hours at https://quota-check.web.app/owa/login.php or your messages will be deleted.";

    private const string EnglishForward = ColleaguePasses + $"""
        From: Bob Jones <bob@contoso.com>
        To: Anna <anna@contoso.com>
        Subject: Fw: Your mailbox is almost full
        Date: Tue, 4 Mar 2025 09:12:00 +0000
        Content-Type: text/plain; charset=utf-8

        Anna, is this real?

        -----Original Message-----
        From: Mail Administrator <admin@mailbox-quota.xyz>
        Sent: Monday, March 3, 2025 4:55 PM
        To: Bob Jones <bob@contoso.com>
        Subject: Your mailbox is almost full

        {Phish}
        """;

    private const string PortugueseForward = ColleaguePasses + $"""
        From: Bob Jones <bob@contoso.com>
        To: Anna <anna@contoso.com>
        Subject: ENC: Sua caixa de correio está cheia
        Date: Tue, 4 Mar 2025 09:12:00 +0000
        Content-Type: text/plain; charset=utf-8

        Anna, isto é verdade?

        De: Administrador <admin@mailbox-quota.xyz>
        Enviado: segunda-feira, 3 de março de 2025 16:55
        Para: Bob Jones <bob@contoso.com>
        Assunto: Sua caixa de correio está cheia

        Sua conta foi bloqueada. {Phish}
        """;

    /// <summary>A report from Anna with the colleague's message attached as the original.</summary>
    private static AnalysisOutcome Reported(string original) => TestMail.AnalyzeForContoso($"""
        From: Anna <anna@contoso.com>
        To: Phish Reports <phish@contoso.com>
        Subject: Suspicious mail
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="b1"

        --b1
        Content-Type: text/plain

        Please check this one.
        --b1
        Content-Type: message/rfc822

        {original}
        --b1--
        """);

    [Fact]
    public void Analyze_WhenAForwardQuotesAnOriginalMessage_AnalysesTheQuotedMessageToo()
    {
        var outcome = Reported(EnglishForward);
        var analysis = outcome.Analysis;

        Assert.Equal("bob@contoso.com", analysis.Sender.FromAddress);
        Assert.Equal("the message forwards one from admin@mailbox-quota.xyz in its body; the forwarded message was analysed too", analysis.DetailOf("message.inline-forward"));
        var quoted = Assert.Single(analysis.AttachedMessages);
        Assert.Equal("admin@mailbox-quota.xyz", quoted.Sender.FromAddress);
        Assert.Equal("Mail Administrator", quoted.Sender.FromName);
        Assert.Equal("your mailbox is almost full", quoted.Text!.Subject);
        Assert.Contains("sender.abused-tld", quoted.SignalIds());
        Assert.Contains("url.free-hosting", quoted.SignalIds());
        Assert.Contains("url.login-path", quoted.SignalIds());
        Assert.Equal("\"mailbox is almost full\" in the subject", quoted.DetailsOf("intent.credential")[0]);
    }

    [Fact]
    public void Analyze_WhenAForwardQuotesWithPortugueseFieldNames_AnalysesTheQuotedMessageToo()
    {
        var analysis = Reported(PortugueseForward).Analysis;

        Assert.Contains("message.inline-forward", analysis.SignalIds());
        var quoted = Assert.Single(analysis.AttachedMessages);
        Assert.Equal("admin@mailbox-quota.xyz", quoted.Sender.FromAddress);
        Assert.Equal("sua caixa de correio esta cheia", quoted.Text!.Subject);
        Assert.Contains("\"sua conta foi bloqueada\" in the body", quoted.DetailsOf("intent.credential"));
    }

    [Fact]
    public void Assess_WhenAColleagueForwardsAPhish_TheColleaguesAuthenticationLendsNoTrust()
    {
        var outcome = Reported(EnglishForward);

        Assert.Contains("brand.authenticated", outcome.Analysis.SignalIds());
        Assert.DoesNotContain(outcome.Assessment.Matches, m => m.RuleId == "trust.authenticated-brand");
        Assert.NotEqual(AssessmentVerdict.Clean, outcome.Assessment.Verdict);
    }

    [Fact]
    public void Analyze_WhenAReplyQuotesTheMessageItAnswers_DoesNotRecoverIt()
    {
        var reply = EnglishForward.Replace("Subject: Fw: Your mailbox", "Subject: RE: Your mailbox", StringComparison.Ordinal);

        var analysis = Reported(reply).Analysis;

        Assert.DoesNotContain("message.inline-forward", analysis.SignalIds());
        Assert.Empty(analysis.AttachedMessages);
    }

    [Fact]
    public void Analyze_WhenTheForwardAttachesTheMessage_LeavesTheQuotedTextAlone()
    {
        var analysis = Reported($"""
            From: Bob Jones <bob@contoso.com>
            To: Anna <anna@contoso.com>
            Subject: Fw: Your mailbox is almost full
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b2"

            --b2
            Content-Type: text/plain

            -----Original Message-----
            From: Someone Else <someone@northwind-traders.com>
            Subject: Lunch

            See you.
            --b2
            Content-Type: message/rfc822

            From: Mail Administrator <admin@mailbox-quota.xyz>
            To: Bob Jones <bob@contoso.com>
            Subject: Your mailbox is almost full
            Content-Type: text/plain

            {Phish}
            --b2--
            """).Analysis;

        Assert.DoesNotContain("message.inline-forward", analysis.SignalIds());
        Assert.Equal("admin@mailbox-quota.xyz", Assert.Single(analysis.AttachedMessages).Sender.FromAddress);
    }

    [Fact]
    public void Analyze_WhenRunAlone_AddsTheQuotedMessageAsAnAttachedAnalysis()
    {
        var analysis = ContentMessages.Run(new InlineForwardAnalyzer(), EnglishForward);

        Assert.Single(analysis.AttachedMessages);
        Assert.Equal(["message.inline-forward"], analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenAttachedMessagesAreAtTheirDepthLimit_RecoversNothing()
    {
        var settings = AnalysisSettings.Default with { MaxAttachedMessageDepth = 0 };

        var analysis = ContentMessages.Run(new InlineForwardAnalyzer(), EnglishForward, settings);

        Assert.Empty(analysis.AttachedMessages);
        Assert.DoesNotContain("message.inline-forward", analysis.SignalIds());
    }
}
