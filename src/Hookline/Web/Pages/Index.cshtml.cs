using Hookline.Review;
using Hookline.Storage.Model;
using Hookline.Web.Security;
using Hookline.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hookline.Web.Pages;

/// <summary>The user-reported list: filters, search, sort and paging from the query string; "mark selected as" for analysts.</summary>
public sealed class IndexModel(IAuthorizationService authorization) : PageModel
{
    /// <summary>The thresholds risks are read against (internal services come from the request's container: the page model is public).</summary>
    internal RiskScale Scale { get; private set; } = RiskScale.Default;

    /// <summary>Why "notify the reporters" is not possible now (empty when it is).</summary>
    internal IReadOnlyList<string> NotifyBlockers { get; private set; } = [];

    /// <summary>The mark form was sent without a verdict.</summary>
    internal bool MarkVerdictMissing { get; private set; }

    internal ListFilter Filter { get; private set; } = new();

    internal IReadOnlyList<ReportRecord> Rows { get; private set; } = [];

    internal int Total { get; private set; }

    internal int Pages => Math.Max(1, (Total + ListFilter.PageSize - 1) / ListFilter.PageSize);

    internal bool CanMark { get; private set; }

    /// <summary>Reports per (sender address, subject) for the senders and subjects on this page.</summary>
    internal Dictionary<(string Sender, string Subject), int> Campaigns { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Filter = ListFilter.Read(Request.Query);
        Scale = HttpContext.RequestServices.GetRequiredService<RiskScale>();
        CanMark = (await authorization.AuthorizeAsync(User, Policies.Analyst)).Succeeded;
        if (CanMark)
        {
            NotifyBlockers = await HttpContext.RequestServices.GetRequiredService<ResultDelivery>().BlockersAsync(cancellationToken);
            MarkVerdictMissing = Request.Query["markError"] == MarkModel.VerdictMissing;
        }

        // A page past the end shows the last one.
        var queries = HttpContext.RequestServices.GetRequiredService<ReportQueries>();
        var page = await queries.ListAsync(Filter.ToQuery(), lastPageAtMost: true, cancellationToken);
        Total = page.Total;
        Filter = Filter with { Page = page.Page };
        Rows = page.Rows;
        Campaigns = await queries.CampaignSizesAsync(Rows, cancellationToken);
    }

    internal int CampaignSize(ReportRecord row) =>
        row.SenderAddress is not null && row.Subject is not null && Campaigns.TryGetValue((row.SenderAddress, row.Subject), out var count) ? count : 0;
}
