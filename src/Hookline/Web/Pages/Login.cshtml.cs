using System.Security.Claims;
using Hookline.Review.Accounts;
using Hookline.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hookline.Web.Pages;

/// <summary>Sign-in with a local account (audited by <see cref="AccountService.SignInAsync"/>; rate-limited per client address by the "login" policy and per account by <see cref="SignInThrottle"/>).</summary>
public sealed class LoginModel : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool Failed { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(UserName) || string.IsNullOrEmpty(Password) || UserName.Length > 256 || Password.Length > 1024)
        {
            Failed = true;
            return Page();
        }

        var wait = HttpContext.RequestServices.GetRequiredService<SignInThrottle>().Check(UserName);
        if (wait is { } retry)
        {
            // This account has had its attempts for now, from whatever addresses: the password is not even checked.
            Response.Headers.RetryAfter = SignInThrottle.RetryAfter(retry);
            return StatusCode(StatusCodes.Status429TooManyRequests);
        }

        var from = WebSetup.ClientAddress(HttpContext);
        var user = await HttpContext.RequestServices.GetRequiredService<AccountService>().SignInAsync(UserName, Password, from, cancellationToken);
        if (user is null)
        {
            // One message whatever went wrong: no hint whether the user exists.
            Failed = true;
            Password = null;
            return Page();
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.UserName), new Claim(ClaimTypes.Role, user.Role), new Claim(SessionClaims.Stamp, user.SecurityStamp)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(SafeReturnUrl(ReturnUrl));
    }

    /// <summary>
    /// Only a path on this site ("/…", not "//…" or "/\…"), with no control character or space (browsers
    /// drop a TAB or line break, so "/\t/evil.example" would leave the site); anything else goes to the list.
    /// </summary>
    internal static string SafeReturnUrl(string? url) =>
        url is { Length: > 0 and < 2048 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
            && !url.Contains("://", StringComparison.Ordinal) && !url.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? url
            : "/";
}
