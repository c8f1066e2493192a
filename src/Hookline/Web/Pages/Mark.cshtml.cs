using Hookline.Review;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hookline.Web.Pages;

/// <summary>"Mark as" from the list (a selection) or from a report page; analysts and admins only (see UiSetup).</summary>
public sealed class MarkModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync([FromForm] List<long>? ids, [FromForm] string? verdict, [FromForm] string? comment, [FromForm] bool notify, [FromForm] string? returnUrl, CancellationToken cancellationToken)
    {
        if (verdict is null || !ReviewVerdicts.All.Contains(verdict))
        {
            return BadRequest("verdict must be noThreatsFound, phishing or spam");
        }

        var back = LoginModel.SafeReturnUrl(returnUrl);
        if (ids is not { Count: > 0 })
        {
            return LocalRedirect(back);
        }

        if (ids.Count > 500)
        {
            return BadRequest("at most 500 reports at once");
        }

        try
        {
            await HttpContext.RequestServices.GetRequiredService<ReviewService>().MarkAsync(ids, verdict, comment is { Length: > 2000 } ? comment[..2000] : comment, notify, User.Identity?.Name ?? "?", cancellationToken).ConfigureAwait(false);
        }
        catch (KeyNotFoundException)
        {
            return NotFound();
        }

        return LocalRedirect(back);
    }
}
