using System.Net.Http.Headers;
using Hookline.Cli;
using Hookline.Hosting;
using Hookline.Intake.Demo;
using Hookline.Review.Accounts;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Builder;

namespace Hookline.Tests.Api;

/// <summary>A real `hookline serve` web side on a free loopback port, over a store with 40 analysed demo reports, and one API key per role.</summary>
public sealed class ApiServer : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("hookline-api-").FullName;
    private WebApplication? _app;

    internal DataFolder Folder { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public Dictionary<string, string> Keys { get; } = [];

    public async Task InitializeAsync()
    {
        var data = Path.Combine(_root, "data");
        Folder = await DataFolder.OpenAsync(data, default);
        var reports = Path.Combine(_root, "reports");
        Directory.CreateDirectory(reports);
        var i = 0;
        foreach (var raw in DemoReports.Generate(40, 11, new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)))
        {
            await File.WriteAllBytesAsync(Path.Combine(reports, $"{i++:D3}.eml"), raw);
        }

        await IngestCommand.RunAsync(Folder, [reports], TextWriter.Null, TextWriter.Null, progress: false, default);
        var accounts = new AccountService(Folder.Store);
        foreach (var role in Roles.All)
        {
            Keys[role] = await accounts.AddApiKeyAsync($"{role}-key", role, "test", default);
        }

        _app = HooklineServer.Build(Folder, new ServerOptions { Urls = "http://127.0.0.1:0", Sources = false });
        await _app.StartAsync();
        BaseAddress = new Uri(HooklineServer.Addresses(_app)[0]);
    }

    /// <summary>A client with the role's API key, or with none.</summary>
    public HttpClient Client(string? role)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Keys[role]);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
