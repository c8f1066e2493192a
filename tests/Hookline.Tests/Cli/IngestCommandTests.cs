using Hookline.Cli;
using Hookline.Hosting;
using Hookline.Intake.Demo;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Tests.Cli;

/// <summary>The `hookline ingest` and `hookline reprocess` contracts (docs/cli.md).</summary>
public sealed class IngestCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hookline-ingest-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static async Task<(int Exit, string Output, string Errors)> IngestAsync(string data, params string[] paths)
    {
        var opened = await DataFolder.OpenAsync(data, default);
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await IngestCommand.RunAsync(opened, paths, output, errors, progress: false, default);
        return (exit, output.ToString(), errors.ToString());
    }

    private string Reports(int count, int seed)
    {
        var folder = Path.Combine(_root, $"reports-{seed}");
        Directory.CreateDirectory(folder);
        var i = 0;
        foreach (var raw in DemoReports.Generate(count, seed, new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)))
        {
            File.WriteAllBytes(Path.Combine(folder, $"{i++:D3}.eml"), raw);
        }

        return folder;
    }

    [Fact]
    public async Task Ingesting_twice_stores_once_and_counts_the_second_run_as_duplicates()
    {
        var data = Path.Combine(_root, "data");
        var folder = Reports(25, 1);

        var first = await IngestAsync(data, folder);
        var second = await IngestAsync(data, folder);

        Assert.Equal((0, "ingested 25, duplicates 0, skipped 0, failed 0"), (first.Exit, first.Output.TrimEnd()));
        Assert.Equal((0, "ingested 0, duplicates 25, skipped 0, failed 0"), (second.Exit, second.Output.TrimEnd()));
        var opened = await DataFolder.OpenAsync(data, default);
        await using var context = opened.Store.CreateContext();
        Assert.Equal(25, await context.Reports.CountAsync(r => r.Status == ReportStatus.Analysed));
    }

    [Fact]
    public async Task Filters_in_the_data_folder_make_skipped_reports_and_a_missing_path_is_a_usage_error()
    {
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, "hookline.yaml"), "filters:\n  userVerdicts: [phishing]\n");
        var folder = Reports(40, 2);

        var result = await IngestAsync(data, folder, Path.Combine(_root, "nowhere"));

        Assert.Equal(2, result.Exit);
        Assert.Contains("no such file or folder", result.Errors, StringComparison.Ordinal);
        var opened = await DataFolder.OpenAsync(data, default);
        await using var context = opened.Store.CreateContext();
        var skipped = await context.Reports.CountAsync(r => r.Status == ReportStatus.Skipped);
        Assert.InRange(skipped, 1, 39);
        Assert.Equal($"ingested 40, duplicates 0, skipped {skipped}, failed 0", result.Output.TrimEnd());
    }

    [Fact]
    public async Task Files_that_are_not_mail_count_as_failed_with_the_reason_and_make_no_report()
    {
        var data = Path.Combine(_root, "data");
        var folder = Reports(3, 3);
        File.WriteAllBytes(Path.Combine(folder, "empty.eml"), []);
        var binary = new byte[4096];
        new Random(3).NextBytes(binary);
        File.WriteAllBytes(Path.Combine(folder, "scan.pdf"), binary);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "Shopping list\nmilk, bread\n");

        var result = await IngestAsync(data, folder);

        Assert.Equal((0, "ingested 3, duplicates 0, skipped 0, failed 3"), (result.Exit, result.Output.TrimEnd()));
        Assert.Contains($"{Path.Combine(folder, "empty.eml")}: empty file; not ingested", result.Errors, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(folder, "scan.pdf")}: not a mail message: binary data, no header fields; not ingested", result.Errors, StringComparison.Ordinal);
        Assert.Contains($"{Path.Combine(folder, "notes.txt")}: not a mail message: no header fields; not ingested", result.Errors, StringComparison.Ordinal);
        var opened = await DataFolder.OpenAsync(data, default);
        await using var context = opened.Store.CreateContext();
        Assert.Equal(3, await context.Reports.CountAsync());
        Assert.Equal(0, await context.Reports.CountAsync(r => r.ReporterAddress == null));
        Assert.True(File.Exists(Path.Combine(folder, "scan.pdf")));
    }

    [Fact]
    public async Task Reprocess_rebuilds_derived_fields_and_keeps_the_audit_trail()
    {
        var data = Path.Combine(_root, "data");
        await IngestAsync(data, Reports(10, 3));
        var opened = await DataFolder.OpenAsync(data, default);
        await using (var context = opened.Store.CreateContext())
        {
            await context.Reports.ExecuteUpdateAsync(s => s.SetProperty(r => r.Subject, "stale"));
        }

        var queued = await Hookline.Storage.Reprocessing.QueueAsync(opened.Store, "test", null, default);
        var processor = new Hookline.Intake.Processing.ReportProcessor(new Hookline.Storage.WorkQueue(opened.Store, "t", TimeSpan.FromMinutes(1)), opened.Analyzer, opened.Filter, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        await processor.DrainAsync(null, default);

        Assert.Equal(10, queued);
        await using var after = opened.Store.CreateContext();
        Assert.Equal(0, await after.Reports.CountAsync(r => r.Subject == "stale" || r.Status != ReportStatus.Analysed));
        var actions = await after.AuditEvents.GroupBy(a => a.Action).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
        Assert.Equal(10, actions[AuditActions.Received]);
        Assert.Equal(10, actions[AuditActions.Reprocessed]);
        Assert.Equal(20, actions[AuditActions.Analysed]);
    }
}
