using Hookline.Mime;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Notify.Tests;

/// <summary>
/// Links and images in sent emails: only http(s) and mailto links, no remote images (the logo's
/// <c>cid:</c> stays), no placeholder as a link target or image source, no SVG logo. Refused when
/// saved (a real store); and settings saved before the check still render without them.
/// </summary>
public sealed class TemplateLinkTests
{
    private const string HostileText =
        "Hi {reporterName}. [safe](https://intranet.contoso.com/help) [mail](mailto:security@contoso.com) " +
        "[js](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [file](file:///etc/passwd) [relative](/x) " +
        "<javascript:alert(2)> <https://autolink.contoso.com/ok> " +
        "![pixel](https://tracker.example/p.gif) ![inline](cid:part1@contoso) " +
        "[who]({reporterAddress}) [subject](https://evil.example/{originalSubject}) ![img]({reportUrl}) <http://{originalSubject}>\n\n" +
        "[ref]: javascript:alert(3)\n\n[by reference][ref]";

    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];

    private static readonly byte[] Svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"u8.ToArray();

    private static NotificationSettings Settings => NotificationDefaults.Settings with
    {
        SenderAddress = "security@contoso.com",
        PhishingText = HostileText,
    };

    private static ReportRecord Report() => new()
    {
        Id = 7,
        RawSha256 = "x",
        Source = "test",
        SourceKey = "k",
        ReporterName = "Zoë",
        ReporterAddress = "zoe@contoso.com",
        Subject = "attacker.example/login",
        ReportedAt = new DateTime(2026, 3, 1, 9, 30, 0, DateTimeKind.Utc),
    };

    private sealed class SavedBeforeTheCheck(NotificationSettings settings) : INotificationSettingsStore
    {
        public Task<NotificationSettings> GetAsync(CancellationToken cancellationToken) => Task.FromResult(settings);

        public Task SaveAsync(NotificationSettings settings, string actor, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SaveLogoAsync(string? contentType, string? base64, string actor, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<NotificationSettings> RestoreDefaultsAsync(string actor, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private static async Task<(string Html, MimeMessage Message)> SentAsync(NotificationSettings settings)
    {
        var composer = new NotificationComposer(new SavedBeforeTheCheck(settings), new NotificationComposerOptions { PublicUrl = new Uri("https://hookline.contoso.com/"), OrganizationDomains = ["contoso.com"] });
        var composed = await composer.ComposeResultAsync(Report(), new ReviewRecord { ReportId = 7, Verdict = ReviewVerdicts.Phishing, ReviewedBy = "ana" }, default);
        var message = MimeMessage.Parse(composed!.Content);
        return (message.Entities().OfType<MimePart>().First(p => p.ContentType.MimeType == "text/html").GetText(), message);
    }

    [Fact]
    public async Task A_sent_email_keeps_only_http_and_mailto_links_and_cid_images_and_no_placeholder_in_a_target()
    {
        var (html, _) = await SentAsync(Settings);

        // Every address left in the HTML, in order: the allowed links, the autolink, the cid: image; nothing else.
        var targets = System.Text.RegularExpressions.Regex.Matches(html, "(?:href|src)=\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["https://intranet.contoso.com/help", "mailto:security@contoso.com", "https://autolink.contoso.com/ok", "cid:part1@contoso"], targets);
        Assert.Contains("<a href=\"https://intranet.contoso.com/help\">safe</a>", html, StringComparison.Ordinal);

        // A refused link keeps its text, as text; a placeholder in a target gives its (encoded) value as text at most.
        Assert.Contains(" js data file relative javascript:alert(2) ", html, StringComparison.Ordinal);
        Assert.Contains(" who subject img http://attacker.example/login", html, StringComparison.Ordinal);
        Assert.Contains("<p>by reference</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("tracker.example", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_links_images_and_placeholder_targets_are_not_saved_each_with_its_reason()
    {
        await using var test = await TestStore.CreateAsync();
        var store = new NotificationSettingsStore(test.Store);
        var e = await Assert.ThrowsAsync<NotificationSettingsException>(() => store.SaveAsync(Settings with { Footer = "[x](vbscript:msgbox)" }, "admin", default));

        var phishing = e.Errors["phishingText"];
        Assert.Contains(phishing, m => m.Contains("not javascript:alert(1)", StringComparison.Ordinal));
        Assert.Contains(phishing, m => m.Contains("not javascript:alert(2)", StringComparison.Ordinal));
        Assert.Contains(phishing, m => m.Contains("not javascript:alert(3)", StringComparison.Ordinal));
        Assert.Contains(phishing, m => m.Contains("not data:text/html", StringComparison.Ordinal));
        Assert.Contains(phishing, m => m.Contains("not file:///etc/passwd", StringComparison.Ordinal));
        Assert.Contains(phishing, m => m.Contains("not /x", StringComparison.Ordinal));
        Assert.Contains(phishing, m => m.StartsWith("images may only be parts of the message (cid:), not https://tracker.example/p.gif", StringComparison.Ordinal));
        Assert.Equal(4, phishing.Count(m => m.StartsWith("a placeholder cannot be a link target", StringComparison.Ordinal)));
        Assert.Equal(11, phishing.Length);
        Assert.Single(e.Errors["footer"]);
        Assert.Equal(NotificationDefaults.Settings, await store.GetAsync(default));

        // The allowed ones alone save.
        var fine = Settings with { PhishingText = "[safe](https://intranet.contoso.com/help) <mailto:security@contoso.com> ![x](cid:part1@contoso) {reportUrl} {reporterName}" };
        await store.SaveAsync(fine, "admin", default);
        Assert.Equal(fine.PhishingText, (await store.GetAsync(default)).PhishingText);
    }

    [Fact]
    public async Task An_svg_logo_is_refused_and_one_saved_before_is_never_mailed()
    {
        await using var test = await TestStore.CreateAsync();
        var store = new NotificationSettingsStore(test.Store);
        var svg = NotificationDefaults.Settings with { LogoContentType = "image/svg+xml", LogoBase64 = Convert.ToBase64String(Svg) };
        var e = await Assert.ThrowsAsync<NotificationSettingsException>(() => store.SaveAsync(svg, "admin", default));
        Assert.Contains("SVG is refused", e.Errors["logoContentType"].Single(), StringComparison.Ordinal);

        // An SVG under a PNG's name fails on its bytes.
        var disguised = NotificationDefaults.Settings with { LogoContentType = "image/png", LogoBase64 = Convert.ToBase64String(Svg) };
        e = await Assert.ThrowsAsync<NotificationSettingsException>(() => store.SaveAsync(disguised, "admin", default));
        Assert.Equal("the logo's bytes are not a image/png image", e.Errors["logoBase64"].Single());
        await using (var context = test.Store.CreateContext())
        {
            Assert.Empty(await context.AuditEvents.ToListAsync());
        }

        var (html, message) = await SentAsync(Settings with { PhishingText = "Hello", LogoContentType = "image/svg+xml", LogoBase64 = Convert.ToBase64String(Svg) });
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain(message.Entities().OfType<MimePart>(), p => p.ContentType.MimeType.Contains("svg", StringComparison.Ordinal));

        var (withPng, pngMessage) = await SentAsync(Settings with { PhishingText = "Hello", LogoContentType = "image/png", LogoBase64 = Convert.ToBase64String(Png) });
        Assert.Contains("<img src=\"cid:", withPng, StringComparison.Ordinal);
        Assert.Contains(pngMessage.Entities().OfType<MimePart>(), p => p.ContentType.MimeType == "image/png");
    }
}
