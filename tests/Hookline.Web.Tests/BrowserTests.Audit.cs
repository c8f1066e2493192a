using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Hookline.Web.Tests;

/// <summary>The audit log page: an admin's navigation, filters in the query string, paging and the keyboard; other roles are turned away.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task An_admin_reads_the_audit_log_filters_it_pages_it_and_opens_a_report_from_it()
    {
        var page = await SignedInAsync("admin");
        await page.GotoAsync("/");
        var nav = page.Locator("header nav a[href='/audit']");
        Assert.Equal("Audit log", await nav.InnerTextAsync());
        await nav.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/audit$"));
        Assert.Equal("current", await page.Locator("header nav a[href='/audit']").GetAttributeAsync("class"));

        // 41 reports received and analysed, users added, sign-ins: more than one page of 50, newest first.
        Assert.Equal(50, await page.Locator("#audit-log tbody tr").CountAsync());
        var total = int.Parse(Regex.Match(await page.Locator("#total").InnerTextAsync(), "^[\\d,]+").Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(total > 82, $"{total} entries");
        Assert.Equal($"Page 1 of {(total + 49) / 50}", await page.Locator("#page-info").InnerTextAsync());
        var times = await Texts(page, "#audit-log tbody td.date");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("audit.png"), FullPage = true });
        Assert.True(new FileInfo(Browser.ScreenshotPath("audit.png")).Length > 1000);

        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        await page.ClickAsync("#next-page");
        await page.WaitForURLAsync(new Regex("/audit\\?page=2$"));
        Assert.StartsWith("Page 2 of ", await page.Locator("#page-info").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(string.CompareOrdinal(times[^1], (await Texts(page, "#audit-log tbody td.date"))[0]) >= 0);

        // "/" goes to the first filter; typing and Enter apply it, and the state is in the URL.
        await page.Keyboard.PressAsync("/");
        Assert.Equal("kind", await page.EvaluateAsync<string>("document.activeElement.id"));
        await page.Keyboard.TypeAsync("login");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex("/audit\\?kind=login&"));
        var kinds = await Texts(page, "#audit-log tbody td.kind");
        Assert.NotEmpty(kinds);
        Assert.All(kinds, k => Assert.Equal("login", k));
        Assert.Contains("admin1", await Texts(page, "#audit-log tbody td.actor"));
        Assert.Equal("login", await page.InputValueAsync("#kind"));

        // An actor's name filters by that actor too, keeping the kind.
        await page.Locator("#audit-log tbody td.actor a", new() { HasText = "admin1" }).First.ClickAsync();
        await page.WaitForURLAsync(new Regex("/audit\\?kind=login&actor=admin1$"));
        Assert.All(await Texts(page, "#audit-log tbody td.actor"), a => Assert.Equal("admin1", a));
        Assert.Equal("admin1", await page.InputValueAsync("#actor"));

        // A time window (UTC, "before" exclusive) in the future has nothing; the bookmark shows it again.
        await page.GotoAsync("/audit?from=2099-01-01T00:00&kind=received");
        Assert.Equal(0, await page.Locator("#audit-log tbody tr").CountAsync());
        Assert.Equal("No audit entries match.", await page.Locator("p.empty").InnerTextAsync());
        Assert.Equal("2099-01-01T00:00", await page.InputValueAsync("#from"));

        // One report's trail; j selects the first row and Enter opens the report.
        await page.GotoAsync($"/audit?reportId={server.HostileReportId}");
        var actions = await Texts(page, "#audit-log tbody td.kind");
        Assert.Contains("received", actions);
        Assert.Contains("analysed", actions);
        Assert.All(await Texts(page, "#audit-log tbody td.report a:first-child"), r => Assert.Equal($"#{server.HostileReportId}", r));
        await page.Keyboard.PressAsync("j");
        Assert.Equal(1, await page.Locator("#audit-log tbody tr.selected").CountAsync());
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(new Regex($"/reports/{server.HostileReportId}$"));
    }

    [Fact]
    public async Task Analysts_and_readers_get_no_audit_log()
    {
        foreach (var role in new[] { "analyst", "reader" })
        {
            var page = await SignedInAsync(role);
            await page.GotoAsync("/");
            Assert.Equal(0, await page.Locator("header nav a[href='/audit']").CountAsync());
            var response = await page.GotoAsync("/audit?kind=login");
            Assert.Equal(403, response!.Status);
            Assert.Matches(new Regex("/denied"), page.Url);
            Assert.Equal(0, await page.Locator("#audit-log").CountAsync());
        }
    }
}
