using Hookline.Storage;
using Hookline.Storage.Model;
using Hookline.Web.Ui;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Pages;

/// <summary>The audit log (admins): every entry of the audit trail, newest first, filtered and paged from the query string.</summary>
public sealed class AuditModel(HooklineStore store) : PageModel
{
    internal AuditFilter Filter { get; private set; } = new();

    internal IReadOnlyList<AuditEvent> Rows { get; private set; } = [];

    internal int Total { get; private set; }

    internal int Pages => Math.Max(1, (Total + AuditFilter.PageSize - 1) / AuditFilter.PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Filter = AuditFilter.Read(Request.Query);
        await using var context = store.CreateContext();
        Total = await Filter.ToQuery().Apply(context).CountAsync(cancellationToken);
        if (Filter.Page > Pages)
        {
            Filter = Filter with { Page = Pages };
        }

        var query = Filter.ToQuery();
        Rows = await query.Apply(context).Skip((query.SafePage - 1) * query.SafePageSize).Take(query.SafePageSize).ToListAsync(cancellationToken);
    }
}
