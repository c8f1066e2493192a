using Hookline.Intake.Processing;
using Hookline.Notify;
using Hookline.Storage;

namespace Hookline.Hosting;

/// <summary>
/// The analysis workers of a <c>hookline serve</c> process, woken by intake and otherwise polling the
/// shared queue; each batch written wakes the notification worker (acknowledgements and alerts follow
/// the analysis at once, not at its next poll).
/// </summary>
internal sealed partial class AnalysisWorkers(Runtime runtime, IntakeSignal signal, NotificationSignal notifications, ILogger<AnalysisWorkers> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lease = TimeSpan.FromSeconds(Math.Max(1, runtime.Config.Workers.LeaseSeconds));
        var workers = Enumerable.Range(1, Math.Max(0, runtime.Config.Workers.Analysis)).Select(i =>
        {
            var owner = $"{Environment.MachineName}-{Environment.ProcessId}-{i}";
            var processor = new ReportProcessor(new WorkQueue(runtime.Store, owner, lease), runtime.Analyzer, runtime.Filter, logger);
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

/// <summary>Lets sources wake the analysis workers as soon as something new is committed.</summary>
internal sealed class IntakeSignal
{
    /// <summary>The analysis workers wait on it when the queue is empty; at most one wake-up is pending.</summary>
    public WakeSignal Wake { get; } = new();

    /// <summary>Asks for a worker to look at the queue; a no-op while one is already asked for.</summary>
    public void Notify() => Wake.Notify();
}
