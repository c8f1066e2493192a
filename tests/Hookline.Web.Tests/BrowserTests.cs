using System.Text.RegularExpressions;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Hookline.Web.Tests;

/// <summary>The UI in a real Chromium: sign-in, the list (filters, search, sort, keyboard), a report, marking, roles, the dashboard.</summary>
[Collection(WebCollection.Name)]
public sealed partial class BrowserTests(WebServer server, Browser browser) : IAsyncLifetime
{
    private static readonly Dictionary<string, string> SignedIn = [];
    private readonly List<IBrowserContext> _contexts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }

    private async Task<IPage> NewPageAsync(string? storageState = null)
    {
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            StorageState = storageState,
        });
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in as the role's user; the first time through the login form, then from the saved cookie (sign-ins are rate-limited).</summary>
    private async Task<IPage> SignedInAsync(string role)
    {
        if (SignedIn.TryGetValue(role, out var state))
        {
            return await NewPageAsync(state);
        }

        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await page.FillAsync("#username", role + "1");
        await page.FillAsync("#password", WebServer.Password);
        await page.ClickAsync("#signin");
        await page.WaitForURLAsync(new Regex("/$"));
        SignedIn[role] = await page.Context.StorageStateAsync();
        return page;
    }

    private static async Task<List<string>> Texts(IPage page, string selector) => [.. (await page.Locator(selector).AllInnerTextsAsync()).Select(t => t.Trim())];

    [Fact]
    public async Task Signing_in_fails_generically_then_returns_to_the_page_asked_for()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/dashboard");
        Assert.Matches(new Regex("/login\\?ReturnUrl=%2Fdashboard$"), page.Url);

        await page.FillAsync("#username", "analyst1");
        await page.FillAsync("#password", "not the password");
        await page.ClickAsync("#signin");
        var error = await page.Locator("#login-error").InnerTextAsync();
        Assert.Contains("user name or password is wrong", error, StringComparison.Ordinal);
        Assert.Equal("", await page.InputValueAsync("#password"));

        await page.FillAsync("#password", WebServer.Password);
        await page.ClickAsync("#signin");
        await page.WaitForURLAsync(new Regex("/dashboard$"));
        Assert.Contains("analyst1 (analyst)", await page.Locator("#who").InnerTextAsync(), StringComparison.Ordinal);

        await using var context = server.Folder.Store.CreateContext();
        var actions = await context.AuditEvents.Where(a => a.Actor == "analyst1" && a.ReportId == null).Select(a => a.Action).ToListAsync();
        Assert.Contains("login-failed", actions);
        Assert.Contains("login", actions);
    }

    [Fact]
    public async Task The_list_filters_searches_and_sorts_with_the_state_in_the_url()
    {
        var page = await SignedInAsync("analyst");
        await page.GotoAsync("/");
        Assert.Equal(41, await page.Locator("#reports tbody tr").CountAsync());
        Assert.Contains("41 reports", await page.Locator("#total").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("header nav a[href='/settings/notifications']").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("list.png"), FullPage = true });

        await using var context = server.Folder.Store.CreateContext();
        var junk = await context.Reports.CountAsync(r => r.UserVerdict == "junk");
        Assert.InRange(junk, 1, 40);
        await page.SelectOptionAsync("select[name=userVerdict]", "junk");
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForURLAsync(new Regex("userVerdict=junk"));
        Assert.All(await Texts(page, "#reports tbody td.user-verdict"), t => Assert.Equal("Junk", t));
        Assert.Equal(junk, await page.Locator("#reports tbody tr").CountAsync());

        // A bookmark of the URL gives the same page.
        var bookmark = page.Url;
        await page.GotoAsync("/");
        await page.GotoAsync(bookmark);
        Assert.Equal("junk", await page.InputValueAsync("select[name=userVerdict]"));
        Assert.Equal(junk, await page.Locator("#reports tbody tr").CountAsync());

        await page.GotoAsync("/");
        await page.FillAsync("#q", "Unusual sign-in");
        await page.PressAsync("#q", "Enter");
        await page.WaitForURLAsync(new Regex("q=Unusual"));
        var subjects = await Texts(page, "#reports tbody td.subject");
        Assert.NotEmpty(subjects);
        Assert.All(subjects, s => Assert.Equal("Unusual sign-in activity", s));
        Assert.Equal(await context.Reports.CountAsync(r => r.Subject == "Unusual sign-in activity"), subjects.Count);
        // Every report of one original: the campaign column counts them.
        Assert.All(await Texts(page, "#reports tbody td.campaign"), c => Assert.Equal(subjects.Count > 1 ? subjects.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : "", c));

        // The default order: not marked yet first, then the highest risk (the list says so).
        await page.GotoAsync("/");
        Assert.Contains("Not marked yet first, then the highest risk", await page.Locator("#order").InnerTextAsync(), StringComparison.Ordinal);
        var queue = await page.Locator("#reports tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => (r.querySelector('td.marked').innerText.trim() ? 1 : 0) + ':' + (r.querySelector('.risk')?.dataset.risk ?? '-1'))");
        var keys = queue.Select(k => (Marked: k[0] == '1', Risk: int.Parse(k[2..], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(keys.OrderBy(k => k.Marked).ThenByDescending(k => k.Risk), keys);

        await page.ClickAsync("#reports thead a:has-text('Assessment')");
        await page.WaitForURLAsync(new Regex("sort=risk"));
        Assert.Equal(0, await page.Locator("#order").CountAsync());
        Assert.Equal("descending", await page.Locator("#reports thead th:has(a:has-text('Assessment'))").GetAttributeAsync("aria-sort"));
        var risks = await Risks(page);
        Assert.Equal(risks.OrderDescending(), risks);
        Assert.NotEqual(risks[0], risks[^1]);
        Assert.All(await Texts(page, "#reports tbody td.assessment .risk"), t => Assert.Matches("^risk \\d+$", t));
        await page.ClickAsync("#reports thead a:has-text('Assessment')");
        await page.WaitForURLAsync(new Regex("sort=-risk"));
        var ascending = await Risks(page);
        Assert.Equal(ascending.Order(), ascending);

        // A bookmark with the old name sorts the same and marks the same column.
        await page.GotoAsync("/?sort=score");
        Assert.Equal(risks, await Risks(page));
        Assert.Equal("descending", await page.Locator("#reports thead th:has(a:has-text('Assessment'))").GetAttributeAsync("aria-sort"));

        // Date reported is an explicit order of its own now: newest first, then reversed.
        await page.GotoAsync("/");
        await page.ClickAsync("#reports thead a:has-text('Date reported')");
        await page.WaitForURLAsync(new Regex("sort=reported$"));
        var dates = await page.Locator("#reports tbody td.date time").EvaluateAllAsync<string[]>("ts => ts.map(t => t.getAttribute('datetime'))");
        Assert.Equal(dates.OrderDescending(StringComparer.Ordinal), dates);
        await page.ClickAsync("#reports thead a:has-text('Date reported')");
        await page.WaitForURLAsync(new Regex("sort=-reported$"));
    }

    private static async Task<List<int>> Risks(IPage page) =>
        [.. (await page.Locator("#reports tbody td.assessment .risk").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.risk)")).Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public async Task Keyboard_shortcuts_search_move_tick_help_and_open()
    {
        var page = await SignedInAsync("analyst");
        await page.GotoAsync("/");
        var ids = await page.Locator("#reports tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");

        await page.Keyboard.PressAsync("/");
        Assert.Equal("q", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.PressAsync("Escape");
        Assert.NotEqual("q", await page.EvaluateAsync<string>("document.activeElement.id"));

        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("j");
        Assert.Equal(ids[1], await page.Locator("#reports tbody tr.selected").GetAttributeAsync("data-id"));
        await page.Keyboard.PressAsync("k");
        Assert.Equal(ids[0], await page.Locator("#reports tbody tr.selected").GetAttributeAsync("data-id"));
        Assert.Equal(1, await page.Locator("#reports tbody tr.selected").CountAsync());

        await page.Keyboard.PressAsync("x");
        Assert.True(await page.Locator($"#reports tbody tr[data-id='{ids[0]}'] input[name=ids]").IsCheckedAsync());
        Assert.Equal("1 selected", await page.Locator("#selected-count").InnerTextAsync());
        await page.Keyboard.PressAsync("x");
        Assert.False(await page.Locator($"#reports tbody tr[data-id='{ids[0]}'] input[name=ids]").IsCheckedAsync());

        await page.Keyboard.PressAsync("?");
        Assert.True(await page.Locator("#shortcuts").IsVisibleAsync());
        await page.Keyboard.PressAsync("Escape");
        Assert.False(await page.Locator("#shortcuts").IsVisibleAsync());

        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex($"/reports/{ids[1]}$"));
    }

    [Fact]
    public async Task A_report_shows_its_sections_and_a_hostile_body_neither_runs_nor_loads_anything()
    {
        var page = await SignedInAsync("analyst");
        var requested = new List<string>();
        var finished = new List<string>();
        var failed = new List<(string Url, string? Failure)>();
        page.Request += (_, request) => requested.Add(request.Url);
        page.RequestFinished += (_, request) => finished.Add(request.Url);
        page.RequestFailed += (_, request) => failed.Add((request.Url, request.Failure));
        string? bodyPolicy = null;
        page.Response += (_, response) =>
        {
            if (response.Url.EndsWith("/body", StringComparison.Ordinal))
            {
                bodyPolicy = response.Headers.GetValueOrDefault("content-security-policy");
            }
        };

        await page.GotoAsync($"/reports/{server.HostileReportId}");
        var frame = page.FrameLocator("#body-frame");
        Assert.Equal("Open sesame <b>not bold</b>", await frame.Locator("#marker").InnerTextAsync());
        await page.WaitForTimeoutAsync(1000);

        Assert.Equal(WebServer.HostileSubject, await page.Locator("#subject").InnerTextAsync());
        Assert.Contains("avery@contoso.com", await page.Locator("#envelope").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("0badc0de-0000-4000-8000-000000000001", await page.Locator("#envelope").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("fail", await page.Locator("#authentication").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("203.0.113.66", await page.Locator("#relay tr.external").InnerTextAsync(), StringComparison.Ordinal);
        var link = await page.Locator("#urls tbody tr", new() { HasText = "login.evil.example" }).InnerTextAsync();
        Assert.Contains("Keep my mailbox", link, StringComparison.Ordinal);
        Assert.Contains("attacker@evil.example", await page.Locator("#headers").InnerTextAsync(), StringComparison.Ordinal);
        Assert.NotEmpty(await Texts(page, "#matches tbody tr"));
        Assert.Contains("received", await page.Locator("#audit").InnerTextAsync(), StringComparison.Ordinal);
        // Attacker-written text is text: the script tag in the body is not in the page, and the page's markup has no script from the message.
        Assert.Equal(0, await page.Locator("script:not([src])").CountAsync());

        Assert.Equal("", await page.Locator("#body-frame").GetAttributeAsync("sandbox"));
        Assert.Equal("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; sandbox", bodyPolicy);
        Assert.NotEqual("pwned", await page.TitleAsync());
        // The image and the style sheet are gone from the defanged body, so Chromium does not even ask for them (the policy would block them too).
        Assert.All(requested, url => Assert.StartsWith(server.BaseAddress.ToString(), url, StringComparison.Ordinal));
        Assert.All(finished, url => Assert.StartsWith(server.BaseAddress.ToString(), url, StringComparison.Ordinal));
        Assert.Contains(finished, url => url.EndsWith("/body", StringComparison.Ordinal));
        Assert.Empty(failed);
        Assert.Equal("pixel", await frame.Locator("img").GetAttributeAsync("alt"));
        Assert.Null(await frame.Locator("img").GetAttributeAsync("src"));
        Assert.Equal(0, server.Tripwire.Connections);

        // The tripwire does count: a direct connection shows up.
        using (var probe = new System.Net.Sockets.TcpClient())
        {
            await probe.ConnectAsync(System.Net.IPAddress.Loopback, server.Tripwire.Port);
        }

        for (var i = 0; i < 50 && server.Tripwire.Connections == 0; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(1, server.Tripwire.Connections);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("report.png"), FullPage = true });
    }

    [Fact]
    public async Task Links_and_forms_in_the_body_show_where_they_go_and_go_nowhere()
    {
        var page = await SignedInAsync("reader");
        // Another test proves the tripwire counts by connecting to it once.
        var connections = server.Tripwire.Connections;
        var requested = new List<string>();
        page.Request += (_, request) => requested.Add(request.Url);
        var navigations = new List<string>();
        page.FrameNavigated += (_, navigated) => navigations.Add(navigated.Url);

        await page.GotoAsync($"/reports/{server.HostileReportId}");
        var frame = page.FrameLocator("#body-frame");
        var link = frame.Locator("#evil-link");
        Assert.Equal("Verify your account", await link.InnerTextAsync());
        var body = page.Frames.Single(f => f.Url.EndsWith("/body", StringComparison.Ordinal));
        var bodyUrl = body.Url;
        Assert.Equal($"{server.BaseAddress}reports/{server.HostileReportId}/body", bodyUrl);

        // The real target on hover (not the sender's own title), and nothing to follow.
        Assert.Equal("https://evil.example/x", await link.GetAttributeAsync("title"));
        Assert.Equal("https://evil.example/x", await link.GetAttributeAsync("data-hookline-href"));
        Assert.Null(await link.GetAttributeAsync("href"));
        Assert.Equal("dotted", await link.EvaluateAsync<string>("a => getComputedStyle(a).textDecorationStyle"));
        Assert.Equal($"Sends to http://127.0.0.1:{server.Tripwire.Port}/form", await frame.Locator("#steal").GetAttributeAsync("title"));

        // The meta refresh (1 s) would have fired by now; then every link and the form's button is clicked.
        await page.WaitForTimeoutAsync(1500);
        var before = navigations.Count;
        await link.ClickAsync();
        await frame.Locator("#loopback-link").ClickAsync();
        await frame.Locator("#relative-link").ClickAsync();
        await frame.Locator("#steal-submit").ClickAsync();
        await page.WaitForTimeoutAsync(1000);

        Assert.Equal(bodyUrl, body.Url);
        Assert.Same(body, page.Frames.Single(f => f.ParentFrame is not null));
        Assert.Equal(before, navigations.Count);
        Assert.Equal("Open sesame <b>not bold</b>", await frame.Locator("#marker").InnerTextAsync());
        Assert.All(requested, url => Assert.StartsWith(server.BaseAddress.ToString(), url, StringComparison.Ordinal));
        Assert.DoesNotContain(requested, url => url.Contains("evil.example", StringComparison.Ordinal));
        Assert.Equal(connections, server.Tripwire.Connections);
        Assert.EndsWith($"/reports/{server.HostileReportId}", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_analyst_marks_a_report_phishing_and_a_selection_spam()
    {
        long id;
        await using (var context = server.Folder.Store.CreateContext())
        {
            id = await context.Reports.Where(r => r.MarkedAs == null && r.Status == ReportStatus.Analysed && r.Id != server.HostileReportId).OrderBy(r => r.Id).Select(r => r.Id).FirstAsync();
        }

        var page = await SignedInAsync("analyst");
        await page.GotoAsync($"/reports/{id}");
        await page.SelectOptionAsync("#mark-verdict", "phishing");
        await page.FillAsync("#mark input[name=comment]", "credential lure <confirmed>");
        await page.ClickAsync("#mark-submit");
        await page.WaitForURLAsync(new Regex($"/reports/{id}$"));
        Assert.Contains("Marked Phishing by analyst1", await page.Locator("#marked-as").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("credential lure <confirmed>", await page.Locator("#reviews").InnerTextAsync(), StringComparison.Ordinal);

        await page.GotoAsync("/?markedAs=phishing");
        var row = page.Locator($"#reports tbody tr[data-id='{id}']");
        Assert.Contains("Phishing", await row.Locator("td.marked").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("analyst1", await row.Locator("td.marked").InnerTextAsync(), StringComparison.Ordinal);

        // Mark two from the list with the keyboard.
        await page.GotoAsync("/?status=unmarked&userVerdict=junk");
        var ids = await page.Locator("#reports tbody tr").EvaluateAllAsync<string[]>("rows => rows.slice(0, 2).map(r => r.dataset.id)");
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("x");
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("x");
        await page.SelectOptionAsync("#mark-verdict", "spam");
        // Nothing can deliver on this server: notifying is off, not merely unticked.
        Assert.True(await page.Locator("#mark input[name=notify]").IsDisabledAsync());
        await page.ClickAsync("#mark-submit");
        await page.WaitForURLAsync(new Regex("status=unmarked&userVerdict=junk"));
        Assert.Equal(0, await page.Locator($"#reports tbody tr[data-id='{ids[0]}']").CountAsync());

        await using var check = server.Folder.Store.CreateContext();
        var marked = await check.Reports.Where(r => ids.Select(long.Parse).Contains(r.Id)).Select(r => r.MarkedAs).ToListAsync();
        Assert.Equal(["spam", "spam"], marked);
        var reviews = await check.Reviews.Where(r => r.ReportId == id).ToListAsync();
        Assert.Equal("phishing", Assert.Single(reviews).Verdict);
    }

    [Fact]
    public async Task A_reader_sees_no_mark_controls_or_downloads()
    {
        var page = await SignedInAsync("reader");
        await page.GotoAsync("/");
        Assert.Equal(41, await page.Locator("#reports tbody tr").CountAsync());
        Assert.Equal(0, await page.Locator("#mark").CountAsync());
        Assert.Equal(0, await page.Locator("input[name=ids]").CountAsync());
        Assert.Equal(0, await page.Locator("#check-all").CountAsync());
        Assert.Equal(0, await page.Locator("header nav a[href='/settings/notifications']").CountAsync());

        await page.GotoAsync($"/reports/{server.HostileReportId}");
        Assert.Equal(WebServer.HostileSubject, await page.Locator("#subject").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#mark").CountAsync());
        Assert.Equal(0, await page.Locator("#download-original").CountAsync());
    }

    [Fact]
    public async Task The_dashboard_draws_its_charts_and_reporters()
    {
        var page = await SignedInAsync("reader");
        await page.GotoAsync("/dashboard");
        Assert.Equal(2, await page.Locator("figure.chart svg").CountAsync());
        var bars = await page.Locator("figure.chart svg rect").CountAsync();
        Assert.True(bars >= 2, $"{bars} bars");
        var legend = await page.Locator("figure.chart").First.Locator("ul.legend").InnerTextAsync();
        var counted = Regex.Matches(legend, "\\((\\d+)\\)").Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(41, counted);
        Assert.True(await page.Locator("#top-reporters tbody tr").CountAsync() >= 5);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("dashboard.png"), FullPage = true });
        Assert.True(new FileInfo(Browser.ScreenshotPath("dashboard.png")).Length > 1000);
    }
}
