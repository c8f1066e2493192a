using System.CommandLine;
using System.Security.Cryptography;
using Hookline.Configuration;
using Hookline.Hosting;
using Hookline.Reports.Settings;
using Hookline.Storage.Model;
using Hookline.Web.Security;

namespace Hookline.Cli;

/// <summary>`hookline users add NAME --role ROLE [--password-stdin]` and `hookline keys add NAME --role ROLE`: local users and API keys.</summary>
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
            var password = result.GetValue(stdin) ? (await Console.In.ReadLineAsync(cancellationToken).ConfigureAwait(false) ?? "").TrimEnd('\r', '\n') : GeneratePassword();
            var user = await accounts.AddUserAsync(result.GetValue(name)!, password, result.GetValue(role)!, "cli", cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(result.GetValue(stdin) ? $"added {user.UserName} ({user.Role})" : $"added {user.UserName} ({user.Role}); password: {password}");
        }, cancellationToken).ConfigureAwait(false));
        return new Command("users", "Local users: sign-in names, hashed passwords and roles (reader, analyst, admin).") { add };
    }

    public static Command CreateKeys()
    {
        var name = new Argument<string>("name") { Description = "What the key is for (shown in the audit trail)." };
        var role = RoleOption();
        var add = new Command("add", "Create an API key (Authorization: Bearer KEY); it is printed once and only its hash is stored.") { name, role };
        add.SetAction(async (result, cancellationToken) => await WithAccountsAsync(result, async accounts =>
        {
            var key = await accounts.AddApiKeyAsync(result.GetValue(name)!, result.GetValue(role)!, "cli", cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine(key);
        }, cancellationToken).ConfigureAwait(false));
        return new Command("keys", "API keys for automation.") { add };
    }

    /// <summary>A random 20-character password from an alphabet without look-alike characters.</summary>
    public static string GeneratePassword()
    {
        const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return new string(RandomNumberGenerator.GetItems<char>(Alphabet, 20));
    }

    private static Option<string> RoleOption() => new("--role")
    {
        Description = "reader (look only), analyst (mark and notify) or admin (also settings, users and keys).",
        Required = true,
        DefaultValueFactory = _ => Roles.Reader,
    };

    private static async Task<int> WithAccountsAsync(ParseResult result, Func<AccountService, Task> action, CancellationToken cancellationToken)
    {
        try
        {
            var runtime = await Runtime.OpenAsync(Runtime.ResolveDataDirectory(result.GetValue(DataOption.Instance)), cancellationToken).ConfigureAwait(false);
            await action(new AccountService(runtime.Store)).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is InvalidOperationException or ConfigException or SettingsException)
        {
            await Console.Error.WriteLineAsync($"hookline: {e.Message}").ConfigureAwait(false);
            return 2;
        }
    }
}
