using Hookline.Web.Security;
using Hookline.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hookline.Web.Pages.Reports;

/// <summary>One report: envelope, original (headers, authentication, relay path, links, attachments, body), assessment, review, notifications, audit.</summary>
public sealed class DetailModel(IAuthorizationService authorization) : PageModel
{
    internal ReportDetail Detail { get; private set; } = null!;

    internal bool CanMark { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var detail = await HttpContext.RequestServices.GetRequiredService<ReportDetails>().LoadAsync(id, cancellationToken).ConfigureAwait(false);
        if (detail is null)
        {
            return NotFound();
        }

        Detail = detail;
        CanMark = (await authorization.AuthorizeAsync(User, Policies.Analyst).ConfigureAwait(false)).Succeeded;
        return Page();
    }
}
