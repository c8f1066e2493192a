using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Hookline.Review.Accounts;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Tests;

/// <summary>
/// A session lasts only while its user does: a cookie replayed after sign-out, or held by a user since
/// disabled, demoted or given a new password, is refused on the next request; a revoked key likewise.
/// And the admin page that does those things. Each test has users of its own on the shared server.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class SessionTests(WebServer server)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private AccountService Accounts => new(server.Folder.Store);

    private static async Task<string> TokenAsync(HttpClient client, string path) =>
        WebUtility.HtmlDecode(TokenPattern().Match(await client.GetStringAsync(path)).Groups[1].Value);

    /// <summary>A new user of <paramref name="role"/> signed in; returns the client and the session cookie as sent.</summary>
    private async Task<(HttpClient Client, string Cookie, string Name)> SignedInAsync(string role)
    {
        var name = role + "-" + Guid.NewGuid().ToString("N")[..8];
        await Accounts.AddUserAsync(name, WebServer.Password, role, "test", default);
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        var token = await TokenAsync(client, "/login");
        var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = name, ["Password"] = WebServer.Password, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hookline=", StringComparison.Ordinal));
        return (client, cookie[..cookie.IndexOf(';', StringComparison.Ordinal)], name);
    }

    /// <summary>A request carrying only the given cookie (a stolen or replayed copy).</summary>
    private async Task<HttpStatusCode> ReplayAsync(string cookie, string path)
    {
        using var bare = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        using var response = await bare.SendAsync(request);
        return response.StatusCode;
    }

    private string RawPath => $"/api/reports/{server.HostileReportId}/raw";

    [Fact]
    public async Task A_cookie_replayed_after_sign_out_is_refused()
    {
        var (client, cookie, _) = await SignedInAsync(Roles.Analyst);
        Assert.Equal(HttpStatusCode.OK, await ReplayAsync(cookie, RawPath));
        var token = await TokenAsync(client, "/logout");
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReplayAsync(cookie, RawPath));
        Assert.Equal(HttpStatusCode.Redirect, await ReplayAsync(cookie, "/"));
    }

    [Fact]
    public async Task Disabling_demoting_or_resetting_a_user_ends_their_sessions_and_a_disabled_user_cannot_sign_in()
    {
        var (_, disabledCookie, disabled) = await SignedInAsync(Roles.Analyst);
        var (_, demotedCookie, demoted) = await SignedInAsync(Roles.Analyst);
        var (_, resetCookie, reset) = await SignedInAsync(Roles.Analyst);
        foreach (var cookie in new[] { disabledCookie, demotedCookie, resetCookie })
        {
            Assert.Equal(HttpStatusCode.OK, await ReplayAsync(cookie, RawPath));
        }

        await Accounts.SetDisabledAsync(disabled, disabled: true, "test", default);
        await Accounts.SetRoleAsync(demoted, Roles.Reader, "test", default);
        await Accounts.ResetPasswordAsync(reset, "another long password", "test", default);
        foreach (var cookie in new[] { disabledCookie, demotedCookie, resetCookie })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await ReplayAsync(cookie, RawPath));
        }

        // The demoted user signs in again as a reader, who may not download raw reports.
        using var again = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        var token = await TokenAsync(again, "/login");
        Assert.Equal(HttpStatusCode.Redirect, (await again.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = demoted, ["Password"] = WebServer.Password, ["__RequestVerificationToken"] = token }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await again.GetAsync(RawPath)).StatusCode);

        // The disabled user cannot sign in; the reset one signs in only with the new password.
        Assert.Null(await Accounts.SignInAsync(disabled, WebServer.Password, "test", default));
        Assert.Null(await Accounts.SignInAsync(reset, WebServer.Password, "test", default));
        Assert.NotNull(await Accounts.SignInAsync(reset, "another long password", "test", default));

        await using var context = server.Folder.Store.CreateContext();
        var actions = await context.AuditEvents.Where(a => a.Actor == "test" && (a.Detail!.StartsWith(disabled) || a.Detail.StartsWith(demoted) || a.Detail.StartsWith(reset))).Select(a => a.Action).ToListAsync();
        Assert.Contains("user-disabled", actions);
        Assert.Contains("user-role-changed", actions);
        Assert.Contains("password-reset", actions);
    }

    [Fact]
    public async Task A_revoked_api_key_is_refused_on_the_next_request()
    {
        var key = await Accounts.AddApiKeyAsync("revoke-me-" + Guid.NewGuid().ToString("N")[..6], Roles.Analyst, "test", default);
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(RawPath)).StatusCode);
        await Accounts.RevokeApiKeyAsync(key[..12], "test", default);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(RawPath)).StatusCode);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Accounts.RevokeApiKeyAsync(key[..12], "test", default));
    }

    [Fact]
    public async Task A_cookie_caller_of_the_api_must_send_the_antiforgery_token_and_a_key_caller_need_not()
    {
        var (client, _, _) = await SignedInAsync(Roles.Admin);

        // What another site's form could make the browser send: the cookie and nothing else.
        using var form = new MultipartFormDataContent { { new ByteArrayContent("From: a@b.example\r\nSubject: x\r\n\r\nhi\r\n"u8.ToArray()), "file", "report.eml" } };
        var forged = await client.PostAsync("/api/reports", form);
        var logo = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47]);
        logo.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var forgedLogo = await client.PutAsync("/api/settings/notifications/logo", logo);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("antiforgery token missing", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forgedLogo.StatusCode);
        Assert.Contains("antiforgery token missing", await forgedLogo.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // With the page's token the request gets past the check (an empty body is then refused as empty: no report is added).
        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/api/reports") { Content = new ByteArrayContent([]) };
        withToken.Content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        withToken.Headers.Add("RequestVerificationToken", await TokenAsync(client, "/"));
        var passed = await client.SendAsync(withToken);
        Assert.Equal(HttpStatusCode.BadRequest, passed.StatusCode);
        Assert.Contains("empty body", await passed.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A script with an API key needs no token.
        var key = await Accounts.AddApiKeyAsync("csrf-" + Guid.NewGuid().ToString("N")[..6], Roles.Analyst, "test", default);
        using var script = new HttpClient { BaseAddress = server.BaseAddress };
        script.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var empty = new ByteArrayContent([]);
        empty.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        var byKey = await script.PostAsync("/api/reports", empty);
        Assert.Contains("empty body", await byKey.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_users_page_adds_a_user_shows_the_password_once_disables_them_and_refuses_to_disable_oneself()
    {
        var (admin, _, adminName) = await SignedInAsync(Roles.Admin);
        var (reader, _, _) = await SignedInAsync(Roles.Reader);
        Assert.Equal(HttpStatusCode.Redirect, (await reader.GetAsync("/settings/accounts")).StatusCode);

        var name = "new-" + Guid.NewGuid().ToString("N")[..8];
        var token = await TokenAsync(admin, "/settings/accounts");
        var added = await admin.PostAsync("/settings/accounts?handler=AddUser", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name, ["role"] = Roles.Analyst, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.True(added.Headers.CacheControl?.NoStore);
        var page = await added.Content.ReadAsStringAsync();
        var password = WebUtility.HtmlDecode(Regex.Match(page, "<code id=\"secret\">([^<]+)</code>").Groups[1].Value);
        Assert.Equal(20, password.Length);
        Assert.NotNull(await Accounts.SignInAsync(name, password, "test", default));
        Assert.DoesNotContain(password, await admin.GetStringAsync("/settings/accounts"), StringComparison.Ordinal);

        var disable = await admin.PostAsync("/settings/accounts?handler=Disable", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);
        Assert.Null(await Accounts.SignInAsync(name, password, "test", default));

        var self = await admin.PostAsync("/settings/accounts?handler=Disable", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = adminName, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Contains("you cannot disable or demote yourself", await self.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/settings/accounts")).StatusCode);
    }
}
