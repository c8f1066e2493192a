using System.Net.Http.Headers;
using Hookline.Graph;
using Hookline.Hosting;
using Hookline.Intake.Demo;
using Hookline.Review.Accounts;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hookline.Notify.Tests;

/// <summary>
/// <c>hookline serve</c> in this process on a data folder of its own: the given <c>notifications:</c>
/// section of hookline.yaml, notification settings with a sender, one demo report taken in through the
/// data folder's drop folder and analysed, and an analyst's API key.
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private readonly string _root;
    private readonly WebApplication _app;

    private InProcessServer(string root, DataFolder folder, WebApplication app, CollectedLogs logs, HttpClient http)
    {
        _root = root;
        Folder = folder;
        _app = app;
        Logs = logs;
        Http = http;
    }

    public DataFolder Folder { get; }

    /// <summary>Warnings and errors, and the notification worker's debug lines (its passes and wake-ups).</summary>
    public CollectedLogs Logs { get; }

    /// <summary>The API, as an analyst.</summary>
    public HttpClient Http { get; }

    public ReportRecord Report { get; private set; } = null!;

    public static async Task<InProcessServer> StartAsync(string notificationsYaml, Func<NotificationSettings, NotificationSettings>? settings = null, Microsoft.Kiota.Abstractions.Authentication.IAuthenticationProvider? graphAuthentication = null)
    {
        var root = Directory.CreateTempSubdirectory("hookline-notify-server-").FullName;
        var data = Path.Combine(root, "data");
        var inbox = Path.Combine(data, "inbox");
        Directory.CreateDirectory(inbox);
        File.WriteAllText(Path.Combine(data, "hookline.yaml"), "notifications:\n" + notificationsYaml);
        // Acknowledgements go only to reporters in the organisation's domains.
        File.WriteAllText(Path.Combine(data, "settings.yaml"), "organization:\n  domains: [contoso.com]\n");
        var folder = await DataFolder.OpenAsync(data, default);
        var configured = NotificationDefaults.Settings with { SenderAddress = "security@contoso.com", SenderName = "Contoso Security" };
        await new NotificationSettingsStore(folder.Store, folder.OrganizationDomains).SaveAsync(settings is null ? configured : settings(configured), "test", default);
        var key = await new AccountService(folder.Store).AddApiKeyAsync("analyst-key", Roles.Analyst, "test", default);
        var logs = new CollectedLogs(LogLevel.Debug);
        var app = HooklineServer.Build(folder, new ServerOptions { Urls = "http://127.0.0.1:0" }, services =>
        {
            services.AddLogging(l =>
            {
                l.AddProvider(logs);
                l.AddFilter<CollectedLogs>(null, LogLevel.Warning);
                l.AddFilter<CollectedLogs>(typeof(NotificationsWorker).FullName, LogLevel.Debug);
            });
            if (graphAuthentication is not null)
            {
                services.AddSingleton<IGraphClientFactory>(new GraphStandInClients(graphAuthentication));
            }
        });
        await app.StartAsync();
        var http = new HttpClient { BaseAddress = new Uri(HooklineServer.Addresses(app)[0]) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var server = new InProcessServer(root, folder, app, logs, http);
        try
        {
            var raw = DemoReports.Generate(1, 5, DateTimeOffset.UtcNow, days: 1).Single();
            var file = Path.Combine(inbox, "report.eml");
            await File.WriteAllBytesAsync(file, raw);
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-1));
            ReportRecord? report = null;
            await server.WaitUntilAsync(
                async () =>
                {
                    await using var context = folder.Store.CreateContext();
                    report = await context.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Status == ReportStatus.Analysed);
                    return report?.ReporterAddress is not null;
                },
                "the demo report taken in and analysed");
            server.Report = report!;
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Waits until the notification worker sleeps: it has made a pass after its start and after every
    /// wake-up so far. Returns how many wake-ups that took.
    /// </summary>
    public async Task<int> SettledAsync()
    {
        // Stable for a second: a wake-up signalled but not yet taken would otherwise look settled.
        var last = (Passes: -1, Wakes: -1);
        await WaitUntilAsync(
            async () =>
            {
                var now = (Passes: Logs.Count("pass done"), Wakes: Logs.Count("woken"));
                var settled = now.Passes >= 1 && now.Passes > now.Wakes && now == last;
                last = now;
                if (!settled)
                {
                    await Task.Delay(1000);
                }

                return settled;
            },
            "the notification worker asleep after its passes");
        return last.Wakes;
    }

    /// <summary>The report's outbox rows, oldest first.</summary>
    public async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var context = Folder.Store.CreateContext();
        return await context.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms for up to <paramref name="seconds"/>; the timeout says what was seen and what the server logged.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, double seconds = 90, Func<Task<string>>? seen = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                var outbox = string.Join("; ", (await OutboxAsync()).Select(m => $"#{m.Id} {m.Kind} {m.Status} attempts={m.Attempts} {m.LastError}"));
                throw new TimeoutException($"waited {seconds} s for {what}; seen: {(seen is null ? "" : await seen() + "; ")}outbox: [{outbox}]; server log:{Environment.NewLine}{Logs}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Graph clients for the stand-in server: its fixed bearer token instead of the client secret.</summary>
    private sealed class GraphStandInClients(Microsoft.Kiota.Abstractions.Authentication.IAuthenticationProvider authentication) : IGraphClientFactory
    {
        public Microsoft.Graph.GraphServiceClient Create(GraphConnection connection) => GraphClients.Create(connection, authentication);
    }
}
