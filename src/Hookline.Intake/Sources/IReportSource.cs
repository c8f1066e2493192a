namespace Hookline.Intake.Sources;

/// <summary>
/// A place reports arrive from, run by <c>hookline serve</c> until it stops. A source hands what it
/// receives to an <see cref="IReportSink"/> and acknowledges it to its origin only after the sink has
/// committed it. A source recovers from its own transient failures (reconnects with backoff) and
/// ends only when cancelled.
/// </summary>
public interface IReportSource
{
    /// <summary>The source's configured name, as written into <see cref="IncomingReport.Source"/>.</summary>
    string Name { get; }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
