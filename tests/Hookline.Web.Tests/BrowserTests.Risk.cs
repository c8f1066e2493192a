using System.Text.Json;
using System.Text.RegularExpressions;
using Hookline.Storage.Model;
using Hookline.Web.Ui;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Hookline.Web.Tests;

/// <summary>
/// What the analyst sees of the risk: a clean report near the threshold amber in the list and on its page, the
/// report page starting with the summary and the weighted reasons, the links' targets and flags, the mark form's
/// starting choice and its insistence on one, and "notify" switched off with the reason when nothing can deliver.
/// </summary>
public sealed partial class BrowserTests
{
    private static readonly RiskScale Scale = RiskScale.Default;

    /// <summary>An unmarked analysed demo report matching the condition, neither the first nor the last unmarked one (other tests mark those).</summary>
    private async Task<ReportRecord> UnmarkedAsync(Func<ReportRecord, bool> where)
    {
        await using var context = server.Folder.Store.CreateContext();
        var unmarked = await context.Reports.AsNoTracking().IgnoreAutoIncludes()
            .Where(r => r.MarkedAs == null && r.Status == ReportStatus.Analysed && r.Id != server.HostileReportId)
            .OrderBy(r => r.Id).ToListAsync();
        return unmarked.Skip(1).SkipLast(1).First(where);
    }

    private static async Task<string> ColorAsync(ILocator locator) => await locator.EvaluateAsync<string>("e => getComputedStyle(e).color");

    [Fact]
    public async Task A_clean_report_near_the_threshold_is_amber_in_the_list_and_on_its_page_a_low_one_green()
    {
        var near = await UnmarkedAsync(r => Scale.IsNear(r.Assessment, r.Score));
        var low = await UnmarkedAsync(r => Scale.IsLow(r.Assessment, r.Score));
        Assert.InRange(near.Score!.Value, 15, 34);

        var page = await SignedInAsync("analyst");
        await page.GotoAsync("/?assessment=clean");
        var nearCell = page.Locator($"#reports tbody tr[data-id='{near.Id}'] td.assessment");
        var lowCell = page.Locator($"#reports tbody tr[data-id='{low.Id}'] td.assessment");
        await Expect(nearCell).ToHaveTextAsync(new Regex($"^\\s*Clean, near threshold\\s+risk {near.Score}\\s*$"));
        await Expect(lowCell).ToHaveTextAsync(new Regex($"^\\s*Clean\\s+risk {low.Score}\\s*$"));
        var amber = nearCell.Locator("span.v-near");
        var green = lowCell.Locator("span.v-clean");
        Assert.Equal("rgb(122, 71, 0)", await ColorAsync(amber));
        Assert.Equal("rgb(46, 125, 50)", await ColorAsync(green));
        Assert.Equal("rgb(255, 241, 204)", await amber.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        Assert.Contains($"within {RiskScale.NearMargin} of the threshold ({Scale.CleanBelow})", await amber.GetAttributeAsync("title"), StringComparison.Ordinal);
        Assert.Equal(0, await lowCell.Locator("span.v-near").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("list-risk.png"), FullPage = true });

        await page.GotoAsync($"/reports/{near.Id}");
        await Expect(page.Locator("#hookline-verdict")).ToHaveTextAsync($"Hookline: Clean, near threshold, risk {near.Score}");
        await Expect(page.Locator("#hookline-verdict")).ToHaveClassAsync("v-near");
        await Expect(page.Locator("#summary")).ToHaveClassAsync(new Regex("v-near-edge"));
        await Expect(page.Locator("#summary")).ToContainTextAsync($"Clean, risk {near.Score}: below the thresholds; the strongest sign:");
        await Expect(page.Locator("#near-note")).ToContainTextAsync("look before marking it No threats found");
        Assert.Equal("rgb(122, 71, 0)", await ColorAsync(page.Locator("#assessment span.v-near")));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("report-near-threshold.png"), FullPage = false });

        await page.GotoAsync($"/reports/{low.Id}");
        await Expect(page.Locator("#hookline-verdict")).ToHaveClassAsync("v-clean");
        Assert.Equal(0, await page.Locator("#near-note").CountAsync());
    }

    [Fact]
    public async Task The_report_page_starts_with_the_summary_then_the_reasons_with_weights_evidence_and_rule_ids()
    {
        var page = await SignedInAsync("analyst");
        await page.GotoAsync($"/reports/{server.HostileReportId}");
        string json;
        await using (var context = server.Folder.Store.CreateContext())
        {
            json = (await context.ReportAnalyses.SingleAsync(a => a.ReportId == server.HostileReportId)).Json!;
        }

        using var analysis = JsonDocument.Parse(json);
        var assessment = analysis.RootElement.GetProperty("assessment");
        Assert.Equal("phishing", assessment.GetProperty("verdict").GetString());

        // The summary comes first: right under the title line, above the mark form and every section.
        await Expect(page.Locator("#summary")).ToHaveTextAsync(assessment.GetProperty("summary").GetString()!);
        var order = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('main > *')].map(e => e.id || e.className).filter(x => x)");
        Assert.Equal(["crumbs", "subject", "lede", "summary", "mark", "assessment", "grid"], order.Select(o => o.Split(' ')[0]).Take(7));

        var rows = page.Locator("#matches tbody tr");
        var matches = assessment.GetProperty("matches").EnumerateArray().ToList();
        Assert.NotEmpty(matches);
        await Expect(rows).ToHaveCountAsync(matches.Count);
        for (var i = 0; i < matches.Count; i++)
        {
            var cells = await rows.Nth(i).Locator("td").AllInnerTextsAsync();
            var weight = matches[i].GetProperty("weight").GetInt32();
            Assert.Equal(weight > 0 ? $"+{weight}" : weight < 0 ? $"\u2212{-weight}" : "0", cells[0].Trim());
            Assert.Equal(matches[i].GetProperty("reason").GetString(), cells[1].Trim());
            Assert.Equal(matches[i].GetProperty("evidence").GetString() ?? "", cells[2].Trim());
            Assert.Equal(matches[i].GetProperty("rule").GetString(), cells[3].Trim());
        }

        Assert.Equal("rgb(198, 40, 40)", await ColorAsync(page.Locator("#matches td.weight.w-up").First));
        await Expect(page.Locator("#risk")).ToHaveTextAsync(assessment.GetProperty("risk").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The wrapped link: its real target and its flags, in words, with the analysis's names.
        var link = page.Locator("#urls tbody tr", new() { HasText = "safelinks.protection.outlook.com" });
        await Expect(link.Locator(".unwrapped")).ToHaveTextAsync(WebServer.WrappedTarget);
        await Expect(link.Locator(".host")).ToHaveTextAsync("198.51.100.23");
        var flags = await link.Locator(".flag").EvaluateAllAsync<string[]>("fs => fs.map(f => f.dataset.flag)");
        Assert.Superset(new HashSet<string> { "wrapped", "ipLiteral", "textMismatch" }, flags.ToHashSet());
        await Expect(link.Locator(".flag[data-flag=ipLiteral]")).ToHaveTextAsync("IP address host");
        await Expect(link.Locator(".flag[data-flag=ipLiteral]")).ToHaveClassAsync("flag alarm");
        await Expect(link).ToContainTextAsync("https://account.microsoft.com/security");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Browser.ScreenshotPath("report-summary.png"), FullPage = true });

        // A reason that lowered the risk (a trusted, authenticated sender) shows with a minus sign.
        long lowered;
        await using (var context = server.Folder.Store.CreateContext())
        {
            var analyses = await context.ReportAnalyses.AsNoTracking().Select(a => new { a.ReportId, a.Json }).ToListAsync();
            lowered = analyses.First(a => a.Json != null && JsonDocument.Parse(a.Json).RootElement.GetProperty("assessment")
                .GetProperty("matches").EnumerateArray().Any(m => m.GetProperty("weight").GetInt32() < 0)).ReportId;
        }

        await page.GotoAsync($"/reports/{lowered}");
        var down = page.Locator("#matches td.weight.w-down").First;
        await Expect(down).ToHaveTextAsync(new Regex("^\u2212\\d+$"));
        Assert.Equal("rgb(46, 125, 50)", await ColorAsync(down));
    }

    [Fact]
    public async Task The_mark_form_starts_on_hookline_verdict_and_marks_nothing_without_a_choice()
    {
        var phishing = await UnmarkedAsync(r => r.Assessment == "phishing");
        var low = await UnmarkedAsync(r => Scale.IsLow(r.Assessment, r.Score));
        var near = await UnmarkedAsync(r => Scale.IsNear(r.Assessment, r.Score));
        var page = await SignedInAsync("analyst");

        await page.GotoAsync($"/reports/{phishing.Id}");
        Assert.Equal("phishing", await page.InputValueAsync("#mark-verdict"));
        await Expect(page.Locator("#mark-hint")).ToHaveTextAsync("Starts on Hookline's verdict.");
        await page.GotoAsync($"/reports/{low.Id}");
        Assert.Equal("noThreatsFound", await page.InputValueAsync("#mark-verdict"));

        // Clean but near the threshold: no choice, and Mark asks for one instead of marking.
        await page.GotoAsync($"/reports/{near.Id}");
        Assert.Equal("", await page.InputValueAsync("#mark-verdict"));
        await Expect(page.Locator("#mark-verdict option:checked")).ToHaveTextAsync("Choose…");
        await Expect(page.Locator("#mark-hint")).ToHaveTextAsync("Hookline says clean, but near the threshold: choose after looking.");
        await page.ClickAsync("#mark-submit");
        await page.WaitForTimeoutAsync(300);
        Assert.EndsWith($"/reports/{near.Id}", page.Url, StringComparison.Ordinal);
        Assert.NotEmpty(await page.Locator("#mark-verdict").EvaluateAsync<string>("s => s.validationMessage"));
        Assert.False(await page.Locator("#mark-verdict").EvaluateAsync<bool>("s => s.checkValidity()"));
        await using (var context = server.Folder.Store.CreateContext())
        {
            Assert.False(await context.Reviews.AnyAsync(r => r.ReportId == near.Id));
        }

        // Without the browser's check (the form's own submit, which skips validation), the server refuses and says why.
        await page.Locator("#mark").EvaluateAsync("f => f.submit()");
        await page.WaitForURLAsync(new Regex($"/reports/{near.Id}\\?markError=verdict$"));
        await Expect(page.Locator("#mark-error")).ToHaveTextAsync("Not marked: choose Phishing, Spam or No threats found first.");
        await using (var context = server.Folder.Store.CreateContext())
        {
            Assert.False(await context.Reviews.AnyAsync(r => r.ReportId == near.Id));
        }

        // The list's "Mark selected as" starts with no choice too.
        await page.GotoAsync("/");
        Assert.Equal("", await page.InputValueAsync("#mark-verdict"));
        Assert.True(await page.Locator("#mark-verdict").EvaluateAsync<bool>("s => s.required"));
    }

    [Fact]
    public async Task Notify_is_disabled_with_the_reason_when_nothing_can_deliver_and_the_history_says_not_notified()
    {
        var report = await UnmarkedAsync(r => r.Assessment == "phishing" && r.Id % 2 == 0);
        var page = await SignedInAsync("analyst");

        await page.GotoAsync("/");
        await Expect(page.Locator("#mark-notify")).ToBeDisabledAsync();
        await Expect(page.Locator("#mark-notify")).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#notify-reason")).ToContainTextAsync("Cannot notify: no delivery is configured (notifications.smtp or notifications.graph in hookline.yaml)");

        await page.GotoAsync($"/reports/{report.Id}");
        await Expect(page.Locator("#mark-notify")).ToBeDisabledAsync();
        await Expect(page.Locator("#notify-reason")).ToContainTextAsync("no delivery is configured");
        Assert.Equal("notify-reason", await page.Locator("#mark-notify").GetAttributeAsync("aria-describedby"));
        await page.Locator("#mark").ScreenshotAsync(new LocatorScreenshotOptions { Path = Browser.ScreenshotPath("mark-form.png") });

        await page.FillAsync("#mark input[name=comment]", "credential lure");
        await page.ClickAsync("#mark-submit");
        await page.WaitForURLAsync(new Regex($"/reports/{report.Id}$"));
        var history = page.Locator("#reviews li");
        await Expect(history).ToHaveCountAsync(1);
        await Expect(history).ToContainTextAsync("reporter not notified (not asked)");
        Assert.DoesNotContain("reporter notified", await history.InnerTextAsync(), StringComparison.Ordinal);
        await Expect(page.Locator("#notifications")).ToContainTextAsync("None.");
        await Expect(page.Locator("#audit")).ToContainTextAsync("phishing; reporter not notified (not asked); comment: credential lure");

        // Asked for all the same (a hand-made form post, as a script could send): recorded, nothing queued, and the history says why.
        await page.Locator("#mark-notify").EvaluateAsync("b => { b.disabled = false; b.checked = true; }");
        await page.ClickAsync("#mark-submit");
        await page.WaitForURLAsync(new Regex($"/reports/{report.Id}$"));
        await Expect(history).ToHaveCountAsync(2);
        await Expect(history.Nth(1)).ToContainTextAsync("reporter not notified: no delivery is configured (notifications.smtp or notifications.graph in hookline.yaml)");
        await using var context = server.Folder.Store.CreateContext();
        Assert.False(await context.Outbox.AnyAsync(o => o.ReportId == report.Id));
        var reviews = await context.Reviews.Where(r => r.ReportId == report.Id).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([false, true], reviews.Select(r => r.Notify));
        Assert.Null(reviews[0].NotifySkipped);
        Assert.StartsWith("no delivery is configured", reviews[1].NotifySkipped, StringComparison.Ordinal);
    }
}
