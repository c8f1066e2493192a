using Hookline.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Hookline.Web.Pages;

/// <summary>
/// "Mark as" from the list (a selection) or from a report page; analysts and admins only (see UiSetup).
/// What a mark needs is checked by <see cref="ReviewService"/> alone; its reasons for refusing one go into
/// the model state, and this page says how to show them: a form sent without a verdict goes back to the
/// form's page with <c>markError=verdict</c>, an empty selection goes back as it was, and anything else
/// (an unknown verdict, too many reports, a report that does not exist, a comment over the limit) is a
/// 400 page listing the reasons. Nothing is marked in any of these cases.
/// </summary>
public sealed class MarkModel : PageModel
{
    /// <summary>The <c>markError</c> value the form's page shows "choose a verdict" for.</summary>
    public const string VerdictMissing = "verdict";

    /// <summary>Where "back" goes from the page of reasons: the form's page.</summary>
    internal string ReturnUrl { get; private set; } = "/";

    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync([FromForm] List<long>? ids, [FromForm] string? verdict, [FromForm] string? comment, [FromForm] bool notify, [FromForm] string? returnUrl, CancellationToken cancellationToken)
    {
        var back = LoginModel.SafeReturnUrl(returnUrl);
        var result = await HttpContext.RequestServices.GetRequiredService<ReviewService>().MarkAsync(ids, verdict, comment, notify, User.Identity?.Name ?? "?", cancellationToken);
        if (result.Succeeded)
        {
            return LocalRedirect(back);
        }

        foreach (var error in result.Errors)
        {
            ModelState.AddModelError(error.Field, error.Message);
        }

        if (ModelState.ContainsKey(ReviewFields.Verdict) && string.IsNullOrEmpty(verdict))
        {
            // The forms start with no choice unless Hookline's verdict is clear; the browser asks first
            // (required), and without it the form's page says so rather than marking anything.
            return LocalRedirect(back.Contains("markError=", StringComparison.Ordinal) ? back : QueryHelpers.AddQueryString(back, "markError", VerdictMissing));
        }

        if (ids is not { Count: > 0 })
        {
            // Nothing selected: nothing to mark, and nothing to say.
            return LocalRedirect(back);
        }

        ReturnUrl = back;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
