using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Tests;

/// <summary>The pages over plain HTTP: who may see and do what, sign-in limits, and the headers every response carries.</summary>
[Collection(WebCollection.Name)]
public sealed partial class PageAccessTests(WebServer server)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private static HttpClient Client(Uri baseAddress) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = baseAddress };

    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return TokenPattern().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"no antiforgery token on {path}");
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password, string? returnUrl = null)
    {
        var token = await TokenAsync(client, "/login");
        var form = new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password, ["__RequestVerificationToken"] = token };
        if (returnUrl is not null)
        {
            form["ReturnUrl"] = returnUrl;
        }

        return await client.PostAsync("/login", new FormUrlEncodedContent(form));
    }

    [Fact]
    public async Task Anonymous_requests_for_pages_are_sent_to_the_login_page()
    {
        using var client = Client(server.BaseAddress);
        foreach (var path in new[] { "/", "/dashboard", $"/reports/{server.HostileReportId}", $"/reports/{server.HostileReportId}/body", "/?q=x&page=2" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/login?ReturnUrl=" + Uri.EscapeDataString(path), response.Headers.Location?.PathAndQuery);
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
        var post = await client.PostAsync("/mark", new FormUrlEncodedContent(new Dictionary<string, string> { ["ids"] = "1", ["verdict"] = "phishing" }));
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.False(post.StatusCode == HttpStatusCode.Redirect && post.Headers.Location?.OriginalString == "/", "an anonymous mark must not go through");
    }

    [Fact]
    public async Task A_reader_is_denied_marking_and_the_report_stays_unmarked()
    {
        using var client = Client(server.BaseAddress);
        var signIn = await SignInAsync(client, "reader1", WebServer.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);

        var token = await TokenAsync(client, "/");
        var mark = await client.PostAsync("/mark", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ids"] = server.HostileReportId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["verdict"] = "phishing",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, mark.StatusCode);
        Assert.StartsWith("/denied", mark.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/denied")).StatusCode);

        await using var context = server.Folder.Store.CreateContext();
        Assert.Null(await context.Reports.Where(r => r.Id == server.HostileReportId).Select(r => r.MarkedAs).SingleAsync());
        Assert.False(await context.Reviews.AnyAsync(r => r.ReportId == server.HostileReportId));
    }

    [Fact]
    public async Task An_analyst_post_without_the_antiforgery_token_is_refused()
    {
        using var client = Client(server.BaseAddress);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(client, "admin1", WebServer.Password)).StatusCode);
        var mark = await client.PostAsync("/mark", new FormUrlEncodedContent(new Dictionary<string, string> { ["ids"] = "1", ["verdict"] = "phishing" }));
        Assert.Equal(HttpStatusCode.BadRequest, mark.StatusCode);
        await using var context = server.Folder.Store.CreateContext();
        Assert.False(await context.Reviews.AnyAsync(r => r.ReportId == 1));
    }

    [Fact]
    public async Task Sign_in_only_returns_to_local_addresses()
    {
        using var client = Client(server.BaseAddress);
        var response = await SignInAsync(client, "reader1", WebServer.Password, "//evil.example/phish");
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        using var second = Client(server.BaseAddress);
        response = await SignInAsync(second, "reader1", WebServer.Password, "/dashboard?x=1");
        Assert.Equal("/dashboard?x=1", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Every_page_carries_the_security_headers_and_the_body_its_own()
    {
        using var client = Client(server.BaseAddress);
        await SignInAsync(client, "reader1", WebServer.Password);
        foreach (var path in new[] { "/login", "/", "/dashboard", $"/reports/{server.HostileReportId}", "/static/app.js" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode}");
            var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
            Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Matches("^app;dur=\\d+\\.\\d+$", Assert.Single(response.Headers.GetValues("Server-Timing")));
        }

        var body = await client.GetAsync($"/reports/{server.HostileReportId}/body");
        Assert.Equal(HttpStatusCode.OK, body.StatusCode);
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; sandbox", Assert.Single(body.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("SAMEORIGIN", Assert.Single(body.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(body.Headers.GetValues("X-Content-Type-Options")));
        // The body is defanged on the server: no script, no link target, no refresh, no base.
        var html = await body.Content.ReadAsStringAsync();
        Assert.Contains("<p id=\"marker\">Open sesame &lt;b&gt;not bold&lt;/b&gt;</p>", html, StringComparison.Ordinal);
        Assert.Contains("data-hookline-href=\"https://evil.example/x\"", html, StringComparison.Ordinal);
        foreach (var gone in new[] { "<script", " href=", "http-equiv", "<base", "<link", " src=", " action=", "formaction=" })
        {
            Assert.DoesNotContain(gone, html, StringComparison.OrdinalIgnoreCase);
        }

        // On the report page the same message text is encoded, never markup.
        var page = await client.GetStringAsync($"/reports/{server.HostileReportId}");
        Assert.DoesNotContain("<script>document.title", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/reports/999999")).StatusCode);
    }
}

/// <summary>The sign-in rate limit, on a server of its own (the limit is per server and client address).</summary>
public sealed class LoginRateLimitTests
{
    [Fact]
    public async Task The_eleventh_rapid_sign_in_attempt_gets_429()
    {
        var server = new WebServer(new Hookline.Hosting.ServerOptions().SignInAttemptsPerMinute);
        await server.InitializeAsync();
        try
        {
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
            var html = await client.GetStringAsync("/login");
            var token = WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 11; i++)
            {
                var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "analyst1", ["Password"] = "wrong " + i, ["__RequestVerificationToken"] = token });
                statuses.Add((await client.PostAsync("/login", form)).StatusCode);
            }

            Assert.All(statuses.Take(10), s => Assert.Equal(HttpStatusCode.OK, s));
            Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
            // Showing the form is not an attempt.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
