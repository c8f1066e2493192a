using Hookline.Review;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Hookline.Web.Pages;

/// <summary>"Mark as" from the list (a selection) or from a report page; analysts and admins only (see UiSetup).</summary>
public sealed class MarkModel : PageModel
{
    /// <summary>The <c>markError</c> value the form's page shows "choose a verdict" for.</summary>
    public const string VerdictMissing = "verdict";

    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync([FromForm] List<long>? ids, [FromForm] string? verdict, [FromForm] string? comment, [FromForm] bool notify, [FromForm] string? returnUrl, CancellationToken cancellationToken)
    {
        var back = LoginModel.SafeReturnUrl(returnUrl);
        if (string.IsNullOrEmpty(verdict))
        {
            // The forms start with no choice unless Hookline's verdict is clear; the browser asks first
            // (required), and without it the page says so rather than marking anything.
            return LocalRedirect(back.Contains("markError=", StringComparison.Ordinal) ? back : QueryHelpers.AddQueryString(back, "markError", VerdictMissing));
        }

        if (!ReviewVerdicts.All.Contains(verdict))
        {
            return BadRequest("verdict must be noThreatsFound, phishing or spam");
        }

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
            await HttpContext.RequestServices.GetRequiredService<ReviewService>().MarkAsync(ids, verdict, comment is { Length: > ReviewService.MaxCommentLength } ? comment[..ReviewService.MaxCommentLength] : comment, notify, User.Identity?.Name ?? "?", cancellationToken).ConfigureAwait(false);
        }
        catch (KeyNotFoundException)
        {
            return NotFound();
        }

        return LocalRedirect(back);
    }
}
