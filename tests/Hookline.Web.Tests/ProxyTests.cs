using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Hookline.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Tests;

/// <summary>
/// Behind a TLS proxy: forwarded headers believed only from <c>web.trustedProxies</c>; https (as the
/// proxy says) makes cookies Secure and sends HSTS; the per-address sign-in limit counts the forwarded
/// client; a per-account limit holds across addresses; every 429 says when to come back. Each test
/// has a real server of its own (the limits are per server).
/// </summary>
public sealed partial class ProxyTests
{
    private const string Host = "hookline.test";

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [Fact]
    public async Task From_a_trusted_proxy_https_gives_Secure_cookies_and_HSTS_and_the_limit_counts_the_forwarded_client()
    {
        await using var server = await StartAsync(new ServerOptions { SignInAttemptsPerMinute = 3, SignInAttemptsPerAccount = 1000 }, "web:\n  trustedProxies: [127.0.0.1]\n");
        using var http = Client(server);

        // https as the proxy says: HSTS, and the antiforgery and session cookies are Secure.
        var form = await FormAsync(http, https: true, from: null);
        Assert.True(form.Hsts);
        Assert.Contains("secure", form.CookieFlags, StringComparison.OrdinalIgnoreCase);
        using (var signIn = await PostAsync(http, form, "analyst1", WebServer.Password, https: true, from: "198.51.100.1"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hookline=", StringComparison.Ordinal));
            Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
            Assert.True(signIn.Headers.Contains("Strict-Transport-Security"));
        }

        // Plain http through the same proxy: neither.
        var plain = await FormAsync(http, https: false, from: null);
        Assert.False(plain.Hsts);
        Assert.DoesNotContain("secure", plain.CookieFlags, StringComparison.OrdinalIgnoreCase);

        // The per-address limit is per forwarded client: 203.0.113.7 uses its three, 203.0.113.8 still has its own.
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await PostAsync(http, form, "analyst1", "wrong " + i, https: true, from: "203.0.113.7");
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
        }

        using (var limited = await PostAsync(http, form, "analyst1", WebServer.Password, https: true, from: "203.0.113.7"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            AssertRetryAfter(limited, 60);
        }

        using (var other = await PostAsync(http, form, "analyst1", WebServer.Password, https: true, from: "203.0.113.8"))
        {
            Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        }

        // The audit names the client, not the proxy.
        await using var context = server.Folder.Store.CreateContext();
        var failed = await context.AuditEvents.Where(a => a.Action == "login-failed").Select(a => a.Detail).ToListAsync();
        Assert.Equal(["203.0.113.7", "203.0.113.7", "203.0.113.7"], failed);
    }

    [Fact]
    public async Task From_an_address_not_trusted_the_forwarded_headers_are_ignored_and_secureCookies_marks_cookies_Secure_anyway()
    {
        await using var server = await StartAsync(new ServerOptions { SignInAttemptsPerMinute = 3, SignInAttemptsPerAccount = 1000 }, "web:\n  trustedProxies: [10.0.0.1, 10.1.0.0/16]\n  secureCookies: true\n");
        using var http = Client(server);

        // X-Forwarded-Proto from 127.0.0.1 is not believed: no HSTS, and the antiforgery cookie (which follows the request) is not Secure.
        var form = await FormAsync(http, https: true, from: null);
        Assert.False(form.Hsts);
        Assert.DoesNotContain("secure", form.CookieFlags, StringComparison.OrdinalIgnoreCase);

        // The session cookie is Secure on plain http because the configuration says so.
        using (var signIn = await PostAsync(http, form, "analyst1", WebServer.Password, https: true, from: null))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.Contains("; secure", signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hookline=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
            Assert.False(signIn.Headers.Contains("Strict-Transport-Security"));
        }

        // A client that names a new address each time is still one address: with the sign-in above, the fourth attempt waits.
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i < 4; i++)
        {
            using var attempt = await PostAsync(http, form, "analyst1", "wrong " + i, https: true, from: "203.0.113." + (10 + i).ToString(CultureInfo.InvariantCulture));
            statuses.Add(attempt.StatusCode);
            if (i == 3)
            {
                AssertRetryAfter(attempt, 60);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        await using var context = server.Folder.Store.CreateContext();
        Assert.All(await context.AuditEvents.Where(a => a.Action == "login-failed").Select(a => a.Detail).ToListAsync(), d => Assert.Equal("127.0.0.1", d));
    }

    [Fact]
    public async Task One_account_gets_its_attempts_from_all_addresses_together_and_then_waits_even_with_the_right_password()
    {
        await using var server = await StartAsync(new ServerOptions { SignInAttemptsPerMinute = 1000, SignInAttemptsPerAccount = 3 }, "web:\n  trustedProxies: [127.0.0.1]\n");
        using var http = Client(server);
        var form = await FormAsync(http, https: false, from: null);
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await PostAsync(http, form, " Analyst1 ", "wrong " + i, https: false, from: "203.0.113." + (20 + i).ToString(CultureInfo.InvariantCulture));
            Assert.Equal(HttpStatusCode.OK, attempt.StatusCode);
        }

        using (var limited = await PostAsync(http, form, "analyst1", WebServer.Password, https: false, from: "203.0.113.99"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            AssertRetryAfter(limited, 15 * 60);
        }

        // Another account is not held back, and the held-back one's password was not even checked (no new audit entry).
        using (var other = await PostAsync(http, form, "reader1", WebServer.Password, https: false, from: "203.0.113.99"))
        {
            Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        }

        await using var context = server.Folder.Store.CreateContext();
        Assert.Equal(3, await context.AuditEvents.CountAsync(a => a.Action == "login-failed" && a.Actor == "analyst1"));
        Assert.False(await context.AuditEvents.AnyAsync(a => a.Action == "login" && a.Actor == "analyst1"));
    }

    private static void AssertRetryAfter(HttpResponseMessage response, int atMostSeconds)
    {
        var seconds = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, atMostSeconds);
    }

    private static async Task<Server> StartAsync(ServerOptions options, string config)
    {
        var server = new WebServer(options, config);
        await server.InitializeAsync();
        return new Server(server);
    }

    /// <summary>No cookie jar: a Secure cookie would not be sent back over http, so cookies are sent by hand.</summary>
    private static HttpClient Client(Server server) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.Web.BaseAddress };

    private static async Task<Form> FormAsync(HttpClient http, bool https, string? from)
    {
        using var request = Request(HttpMethod.Get, https, from);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = WebUtility.HtmlDecode(TokenPattern().Match(await response.Content.ReadAsStringAsync()).Groups[1].Value);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        var semicolon = cookie.IndexOf(';', StringComparison.Ordinal);
        return new Form(token, cookie[..semicolon], cookie[semicolon..], response.Headers.Contains("Strict-Transport-Security"));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Form form, string user, string password, bool https, string? from)
    {
        using var request = Request(HttpMethod.Post, https, from);
        request.Headers.Add("Cookie", form.Cookie);
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = form.Token });
        return await http.SendAsync(request);
    }

    /// <summary>A request to /login as a proxy would pass it on: the public host name, and what it says about the client.</summary>
    private static HttpRequestMessage Request(HttpMethod method, bool https, string? from)
    {
        var request = new HttpRequestMessage(method, new Uri("/login", UriKind.Relative));
        request.Headers.Host = Host;
        if (https)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
        }

        if (from is not null)
        {
            request.Headers.Add("X-Forwarded-For", from);
        }

        return request;
    }

    private sealed record Form(string Token, string Cookie, string CookieFlags, bool Hsts);

    private sealed class Server(WebServer web) : IAsyncDisposable
    {
        public WebServer Web { get; } = web;

        public Hookline.Hosting.DataFolder Folder => Web.Folder;

        public async ValueTask DisposeAsync() => await Web.DisposeAsync();
    }
}
