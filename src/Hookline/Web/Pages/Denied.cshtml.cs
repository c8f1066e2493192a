using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hookline.Web.Pages;

/// <summary>Where a signed-in person lands when their role does not allow what they asked for.</summary>
public sealed class DeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
