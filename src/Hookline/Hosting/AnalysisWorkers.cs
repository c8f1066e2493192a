using Hookline.Configuration;
using Hookline.Intake.Filters;
using Hookline.Intake.Processing;
using Hookline.Notify;
using Hookline.Reports.Pipeline;
using Hookline.Storage;

namespace Hookline.Hosting;

/// <summary>
/// The analysis workers of a <c>hookline serve</c> process, woken by intake and otherwise polling the
/// shared queue; each batch written wakes the notification worker (acknowledgements and alerts follow
/// the analysis at once, not at its next poll).
/// </summary>
internal sealed partial class AnalysisWorkers(
    HooklineStore store,
    ReportAnalyzer analyzer,
    IntakeFilter filter,
    WorkerConfig config,
    IntakeSignal signal,
    NotificationSignal notifications,
    ILogger<AnalysisWorkers> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = TimeSpan.FromSeconds(Math.Max(1, config.LeaseSeconds));
        var workers = Enumerable.Range(1, Math.Max(0, config.Analysis)).Select(i =>
        {
            var owner = $"{Environment.MachineName}-{Environment.ProcessId}-{i}";
            var processor = new ReportProcessor(new WorkQueue(store, owner, lease), analyzer, filter, logger);
            return Task.Run(() => processor.RunAsync(signal.Wake, TimeSpan.FromSeconds(2), stoppingToken, notifications.Notify), stoppingToken);
        }).ToList();
        Log.Started(logger, workers.Count);
        return Task.WhenAll(workers);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "{Count} analysis worker(s) started")]
        public static partial void Started(ILogger logger, int count);
    }
}
