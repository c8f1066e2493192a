using System.Text.RegularExpressions;
using Hookline.Notify;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hookline.Web.Tests;

/// <summary>The notification settings page: live preview, save, logo, restore (with and without the script), and an analyst's read-only view.</summary>
public sealed partial class BrowserTests
{
    /// <summary>A small dark-blue PNG logo (visible in the screenshot; SVG logos are refused).</summary>
    private static readonly byte[] Logo = BannerPng();

    /// <summary>A 1×1 PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    private static byte[] BannerPng()
    {
        using var image = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgba32>(140, 36, new SixLabors.ImageSharp.PixelFormats.Rgba32(0x14, 0x21, 0x3d));
        using var png = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, png);
        return png.ToArray();
    }

    private NotificationSettingsStore SettingsStore => new(server.Folder.Store);

    private static string Lf(string text) => text.ReplaceLineEndings("\n");

    [Fact]
    public async Task An_admin_edits_the_texts_sees_the_preview_follow_saves_and_restores_the_defaults()
    {
        await SettingsStore.RestoreDefaultsAsync("test", default);
        var page = await SignedInAsync("admin");
        await page.GotoAsync("/settings/notifications");
        var frame = page.FrameLocator("#preview-frame");
        // The saved (default) phishing text, placeholders filled with the sample report's values.
        await Expect(frame.Locator("body")).ToContainTextAsync("Hello Avery Example,");
        await Expect(frame.Locator("body")).ToContainTextAsync("it is phishing");
        await Expect(page.Locator("#placeholders")).ToContainTextAsync("{reporterName} {originalSubject} {dateReported} {verdict}");

        // Typing updates the preview without saving.
        await page.FillAsync("#Input_PhishingText", "Thanks {reporterName}: **{originalSubject}** is phishing ({verdict}). Delete it.");
        await page.FillAsync("#Input_Footer", "Questions? Call the service desk on 4242.");
        await Expect(frame.Locator("body")).ToContainTextAsync("Thanks Avery Example: Your mailbox is almost full <action required> is phishing (Phishing). Delete it.");
        await Expect(frame.Locator("body")).ToContainTextAsync("Questions? Call the service desk on 4242.");
        await Expect(frame.Locator("strong").Filter(new() { HasText = "Your mailbox is almost full" }).First).ToBeVisibleAsync();
        Assert.DoesNotContain("{reporterName}", await frame.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(Lf(NotificationDefaults.Settings.PhishingText), Lf((await SettingsStore.GetAsync(default)).PhishingText));

        // The acknowledgement, chosen in the preview's list.
        await page.SelectOptionAsync("#preview-kind", "acknowledgement");
        await Expect(frame.Locator("#preview-subject")).ToContainTextAsync("We received your report: Your mailbox is almost full <action required>");
        await page.SelectOptionAsync("#preview-kind", "phishing");
        await Expect(frame.Locator("#preview-subject")).ToContainTextAsync("Result of your report:");

        // Saving without a sender fails next to the field, and keeps what was typed.
        await page.ClickAsync("#save");
        await Expect(page.Locator(".field-error[data-field=senderAddress]")).ToContainTextAsync("a sender mailbox is needed");
        Assert.StartsWith("Thanks {reporterName}:", await page.InputValueAsync("#Input_PhishingText"), StringComparison.Ordinal);

        await page.FillAsync("#Input_SenderAddress", "security@contoso.com");
        await page.SetInputFilesAsync("#Logo", new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = Logo });
        await page.ClickAsync("#save");
        await page.WaitForURLAsync(new Regex("saved=True$"));
        await Expect(page.Locator("#settings-message")).ToHaveTextAsync("Saved.");

        await page.ReloadAsync();
        Assert.Equal("Thanks {reporterName}: **{originalSubject}** is phishing ({verdict}). Delete it.", await page.InputValueAsync("#Input_PhishingText"));
        Assert.Equal("Questions? Call the service desk on 4242.", await page.InputValueAsync("#Input_Footer"));
        Assert.Equal("security@contoso.com", await page.InputValueAsync("#Input_SenderAddress"));
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Logo), await page.GetAttributeAsync("#current-logo", "src"));
        await Expect(frame.Locator("body")).ToContainTextAsync("Thanks Avery Example");
        // The logo shows in the preview as a data: URL in place of the email's cid: reference.
        Assert.StartsWith("data:image/png;base64,", await frame.Locator("img").First.GetAttributeAsync("src"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("settings.png"), FullPage = true });

        var saved = await SettingsStore.GetAsync(default);
        Assert.Equal("Questions? Call the service desk on 4242.", saved.Footer);
        Assert.Equal("image/png", saved.LogoContentType);

        // Restore defaults asks first (the script's confirm), then brings the defaults back.
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.ClickAsync("#restore");
        await page.WaitForURLAsync(new Regex("restored=True$"));
        Assert.Equal(Lf(NotificationDefaults.Settings.PhishingText).Trim(), Lf(await page.InputValueAsync("#Input_PhishingText")).Trim());
        Assert.Equal(NotificationDefaults.Settings.Footer, await page.InputValueAsync("#Input_Footer"));
        await Expect(page.Locator("#no-logo")).ToBeVisibleAsync();
        Assert.Null((await SettingsStore.GetAsync(default)).LogoBase64);

        await using var context = server.Folder.Store.CreateContext();
        var audit = await context.AuditEvents.Where(a => a.Actor == "admin1").OrderBy(a => a.Id).Select(a => new { a.Action, a.Detail }).ToListAsync();
        Assert.Contains(audit, a => a.Action == NotificationSettingsStore.ChangedAction && a.Detail!.Contains("phishingText", StringComparison.Ordinal)
            && a.Detail.Contains("footer", StringComparison.Ordinal) && a.Detail.Contains("logoBase64", StringComparison.Ordinal));
        Assert.Equal(NotificationSettingsStore.RestoredAction, audit[^1].Action);
    }

    [Fact]
    public async Task Without_the_script_the_preview_button_works_and_restore_asks_on_a_page_of_its_own()
    {
        await SignedInAsync("admin");
        var changed = NotificationDefaults.Settings with { SenderAddress = "security@contoso.com", Footer = "Changed footer", LogoContentType = "image/png", LogoBase64 = Convert.ToBase64String(Png) };
        await SettingsStore.SaveAsync(changed, "test", default);
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString().TrimEnd('/'),
            StorageState = SignedIn["admin"],
            JavaScriptEnabled = false,
        });
        _contexts.Add(context);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/settings/notifications");

        await page.FillAsync("#Input_SpamText", "Only spam, {reporterName}.");
        await page.SelectOptionAsync("#preview-kind", "spam");
        await page.ClickAsync("#preview-update");
        await Expect(page.FrameLocator("#preview-frame").Locator("body")).ToContainTextAsync("Only spam, Avery Example.");

        // The store checks the logo's bytes against its type; the error shows next to the upload.
        await page.SetInputFilesAsync("#Logo", new FilePayload { Name = "logo.png", MimeType = "image/png", Buffer = "not a picture"u8.ToArray() });
        await page.ClickAsync("#save");
        await Expect(page.Locator(".field-error[data-field=logoBase64]")).ToContainTextAsync("not a image/png image");
        await page.SetInputFilesAsync("#Logo", new FilePayload { Name = "big.png", MimeType = "image/png", Buffer = [.. Png, .. new byte[NotificationValidation.MaxLogoBytes]] });
        await page.ClickAsync("#save");
        await Expect(page.Locator(".field-error[data-field=logo]")).ToContainTextAsync("limited to 256 KB");
        Assert.Equal(Convert.ToBase64String(Png), (await SettingsStore.GetAsync(default)).LogoBase64);

        await page.ClickAsync("#restore");
        await Expect(page.Locator("#restore-confirm")).ToContainTextAsync("Restore the default settings?");
        Assert.Equal("Changed footer", (await SettingsStore.GetAsync(default)).Footer);
        await page.ClickAsync("#restore-confirm-yes");
        await page.WaitForURLAsync(new Regex("restored=True$"));
        var restored = await SettingsStore.GetAsync(default);
        Assert.Equal(NotificationDefaults.Settings.Footer, restored.Footer);
        Assert.Null(restored.LogoBase64);
        Assert.Equal("", restored.SenderAddress);
    }

    [Fact]
    public async Task An_analyst_sees_the_settings_read_only_and_the_server_refuses_their_changes()
    {
        var before = await SettingsStore.GetAsync(default);
        var page = await SignedInAsync("analyst");
        await page.GotoAsync("/settings/notifications");
        await Expect(page.Locator("#read-only")).ToBeVisibleAsync();
        await Expect(page.Locator("#Input_PhishingText")).ToBeDisabledAsync();
        await Expect(page.Locator("#Input_SenderAddress")).ToBeDisabledAsync();
        await Expect(page.Locator("#Logo")).ToBeDisabledAsync();
        Assert.Equal(0, await page.Locator("#save").CountAsync());
        Assert.Equal(0, await page.Locator("#restore").CountAsync());
        await Expect(page.FrameLocator("#preview-frame").Locator("body")).ToContainTextAsync("Hello Avery Example,");

        var preview = await page.Context.APIRequest.GetAsync("/settings/notifications?handler=Preview&kind=spam");
        Assert.Equal(200, preview.Status);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:; form-action 'none'; sandbox", preview.Headers["content-security-policy"]);
        Assert.Equal("SAMEORIGIN", preview.Headers["x-frame-options"]);
        Assert.Contains("It is not", await preview.TextAsync(), StringComparison.Ordinal);

        // Hiding the buttons is not the check: the page's own token on a hand-made POST is still refused.
        var token = await page.Locator("#settings-form input[name=__RequestVerificationToken]").InputValueAsync();
        foreach (var path in new[] { "/settings/notifications", "/settings/notifications?handler=Restore" })
        {
            var form = page.Context.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", token);
            form.Set("Input.PhishingText", "changed by an analyst");
            form.Set("Input.SenderAddress", "analyst@contoso.com");
            form.Set("confirmed", "true");
            var response = await page.Context.APIRequest.PostAsync(path, new() { Form = form, MaxRedirects = 0 });
            Assert.Equal(302, response.Status);
            Assert.StartsWith("/denied", new Uri(server.BaseAddress, response.Headers["location"]).PathAndQuery, StringComparison.Ordinal);
        }

        var after = await SettingsStore.GetAsync(default);
        Assert.Equal(before, after with { AlertRecipients = before.AlertRecipients });
        Assert.Equal(before.PhishingText, after.PhishingText);
    }
}
