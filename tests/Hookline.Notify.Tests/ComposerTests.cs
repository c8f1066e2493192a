using System.Text;
using Hookline.Mime;
using Hookline.Storage.Model;

namespace Hookline.Notify.Tests;

public sealed class ComposerTests
{
    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    private static NotificationSettings Settings => NotificationDefaults.Settings with
    {
        SenderAddress = "security@contoso.com",
        SenderName = "Contoso Security",
        AcknowledgementEnabled = true,
        LogoContentType = "image/png",
        LogoBase64 = Convert.ToBase64String(Png),
        PhishingText = "Dear {reporterName}, **{originalSubject}** was {verdict} ({dateReported}).",
        Footer = "Footer from _Contoso_.",
    };

    private static ReportRecord Report(string subject) => new()
    {
        Id = 42,
        RawSha256 = "x",
        Source = "test",
        SourceKey = "k",
        ReporterName = "Zoë Example",
        ReporterAddress = "zoe@contoso.com",
        Subject = subject,
        ReportedAt = new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Utc),
        Assessment = "phishing",
        Score = 91,
        SenderAddress = "evil@phish.example",
        AnalysisJson = """{"assessment":{"verdict":"phishing","score":91,"reasons":["lookalike <domain>","credential form"]}}""",
    };

    private sealed class FixedStore(NotificationSettings settings) : INotificationSettingsStore
    {
        public Task<NotificationSettings> GetAsync(CancellationToken cancellationToken) => Task.FromResult(settings);

        public Task SaveAsync(NotificationSettings settings, string actor, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SaveLogoAsync(string? contentType, string? base64, string actor, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<NotificationSettings> RestoreDefaultsAsync(string actor, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static NotificationComposer Composer(NotificationSettings settings, params string[] organizationDomains) =>
        new(new FixedStore(settings), new NotificationComposerOptions { PublicUrl = new Uri("https://hookline.contoso.com/"), OrganizationDomains = organizationDomains.Length == 0 ? ["contoso.com"] : organizationDomains });

    [Fact]
    public async Task Result_is_related_alternative_with_an_inline_logo_and_the_headers_of_an_automatic_message()
    {
        var composed = await Composer(Settings).ComposeResultAsync(Report("Invoice"), new ReviewRecord { ReportId = 42, Verdict = ReviewVerdicts.Phishing, ReviewedBy = "ana" }, default);
        Assert.NotNull(composed);
        Assert.Equal("zoe@contoso.com", composed.Recipient);
        Assert.All(composed.Content, b => Assert.True(b < 128));
        var message = MimeMessage.Parse(composed.Content);
        Assert.Empty(message.Warnings);
        Assert.Equal("multipart/related", message.Body.ContentType.MimeType);
        var related = Assert.IsType<Multipart>(message.Body);
        var alternative = Assert.IsType<Multipart>(related.Parts.First());
        Assert.Equal("multipart/alternative", alternative.ContentType.MimeType);
        var text = Assert.IsType<MimePart>(alternative.Parts.First());
        var html = Assert.IsType<MimePart>(alternative.Parts.Last());
        Assert.Equal("text/plain", text.ContentType.MimeType);
        Assert.Equal("text/html", html.ContentType.MimeType);
        var logo = Assert.IsType<MimePart>(related.Parts.Last());
        Assert.Equal("image/png", logo.ContentType.MimeType);
        Assert.Equal(Png, logo.DecodeContent());
        var cid = logo.Headers["Content-ID"]!.Trim('<', '>', ' ');
        Assert.Contains("src=\"cid:" + cid + "\"", html.GetText(), StringComparison.Ordinal);
        Assert.Contains("<strong>Invoice</strong> was Phishing (1 March 2026, 09:30 UTC)", html.GetText(), StringComparison.Ordinal);
        Assert.Contains("Dear Zoë Example, Invoice was Phishing", text.GetText(), StringComparison.Ordinal);
        Assert.Contains("Footer from Contoso.", text.GetText(), StringComparison.Ordinal);
        Assert.Contains("<em>Contoso</em>", html.GetText(), StringComparison.Ordinal);
        Assert.Equal("auto-generated", message.Headers["Auto-Submitted"]);
        Assert.Equal("1.0", message.Headers["MIME-Version"]);
        Assert.Contains("<security@contoso.com>", message.Headers["From"], StringComparison.Ordinal);
        Assert.Contains("Contoso Security", message.Headers["From"], StringComparison.Ordinal);
        Assert.Contains("zoe@contoso.com", message.Headers["To"], StringComparison.Ordinal);
        Assert.NotNull(message.Headers["Date"]);
        Assert.Matches("^<[0-9a-f]{32}\\.hookline@contoso\\.com>$", message.Headers["Message-ID"]!.Trim());
        Assert.Equal("security@contoso.com", NotificationComposer.SenderOf(composed.Content));
    }

    [Fact]
    public async Task Placeholder_values_are_escaped_and_never_become_markup_or_links()
    {
        var hostile = "<script>alert(1)</script> [click](https://evil.example) **bold** & \"q\"";
        var composed = await Composer(Settings).ComposeResultAsync(Report(hostile), new ReviewRecord { ReportId = 42, Verdict = ReviewVerdicts.Phishing, ReviewedBy = "ana" }, default);
        var message = MimeMessage.Parse(composed!.Content);
        var parts = message.Entities().OfType<MimePart>().ToList();
        var html = parts.First(p => p.ContentType.MimeType == "text/html").GetText();
        var text = parts.First(p => p.ContentType.MimeType == "text/plain").GetText();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"https://evil.example\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; [click](https://evil.example) **bold** &amp; &quot;q&quot;", html, StringComparison.Ordinal);
        Assert.Contains(hostile, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raw_html_in_the_template_is_not_passed_through()
    {
        var settings = Settings with { PhishingText = "Hi <img src=x onerror=alert(1)> {reporterName}" };
        var composed = await Composer(settings).ComposeResultAsync(Report("s"), new ReviewRecord { ReportId = 42, Verdict = ReviewVerdicts.Phishing, ReviewedBy = "a" }, default);
        var html = MimeMessage.Parse(composed!.Content).Entities().OfType<MimePart>().First(p => p.ContentType.MimeType == "text/html").GetText();
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_ascii_and_long_subjects_are_encoded_words_that_decode_back()
    {
        var subject = "Rechnung für Zoë — 請求書 " + new string('x', 120) + " =?fake?=";
        var composed = await Composer(Settings).ComposeResultAsync(Report(subject), new ReviewRecord { ReportId = 42, Verdict = ReviewVerdicts.Phishing, ReviewedBy = "a" }, default);
        var raw = Encoding.ASCII.GetString(composed!.Content);
        var header = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.Contains("Subject: =?utf-8?B?", header, StringComparison.Ordinal);
        Assert.All(header.Split("\r\n"), line => Assert.True(line.Length <= 78, line));
        var message = MimeMessage.Parse(composed.Content);
        // The attacker's subject is cut at 100 characters in ours.
        Assert.Equal("Result of your report: " + subject[..(NotificationComposer.MaxSubjectValueChars - 1)].TrimEnd() + "…", message.Subject);
        Assert.Contains("Zoë Example", message.Headers["To"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_verdict_has_its_own_text_and_nothing_is_composed_when_off_or_without_a_reporter()
    {
        var composer = Composer(Settings with { SpamText = "SPAM {verdict}", NoThreatsFoundText = "CLEAN {verdict}" });
        foreach (var (verdict, expected) in new[] { (ReviewVerdicts.Spam, "SPAM Spam"), (ReviewVerdicts.NoThreatsFound, "CLEAN No threats found") })
        {
            var composed = await composer.ComposeResultAsync(Report("s"), new ReviewRecord { ReportId = 42, Verdict = verdict, ReviewedBy = "a" }, default);
            var text = MimeMessage.Parse(composed!.Content).Entities().OfType<MimePart>().First(p => p.ContentType.MimeType == "text/plain").GetText();
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        var review = new ReviewRecord { ReportId = 42, Verdict = ReviewVerdicts.Spam, ReviewedBy = "a" };
        Assert.Null(await Composer(Settings with { ResultsEnabled = false }).ComposeResultAsync(Report("s"), review, default));
        Assert.Null(await Composer(Settings with { SenderAddress = "" }).ComposeResultAsync(Report("s"), review, default));
        var anonymous = Report("s");
        anonymous.ReporterAddress = null;
        Assert.Null(await composer.ComposeResultAsync(anonymous, review, default));
        Assert.Null(await Composer(Settings with { AcknowledgementEnabled = false }).ComposeAcknowledgementAsync(Report("s"), default));
        Assert.NotNull(await composer.ComposeAcknowledgementAsync(Report("s"), default));
    }

    [Fact]
    public async Task Alert_has_the_summary_score_reasons_and_link_and_its_webhook_json()
    {
        var settings = Settings with { AlertsEnabled = true, AlertRecipients = ["soc@contoso.com", "ir@contoso.com"], AlertMinimumScore = 90, AlertWebhookUrl = "https://hooks.example/alert" };
        var composer = Composer(settings);
        var alert = await composer.ComposeAlertAsync(Report("Pay now"), default);
        Assert.NotNull(alert);
        Assert.Equal("soc@contoso.com, ir@contoso.com", alert.Recipient);
        var message = MimeMessage.Parse(alert.Content);
        Assert.Equal("Phishing reported (score 91): Pay now", message.Subject);
        var html = message.Entities().OfType<MimePart>().First(p => p.ContentType.MimeType == "text/html").GetText();
        var text = message.Entities().OfType<MimePart>().First(p => p.ContentType.MimeType == "text/plain").GetText();
        Assert.Contains("<a href=\"https://hookline.contoso.com/reports/42\">", html, StringComparison.Ordinal);
        Assert.Contains("lookalike &lt;domain&gt;", html, StringComparison.Ordinal);
        Assert.Contains("https://hookline.contoso.com/reports/42", text, StringComparison.Ordinal);
        Assert.Contains("credential form", text, StringComparison.Ordinal);
        Assert.Contains("evil@phish.example", text, StringComparison.Ordinal);

        var webhook = await composer.ComposeAlertWebhookAsync(Report("Pay now"), default);
        using var json = System.Text.Json.JsonDocument.Parse(webhook!.Value.Json);
        Assert.Equal(42, json.RootElement.GetProperty("reportId").GetInt64());
        Assert.Equal(91, json.RootElement.GetProperty("assessment").GetProperty("score").GetInt32());

        var low = Report("x");
        low.Score = 89;
        Assert.Null(await composer.ComposeAlertAsync(low, default));
        Assert.Null(await composer.ComposeAlertWebhookAsync(low, default));
    }

    [Fact]
    public void Preview_renders_unsaved_settings_for_each_kind()
    {
        var composer = Composer(NotificationDefaults.Settings);
        foreach (var kind in new[] { "acknowledgement", "phishing", "spam", "noThreatsFound" })
        {
            var preview = composer.Preview(Settings with { SpamText = "Spam text {originalSubject}" }, kind);
            Assert.Contains("Your mailbox is almost full <action required>", preview.Text, StringComparison.Ordinal);
            Assert.Contains("&lt;action required&gt;", preview.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("{", preview.Subject, StringComparison.Ordinal);
        }

        Assert.Contains("Spam text", composer.Preview(Settings with { SpamText = "Spam text {originalSubject}" }, "spam").Text, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => composer.Preview(Settings, "other"));
    }
}
