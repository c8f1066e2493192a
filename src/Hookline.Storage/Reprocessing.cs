using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Storage;

/// <summary>
/// Sends stored reports back through analysis (after a rule or parser upgrade): each goes back to
/// <see cref="ReportStatus.Received"/> with an audit entry, and the workers rebuild its derived fields
/// from the raw bytes. Arrival data, the raw bytes and review history are not touched.
/// </summary>
public static class Reprocessing
{
    /// <summary>Queues every report (or those last processed by an older pipeline than <paramref name="belowVersion"/>); returns how many.</summary>
    public static async Task<int> QueueAsync(HooklineStore store, string actor, int? belowVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var context = store.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = DateTime.UtcNow;
        var reports = context.Reports.Where(r => r.Status != ReportStatus.Received && (belowVersion == null || r.PipelineVersion < belowVersion));
        var detail = belowVersion is null ? "all reports" : $"pipeline version below {belowVersion}";
        // The audit entries first, while the rows still show what they are being taken from.
        var audited = belowVersion is int version
            ? await context.Database.ExecuteSqlAsync($"""
                INSERT INTO "AuditEvents" ("ReportId", "At", "Actor", "Action", "Detail")
                SELECT "Id", {now}, {actor}, {AuditActions.Reprocessed}, {detail} FROM "Reports"
                WHERE "Status" <> 'Received' AND "PipelineVersion" < {version}
                """, cancellationToken).ConfigureAwait(false)
            : await context.Database.ExecuteSqlAsync($"""
                INSERT INTO "AuditEvents" ("ReportId", "At", "Actor", "Action", "Detail")
                SELECT "Id", {now}, {actor}, {AuditActions.Reprocessed}, {detail} FROM "Reports"
                WHERE "Status" <> 'Received'
                """, cancellationToken).ConfigureAwait(false);
        var queued = await reports.ExecuteUpdateAsync(
            set => set.SetProperty(r => r.Status, ReportStatus.Received)
                .SetProperty(r => r.Attempts, 0)
                .SetProperty(r => r.LeaseOwner, (string?)null)
                .SetProperty(r => r.LeaseUntil, (DateTime?)null),
            cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return queued == audited ? queued : throw new InvalidOperationException($"reprocess: {audited} audit entries for {queued} reports");
    }
}
