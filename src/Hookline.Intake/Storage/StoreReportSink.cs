using Hookline.Intake.Sources;
using Hookline.Storage;

namespace Hookline.Intake.Storage;

/// <summary>The sink every source hands to: computes each message's envelope identity and commits the batch.</summary>
public sealed class StoreReportSink(IntakeWriter writer) : IReportSink
{
    public async Task<IReadOnlyList<IntakeReceipt>> AcceptAsync(IReadOnlyList<IncomingReport> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var items = new RawIntake[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var report = batch[i];
            items[i] = new RawIntake(report.Source, report.SourceKey, report.Raw, report.ReceivedAt.UtcDateTime, EnvelopeIdentity.Compute(report.Raw));
        }

        var results = await writer.AcceptAsync(items, cancellationToken).ConfigureAwait(false);
        return results.Select(r => new IntakeReceipt(r.IsNew ? IntakeOutcome.Stored : IntakeOutcome.Duplicate, r.ReportId)).ToArray();
    }
}

/// <summary>Sources' cursors, kept in the store.</summary>
public sealed class StoreCursorStore(CursorStore cursors) : ISourceCursorStore
{
    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) => cursors.GetAsync(key, cancellationToken);

    public Task SetAsync(string key, string? value, CancellationToken cancellationToken) => cursors.SetAsync(key, value, cancellationToken);
}
