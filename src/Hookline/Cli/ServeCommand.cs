using System.CommandLine;
using System.Globalization;
using Hookline.Configuration;
using Hookline.Hosting;
using Hookline.Intake.Demo;
using Hookline.Reports.Settings;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Cli;

/// <summary>`hookline serve [--data DIR] [--demo] [--urls URL]`: intake sources, analysis workers, and the web server.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var demo = new Option<bool>("--demo") { Description = "Load a few dozen realistic demo reports through the real intake path (the data folder's inbox) when the store is empty." };
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://127.0.0.1:5080; port 0 picks a free one)." };
        var command = new Command("serve", "Run Hookline: intake from the configured sources, analysis workers, web UI and API.") { demo, urls };
        command.SetAction(async (result, cancellationToken) =>
        {
            var data = DataFolder.ResolveDataDirectory(result.GetValue(DataOption.Instance));
            try
            {
                return await RunAsync(data, result.GetValue(demo), result.GetValue(urls) ?? "http://127.0.0.1:5080", cancellationToken);
            }
            catch (Exception e) when (e is ConfigException or SettingsException)
            {
                await Console.Error.WriteLineAsync($"hookline serve: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string data, bool demo, string urls, CancellationToken cancellationToken)
    {
        if (demo)
        {
            await WriteDemoSettingsAsync(data, cancellationToken);
        }

        var folder = await DataFolder.OpenAsync(data, cancellationToken);
        await using var app = HooklineServer.Build(folder, new ServerOptions { Urls = urls });
        string? password = null;
        var existing = false;
        if (demo)
        {
            await LoadDemoAsync(folder, cancellationToken);
            var accounts = app.Services.GetRequiredService<Review.Accounts.AccountService>();
            existing = await accounts.AnyUserAsync(cancellationToken);
            if (!existing)
            {
                password = UsersCommand.GeneratePassword();
                await accounts.AddUserAsync("admin", password, Storage.Model.Roles.Admin, "demo", cancellationToken);
            }
        }

        await app.StartAsync(cancellationToken);
        var addresses = HooklineServer.Addresses(app).ToList();
        foreach (var address in addresses)
        {
            Console.Out.WriteLine($"Hookline listening on {address} (data: {folder.DataDirectory})");
        }

        // After the start-up log, so that the one thing a newcomer must copy is the last thing on the screen.
        if (password is not null)
        {
            Console.Out.Write(SignInBanner(addresses.FirstOrDefault() ?? urls, password));
        }
        else if (existing)
        {
            Console.Out.WriteLine(ExistingDemoNote(folder.DataDirectory));
        }

        await Console.Out.FlushAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
        return 0;
    }

    /// <summary>The demo's sign-in, framed and on lines of its own: where, who, and the password, which is shown this once.</summary>
    internal static string SignInBanner(string address, string password)
    {
        var lines = new[]
        {
            $"Open {address} and sign in:",
            "  user      admin",
            $"  password  {password}",
            "The password is shown this once; keep it (a new one: hookline users reset-password admin).",
            $"demo: sign in as admin with password {password} (shown once)",
        };
        var rule = new string('=', lines.Max(l => l.Length) + 4);
        var text = new System.Text.StringBuilder().AppendLine().AppendLine(rule);
        foreach (var line in lines)
        {
            text.Append("  ").AppendLine(line);
        }

        return text.AppendLine(rule).AppendLine().ToString();
    }

    /// <summary>What a second <c>serve --demo</c> on a data folder that already has users says: how to sign in, how to start over.</summary>
    internal static string ExistingDemoNote(string data) =>
        $"demo: {data} already has its users and reports, so no password is printed: sign in with the one its first run printed, "
        + $"give admin a new one with `hookline users reset-password admin --data {data}`, or stop the server and delete {data} to start over";

    /// <summary>Names the demo's organisation (Contoso) in a new data folder's settings; an existing settings file is left as it is.</summary>
    private static async Task WriteDemoSettingsAsync(string data, CancellationToken cancellationToken)
    {
        var settings = Path.Combine(data, "settings.yaml");
        if (File.Exists(settings) || File.Exists(Path.Combine(data, "hookline.yaml")))
        {
            return;
        }

        _ = Storage.PrivateFiles.CreateFolder(data);
        await File.WriteAllTextAsync(settings, DemoReports.OrganizationSettings, cancellationToken);
        Console.Out.WriteLine($"demo: the organisation is Contoso (contoso.com), named in {settings}");
    }

    /// <summary>Drops demo reports into the inbox folder, where the folder source takes them in like any other report.</summary>
    private static async Task LoadDemoAsync(DataFolder folder, CancellationToken cancellationToken)
    {
        await using var context = folder.Store.CreateContext();
        if (await context.Reports.AnyAsync(cancellationToken))
        {
            return;
        }

        var inbox = Path.Combine(folder.DataDirectory, "inbox");
        _ = Storage.PrivateFiles.CreateFolder(inbox);
        var i = 0;
        foreach (var raw in DemoReports.Generate(48, 2026, DateTimeOffset.UtcNow, days: 14))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"demo-{++i:D3}.eml");
            var temporary = Path.Combine(inbox, "." + name);
            await File.WriteAllBytesAsync(temporary, raw, cancellationToken);
            File.SetLastWriteTimeUtc(temporary, DateTime.UtcNow.AddSeconds(-5));
            File.Move(temporary, Path.Combine(inbox, name));
        }

        Console.Out.WriteLine($"demo: {i} reports placed in {inbox} for intake");
    }
}
