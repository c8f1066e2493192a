using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hookline.Tests.Api;

/// <summary>The notification settings API (docs/api.md) over real HTTP, for every role.</summary>
public sealed class SettingsApiTests(ApiServer server) : IClassFixture<ApiServer>
{
    private const string Path = "/api/settings/notifications";

    private static async Task<JsonObject> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Fact]
    public async Task A_reader_cannot_see_the_settings_and_an_analyst_cannot_change_them()
    {
        using var reader = server.Client("reader");
        using var analyst = server.Client("analyst");

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync(Path)).StatusCode);
        var settings = await Json(await analyst.GetAsync(Path));
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PutAsJsonAsync(Path, settings)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsync($"{Path}/restore", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PutAsync($"{Path}/logo", new ByteArrayContent([0x89, 0x50, 0x4e, 0x47]) { Headers = { ContentType = new("image/png") } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.DeleteAsync($"{Path}/logo")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync($"{Path}/preview", new { kind = "phishing" })).StatusCode);
    }

    [Fact]
    public async Task An_admin_changes_the_texts_then_restores_the_defaults_and_both_are_audited()
    {
        using var admin = server.Client("admin");
        await Json(await admin.PostAsync($"{Path}/restore", null)); // whatever other tests of this class left
        var defaults = await Json(await admin.GetAsync(Path));

        var changed = defaults.DeepClone().AsObject();
        changed["senderAddress"] = "security@contoso.com";
        changed["phishingText"] = "Thanks {reporterName}: **{originalSubject}** was phishing.";
        changed["footer"] = "Contoso security team";
        var saved = await Json(await admin.PutAsJsonAsync(Path, changed));
        var reread = await Json(await admin.GetAsync(Path));

        Assert.Equal("security@contoso.com", saved["senderAddress"]!.GetValue<string>());
        Assert.Equal("Contoso security team", reread["footer"]!.GetValue<string>());

        var restored = await Json(await admin.PostAsync($"{Path}/restore", null));
        Assert.Equal(defaults["phishingText"]!.GetValue<string>(), restored["phishingText"]!.GetValue<string>());
        Assert.Equal(defaults.ToJsonString(), (await Json(await admin.GetAsync(Path))).ToJsonString());

        await using var context = server.Folder.Store.CreateContext();
        var actions = context.AuditEvents.Where(a => a.Actor == "key:admin-key").Select(a => a.Action).ToList();
        Assert.Contains("settings-changed", actions);
        Assert.Contains("settings-restored", actions);
    }

    [Fact]
    public async Task Invalid_settings_are_refused_with_the_field_that_is_wrong()
    {
        using var admin = server.Client("admin");
        var settings = await Json(await admin.GetAsync(Path));
        settings["senderAddress"] = "not an address";
        settings["alertMinimumScore"] = 300;

        var response = await admin.PutAsJsonAsync(Path, settings);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.Contains(fields, f => f.Equals("senderAddress", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(fields, f => f.Equals("alertMinimumScore", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_analyst_previews_unsaved_texts_with_the_placeholders_filled_and_escaped()
    {
        using var analyst = server.Client("analyst");
        var settings = await Json(await analyst.GetAsync(Path));
        settings["phishingText"] = "Hello {reporterName}, you reported {originalSubject}.";

        var preview = await Json(await analyst.PostAsJsonAsync($"{Path}/preview", new { settings, kind = "phishing" }));

        var html = preview["html"]!.GetValue<string>();
        Assert.Contains("Hello ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{reporterName}", html, StringComparison.Ordinal);
        Assert.DoesNotContain("{reporterName}", preview["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await analyst.PostAsJsonAsync($"{Path}/preview", new { kind = "maybe" })).StatusCode);
    }

    [Fact]
    public async Task A_half_edited_form_previews_as_on_the_settings_page_and_a_broken_sender_name_does_not()
    {
        using var analyst = server.Client("analyst");
        var settings = await Json(await analyst.GetAsync(Path));
        settings["resultsEnabled"] = true;
        settings["resultSubject"] = "";

        var halfEdited = await analyst.PostAsJsonAsync($"{Path}/preview", new { settings, kind = "phishing" });
        Assert.Equal(HttpStatusCode.OK, halfEdited.StatusCode);

        settings["senderName"] = "Security\r\nBcc: someone@example.com";
        var broken = await analyst.PostAsJsonAsync($"{Path}/preview", new { settings, kind = "phishing" });
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("senderName", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_logo_can_be_uploaded_before_a_sender_is_set()
    {
        using var admin = server.Client("admin");
        Assert.True((await admin.PostAsync($"{Path}/restore", null)).IsSuccessStatusCode);
        var defaults = await Json(await admin.GetAsync(Path));
        Assert.True(string.IsNullOrEmpty(defaults["senderAddress"]?.GetValue<string>()));
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

        var uploaded = await admin.PutAsync($"{Path}/logo", new ByteArrayContent(png) { Headers = { ContentType = new("image/png") } });
        var removed = await admin.DeleteAsync($"{Path}/logo");

        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
    }

    [Fact]
    public async Task An_admin_uploads_and_removes_the_logo_and_a_wrong_type_is_refused()
    {
        using var admin = server.Client("admin");
        // With a sender set, as an organisation would have it.
        var settings = await Json(await admin.GetAsync(Path));
        settings["senderAddress"] = "security@contoso.com";
        await Json(await admin.PutAsJsonAsync(Path, settings));
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

        var uploaded = await admin.PutAsync($"{Path}/logo", new ByteArrayContent(png) { Headers = { ContentType = new("image/png") } });
        var withLogo = await Json(await admin.GetAsync(Path));
        var wrong = await admin.PutAsync($"{Path}/logo", new ByteArrayContent(png) { Headers = { ContentType = new("application/x-msdownload") } });
        var removed = await admin.DeleteAsync($"{Path}/logo");

        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        Assert.Equal(Convert.ToBase64String(png), withLogo["logoBase64"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Null((await Json(await admin.GetAsync(Path)))["logoBase64"]);
    }
}
