using Hookline.Intake.Sources;

namespace Hookline.Hosting;

/// <summary>
/// Runs every configured source for the life of the server, side by side; a source that stops with
/// an error is restarted on its own after a pause that doubles up to a minute.
/// </summary>
internal sealed partial class SourcesHost(IReadOnlyList<IReportSource> sources, ILogger<SourcesHost> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(sources.Select(source => RunAsync(source, stoppingToken)));

    private async Task RunAsync(IReportSource source, CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await source.RunAsync(stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Out of memory too: logged as critical and the source restarted, never lost in silence.
                Log.Stopped(logger, e is OutOfMemoryException ? LogLevel.Critical : LogLevel.Error, e, source.Name, pause);
                await Task.Delay(pause, stoppingToken);
                pause = TimeSpan.FromSeconds(Math.Min(60, pause.TotalSeconds * 2));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Message = "source {Name} stopped; restarting in {Pause}")]
        public static partial void Stopped(ILogger logger, LogLevel level, Exception exception, string name, TimeSpan pause);
    }
}
