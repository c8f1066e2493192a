using Hookline.Cli;
using Hookline.Review.Accounts;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hookline.Web.Pages.Settings;

/// <summary>
/// Users and API keys (admins): add, disable and enable, reset a password, change a role, add and
/// revoke a key. A change to a user ends its sessions (<see cref="AccountService"/>, which also audits
/// it); a new password or key is generated here and shown once, on the answer to the POST that made it.
/// An admin cannot disable or demote themself (no lock-out by a slip).
/// </summary>
public sealed class AccountsModel : PageModel
{
    private AccountService Accounts => HttpContext.RequestServices.GetRequiredService<AccountService>();

    internal IReadOnlyList<UserAccount> Users { get; private set; } = [];

    internal IReadOnlyList<ApiKey> Keys { get; private set; } = [];

    /// <summary>What the last action did.</summary>
    internal string? Done { get; private set; }

    /// <summary>The password or key the last action made, shown only on this answer.</summary>
    internal string? Secret { get; private set; }

    internal string? Error { get; private set; }

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<IActionResult> OnPostAddUserAsync(string? name, string? role, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var password = UsersCommand.GeneratePassword();
        var user = await Accounts.AddUserAsync(Required(name, "a user name"), password, role ?? "", User.Actor(), cancellationToken);
        Secret = password;
        return $"Added {user.UserName} ({user.Role}). Their password, shown only now:";
    }, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(string? name, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await Accounts.SetDisabledAsync(NotSelf(name), disabled: true, User.Actor(), cancellationToken);
        return $"Disabled {name}: their sessions have ended.";
    }, cancellationToken);

    public Task<IActionResult> OnPostEnableAsync(string? name, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await Accounts.SetDisabledAsync(Required(name, "a user name"), disabled: false, User.Actor(), cancellationToken);
        return $"Enabled {name}.";
    }, cancellationToken);

    public Task<IActionResult> OnPostResetAsync(string? name, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var password = UsersCommand.GeneratePassword();
        await Accounts.ResetPasswordAsync(Required(name, "a user name"), password, User.Actor(), cancellationToken);
        Secret = password;
        return $"New password for {name} (their sessions have ended), shown only now:";
    }, cancellationToken);

    public Task<IActionResult> OnPostRoleAsync(string? name, string? role, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await Accounts.SetRoleAsync(NotSelf(name), role ?? "", User.Actor(), cancellationToken);
        return $"{name} is now {role}: their sessions have ended.";
    }, cancellationToken);

    public Task<IActionResult> OnPostAddKeyAsync(string? name, string? role, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        var key = await Accounts.AddApiKeyAsync(Required(name, "a key name"), role ?? "", User.Actor(), cancellationToken);
        Secret = key;
        return $"Added the API key {name} ({role}). The key, shown only now (only its hash is kept):";
    }, cancellationToken);

    public Task<IActionResult> OnPostRevokeAsync(string? prefix, CancellationToken cancellationToken) => ActAsync(async () =>
    {
        await Accounts.RevokeApiKeyAsync(Required(prefix, "a key prefix"), User.Actor(), cancellationToken);
        return $"Revoked the key {prefix}…: it is refused from the next request on.";
    }, cancellationToken);

    private async Task<IActionResult> ActAsync(Func<Task<string>> action, CancellationToken cancellationToken)
    {
        try
        {
            Done = await action();
        }
        catch (InvalidOperationException e)
        {
            Error = e.Message;
            Secret = null;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        // A password or key in the page: never kept by a cache.
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(cancellationToken);
        return Page();
    }

    private string NotSelf(string? name)
    {
        var user = Required(name, "a user name");
        return string.Equals(user.ToLowerInvariant(), User.Identity?.Name, StringComparison.Ordinal)
            ? throw new InvalidOperationException("you cannot disable or demote yourself: ask another admin")
            : user;
    }

    private static string Required(string? value, string what) =>
        string.IsNullOrWhiteSpace(value) || value.Length > 64 ? throw new InvalidOperationException($"{what} of 1 to 64 characters is needed") : value.Trim();

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Users = await Accounts.ListUsersAsync(cancellationToken);
        Keys = await Accounts.ListApiKeysAsync(cancellationToken);
    }
}
