using Hookline.Storage;
using Hookline.Testing.Storage;
using Hookline.Web;
using Hookline.Web.Api;

namespace Hookline.Tests.Web;

/// <summary>The report reads the API and the pages share (<see cref="ReportQueries"/>), on a real SQLite store.</summary>
public sealed class ReportQueriesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hookline-queries-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<HooklineStore> StoreAsync()
    {
        var store = new HooklineStore(StorageOptions.Sqlite(_folder));
        await store.MigrateAsync();
        return store;
    }

    [Fact]
    public async Task A_page_past_the_end_is_the_last_one_for_the_pages_and_empty_for_the_api()
    {
        var store = await StoreAsync();
        await ReportRows.AddAsync(store, 5, (r, i) => r.Score = 10 * i);
        var queries = new ReportQueries(store);
        var query = new ReportQuery { Page = 9, PageSize = 2 };

        var pages = await queries.ListAsync(query, lastPageAtMost: true, default);
        var api = await queries.ListAsync(query, lastPageAtMost: false, default);

        Assert.Equal((3, 2, 5, 1), (pages.Page, pages.PageSize, pages.Total, pages.Rows.Count));
        Assert.Equal((9, 5, 0), (api.Page, api.Total, api.Rows.Count));
        Assert.Null(pages.Rows[0].Analysis);
    }

    [Fact]
    public async Task Campaign_sizes_count_every_report_with_the_same_sender_and_subject()
    {
        var store = await StoreAsync();
        await ReportRows.AddAsync(store, 4, (r, i) =>
        {
            r.SenderAddress = i < 3 ? "billing@fabrikam.example" : "other@fabrikam.example";
            r.Subject = "Invoice overdue";
        });
        var queries = new ReportQueries(store);
        var page = await queries.ListAsync(new ReportQuery { PageSize = 1, Sort = "reported" }, lastPageAtMost: true, default);

        var sizes = await queries.CampaignSizesAsync(page.Rows, default);

        var only = Assert.Single(sizes);
        Assert.Equal(page.Rows[0].SenderAddress == "other@fabrikam.example" ? 1 : 3, only.Value);
    }

    [Fact]
    public async Task A_report_that_does_not_exist_has_no_history_and_no_bytes()
    {
        var store = await StoreAsync();
        var id = await ReportRows.AddAsync(store);
        var queries = new ReportQueries(store);

        var history = await queries.HistoryAsync(id, default);

        Assert.Equal((id, 0, 0), (history!.Report.Id, history.Reviews.Count, history.Notifications.Count));
        Assert.NotNull(await queries.RawAsync(id, default));
        Assert.Null(await queries.HistoryAsync(id + 1, default));
        Assert.Null(await queries.RawAsync(id + 1, default));
    }
}
