using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hookline.Reports.Assessment;
using Hookline.Storage.Model;
using Hookline.Web.Ui;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Tests;

/// <summary>
/// The report page and the mark form over plain HTTP (no script, no browser checks): a mark without a verdict,
/// an analysis stored before the risk scale; and the helpers that read a risk and a stored analysis.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class ReportPageTests(WebServer server)
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    private async Task<HttpClient> SignedInAsync(string user)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress };
        var token = await TokenAsync(client, "/login");
        var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = user, ["Password"] = WebServer.Password, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return client;
    }

    private static async Task<string> TokenAsync(HttpClient client, string path) =>
        WebUtility.HtmlDecode(TokenPattern().Match(await client.GetStringAsync(path)).Groups[1].Value);

    [Fact]
    public async Task A_mark_without_a_verdict_marks_nothing_and_the_page_says_so()
    {
        long id;
        await using (var context = server.Folder.Store.CreateContext())
        {
            id = await context.Reports.Where(r => r.MarkedAs == null && r.Assessment == "phishing" && r.Id != server.HostileReportId).OrderBy(r => r.Id).Select(r => r.Id).Skip(1).FirstAsync();
        }

        using var client = await SignedInAsync("analyst1");
        var token = await TokenAsync(client, $"/reports/{id}");
        foreach (var verdict in new[] { "", null })
        {
            var form = new Dictionary<string, string> { ["ids"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["returnUrl"] = $"/reports/{id}", ["notify"] = "true", ["__RequestVerificationToken"] = token };
            if (verdict is not null)
            {
                form["verdict"] = verdict;
            }

            var mark = await client.PostAsync("/mark", new FormUrlEncodedContent(form));
            Assert.Equal(HttpStatusCode.Redirect, mark.StatusCode);
            Assert.Equal($"/reports/{id}?markError=verdict", mark.Headers.Location?.OriginalString);
        }

        var page = await client.GetStringAsync($"/reports/{id}?markError=verdict");
        Assert.Contains("<p class=\"error\" id=\"mark-error\" role=\"alert\">Not marked: choose Phishing, Spam or No threats found first.</p>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"mark-error\"", await client.GetStringAsync($"/reports/{id}"), StringComparison.Ordinal);

        // A verdict that is not one is refused outright; from the list the message shows there.
        var ids = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bad = await client.PostAsync("/mark", new FormUrlEncodedContent(new Dictionary<string, string> { ["ids"] = ids, ["verdict"] = "maybe", ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var fromList = await client.PostAsync("/mark", new FormUrlEncodedContent(new Dictionary<string, string> { ["ids"] = ids, ["verdict"] = "", ["returnUrl"] = "/?status=unmarked", ["__RequestVerificationToken"] = token }));
        Assert.Equal("/?status=unmarked&markError=verdict", fromList.Headers.Location?.OriginalString);
        Assert.Contains("Nothing was marked: choose Phishing, Spam or No threats found first.", await client.GetStringAsync("/?status=unmarked&markError=verdict"), StringComparison.Ordinal);

        // A return address with a TAB or line break (which browsers drop: "/\t/evil.example" leaves the site) goes to the list.
        foreach (var returnUrl in new[] { "/\t/evil.example", "/\n/evil.example", "/reports/1\r\nSet-Cookie: x=1" })
        {
            var odd = await client.PostAsync("/mark", new FormUrlEncodedContent(new Dictionary<string, string> { ["ids"] = ids, ["verdict"] = "", ["returnUrl"] = returnUrl, ["__RequestVerificationToken"] = token }));
            Assert.Equal(HttpStatusCode.Redirect, odd.StatusCode);
            Assert.Equal("/?markError=verdict", odd.Headers.Location?.OriginalString);
        }

        await using var check = server.Folder.Store.CreateContext();
        Assert.False(await check.Reviews.AnyAsync(r => r.ReportId == id));
    }

    [Fact]
    public async Task A_mark_the_review_service_refuses_marks_nothing_and_the_page_lists_the_reasons()
    {
        long id;
        await using (var context = server.Folder.Store.CreateContext())
        {
            id = await context.Reports.Where(r => r.MarkedAs == null && r.Id != server.HostileReportId).OrderByDescending(r => r.Id).Select(r => r.Id).Skip(1).FirstAsync();
        }

        using var client = await SignedInAsync("analyst1");
        var token = await TokenAsync(client, "/");
        var ids = id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // A selection with a report that does not exist, and a comment over the limit (the field stops a browser there).
        var missing = await client.PostAsync("/mark", new FormUrlEncodedContent([new("ids", ids), new("ids", "999999"), new("verdict", "spam"), new("returnUrl", "/?status=unmarked"), new("__RequestVerificationToken", token)]));
        var tooLong = await client.PostAsync("/mark", new FormUrlEncodedContent(new Dictionary<string, string> { ["ids"] = ids, ["verdict"] = "spam", ["comment"] = new string('c', 2001), ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        var page = await missing.Content.ReadAsStringAsync();
        Assert.Contains("id=\"mark-errors\"", page, StringComparison.Ordinal);
        Assert.Contains("<li>report 999999 does not exist.</li>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/?status=unmarked\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("comment must be at most 2000 characters (2001 given).", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var check = server.Folder.Store.CreateContext();
        Assert.False(await check.Reviews.AnyAsync(r => r.ReportId == id));
    }

    [Fact]
    public async Task An_analysis_stored_before_the_risk_shows_its_reasons_and_urls_and_no_default_mark()
    {
        ReportRecord report;
        string json;
        await using (var context = server.Folder.Store.CreateContext())
        {
            var candidates = await context.Reports.AsNoTracking().Include(r => r.Analysis)
                .Where(r => r.MarkedAs == null && r.Assessment == "clean" && r.Id != server.HostileReportId).OrderByDescending(r => r.Id).ToListAsync();
            report = candidates.Skip(1).First(r => r.AnalysisJson!.Contains("\"urls\":[\"", StringComparison.Ordinal));
            json = report.AnalysisJson!;
        }

        // As the analysis looked before the risk scale: score meant how sure, no risk, summary, matches or links;
        // and the row's score cleared, as the RiskScale migration does.
        var old = JsonNode.Parse(json)!.AsObject();
        var assessment = old["assessment"]!.AsObject();
        assessment["score"] = 100;
        assessment.Remove("risk");
        assessment.Remove("summary");
        assessment.Remove("matches");
        old["message"]!.AsObject().Remove("links");
        var firstReason = assessment["reasons"]![0]!.GetValue<string>();
        var firstUrl = old["message"]!["urls"]![0]!.GetValue<string>();
        try
        {
            await using (var context = server.Folder.Store.CreateContext())
            {
                await context.ReportAnalyses.Where(a => a.ReportId == report.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Json, old.ToJsonString()));
                await context.Reports.Where(r => r.Id == report.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Score, (int?)null));
            }

            using var client = await SignedInAsync("analyst1");
            var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/reports/{report.Id}"));

            Assert.Contains($"<p class=\"summary v-clean-edge\" id=\"summary\">Clean: {firstReason}</p>", page, StringComparison.Ordinal);
            Assert.Contains("analysed before the risk scale (its score, 100, said how sure the verdict was)", page, StringComparison.Ordinal);
            Assert.Contains($"<li>{firstReason}</li>", page, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"matches\"", page, StringComparison.Ordinal);
            Assert.DoesNotContain("near threshold", page, StringComparison.Ordinal);
            Assert.Contains("Hookline: Clean</span>", page, StringComparison.Ordinal);
            Assert.Contains("Analysed before link targets and flags were recorded", page, StringComparison.Ordinal);
            Assert.Contains($"<td class=\"mono url\">{firstUrl}</td>", page, StringComparison.Ordinal);
            // No risk on record: the mark form does not presume No threats found.
            Assert.Contains("<option value=\"\" selected=\"selected\">Choose…</option>", page, StringComparison.Ordinal);
            Assert.Contains("<option value=\"noThreatsFound\">No threats found</option>", page, StringComparison.Ordinal);

            var list = WebUtility.HtmlDecode(await client.GetStringAsync("/?assessment=clean&sort=-risk"));
            var row = Regex.Match(list, $"<tr data-href=\"/reports/{report.Id}\".*?</tr>", RegexOptions.Singleline).Value;
            Assert.Matches("<td class=\"assessment\">\\s*<span class=\"v-clean\">Clean</span>\\s+<span class=\"risk\"></span>", row);
        }
        finally
        {
            await using var context = server.Folder.Store.CreateContext();
            await context.ReportAnalyses.Where(a => a.ReportId == report.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Json, json));
            await context.Reports.Where(r => r.Id == report.Id).ExecuteUpdateAsync(u => u.SetProperty(r => r.Score, report.Score));
        }
    }

    [Fact]
    public void The_risk_scale_comes_from_the_thresholds()
    {
        Assert.Equal(new RiskScale(SpamThreshold: 35, PhishingThreshold: 60), RiskScale.From(RuleSet.Default));
        var scale = RiskScale.Default;
        Assert.Equal(15, scale.NearFrom);
        Assert.False(scale.IsNear("clean", 14));
        Assert.True(scale.IsLow("clean", 14));
        Assert.True(scale.IsNear("clean", 15));
        Assert.True(scale.IsNear("clean", 34));
        Assert.False(scale.IsLow("clean", 15));
        Assert.False(scale.IsNear("spam", 40));
        Assert.False(scale.IsNear("clean", null));
        Assert.False(scale.IsLow("clean", null));

        // An organisation's own thresholds move "near" with them.
        var strict = new RiskScale(SpamThreshold: 50, PhishingThreshold: 70);
        Assert.Equal(30, strict.NearFrom);
        Assert.False(strict.IsNear("clean", 29));
        Assert.True(strict.IsNear("clean", 30));
        Assert.Equal(0, new RiskScale(SpamThreshold: 10, PhishingThreshold: 60).NearFrom);

        Assert.Equal("v-near", Display.AssessmentClass("clean", 28, scale));
        Assert.Equal("v-clean", Display.AssessmentClass("clean", 3, scale));
        Assert.Equal("v-spam", Display.AssessmentClass("spam", 40, scale));
        Assert.Equal("Clean, near threshold", Display.Assessment("clean", 28, scale));
        Assert.Equal(["+40", "\u221215", "0"], new[] { 40, -15, 0 }.Select(Display.Weight));
    }

    [Fact]
    public void A_stored_analysis_is_read_with_its_summary_matches_and_links_or_without_them()
    {
        var current = ReportDetails.ReadAnalysis("""
            {"message":{"urls":["https://a.example/x"],"links":[{"url":"https://safelinks.example/?u=1","host":"198.51.100.7","unwrapped":"http://198.51.100.7/","source":"href","text":"Sign in","flags":["wrapped","ipLiteral"]}]},
             "assessment":{"verdict":"phishing","score":85,"risk":85,"summary":"Phishing, risk 85: a link goes to a bare IP address.","reasons":["r1","r2"],
               "matches":[{"rule":"url.ip-literal","category":"phishing","weight":15,"reason":"r1","evidence":"198.51.100.7"},{"rule":"auth.aligned-pass","category":"clean","weight":-15,"reason":"r2","evidence":null}]}}
            """);
        Assert.Equal((85, 85, false), (current.Risk, current.Score, current.IsBeforeRisk));
        Assert.Equal("Phishing, risk 85: a link goes to a bare IP address.", current.Summary);
        Assert.Equal([new MatchRow("url.ip-literal", "phishing", 15, "r1", "198.51.100.7"), new MatchRow("auth.aligned-pass", "clean", -15, "r2", null)], current.Matches);
        var link = Assert.Single(ReportDetails.Links(current, []));
        Assert.Equal(("https://safelinks.example/?u=1", "Sign in", "198.51.100.7", "http://198.51.100.7/", "href", true), (link.Url, link.VisibleText, link.Host, link.Unwrapped, link.Source, link.Recorded));
        Assert.Equal(["wrapped", "ipLiteral"], link.Flags);

        var old = ReportDetails.ReadAnalysis("""{"message":{"urls":["https://a.example/x","https://b.example/"]},"assessment":{"verdict":"clean","score":100,"reasons":["Nothing matched."]}}""");
        Assert.Equal((null, 100, true), (old.Risk, old.Score, old.IsBeforeRisk));
        Assert.Null(old.Summary);
        Assert.Empty(old.Matches);
        Assert.Null(old.Links);
        Assert.Equal(["Nothing matched."], old.Reasons);
        // The stored URLs, with the visible text and host of reading the raw message again where they match.
        var reread = new[] { new LinkRow("https://b.example/", "Bee", "b.example", null, null, [], Recorded: false), new LinkRow("https://c.example/", "Sea", "c.example", null, null, [], Recorded: false) };
        Assert.Equal(
            [("https://a.example/x", (string?)null, (string?)null, false), ("https://b.example/", "Bee", "b.example", false)],
            ReportDetails.Links(old, reread).Select(l => (l.Url, l.VisibleText, l.Host, l.Recorded)));
        // Without an analysis, what reading the raw message again found.
        Assert.Same(reread, ReportDetails.Links(null, reread));
    }

    [Fact]
    public async Task The_page_takes_the_headers_and_links_from_the_stored_analysis_and_reads_the_raw_message_only_for_an_older_one()
    {
        long id;
        string stored;
        await using (var context = server.Folder.Store.CreateContext())
        {
            (id, stored) = await context.Reports.Where(r => r.Analysis!.Json != null && r.Id != server.HostileReportId).OrderBy(r => r.Id).Select(r => ValueTuple.Create(r.Id, r.Analysis!.Json!)).FirstAsync();
        }

        var details = new ReportDetails(new Hookline.Web.ReportQueries(server.Folder.Store), server.Folder.Analyzer);
        try
        {
            // As the pipeline stored it: the original's decoded headers are there.
            var fresh = await details.LoadAsync(id, default);
            Assert.Contains(fresh!.Headers, h => h.Name == "Subject");
            Assert.Equal(fresh.Analysis!.Headers, fresh.Headers);

            // Whatever the stored analysis says is what the page shows: the raw message is not analysed again.
            var json = JsonNode.Parse(stored)!;
            json["message"]!["headers"] = new JsonArray(new JsonObject { ["name"] = "X-Stored", ["value"] = "only in the stored analysis" });
            await SetAnalysisAsync(id, json.ToJsonString());
            var fromStore = await details.LoadAsync(id, default);
            Assert.Equal([new HeaderRow("X-Stored", "only in the stored analysis")], fromStore!.Headers);

            // An analysis stored before the headers were kept: they come from the raw message.
            json["message"]!.AsObject().Remove("headers");
            await SetAnalysisAsync(id, json.ToJsonString());
            var older = await details.LoadAsync(id, default);
            Assert.Null(older!.Analysis!.Headers);
            Assert.Equal(fresh.Headers, older.Headers);
        }
        finally
        {
            await SetAnalysisAsync(id, stored);
        }
    }

    private async Task SetAnalysisAsync(long id, string json)
    {
        await using var context = server.Folder.Store.CreateContext();
        await context.ReportAnalyses.Where(a => a.ReportId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Json, json));
    }
}
