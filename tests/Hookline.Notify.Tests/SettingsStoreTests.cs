using Microsoft.EntityFrameworkCore;

namespace Hookline.Notify.Tests;

public sealed class SettingsStoreTests
{
    [Fact]
    public async Task Defaults_save_restore_and_audit()
    {
        await using var test = await TestStore.CreateAsync();
        var store = new NotificationSettingsStore(test.Store);
        Assert.Equal(NotificationDefaults.Settings, await store.GetAsync(default));

        var changed = NotificationDefaults.Settings with { SenderAddress = "security@contoso.com", PhishingText = "Caught: {originalSubject}", AlertRecipients = ["soc@contoso.com"] };
        await store.SaveAsync(changed, "admin", default);
        var read = await store.GetAsync(default);
        Assert.Equal("security@contoso.com", read.SenderAddress);
        Assert.Equal("Caught: {originalSubject}", read.PhishingText);
        Assert.Equal(["soc@contoso.com"], read.AlertRecipients);

        var restored = await store.RestoreDefaultsAsync("admin2", default);
        Assert.Equal(NotificationDefaults.Settings, restored);
        Assert.Equal("", (await store.GetAsync(default)).SenderAddress);

        await using var context = test.Store.CreateContext();
        var audit = await context.AuditEvents.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(["settings-changed", "settings-restored"], audit.Select(a => a.Action));
        Assert.Equal("admin", audit[0].Actor);
        Assert.Contains("phishingText", audit[0].Detail, StringComparison.Ordinal);
        Assert.Contains("senderAddress", audit[0].Detail, StringComparison.Ordinal);
        Assert.Equal("admin2", audit[1].Actor);
    }

    [Fact]
    public async Task Invalid_settings_are_refused_with_every_problem_by_field_and_nothing_is_saved()
    {
        await using var test = await TestStore.CreateAsync();
        var store = new NotificationSettingsStore(test.Store);
        var bad = NotificationDefaults.Settings with
        {
            SenderAddress = "not an address",
            LogoContentType = "image/bmp",
            LogoBase64 = Convert.ToBase64String(new byte[300 * 1024]),
            AlertRecipients = ["ok@contoso.com", "bad@"],
            AlertMinimumScore = 101,
            AlertWebhookUrl = "ftp://hooks.example/x",
            ResultSubject = "two\r\nlines",
        };
        var e = await Assert.ThrowsAsync<NotificationSettingsException>(() => store.SaveAsync(bad, "admin", default));
        foreach (var field in new[] { "senderAddress", "logoContentType", "logoBase64", "alertRecipients", "alertMinimumScore", "alertWebhookUrl", "resultSubject" })
        {
            Assert.True(e.Errors.ContainsKey(field), field);
        }

        Assert.Equal(NotificationDefaults.Settings, await store.GetAsync(default));
        await using var context = test.Store.CreateContext();
        Assert.Empty(await context.AuditEvents.ToListAsync());
    }

    [Theory]
    [InlineData("security@contoso.com", true)]
    [InlineData("first.last+tag@sub.contoso.com", true)]
    [InlineData("Security <security@contoso.com>", false)]
    [InlineData("a@b@c", false)]
    [InlineData("@contoso.com", false)]
    [InlineData("x@contoso.com\r\nBcc: y@z", false)]
    [InlineData("x..y@contoso.com", false)]
    public void Mailbox_syntax(string address, bool valid) => Assert.Equal(valid, NotificationValidation.IsMailbox(address));

    [Fact]
    public void A_preview_is_stopped_only_by_what_breaks_rendering()
    {
        // Half-edited: result emails on, no sender and no subject yet. Save refuses it; a preview does not.
        var halfEdited = NotificationDefaults.Settings with { ResultsEnabled = true, SenderAddress = "", ResultSubject = "" };
        Assert.Contains("resultSubject", NotificationValidation.Validate(halfEdited).Keys);
        Assert.Contains("senderAddress", NotificationValidation.Validate(halfEdited).Keys);
        Assert.Empty(NotificationValidation.ValidateForPreview(halfEdited));

        var brokenLogo = halfEdited with { LogoContentType = "image/png", LogoBase64 = Convert.ToBase64String("GIF89a...."u8.ToArray()) };
        Assert.Equal(["logoBase64"], NotificationValidation.ValidateForPreview(brokenLogo).Keys);
        Assert.Equal(["senderName"], NotificationValidation.ValidateForPreview(halfEdited with { SenderName = "Security\r\nBcc: x@y" }).Keys);
    }

    [Fact]
    public void Logo_bytes_must_match_the_declared_type()
    {
        var settings = NotificationDefaults.Settings with { SenderAddress = "s@contoso.com", LogoContentType = "image/png", LogoBase64 = Convert.ToBase64String("GIF89a...."u8.ToArray()) };
        Assert.Contains("logoBase64", NotificationValidation.Validate(settings).Keys);
        Assert.Empty(NotificationValidation.Validate(settings with { LogoContentType = "image/gif" }));
    }
}
