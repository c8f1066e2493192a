using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hookline.Intake.Demo;

namespace Hookline.Tests.Api;

/// <summary>The reports API (docs/api.md) over real HTTP: every endpoint, and what each role may do.</summary>
public sealed class ReportsApiTests(ApiServer server) : IClassFixture<ApiServer>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task<long> AnyReportId()
    {
        using var client = server.Client("reader");
        var list = await Json(await client.GetAsync("/api/reports?pageSize=1"));
        return list.GetProperty("items")[0].GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task Without_credentials_every_endpoint_answers_401_with_problem_details()
    {
        using var client = server.Client(null);
        foreach (var path in new[] { "/api/reports", "/api/reports/1", "/api/reports/1/original" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var wrong = new HttpClient { BaseAddress = server.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "hlk_not-a-real-key-at-all-000000000000");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/reports")).StatusCode);
    }

    [Fact]
    public async Task A_reader_can_list_and_look_but_not_download_mark_or_submit()
    {
        using var client = server.Client("reader");
        var id = await AnyReportId();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/reports/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/reports/{id}/original")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"/api/reports/{id}/review", new { verdict = "phishing", notify = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/api/reports", new ByteArrayContent("Subject: x\r\n\r\nbody\r\n"u8.ToArray()))).StatusCode);
    }

    [Fact]
    public async Task The_list_pages_filters_searches_and_sorts()
    {
        using var client = server.Client("reader");

        var all = await Json(await client.GetAsync("/api/reports?pageSize=15&sort=reported"));
        var total = all.GetProperty("total").GetInt32();
        Assert.InRange(total, 40, 45); // 40 demo reports, and any that other tests of this class submitted
        Assert.Equal(15, all.GetProperty("items").GetArrayLength());
        var dates = all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reportedAt").GetDateTime()).ToList();
        Assert.Equal(dates.OrderDescending(), dates);

        var page3 = await Json(await client.GetAsync("/api/reports?pageSize=15&page=3"));
        Assert.Equal(Math.Min(15, total - 30), page3.GetProperty("items").GetArrayLength());

        var junk = await Json(await client.GetAsync("/api/reports?userVerdict=junk&pageSize=200"));
        Assert.All(junk.GetProperty("items").EnumerateArray(), i => Assert.Equal("junk", i.GetProperty("userVerdict").GetString()));
        Assert.InRange(junk.GetProperty("total").GetInt32(), 1, total - 1);

        var search = await Json(await client.GetAsync("/api/reports?q=MAILBOX%20full&pageSize=200"));
        Assert.All(search.GetProperty("items").EnumerateArray(), i => Assert.Contains("mailbox", i.GetProperty("subject").GetString()!, StringComparison.OrdinalIgnoreCase));

        var reporter = all.GetProperty("items")[0].GetProperty("reporter").GetProperty("address").GetString();
        var mine = await Json(await client.GetAsync($"/api/reports?reporter={Uri.EscapeDataString(reporter!.ToUpperInvariant())}&pageSize=200"));
        Assert.All(mine.GetProperty("items").EnumerateArray(), i => Assert.Equal(reporter, i.GetProperty("reporter").GetProperty("address").GetString()));

        // The risk order, under its name and its old one (score: the same number).
        var byRisk = await Json(await client.GetAsync("/api/reports?sort=risk&pageSize=200"));
        var risks = byRisk.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("assessment").GetProperty("risk").GetInt32()).ToList();
        Assert.Equal(risks.OrderDescending(), risks);
        Assert.NotEqual(risks[0], risks[^1]);
        Assert.All(byRisk.GetProperty("items").EnumerateArray(), i => Assert.Equal(i.GetProperty("assessment").GetProperty("risk").GetInt32(), i.GetProperty("assessment").GetProperty("score").GetInt32()));
        var byScore = await Json(await client.GetAsync("/api/reports?sort=score&pageSize=200"));
        Assert.Equal(Ids(byRisk), Ids(byScore));
        var lowest = await Json(await client.GetAsync("/api/reports?sort=-risk&pageSize=200"));
        var ascending = lowest.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("assessment").GetProperty("risk").GetInt32()).ToList();
        Assert.Equal(ascending.Order(), ascending);
    }

    [Theory]
    [InlineData("status=bogus", "status", "'bogus' is not one of: received, analysed, skipped, failed, unmarked, marked.")]
    [InlineData("assessment=Phish", "assessment", "'Phish' is not one of: phishing, spam, clean.")]
    [InlineData("markedAs=threat", "markedAs", "'threat' is not one of: noThreatsFound, phishing, spam.")]
    [InlineData("sort=-danger", "sort", "'danger' is not one of: risk, score, reported, subject, reporter, sender, marked.")]
    public async Task An_unknown_filter_value_is_a_400_naming_the_allowed_values(string query, string field, string message)
    {
        using var client = server.Client("reader");

        var answer = await client.GetAsync("/api/reports?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("unknown filter value", problem.GetProperty("title").GetString());
        Assert.Equal(message, Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/reports?status=UNMARKED&sort=-Risk")).StatusCode);
    }

    private static List<long> Ids(JsonElement list) => [.. list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64())];

    [Fact]
    public async Task The_default_order_is_unmarked_first_then_the_highest_risk_then_the_newest()
    {
        using var client = server.Client("analyst");
        var before = await Json(await client.GetAsync("/api/reports?pageSize=200"));
        var riskiest = before.GetProperty("items")[0];
        Assert.Null(riskiest.GetProperty("markedAs").GetString());
        Assert.Equal("phishing", riskiest.GetProperty("assessment").GetProperty("verdict").GetString());

        // Marking the riskiest report sends it below every unmarked one.
        await Json(await client.PostAsJsonAsync($"/api/reports/{riskiest.GetProperty("id").GetInt64()}/review", new { verdict = "phishing", notify = false }));
        var list = await Json(await client.GetAsync("/api/reports?pageSize=200"));

        var items = list.GetProperty("items").EnumerateArray().Select(i => (
            Id: i.GetProperty("id").GetInt64(),
            Marked: i.GetProperty("markedAs").ValueKind != JsonValueKind.Null,
            Risk: i.GetProperty("assessment") is { ValueKind: JsonValueKind.Object } a && a.GetProperty("risk") is { ValueKind: JsonValueKind.Number } r ? r.GetInt32() : -1,
            Reported: (i.GetProperty("reportedAt").ValueKind == JsonValueKind.Null ? i.GetProperty("receivedAt") : i.GetProperty("reportedAt")).GetDateTime())).ToList();
        Assert.Equal(list.GetProperty("total").GetInt32(), items.Count);
        var expected = items.OrderBy(i => i.Marked).ThenByDescending(i => i.Risk).ThenByDescending(i => i.Reported).ThenByDescending(i => i.Id).Select(i => i.Id);
        Assert.Equal(expected, items.Select(i => i.Id));
        Assert.Contains(items, i => i.Marked);
        Assert.Contains(items, i => !i.Marked);
        Assert.True(items.Select(i => i.Risk).Distinct().Count() > 1, "the demo reports have more than one risk");
        Assert.True(items.FindIndex(i => i.Id == riskiest.GetProperty("id").GetInt64()) > items.FindLastIndex(i => !i.Marked));
    }

    [Fact]
    public async Task Review_with_notify_when_nothing_can_deliver_marks_queues_nothing_and_says_why()
    {
        // This server has no notifications.smtp or .graph in hookline.yaml and the settings have no sender.
        using var client = server.Client("analyst");
        var list = await Json(await client.GetAsync("/api/reports?pageSize=200&sort=reported"));
        var ids = list.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("markedAs").ValueKind == JsonValueKind.Null).Select(i => i.GetProperty("id").GetInt64()).Take(3).ToList();

        var asked = await Json(await client.PostAsJsonAsync($"/api/reports/{ids[0]}/review", new { verdict = "phishing", notify = true, comment = "lure" }));
        var byDefault = await Json(await client.PostAsJsonAsync($"/api/reports/{ids[1]}/review", new { verdict = "spam" }));
        var notAsked = await Json(await client.PostAsJsonAsync($"/api/reports/{ids[2]}/review", new { verdict = "noThreatsFound", notify = false }));

        foreach (var answer in new[] { asked, byDefault })
        {
            Assert.False(answer.GetProperty("notified").GetBoolean());
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("notificationState").ValueKind);
            var reason = answer.GetProperty("notifyReason").GetString()!;
            Assert.Contains("no delivery is configured (notifications.smtp or notifications.graph in hookline.yaml)", reason, StringComparison.Ordinal);
            Assert.Contains("no sender address is set in the notification settings", reason, StringComparison.Ordinal);
        }

        Assert.False(notAsked.GetProperty("notified").GetBoolean());
        Assert.Equal(JsonValueKind.Null, notAsked.GetProperty("notifyReason").ValueKind);

        var report = await Json(await client.GetAsync($"/api/reports/{ids[0]}"));
        Assert.Equal("phishing", report.GetProperty("report").GetProperty("markedAs").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("report").GetProperty("notificationState").ValueKind);
        Assert.Empty(report.GetProperty("notifications").EnumerateArray());
        var review = Assert.Single(report.GetProperty("reviews").EnumerateArray());
        Assert.True(review.GetProperty("notify").GetBoolean());
        Assert.False(review.GetProperty("notified").GetBoolean());
        Assert.Contains("no delivery is configured", review.GetProperty("notifySkipped").GetString(), StringComparison.Ordinal);
        var audit = report.GetProperty("audit").EnumerateArray().Single(a => a.GetProperty("action").GetString() == "reviewed").GetProperty("detail").GetString()!;
        Assert.StartsWith("phishing; reporter not notified: no delivery is configured", audit, StringComparison.Ordinal);
        Assert.EndsWith("; comment: lure", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("queued", audit, StringComparison.Ordinal);

        var quiet = await Json(await client.GetAsync($"/api/reports/{ids[2]}"));
        Assert.Equal("noThreatsFound; reporter not notified (not asked)", quiet.GetProperty("audit").EnumerateArray().Single(a => a.GetProperty("action").GetString() == "reviewed").GetProperty("detail").GetString());

        // A selection answers per report.
        var many = await Json(await client.PostAsJsonAsync("/api/reports/review", new { ids = ids.Take(2), verdict = "phishing" }));
        Assert.All(many.GetProperty("items").EnumerateArray(), i => Assert.False(i.GetProperty("notified").GetBoolean()));
        Assert.All(many.GetProperty("items").EnumerateArray(), i => Assert.Contains("no delivery is configured", i.GetProperty("notifyReason").GetString(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("*")]
    [InlineData("NEAR(")]
    [InlineData("-")]
    [InlineData("subject:")]
    [InlineData("((mailbox")]
    [InlineData("\"mailbox\" OR \"")]
    [InlineData("%00")]
    [InlineData("%F0%9F%93%8E%20%C3%BCber")]
    public async Task Search_with_query_syntax_or_odd_characters_answers_200(string q)
    {
        using var client = server.Client("reader");

        var response = await client.GetAsync($"/api/reports?q={(q.Contains('%', StringComparison.Ordinal) ? q : Uri.EscapeDataString(q))}");

        var list = await Json(response);
        Assert.InRange(list.GetProperty("total").GetInt32(), 0, 45);
    }

    [Fact]
    public async Task Search_with_kilobytes_of_text_answers_and_finds_what_the_words_say()
    {
        using var client = server.Client("reader");
        var all = (await Json(await client.GetAsync("/api/reports?pageSize=200"))).GetProperty("items").EnumerateArray().ToList();
        var one = all.First(i => i.GetProperty("networkMessageId").GetString() is { Length: > 8 });
        var reporter = one.GetProperty("reporter").GetProperty("address").GetString()!;
        var network = one.GetProperty("networkMessageId").GetString()!;

        // Kestrel refuses a request line over 8 KB itself (414); below that the search answers.
        using var tooLong = await client.GetAsync("/api/reports?q=" + new string('x', 10_000));
        var big = await Json(await client.GetAsync("/api/reports?q=" + Uri.EscapeDataString(string.Concat(Enumerable.Repeat("x\"* NEAR( ", 300)))));
        var domain = await Json(await client.GetAsync("/api/reports?pageSize=200&q=" + Uri.EscapeDataString(reporter.Split('@')[1])));
        var mine = await Json(await client.GetAsync("/api/reports?pageSize=200&q=" + Uri.EscapeDataString(reporter.ToUpperInvariant())));
        var byId = await Json(await client.GetAsync("/api/reports?q=" + Uri.EscapeDataString(network[4..^4])));

        Assert.Equal(HttpStatusCode.RequestUriTooLong, tooLong.StatusCode);
        Assert.Equal(0, big.GetProperty("total").GetInt32());
        Assert.InRange(domain.GetProperty("total").GetInt32(), all.Count(i => i.GetProperty("reporter").GetProperty("address").GetString()!.EndsWith("@" + reporter.Split('@')[1], StringComparison.Ordinal)), all.Count);
        Assert.Contains(mine.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetInt64() == one.GetProperty("id").GetInt64());
        Assert.Equal([one.GetProperty("id").GetInt64()], byId.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task One_report_has_its_envelope_analysis_and_audit_trail()
    {
        using var client = server.Client("reader");
        var id = await AnyReportId();

        var report = await Json(await client.GetAsync($"/api/reports/{id}"));

        Assert.Equal(id, report.GetProperty("report").GetProperty("id").GetInt64());
        Assert.Equal(report.GetProperty("report").GetProperty("format").GetString(), report.GetProperty("analysis").GetProperty("report").GetProperty("format").GetString());
        Assert.Contains(report.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "received");
        Assert.Contains(report.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "analysed");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/reports/999999")).StatusCode);
    }

    [Fact]
    public async Task An_analyst_downloads_the_original_byte_for_byte_and_the_raw_report()
    {
        using var client = server.Client("analyst");
        var raw = DemoReports.Generate(1, 99, DateTimeOffset.UtcNow).Single();
        var created = await client.PostAsync("/api/reports", new ByteArrayContent(raw) { Headers = { ContentType = new("message/rfc822") } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await Json(created)).GetProperty("id").GetInt64();

        var original = await client.GetAsync($"/api/reports/{id}/original");
        var rawDownload = await client.GetByteArrayAsync($"/api/reports/{id}/raw");

        Assert.Equal("message/rfc822", original.Content.Headers.ContentType?.MediaType);
        var text = Encoding.UTF8.GetString(raw);
        var start = text.IndexOf("Received: from mx.", StringComparison.Ordinal);
        var end = text.LastIndexOf("\r\n--_rep_", StringComparison.Ordinal);
        Assert.Equal(text[start..end], Encoding.UTF8.GetString(await original.Content.ReadAsByteArrayAsync()));
        Assert.Equal(raw, rawDownload);
    }

    [Fact]
    public async Task Submitting_a_report_larger_than_kestrels_default_body_limit_is_taken_not_a_500()
    {
        // 32 MB: past Kestrel's 30,000,000-byte default, under the endpoint's 100 MiB limit.
        using var client = server.Client("analyst");
        var header = "From: Anna <anna@contoso.com>\r\nTo: report@contoso.com\r\nSubject: Large report\r\nMessage-ID: <large-upload@contoso.com>\r\n\r\n"u8.ToArray();
        var body = new byte[32 * 1024 * 1024];
        Array.Fill(body, (byte)'x');
        for (var i = 998; i < body.Length; i += 1000)
        {
            body[i] = (byte)'\r';
            body[i + 1] = (byte)'\n';
        }

        var created = await client.PostAsync("/api/reports", new ByteArrayContent([.. header, .. body]) { Headers = { ContentType = new("message/rfc822") } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task Submitting_stores_once_raw_or_multipart_and_answers_duplicates_with_the_same_id()
    {
        using var client = server.Client("analyst");
        var raw = DemoReports.Generate(1, 77, DateTimeOffset.UtcNow).Single();

        var first = await Json(await client.PostAsync("/api/reports", new ByteArrayContent(raw)));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(raw), "file", "report.eml" } };
        var again = await client.PostAsync("/api/reports", form);

        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var second = await Json(again);
        Assert.True(second.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/reports", new ByteArrayContent([]))).StatusCode);
    }

    [Fact]
    public async Task Marking_records_each_decision_and_re_marking_keeps_the_history()
    {
        using var client = server.Client("analyst");
        var id = await AnyReportId();

        await Json(await client.PostAsJsonAsync($"/api/reports/{id}/review", new { verdict = "spam", notify = false, comment = "bulk mail" }));
        await Json(await client.PostAsJsonAsync($"/api/reports/{id}/review", new { verdict = "phishing", notify = false }));
        var bad = await client.PostAsJsonAsync($"/api/reports/{id}/review", new { verdict = "maybe" });

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        var report = await Json(await client.GetAsync($"/api/reports/{id}"));
        Assert.Equal("phishing", report.GetProperty("report").GetProperty("markedAs").GetString());
        Assert.Equal("key:analyst-key", report.GetProperty("report").GetProperty("markedBy").GetString());
        Assert.Equal(["spam", "phishing"], report.GetProperty("reviews").EnumerateArray().Select(r => r.GetProperty("verdict").GetString()));
        Assert.Equal(2, report.GetProperty("audit").EnumerateArray().Count(a => a.GetProperty("action").GetString() == "reviewed"));
    }

    [Fact]
    public async Task A_comment_over_the_limit_is_refused_and_nothing_is_marked()
    {
        using var client = server.Client("analyst");
        var id = await AnyReportId();
        var before = await Json(await client.GetAsync($"/api/reports/{id}"));

        var tooLong = await client.PostAsJsonAsync($"/api/reports/{id}/review", new { verdict = "spam", notify = false, comment = new string('c', 2001) });
        var many = await client.PostAsJsonAsync("/api/reports/review", new { ids = new[] { id }, verdict = "spam", comment = new string('c', 100_000) });

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("application/problem+json", tooLong.Content.Headers.ContentType?.MediaType);
        Assert.Contains("at most 2000 characters (2001 given)", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        var after = await Json(await client.GetAsync($"/api/reports/{id}"));
        Assert.Equal(before.GetProperty("reviews").GetArrayLength(), after.GetProperty("reviews").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/reports/{id}/review", new { verdict = "spam", notify = false, comment = new string('c', 2000) })).StatusCode);
    }

    [Fact]
    public async Task A_mark_naming_a_report_that_does_not_exist_is_a_validation_problem_and_marks_none()
    {
        using var client = server.Client("analyst");
        var id = await AnyReportId();
        var before = await Json(await client.GetAsync($"/api/reports/{id}"));

        // The unknown id comes after one that exists: that one is not marked either.
        var many = await client.PostAsJsonAsync("/api/reports/review", new { ids = new[] { id, 999_999 }, verdict = "spam", notify = false });
        var one = await client.PostAsJsonAsync("/api/reports/999999/review", new { verdict = "maybe", notify = false });

        Assert.Equal(HttpStatusCode.BadRequest, many.StatusCode);
        Assert.Equal("application/problem+json", many.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await many.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("invalid review", problem.GetProperty("title").GetString());
        Assert.Equal("report 999999 does not exist.", problem.GetProperty("errors").GetProperty("ids")[0].GetString());
        var single = JsonDocument.Parse(await one.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.BadRequest, one.StatusCode);
        Assert.Equal("report 999999 does not exist.", single.GetProperty("errors").GetProperty("id")[0].GetString());
        Assert.Equal("verdict must be noThreatsFound, phishing or spam ('maybe' given).", single.GetProperty("errors").GetProperty("verdict")[0].GetString());
        var after = await Json(await client.GetAsync($"/api/reports/{id}"));
        Assert.Equal(before.GetProperty("reviews").GetArrayLength(), after.GetProperty("reviews").GetArrayLength());
        Assert.Equal(before.GetProperty("report").GetProperty("markedAs").ValueKind, after.GetProperty("report").GetProperty("markedAs").ValueKind);
    }

    [Theory]
    [InlineData("/api/reports?page=2147483647")]
    [InlineData("/api/reports?page=2147483647&pageSize=200")]
    [InlineData("/api/audit?page=2147483647&pageSize=200")]
    public async Task A_page_far_past_the_end_is_empty_not_an_error(string path)
    {
        using var client = server.Client("admin");

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await Json(response)).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task A_selection_is_marked_at_once()
    {
        using var client = server.Client("admin");
        var list = await Json(await client.GetAsync("/api/reports?pageSize=3&sort=-reported"));
        var ids = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();

        var result = await Json(await client.PostAsJsonAsync("/api/reports/review", new { ids, verdict = "noThreatsFound", notify = false }));

        Assert.Equal(3, result.GetProperty("items").GetArrayLength());
        var marked = await Json(await client.GetAsync("/api/reports?markedAs=noThreatsFound&pageSize=200"));
        Assert.Superset(ids.ToHashSet(), marked.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToHashSet());
    }

    [Fact]
    public async Task The_OpenAPI_description_lists_the_api()
    {
        using var client = server.Client(null);
        var document = await Json(await client.GetAsync("/openapi/v1.json"));
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/reports", paths);

        // How a client authenticates: an API key as a bearer token, required by every /api operation.
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                Assert.Contains(operation.Value.GetProperty("security").EnumerateArray(), requirement => requirement.TryGetProperty("apiKey", out _));
            }
        }

        Assert.Contains("/api/reports/{id}/review", paths);
        Assert.Contains("/api/reports/{id}/original", paths);

        // The list's parameters under the names the contract gives them (what a generated client sends).
        var parameters = document.GetProperty("paths").GetProperty("/api/reports").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["assessment", "from", "markedAs", "page", "pageSize", "q", "reporter", "sender", "sort", "status", "to", "userVerdict"], parameters.Order(StringComparer.Ordinal));

        // The closed filters list their values, the same ones that answer 400 to anything else.
        string[] Values(string name) => document.GetProperty("paths").GetProperty("/api/reports").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == name).GetProperty("schema").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).ToArray();
        Assert.Equal(["received", "analysed", "skipped", "failed", "unmarked", "marked"], Values("status"));
        Assert.Equal(["noThreatsFound", "phishing", "spam"], Values("markedAs"));
        Assert.Equal(["phishing", "spam", "clean"], Values("assessment"));
        Assert.Equal(["phishing", "junk", "notJunk"], Values("userVerdict"));
        Assert.Contains("-risk", Values("sort"));

        // The sort's description gives the default order and the risk sort with its old name.
        var list = document.GetProperty("paths").GetProperty("/api/reports").GetProperty("get");
        var sort = list.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "sort").GetProperty("description").GetString()!;
        Assert.Contains("not marked yet first, then the highest risk first, then the newest", sort, StringComparison.Ordinal);
        Assert.Contains("`risk` (or its old name `score`)", sort, StringComparison.Ordinal);
        Assert.Contains("not marked yet first", list.GetProperty("summary").GetString(), StringComparison.Ordinal);

        // The review's answer: notified, and why not.
        var review = document.GetProperty("paths").GetProperty("/api/reports/{id}/review").GetProperty("post");
        Assert.Contains("`notified: false` and `notifyReason`", review.GetProperty("description").GetString(), StringComparison.Ordinal);
        // A refused mark: a validation problem, its errors per field.
        Assert.Contains("application/problem+json", review.GetProperty("responses").GetProperty("400").GetProperty("content").EnumerateObject().Select(c => c.Name));
        Assert.Contains("title `invalid review`", review.GetProperty("description").GetString(), StringComparison.Ordinal);
        var reference = review.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.Split('/')[^1]).GetProperty("properties");
        Assert.Contains("queued", schema.GetProperty("notified").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("no delivery configured", schema.GetProperty("notifyReason").GetProperty("description").GetString(), StringComparison.Ordinal);

        // The list and a report are typed: their answers have schemas a generated client can use.
        JsonElement Schema(string path, string status)
        {
            var content = document.GetProperty("paths").GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty(status).GetProperty("content");
            var name = content.EnumerateObject().First().Value.GetProperty("schema").GetProperty("$ref").GetString()!.Split('/')[^1];
            return document.GetProperty("components").GetProperty("schemas").GetProperty(name).GetProperty("properties");
        }

        var page = Schema("/api/reports", "200");
        Assert.Equal(["items", "page", "pageSize", "total"], page.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var detail = Schema("/api/reports/{id}", "200");
        Assert.Contains("report", detail.EnumerateObject().Select(p => p.Name));
        Assert.Contains("reviews", detail.EnumerateObject().Select(p => p.Name));
        Assert.True(Schema("/api/reports/{id}", "404").TryGetProperty("detail", out _));
    }
}
