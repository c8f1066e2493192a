using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Storage;

/// <summary>A report a worker claimed: its id, its raw bytes, and how many times it has been claimed.</summary>
public sealed record ClaimedReport(long Id, byte[] Raw, int Attempts);

/// <summary>
/// The reports waiting for analysis, shared by every worker of every process. A worker claims a batch
/// with a lease (on PostgreSQL with <c>FOR UPDATE SKIP LOCKED</c>, so workers never wait for each
/// other or take the same row); a worker that dies leaves its lease to expire, and the rows go back to
/// the queue. A report claimed <see cref="MaxAttempts"/> times without finishing (it keeps killing its
/// worker) is marked failed instead of being claimed again.
/// </summary>
public sealed class WorkQueue(HooklineStore store, string owner, TimeSpan lease)
{
    public const int MaxAttempts = 3;

    private DateTime _nextAbandonedCheck = DateTime.MinValue;

    public string Owner { get; } = owner;

    /// <summary>Claims up to <paramref name="max"/> reports, oldest first, with their raw bytes.</summary>
    public async Task<IReadOnlyList<ClaimedReport>> ClaimAsync(int max, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var now = DateTime.UtcNow;
        if (now >= _nextAbandonedCheck)
        {
            // At most once a lease period: a report can only become abandoned when a lease runs out.
            _nextAbandonedCheck = now + TimeSpan.FromTicks(Math.Min(Lease.Ticks, TimeSpan.FromSeconds(30).Ticks));
            await FailAbandonedAsync(context, now, cancellationToken).ConfigureAwait(false);
        }

        var until = now + Lease;
        var claimed = context.IsPostgres
            ? await context.Database.SqlQuery<Claim>($"""
                UPDATE "Reports" SET "LeaseOwner" = {Owner}, "LeaseUntil" = {until}, "Attempts" = "Attempts" + 1
                WHERE "Id" IN (SELECT "Id" FROM "Reports"
                               WHERE "Status" = 'Received' AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now}) AND "Attempts" < {MaxAttempts}
                               ORDER BY "Id" LIMIT {max} FOR UPDATE SKIP LOCKED)
                RETURNING "Id", "RawSha256", "Attempts"
                """).ToListAsync(cancellationToken).ConfigureAwait(false)
            : await context.Database.SqlQuery<Claim>($"""
                UPDATE "Reports" SET "LeaseOwner" = {Owner}, "LeaseUntil" = {until}, "Attempts" = "Attempts" + 1
                WHERE "Id" IN (SELECT "Id" FROM "Reports"
                               WHERE "Status" = 'Received' AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now}) AND "Attempts" < {MaxAttempts}
                               ORDER BY "Id" LIMIT {max})
                RETURNING "Id", "RawSha256", "Attempts"
                """).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (claimed.Count == 0)
        {
            return [];
        }

        var hashes = claimed.Select(c => c.RawSha256).ToList();
        var raws = await context.RawMessages.AsNoTracking().Where(r => hashes.Contains(r.Sha256))
            .ToDictionaryAsync(r => r.Sha256, r => r.Content, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        return claimed.OrderBy(c => c.Id).Select(c => new ClaimedReport(c.Id, raws[c.RawSha256], c.Attempts)).ToList();
    }

    /// <summary>How long a claim lasts unless renewed.</summary>
    public TimeSpan Lease { get; } = lease;

    /// <summary>
    /// Extends this worker's lease on reports it still holds (a long batch keeps them while the process
    /// lives; only a dead worker's lease runs out). Returns how many leases were extended.
    /// </summary>
    public async Task<int> RenewAsync(IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0)
        {
            return 0;
        }

        await using var context = store.CreateContext();
        var until = DateTime.UtcNow + Lease;
        return await context.Reports
            .Where(r => ids.Contains(r.Id) && r.LeaseOwner == Owner && r.Status == ReportStatus.Received)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.LeaseUntil, until), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes the results of claimed reports and their audit entries in one transaction. A result for a
    /// report whose lease this worker lost (it took too long and another worker claimed it) is dropped:
    /// the other worker's result will be written instead.
    /// </summary>
    public async Task<int> CompleteAsync(IReadOnlyList<ProcessingResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return 0;
        }

        await using var context = store.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = results.Select(r => r.ReportId).ToList();
        var records = await context.Reports.Where(r => ids.Contains(r.Id) && r.LeaseOwner == Owner)
            .ToDictionaryAsync(r => r.Id, cancellationToken).ConfigureAwait(false);
        var now = DateTime.UtcNow;
        foreach (var result in results)
        {
            if (!records.TryGetValue(result.ReportId, out var record))
            {
                continue;
            }

            result.ApplyTo(record, now);
            context.AuditEvents.Add(new AuditEvent
            {
                ReportId = record.Id,
                At = now,
                Actor = $"worker:{Owner}",
                Action = result.Status switch
                {
                    ReportStatus.Skipped => AuditActions.Skipped,
                    ReportStatus.Failed => AuditActions.Failed,
                    _ => AuditActions.Analysed,
                },
                Detail = result.Status switch
                {
                    ReportStatus.Skipped => result.SkipReason,
                    ReportStatus.Failed => result.Error,
                    _ => $"{result.Assessment} {result.Score}",
                },
            });
        }

        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return records.Count;
    }

    /// <summary>How many reports wait for analysis (claimed or not).</summary>
    public async Task<int> PendingAsync(CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        return await context.Reports.CountAsync(r => r.Status == ReportStatus.Received, cancellationToken).ConfigureAwait(false);
    }

    private static async Task FailAbandonedAsync(HooklineDbContext context, DateTime now, CancellationToken cancellationToken)
    {
        var abandoned = await context.Reports
            .Where(r => r.Status == ReportStatus.Received && r.Attempts >= MaxAttempts && (r.LeaseUntil == null || r.LeaseUntil < now))
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (abandoned.Count == 0)
        {
            return;
        }

        foreach (var record in abandoned)
        {
            record.Status = ReportStatus.Failed;
            record.Error = $"analysis did not finish after {record.Attempts} attempts (the worker stopped each time); the raw message is kept";
            record.LeaseOwner = null;
            record.LeaseUntil = null;
            context.AuditEvents.Add(new AuditEvent { ReportId = record.Id, At = now, Actor = "queue", Action = AuditActions.Failed, Detail = record.Error });
        }

        try
        {
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another worker marked them first.
        }
    }

    private sealed record Claim(long Id, string RawSha256, int Attempts);
}
