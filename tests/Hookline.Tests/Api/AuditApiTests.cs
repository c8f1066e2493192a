using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Hookline.Tests.Api;

/// <summary>The audit log API over real HTTP: who may read it, its filters, order and paging.</summary>
public sealed class AuditApiTests(ApiServer server) : IClassFixture<ApiServer>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static List<JsonElement> Items(JsonElement page) => [.. page.GetProperty("items").EnumerateArray()];

    private static string Iso(DateTime time) => Uri.EscapeDataString(time.ToString("O", CultureInfo.InvariantCulture));

    private async Task<JsonElement> Admin(string query)
    {
        using var client = server.Client("admin");
        return await Json(await client.GetAsync("/api/audit" + query));
    }

    [Fact]
    public async Task Only_admins_read_the_audit_log()
    {
        using (var anonymous = server.Client(null))
        {
            var response = await anonymous.GetAsync("/api/audit");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        foreach (var role in new[] { "reader", "analyst" })
        {
            using var client = server.Client(role);
            var response = await client.GetAsync("/api/audit?kind=login");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var admin = server.Client("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/audit")).StatusCode);
    }

    [Fact]
    public async Task The_log_is_newest_first_and_pages_like_the_reports_list()
    {
        var first = await Admin("");
        Assert.Equal(1, first.GetProperty("page").GetInt32());
        Assert.Equal(50, first.GetProperty("pageSize").GetInt32());
        var total = first.GetProperty("total").GetInt32();
        // 40 reports received and analysed, three API keys added.
        Assert.True(total >= 83, $"{total} entries");

        var all = Items(await Admin("?pageSize=200"));
        Assert.Equal(Math.Min(200, total), all.Count);
        var order = all.Select(i => (At: i.GetProperty("at").GetDateTime(), Id: i.GetProperty("id").GetInt64())).ToList();
        Assert.Equal(order.OrderByDescending(o => o.At).ThenByDescending(o => o.Id), order);
        Assert.All(all, i => Assert.Equal(DateTimeKind.Utc, i.GetProperty("at").GetDateTime().Kind));

        var page1 = Items(await Admin("?pageSize=7"));
        var page2 = Items(await Admin("?pageSize=7&page=2"));
        Assert.Equal(all.Take(7).Select(i => i.GetProperty("id").GetInt64()), page1.Select(i => i.GetProperty("id").GetInt64()));
        Assert.Equal(all.Skip(7).Take(7).Select(i => i.GetProperty("id").GetInt64()), page2.Select(i => i.GetProperty("id").GetInt64()));

        var past = await Admin($"?pageSize=50&page={(total / 50) + 2}");
        Assert.Empty(Items(past));
        Assert.Equal(total, past.GetProperty("total").GetInt32());
        var clamped = await Admin("?pageSize=5000&page=0");
        Assert.Equal(200, clamped.GetProperty("pageSize").GetInt32());
        Assert.Equal(1, clamped.GetProperty("page").GetInt32());
    }

    [Fact]
    public async Task Filters_by_kind_actor_report_and_time()
    {
        var received = await Admin("?kind=received&pageSize=200");
        Assert.Equal(40, received.GetProperty("total").GetInt32());
        Assert.All(Items(received), i =>
        {
            Assert.Equal("received", i.GetProperty("action").GetString());
            Assert.True(i.GetProperty("reportId").GetInt64() > 0);
        });

        var two = await Admin("?kind=received,%20api-key-added,received&pageSize=200");
        Assert.Equal(43, two.GetProperty("total").GetInt32());
        Assert.Equal(["api-key-added", "received"], Items(two).Select(i => i.GetProperty("action").GetString()).Distinct().Order());

        var keys = Items(await Admin("?actor=test"));
        Assert.Equal(3, keys.Count);
        Assert.All(keys, i =>
        {
            Assert.Equal("api-key-added", i.GetProperty("action").GetString());
            Assert.Equal(JsonValueKind.Null, i.GetProperty("reportId").ValueKind);
            Assert.Contains("-key (", i.GetProperty("detail").GetString(), StringComparison.Ordinal);
        });
        Assert.Equal(0, (await Admin("?actor=TEST")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await Admin("?kind=no-such-kind")).GetProperty("total").GetInt32());

        // One report's entries are the trail the report itself shows, newest first.
        var reportId = Items(received)[0].GetProperty("reportId").GetInt64();
        var trail = Items(await Admin($"?reportId={reportId}"));
        using (var reader = server.Client("reader"))
        {
            var report = await Json(await reader.GetAsync($"/api/reports/{reportId}"));
            var own = report.GetProperty("audit").EnumerateArray().Select(a => a.GetProperty("action").GetString()).Reverse();
            Assert.Equal(own, trail.Select(i => i.GetProperty("action").GetString()));
        }

        Assert.All(trail, i => Assert.Equal(reportId, i.GetProperty("reportId").GetInt64()));
        Assert.Contains(trail, i => i.GetProperty("action").GetString() == "analysed");

        // from is inclusive and to exclusive, so the two halves around any instant add up to the whole.
        var all = Items(await Admin("?pageSize=200"));
        var total = all.Count;
        var middle = all[total / 2].GetProperty("at").GetDateTime();
        var after = await Admin($"?from={Iso(middle)}&pageSize=200");
        var before = await Admin($"?to={Iso(middle)}&pageSize=200");
        Assert.Equal(total, after.GetProperty("total").GetInt32() + before.GetProperty("total").GetInt32());
        Assert.All(Items(after), i => Assert.True(i.GetProperty("at").GetDateTime() >= middle));
        Assert.All(Items(before), i => Assert.True(i.GetProperty("at").GetDateTime() < middle));
        Assert.True(after.GetProperty("total").GetInt32() > 0);

        var window = await Admin($"?from={Iso(middle)}&to={Iso(middle.AddTicks(1))}&kind={Uri.EscapeDataString(all[total / 2].GetProperty("action").GetString()!)}");
        Assert.Contains(Items(window), i => i.GetProperty("id").GetInt64() == all[total / 2].GetProperty("id").GetInt64());
        Assert.All(Items(window), i => Assert.Equal(middle, i.GetProperty("at").GetDateTime()));

        // A time with an offset means that instant.
        var offset = new DateTimeOffset(middle).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture);
        Assert.Equal(after.GetProperty("total").GetInt32(), (await Admin($"?from={Uri.EscapeDataString(offset)}")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await Admin($"?from={Iso(DateTime.UtcNow.AddDays(1))}")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Bad_parameters_are_refused_with_400()
    {
        using var client = server.Client("admin");
        foreach (var query in new[] { "?reportId=abc", "?from=yesterday", "?page=x" })
        {
            var response = await client.GetAsync("/api/audit" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task The_OpenAPI_description_has_the_audit_log_and_its_parameters()
    {
        using var client = server.Client(null);
        var document = await Json(await client.GetAsync("/openapi/v1.json"));
        var get = document.GetProperty("paths").GetProperty("/api/audit").GetProperty("get");
        var parameters = get.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["actor", "from", "kind", "page", "pageSize", "reportId", "to"], parameters.Order());
        Assert.True(get.GetProperty("responses").TryGetProperty("200", out var ok));
        Assert.True(ok.GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(get.GetProperty("responses").TryGetProperty("403", out _));
    }
}
