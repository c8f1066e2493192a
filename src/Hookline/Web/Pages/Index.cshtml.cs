using Hookline.Review;
using Hookline.Storage;
using Hookline.Storage.Model;
using Hookline.Web.Security;
using Hookline.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Pages;

/// <summary>The user-reported list: filters, search, sort and paging from the query string; "mark selected as" for analysts.</summary>
public sealed class IndexModel(HooklineStore store, IAuthorizationService authorization) : PageModel
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
    internal Dictionary<(string Sender, string Subject), int> Campaigns { get; } = [];

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

        var query = Filter.ToQuery();
        await using var context = store.CreateContext();
        var filtered = query.Apply(context);
        Total = await filtered.CountAsync(cancellationToken);
        if (Filter.Page > Pages)
        {
            Filter = Filter with { Page = Pages };
            query = Filter.ToQuery();
            filtered = query.Apply(context);
        }

        // The list never needs the analysis JSON: leave the big column in the database.
        Rows = await filtered.Skip((query.SafePage - 1) * query.SafePageSize).Take(query.SafePageSize)
            .Select(r => new ReportRecord
            {
                Id = r.Id,
                RawSha256 = "",
                Source = r.Source,
                SourceKey = "",
                Status = r.Status,
                Subject = r.Subject,
                ReporterName = r.ReporterName,
                ReporterAddress = r.ReporterAddress,
                ReportedAt = r.ReportedAt,
                ReceivedAt = r.ReceivedAt,
                SenderName = r.SenderName,
                SenderAddress = r.SenderAddress,
                UserVerdict = r.UserVerdict,
                VerdictAssumed = r.VerdictAssumed,
                Assessment = r.Assessment,
                Score = r.Score,
                MarkedAs = r.MarkedAs,
                MarkedBy = r.MarkedBy,
                MarkedAt = r.MarkedAt,
                NotificationState = r.NotificationState,
                SkipReason = r.SkipReason,
                Error = r.Error,
            })
            .ToListAsync(cancellationToken);

        // Campaign size: one grouped query for the whole page.
        var senders = Rows.Where(r => r.SenderAddress is not null && r.Subject is not null).Select(r => r.SenderAddress!).Distinct().ToList();
        var subjects = Rows.Where(r => r.SenderAddress is not null && r.Subject is not null).Select(r => r.Subject!).Distinct().ToList();
        if (senders.Count > 0)
        {
            var groups = await context.Reports.AsNoTracking()
                .Where(r => senders.Contains(r.SenderAddress!) && subjects.Contains(r.Subject!))
                .GroupBy(r => new { r.SenderAddress, r.Subject })
                .Select(g => new { g.Key.SenderAddress, g.Key.Subject, Count = g.Count() })
                .ToListAsync(cancellationToken);
            foreach (var group in groups)
            {
                Campaigns[(group.SenderAddress!, group.Subject!)] = group.Count;
            }
        }
    }

    internal int CampaignSize(ReportRecord row) =>
        row.SenderAddress is not null && row.Subject is not null && Campaigns.TryGetValue((row.SenderAddress, row.Subject), out var count) ? count : 0;
}
