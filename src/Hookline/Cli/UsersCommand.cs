using System.CommandLine;
using System.Security.Cryptography;
using Hookline.Configuration;
using Hookline.Hosting;
using Hookline.Reports.Settings;
using Hookline.Review.Accounts;

namespace Hookline.Cli;

/// <summary>
/// `hookline users add|list|disable|enable|reset-password|role` and `hookline keys add|list|revoke`:
/// local users and API keys, and their life cycle. A change to a user ends its sessions at once.
/// </summary>
internal static class UsersCommand
{
    public static Command CreateUsers()
    {
        var name = new Argument<string>("name") { Description = "The user name (sign-in name)." };
        var role = RoleOption();
        var stdin = new Option<bool>("--password-stdin") { Description = "Read the password from standard input instead of generating one." };
        var add = new Command("add", "Add a local user. Without --password-stdin a strong password is generated and printed once.") { name, role, stdin };
        add.SetAction(async (result, cancellationToken) => await WithAccountsAsync(result, async accounts =>
        {
            var password = result.GetValue(stdin) ? (await Console.In.ReadLineAsync(cancellationToken) ?? "").TrimEnd('\r', '\n') : GeneratePassword();
            var user = await accounts.AddUserAsync(result.GetValue(name)!, password, result.GetValue(role)!, "cli", cancellationToken);
            Console.Out.WriteLine(result.GetValue(stdin) ? $"added {user.UserName} ({user.Role})" : $"added {user.UserName} ({user.Role}); password: {password}");
        }, cancellationToken));
        var list = new Command("list", "List the users: name, role, disabled, created and last sign-in (UTC).");
        list.SetAction(async (result, cancellationToken) => await WithAccountsAsync(result, async accounts =>
        {
            foreach (var user in await accounts.ListUsersAsync(cancellationToken))
            {
                Console.Out.WriteLine($"{user.UserName}\t{user.Role}\t{(user.Disabled ? "disabled" : "active")}\tcreated {Time(user.CreatedAt)}\tlast sign-in {(user.LastLoginAt is { } at ? Time(at) : "never")}");
            }
        }, cancellationToken));

        var disableName = new Argument<string>("name") { Description = "The user to disable." };
        var disable = new Command("disable", "Disable a user: no more sign-ins, and its sessions end at once.") { disableName };
        disable.SetAction(async (result, cancellationToken) => await WithAccountsAsync(result, async accounts =>
        {
            await accounts.SetDisabledAsync(result.GetValue(disableName)!, disabled: true, "cli", cancellationToken);
            Console.Out.WriteLine($"disabled {result.GetValue(disableName)}");
        }, cancellationToken));

        var enableName = new Argument<string>("name") { Description = "The user to enable again." };
        var enable = new Command("enable", "Enable a disabled user.") { enableName };
        enable.SetAction(async (result, cancellationToken) => await WithAccountsAsync(result, async accounts =>
        {
            await accounts.SetDisabledAsync(result.GetValue(enableName)!, disabled: false, "cli", cancellationToken);
            Console.Out.WriteLine($"enabled {result.GetValue(enableName)}");
        }, cancellationToken));

        var resetName = new Argument<string>("name") { Description = "The user whose password is replaced." };
        var resetStdin = new Option<bool>("--password-stdin") { Description = "Read the new password from standard input instead of generating one." };
        var reset = new Command("reset-password", "Give a user a new password (generated and printed once unless --password-stdin); its sessions end.") { resetName, resetStdin };
        reset.SetAction(async (result, cancellationToken) => await WithAccountsAsync(result, async accounts =>
        {
            var password = result.GetValue(resetStdin) ? (await Console.In.ReadLineAsync(cancellationToken) ?? "").TrimEnd('\r', '\n') : GeneratePassword();
            await accounts.ResetPasswordAsync(result.GetValue(resetName)!, password, "cli", cancellationToken);
            Console.Out.WriteLine(result.GetValue(resetStdin) ? $"password of {result.GetValue(resetName)} replaced" : $"password of {result.GetValue(resetName)} replaced; new password: {password}");
        }, cancellationToken));

        var roleName = new Argument<string>("name") { Description = "The user whose role changes." };
        var newRole = RoleOption();
        var changeRole = new Command("role", "Give a user another role; its sessions end.") { roleName, newRole };
        changeRole.SetAction(async (result, cancellationToken) => await WithAccountsAsync(result, async accounts =>
        {
            await accounts.SetRoleAsync(result.GetValue(roleName)!, result.GetValue(newRole)!, "cli", cancellationToken);
            Console.Out.WriteLine($"{result.GetValue(roleName)} is now {result.GetValue(newRole)}");
        }, cancellationToken));

        return new Command("users", "Local users: sign-in names, hashed passwords and roles (reader, analyst, admin).") { add, list, disable, enable, reset, changeRole };
    }

    /// <summary>What <c>keys add</c> writes on standard error beside the key.</summary>
    internal const string KeyShownOnce = "hookline: keep this key now: it is shown this once, and only its hash is stored (a lost key is revoked and replaced: keys revoke, keys add)";

    public static Command CreateKeys()
    {
        var name = new Argument<string>("name") { Description = "What the key is for (shown in the audit trail)." };
        var role = RoleOption();
        var add = new Command("add", "Create an API key (Authorization: Bearer KEY); it is printed once and only its hash is stored.") { name, role };
        add.SetAction(async (result, cancellationToken) => await WithAccountsAsync(result, async accounts =>
        {
            var key = await accounts.AddApiKeyAsync(result.GetValue(name)!, result.GetValue(role)!, "cli", cancellationToken);
            // The key alone on standard output, for scripts; the reminder on standard error, for people.
            Console.Out.WriteLine(key);
            Console.Error.WriteLine(KeyShownOnce);
        }, cancellationToken));
        var list = new Command("list", "List the API keys: prefix, name, role, state, created and last used (UTC). The keys themselves are not stored.");
        list.SetAction(async (result, cancellationToken) => await WithAccountsAsync(result, async accounts =>
        {
            foreach (var key in await accounts.ListApiKeysAsync(cancellationToken))
            {
                Console.Out.WriteLine($"{key.Prefix}\t{key.Name}\t{key.Role}\t{(key.RevokedAt is { } revoked ? "revoked " + Time(revoked) : "active")}\tcreated {Time(key.CreatedAt)} by {key.CreatedBy}\tlast used {(key.LastUsedAt is { } used ? Time(used) : "never")}");
            }
        }, cancellationToken));

        var prefix = new Argument<string>("prefix") { Description = "The key's prefix as `keys list` shows it (hlk_ and 8 characters)." };
        var revoke = new Command("revoke", "Revoke an API key: it is refused from the next request on.") { prefix };
        revoke.SetAction(async (result, cancellationToken) => await WithAccountsAsync(result, async accounts =>
        {
            await accounts.RevokeApiKeyAsync(result.GetValue(prefix)!, "cli", cancellationToken);
            Console.Out.WriteLine($"revoked {result.GetValue(prefix)}");
        }, cancellationToken));

        return new Command("keys", "API keys for automation.") { add, list, revoke };
    }

    /// <summary>A random 20-character password from an alphabet without look-alike characters.</summary>
    public static string GeneratePassword()
    {
        const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return new string(RandomNumberGenerator.GetItems<char>(Alphabet, 20));
    }

    private static string Time(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static Option<string> RoleOption() => new("--role")
    {
        Description = "reader (look only), analyst (mark and notify) or admin (also settings, users and keys).",
        // Required, with no default: who may do what is chosen, never assumed.
        Required = true,
    };

    private static async Task<int> WithAccountsAsync(ParseResult result, Func<AccountService, Task> action, CancellationToken cancellationToken)
    {
        try
        {
            var folder = await DataFolder.OpenAsync(DataFolder.ResolveDataDirectory(result.GetValue(DataOption.Instance)), cancellationToken);
            await action(new AccountService(folder.Store));
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or ConfigException or SettingsException)
        {
            await Console.Error.WriteLineAsync($"hookline: {e.Message}");
            return 2;
        }
    }
}
