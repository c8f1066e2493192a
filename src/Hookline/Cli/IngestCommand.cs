using System.CommandLine;
using System.Globalization;
using Hookline.Configuration;
using Hookline.Hosting;
using Hookline.Intake.Processing;
using Hookline.Intake.Sources;
using Hookline.Intake.Storage;
using Hookline.Mime;
using Hookline.Reports.Settings;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Spectre.Console;

namespace Hookline.Cli;

/// <summary>
/// `hookline ingest [--data DIR] PATH...`: takes report files into the store once, through the same
/// sink and workers as the mailbox sources, then analyses them. Last line:
/// `ingested N, duplicates D, skipped S, failed F` (docs/cli.md); failed counts files
/// that could not be read, files that are not mail at all (not stored) and reports whose analysis failed.
/// </summary>
internal static class IngestCommand
{
    private const int BatchSize = 64;

    public static Command Create()
    {
        var paths = new Argument<string[]>("path") { Description = "Report files (.eml, .msg, TNEF) or folders (every file below them, in ordinal path order).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("ingest", "Take report files into the store (once: files already stored count as duplicates) and analyse them.") { paths };
        command.SetAction(async (result, cancellationToken) =>
        {
            var data = DataFolder.ResolveDataDirectory(result.GetValue(DataOption.Instance));
            try
            {
                var folder = await DataFolder.OpenAsync(data, cancellationToken);
                return await RunAsync(folder, result.GetValue(paths)!, Console.Out, Console.Error, !Console.IsErrorRedirected, cancellationToken);
            }
            catch (Exception e) when (e is ConfigException or SettingsException)
            {
                await Console.Error.WriteLineAsync($"hookline ingest: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    internal static async Task<int> RunAsync(DataFolder folder, IReadOnlyList<string> paths, TextWriter output, TextWriter errors, bool progress, CancellationToken cancellationToken)
    {
        var files = InputFiles.Expand(paths, out var missing);
        foreach (var path in missing)
        {
            await errors.WriteLineAsync($"hookline ingest: no such file or folder: {path}");
        }

        var sink = new StoreReportSink(new IntakeWriter(folder.Store));
        var processor = new ReportProcessor(new WorkQueue(folder.Store, $"ingest-{Environment.ProcessId}", TimeSpan.FromMinutes(5)), folder.Analyzer, folder.Filter, NullLogger.Instance);
        var stored = new List<long>();
        int duplicates = 0, unreadable = 0, notReports = 0;

        async Task Work(Action<string, double>? report)
        {
            for (var start = 0; start < files.Count; start += BatchSize)
            {
                var batch = new List<IncomingReport>();
                foreach (var file in files.Skip(start).Take(BatchSize))
                {
                    try
                    {
                        var raw = await File.ReadAllBytesAsync(file, cancellationToken);
                        if (MailFile.NotMailReason(raw) is { } notMail)
                        {
                            // Not a report at all: failed, with the reason; no report is made of it (the file stays where it is).
                            notReports++;
                            await errors.WriteLineAsync($"hookline ingest: {file}: {notMail}; not ingested");
                            continue;
                        }

                        batch.Add(new IncomingReport("ingest", Path.GetFullPath(file), raw, new DateTimeOffset(File.GetLastWriteTimeUtc(file))));
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        unreadable++;
                        await errors.WriteLineAsync($"hookline ingest: cannot read {file}: {e.Message}");
                    }
                }

                foreach (var receipt in await sink.AcceptAsync(batch, cancellationToken))
                {
                    if (receipt.Outcome == IntakeOutcome.Stored)
                    {
                        stored.Add(receipt.ReportId);
                    }
                    else
                    {
                        duplicates++;
                    }
                }

                report?.Invoke("stored", Math.Min(start + BatchSize, files.Count) * 100.0 / Math.Max(1, files.Count));
            }

            var pending = Math.Max(1, await processor.Queue.PendingAsync(cancellationToken));
            await processor.DrainAsync(new Progress<int>(done => report?.Invoke("analysed", Math.Min(100, done * 100.0 / pending))), cancellationToken);
            report?.Invoke("analysed", 100);
        }

        if (progress && files.Count > 0)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            await console.Progress().AutoClear(true).StartAsync(async context =>
            {
                var storing = context.AddTask("storing", maxValue: 100);
                var analysing = context.AddTask("analysing", maxValue: 100);
                await Work((stage, percent) => (stage == "stored" ? storing : analysing).Value = percent);
            });
        }
        else
        {
            await Work(null);
        }

        int skipped = 0, failedAnalysis = 0;
        await using (var context = folder.Store.CreateContext())
        {
            foreach (var chunk in stored.Chunk(500))
            {
                var statuses = await context.Reports.AsNoTracking().Where(r => chunk.Contains(r.Id)).Select(r => r.Status).ToListAsync(cancellationToken);
                skipped += statuses.Count(s => s == ReportStatus.Skipped);
                failedAnalysis += statuses.Count(s => s == ReportStatus.Failed);
            }
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"ingested {stored.Count}, duplicates {duplicates}, skipped {skipped}, failed {unreadable + notReports + failedAnalysis}"));
        return missing.Count > 0 ? 2 : 0;
    }
}
