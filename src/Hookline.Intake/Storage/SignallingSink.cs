using Hookline.Intake.Processing;
using Hookline.Intake.Sources;

namespace Hookline.Intake.Storage;

/// <summary>The sink a server's sources use: commits, then wakes the analysis workers.</summary>
public sealed class SignallingSink(IReportSink inner, IntakeSignal signal) : IReportSink
{
    public async Task<IReadOnlyList<IntakeReceipt>> AcceptAsync(IReadOnlyList<IncomingReport> batch, CancellationToken cancellationToken)
    {
        var receipts = await inner.AcceptAsync(batch, cancellationToken).ConfigureAwait(false);
        signal.Notify();
        return receipts;
    }
}
