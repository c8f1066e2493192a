using System.CommandLine;
using System.Globalization;
using Hookline.Configuration;
using Hookline.Hosting;
using Hookline.Intake.Demo;
using Hookline.Intake.Sources;
using Hookline.Intake.Storage;
using Hookline.Reports.Settings;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
            var data = Runtime.ResolveDataDirectory(result.GetValue(DataOption.Instance));
            try
            {
                return await RunAsync(data, result.GetValue(demo), result.GetValue(urls) ?? "http://127.0.0.1:5080", cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ConfigException or SettingsException)
            {
                await Console.Error.WriteLineAsync($"hookline serve: {e.Message}").ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string data, bool demo, string urls, CancellationToken cancellationToken)
    {
        var runtime = await Runtime.OpenAsync(data, cancellationToken).ConfigureAwait(false);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(urls);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var signal = new IntakeSignal();
        var sink = new SignallingSink(new StoreReportSink(new IntakeWriter(runtime.Store)), signal);
        var cursors = new StoreCursorStore(new CursorStore(runtime.Store));
        builder.Services.AddSingleton(runtime);
        builder.Services.AddSingleton(signal);
        builder.Services.AddSingleton<IReportSink>(sink);
        builder.Services.AddSingleton<ISourceCursorStore>(cursors);
        builder.Services.AddHostedService<AnalysisWorkers>();
        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
        foreach (var source in SourceFactory.Create(runtime, sink, cursors, loggers))
        {
            builder.Services.AddSingleton<IHostedService>(services => new SourceRunner(source, services.GetRequiredService<ILogger<SourceRunner>>()));
        }

        await using var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/api/status", async (CancellationToken ct) =>
        {
            await using var context = runtime.Store.CreateContext();
            var counts = await context.Reports.GroupBy(r => r.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct).ConfigureAwait(false);
            return Results.Json(counts.ToDictionary(c => c.Status.ToString().ToLowerInvariant(), c => c.Count));
        });

        if (demo)
        {
            await LoadDemoAsync(runtime, cancellationToken).ConfigureAwait(false);
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            Console.Out.WriteLine($"Hookline listening on {address} (data: {runtime.DataDirectory})");
        }

        await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Drops demo reports into the inbox folder, where the folder source takes them in like any other report.</summary>
    private static async Task LoadDemoAsync(Runtime runtime, CancellationToken cancellationToken)
    {
        await using var context = runtime.Store.CreateContext();
        if (await context.Reports.AnyAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var inbox = Path.Combine(runtime.DataDirectory, "inbox");
        Directory.CreateDirectory(inbox);
        var i = 0;
        foreach (var raw in DemoReports.Generate(48, 2026, DateTimeOffset.UtcNow, days: 14))
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"demo-{++i:D3}.eml");
            var temporary = Path.Combine(inbox, "." + name);
            await File.WriteAllBytesAsync(temporary, raw, cancellationToken).ConfigureAwait(false);
            File.SetLastWriteTimeUtc(temporary, DateTime.UtcNow.AddSeconds(-5));
            File.Move(temporary, Path.Combine(inbox, name));
        }

        Console.Out.WriteLine($"demo: {i} reports placed in {inbox} for intake");
    }
}
