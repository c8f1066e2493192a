using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Hookline.Configuration;
using Hookline.Hosting;
using Hookline.Intake.Processing;
using Hookline.Reports.Settings;
using Hookline.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hookline.Cli;

/// <summary>
/// `hookline reprocess [--data DIR] [--outdated]`: rebuilds everything derived from the raw bytes
/// (recognition, analysis, assessment, filters) with the current rules and parser, keeping arrival
/// data and review history.
/// </summary>
internal static class ReprocessCommand
{
    public static Command Create()
    {
        var outdated = new Option<bool>("--outdated") { Description = $"Only reports processed by an older pipeline than this one (version {ReportProcessor.PipelineVersion})." };
        var command = new Command("reprocess", "Analyse stored reports again from their raw bytes (after a rule or parser upgrade); review history is kept.") { outdated };
        command.SetAction(async (result, cancellationToken) =>
        {
            var data = DataFolder.ResolveDataDirectory(result.GetValue(DataOption.Instance));
            try
            {
                var folder = await DataFolder.OpenAsync(data, cancellationToken);
                var clock = Stopwatch.StartNew();
                var queued = await Reprocessing.QueueAsync(folder.Store, "cli", result.GetValue(outdated) ? ReportProcessor.PipelineVersion : null, cancellationToken);
                var processor = new ReportProcessor(new Storage.WorkQueue(folder.Store, $"reprocess-{Environment.ProcessId}", TimeSpan.FromMinutes(5)), folder.Analyzer, folder.Filter, NullLogger.Instance);
                var progress = !Console.IsErrorRedirected;
                var done = await processor.DrainAsync(new Progress<int>(n =>
                {
                    if (progress)
                    {
                        Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\rreprocessed {n}/{queued}   "));
                    }
                }), cancellationToken);
                Console.Error.Write(progress ? "\r" : string.Empty);
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reprocessed {done} reports in {clock.Elapsed.TotalSeconds:F1} s"));
                return 0;
            }
            catch (Exception e) when (e is ConfigException or SettingsException)
            {
                await Console.Error.WriteLineAsync($"hookline reprocess: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
