namespace Hookline.Web.Security;

/// <summary>The claims a session cookie carries beyond the name and the role.</summary>
internal static class SessionClaims
{
    /// <summary>The user's security stamp at sign-in; <see cref="Review.Accounts.AccountService.FindSessionUserAsync"/> ends the session once it changed.</summary>
    public const string Stamp = "hookline:stamp";
}
