using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using Hookline.Imap;
using Hookline.Intake.Demo;
using Hookline.Intake.Filters;
using Hookline.Intake.Processing;
using Hookline.Intake.Sources.Imap;
using Hookline.Intake.Storage;
using Hookline.Reports.Pipeline;
using Hookline.Storage;
using Hookline.Testing.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

[assembly: SupportedOSPlatform("linux")]

// Usage: dotnet run -c Release --project bench/Hookline.Intake.Benchmarks -- [COUNT] (default 10000)
// Appends COUNT distinct demo reports to a real Dovecot mailbox, then measures, for SQLite and for
// PostgreSQL: intake (IMAP fetch → commit → move, the real ImapSource and store) and analysis
// (the analysis worker draining the queue), each as reports per second.
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var reports = DemoReports.Generate(count, 2026, DateTimeOffset.UtcNow).ToList();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores; {count} reports, {reports.Sum(r => (long)r.Length) / 1e6:F1} MB");

await using var dovecot = await DovecotServer.StartAsync();
var results = new List<string>();
foreach (var provider in new[] { StorageProvider.Sqlite, StorageProvider.Postgres })
{
    var user = dovecot.AddUser("secret");
    var clock = Stopwatch.StartNew();
    await using (var client = new ImapClient(new ImapClientOptions { CommandTimeout = TimeSpan.FromMinutes(5) }))
    {
        await client.ConnectAsync(dovecot.Host, dovecot.ImapPort, ImapSecurity.None);
        await client.LoginAsync(user, "secret");
        await client.AppendAsync("INBOX", reports.Select(r => new ImapAppendMessage(r)).ToList());
    }

    Console.WriteLine($"{provider}: appended {count} to Dovecot in {clock.Elapsed.TotalSeconds:F1} s");
    using var postgres = provider == StorageProvider.Postgres ? PostgresServer.Start() : null;
    var folder = Directory.CreateTempSubdirectory("hookline-bench-").FullName;
    var store = new HooklineStore(postgres is null ? StorageOptions.Sqlite(folder) : StorageOptions.Postgres(postgres.CreateDatabase()));
    await store.MigrateAsync();

    var source = new ImapSource(
        new ImapSourceOptions { Name = "bench", Host = dovecot.Host, Port = dovecot.ImapPort, Security = ImapSecurity.None, User = user, Password = "secret", BatchMessages = 100 },
        new StoreReportSink(new IntakeWriter(store)),
        new StoreCursorStore(new CursorStore(store)));
    using var stop = new CancellationTokenSource();
    clock.Restart();
    var running = source.RunAsync(stop.Token);
    int stored;
    while ((stored = await CountAsync(store)) < count)
    {
        if (running.IsCompleted)
        {
            await running;
            throw new InvalidOperationException("the IMAP source stopped");
        }

        await Task.Delay(50);
    }

    var intake = clock.Elapsed;
    await stop.CancelAsync();
    await running;

    clock.Restart();
    var processor = new ReportProcessor(new WorkQueue(store, "bench", TimeSpan.FromMinutes(10)), ReportAnalyzer.Default, IntakeFilter.None, NullLogger.Instance) { BatchSize = 128 };
    var analysed = await processor.DrainAsync(null, CancellationToken.None);
    var analysis = clock.Elapsed;

    results.Add(string.Create(CultureInfo.InvariantCulture,
        $"| {provider} | {count} | {intake.TotalSeconds:F1} s | {count / intake.TotalSeconds:F0} | {analysed} in {analysis.TotalSeconds:F1} s | {analysed / analysis.TotalSeconds:F0} |"));
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Npgsql.NpgsqlConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

Console.WriteLine();
Console.WriteLine("| store | reports | intake (IMAP → committed → moved) | intake reports/s | analysis | analysis reports/s |");
Console.WriteLine("|---|---|---|---|---|---|");
results.ForEach(Console.WriteLine);

static async Task<int> CountAsync(HooklineStore store)
{
    await using var context = store.CreateContext();
    return await context.Reports.CountAsync();
}
