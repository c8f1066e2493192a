using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hookline.Web.Pages;

/// <summary>Sign-out: a POST (with the antiforgery token) ends the session; a GET only shows the button.</summary>
public sealed class LogoutModel : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // A new stamp: this cookie, and any copy of it, is refused from now on.
        if (User.Identity is { IsAuthenticated: true, Name: { } name } && User.FindFirst(Security.SessionClaims.Stamp) is not null)
        {
            await HttpContext.RequestServices.GetRequiredService<Review.Accounts.AccountService>().SignOutEverywhereAsync(name, cancellationToken);
        }

        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return LocalRedirect("/login");
    }
}
