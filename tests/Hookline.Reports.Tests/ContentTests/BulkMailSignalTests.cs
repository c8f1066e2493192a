using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Content;
using Hookline.Reports.Assessment;

namespace Hookline.Reports.Tests.ContentTests;

/// <summary>
/// The fingerprints of bulk mail sent to bought lists (ContentSignalAnalyzer: subject tags, checksum
/// noise, forged dates, shouting; RemovalNoticeAnalyzer: removal boilerplate) and the rules that count them.
/// </summary>
public sealed class BulkMailSignalTests
{
    private static MessageAnalysis Plain(string subject, string body, string headers = "") =>
        TestMail.Analyze($"From: Offers <offers@northwind-deals.com>\nTo: anna@contoso.com\n{headers}Subject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n").Analysis;

    [Theory]
    [InlineData("Lower your monthly bills today            KQWZT", "KQWZT")]
    [InlineData("Lower your monthly bills today     48213", "48213")]
    [InlineData("Lower your monthly bills today.......... xkcdq", "xkcdq")]
    [InlineData("Lower your monthly bills today [pq7r2]", "[pq7r2]")]
    [InlineData("Lower your monthly bills today           Sale", "Sale")]
    [InlineData("Lower your monthly bills todayk3v8d2", "todayk3v8d2")]
    public void SubjectTag_WhenTheSubjectEndsInATag_ReturnsIt(string subject, string tag)
    {
        Assert.Equal(tag, ContentSignalAnalyzer.SubjectTag(subject));
    }

    [Theory]
    [InlineData("Minutes of Tuesday's meeting")]
    [InlineData("Re: use of base image for automated recovery from    attacks")]
    [InlineData("Invoice 2024-118 for March")]
    [InlineData("Your order #48213 has shipped")]
    [InlineData("Release 2.4.1 [stable]")]
    [InlineData("Room B2 booked")]
    public void SubjectTag_WhenTheSubjectIsOrdinary_ReturnsNull(string subject)
    {
        Assert.Null(ContentSignalAnalyzer.SubjectTag(subject));
    }

    [Fact]
    public void Analyze_WhenTheSubjectIsTagged_FindsTheTag()
    {
        var analysis = Plain("Lower your monthly bills today            KQWZT", "Hello.");

        Assert.Equal("\"KQWZT\" after the subject's padding", analysis.DetailOf("content.subject-tag"));
    }

    [Theory]
    [InlineData("7731kQpw2-204TzRm9911aBc4-55", true)]
    [InlineData("  2048HgtY5-661nKpa33  ", true)]
    [InlineData("3f2a9c1e-7b4d-4e21-9a0f-c2d1e5b6a7f8", false)]
    [InlineData("Best-regards-from-the-whole-team", false)]
    [InlineData("ORDER-2024-118-CONFIRMED", false)]
    [InlineData("iQEzBAEBCAAdFiEE4kPq1Xz8", false)]
    public void IsHashBuster_TellsChecksumNoiseFromIdentifiers(string line, bool expected)
    {
        Assert.Equal(expected, ContentSignalAnalyzer.IsHashBuster(line));
    }

    [Fact]
    public void Analyze_WhenALineIsChecksumNoise_FindsIt()
    {
        var analysis = Plain("Great rates", "Call us today.\n\n7731kQpw2-204TzRm9911aBc4-55\n");

        Assert.Equal("A line of random characters: \"7731kQpw2-204TzRm9911aBc4-55\"", analysis.DetailOf("content.hash-buster"));
    }

    [Theory]
    [InlineData("Tue, 17 Sep 0102 16:06:15 -1100", "0102")]
    [InlineData("Mon, 3 Jan 1980 10:00:00 +0000", "1980")]
    [InlineData("Mon, 3 Jan 980 10:00:00 +0000", "980")]
    public void ImplausibleYear_WhenTheYearIsForged_ReturnsIt(string date, string year)
    {
        Assert.Equal(year, ContentSignalAnalyzer.ImplausibleYear(date));
    }

    [Theory]
    [InlineData("Tue, 4 Mar 2025 09:12:00 +0000")]
    [InlineData("Tue, 4 Mar 02 09:12:00 +0000")]
    [InlineData("4 March 2025")]
    public void ImplausibleYear_WhenTheYearIsPlausible_ReturnsNull(string date)
    {
        Assert.Null(ContentSignalAnalyzer.ImplausibleYear(date));
    }

    [Fact]
    public void Analyze_WhenTheDateIsForged_FindsIt()
    {
        var analysis = Plain("Great rates", "Hello.", headers: "Date: Tue, 17 Sep 0102 16:06:15 -1100\n");

        Assert.Equal("Date: Tue, 17 Sep 0102 16:06:15 -1100 (the year 0102)", analysis.DetailOf("content.date-implausible"));
    }

    [Fact]
    public void Analyze_WhenThreeLinesShout_FindsBodyShouting()
    {
        var analysis = Plain("Offer", "YOU WILL NEVER SEE PRICES THIS LOW AGAIN\nORDER YOUR STARTER KIT BEFORE FRIDAY\nEVERY PACKAGE SHIPS THE SAME DAY\nThanks.");

        Assert.Equal("3 lines of the text in capitals", analysis.DetailOf("content.body-shouting"));
    }

    [Fact]
    public void Analyze_WhenOneLineShouts_DoesNotFindBodyShouting()
    {
        var analysis = Plain("Offer", "IMPORTANT NOTICE ABOUT THE BUILDING WORKS\nThe lift is out of service on Monday.");

        Assert.Empty(analysis.DetailsOf("content.body-shouting"));
    }

    [Fact]
    public void Analyze_WhenTheBodyCarriesRemovalBoilerplate_FindsEachPhraseOnce()
    {
        var analysis = Plain("Offer", "This is not spam. To be removed,\nreply with REMOVE in the subject line. To be removed, reply.");

        Assert.Equal(["\"this is not spam\"", "\"to be removed\"", "\"reply with remove\""], analysis.DetailsOf("content.removal-notice"));
    }

    [Theory]
    [InlineData("Si vous ne souhaitez plus recevoir nos offres, repondez.", "ne souhaitez plus recevoir")]
    [InlineData("Si no desea recibir mas mensajes, responda.", "no desea recibir")]
    public void Analyze_WhenRemovalBoilerplateIsInAnotherLanguage_FindsIt(string body, string phrase)
    {
        Assert.Equal($"\"{phrase}\"", Plain("Offre", body).DetailOf("content.removal-notice"));
    }

    [Fact]
    public void Analyze_WhenANewsletterOffersToUnsubscribe_FindsNoRemovalNotice()
    {
        var analysis = Plain("Our March news", "Read our news. You can unsubscribe at any time from your preferences page.");

        Assert.Empty(analysis.DetailsOf("content.removal-notice"));
    }

    [Fact]
    public void Assess_WhenBulkMailToABoughtListCarriesItsFingerprints_IsSpam()
    {
        var outcome = TestMail.Analyze("""
            From: Rate Desk <ratedesk@northwind-deals.com>
            To: anna@contoso.com
            Subject: Lower your monthly bills today            KQWZT
            Date: Tue, 17 Sep 0102 16:06:15 -1100
            Content-Type: text/plain; charset=utf-8

            Dear friend, rates are at their lowest in years. Click here for a free quote.
            This is a one-time mailing. To be removed, reply with REMOVE in the subject.

            7731kQpw2-204TzRm9911aBc4-55
            """);

        Assert.Equal(AssessmentVerdict.Spam, outcome.Assessment.Verdict);
        var rules = outcome.Assessment.Matches.Select(m => m.RuleId).ToArray();
        foreach (var rule in new[] { "content.subject-tag", "content.hash-buster", "content.date-implausible", "content.removal-notice", "content.bulk-fingerprints" })
        {
            Assert.Contains(rule, rules);
        }
    }

    [Fact]
    public void Assess_WhenListMailWithListUnsubscribeSaysHowToBeRemoved_DoesNotCountTheRemovalNotice()
    {
        var outcome = TestMail.Analyze("""
            From: Northwind News <news@northwind-traders.com>
            To: anna@contoso.com
            Subject: Our March news
            Date: Tue, 4 Mar 2025 09:12:00 +0000
            List-Unsubscribe: <https://northwind-traders.com/unsubscribe?u=81>
            Content-Type: text/plain; charset=utf-8

            Our new opening hours start in April. To be removed from this list, use the link below.
            """);

        var rules = outcome.Assessment.Matches.Select(m => m.RuleId).ToArray();
        Assert.DoesNotContain("content.removal-notice", rules);
        Assert.DoesNotContain("content.bulk-fingerprints", rules);
        Assert.Equal(AssessmentVerdict.Clean, outcome.Assessment.Verdict);
    }

    [Fact]
    public void Assess_WhenASignedNotificationIsHtmlOnlyAndOffersToStop_DoesNotCountTheBulkRules()
    {
        var outcome = TestMail.AnalyzeForContoso("""
            Authentication-Results: spf=pass (sender IP is 198.51.100.20) smtp.mailfrom=mail.northwind-traders.com; dkim=pass (signature was verified) header.d=northwind-traders.com;dmarc=pass action=none header.from=northwind-traders.com;compauth=pass reason=100
            From: Northwind Projects <notifications@northwind-traders.com>
            To: anna@contoso.com
            Subject: Sam commented on your task
            Date: Tue, 4 Mar 2025 09:12:00 +0000
            MIME-Version: 1.0
            Content-Type: text/html; charset=utf-8

            <html><body><p>Sam commented on "Spring catalogue layout".</p>
            <p>If you no longer wish to receive these notifications, change your settings.</p></body></html>
            """);

        Assert.NotEmpty(outcome.Analysis.DetailsOf("content.removal-notice"));
        var rules = outcome.Assessment.Matches.Select(m => m.RuleId).ToArray();
        Assert.DoesNotContain("content.removal-notice", rules);
        Assert.DoesNotContain("content.bulk-fingerprints", rules);
        Assert.Equal(AssessmentVerdict.Clean, outcome.Assessment.Verdict);
    }

    [Fact]
    public void Assess_WhenAnUnsignedHtmlOnlyMailFromFreeMailOffersRemoval_CountsTheFingerprints()
    {
        var outcome = TestMail.Analyze("""
            From: Home Desk <homedesk2288@hotmail.com>
            To: anna@contoso.com
            Subject: A better rate for you
            Date: Tue, 4 Mar 2025 09:12:00 +0000
            MIME-Version: 1.0
            Content-Type: text/html; charset=utf-8

            <html><body><p>Rates have never been better.</p>
            <p>To be removed from our list, reply to this message.</p></body></html>
            """);

        var rules = outcome.Assessment.Matches.Select(m => m.RuleId).ToArray();
        Assert.Contains("content.bulk-fingerprints", rules);
        Assert.Contains("content.removal-notice", rules);
        Assert.NotEqual(AssessmentVerdict.Clean, outcome.Assessment.Verdict);
    }
}
