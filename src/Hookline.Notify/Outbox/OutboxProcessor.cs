using System.Diagnostics;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Hookline.Notify.Outbox;

/// <summary>How the outbox retries.</summary>
public sealed class OutboxOptions
{
    /// <summary>Attempts before a transiently failing message is given up.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>The first retry's delay; each further one doubles it.</summary>
    public TimeSpan RetryBase { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromHours(2);

    /// <summary>How long a claimed message stays with its worker; longer than one delivery can take (SMTP's end-of-data wait is 10 minutes).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(15);

    public int BatchSize { get; init; } = 16;
}

/// <summary>
/// Delivers the outbox. A worker claims due Pending messages with a lease (PostgreSQL: <c>FOR UPDATE
/// SKIP LOCKED</c>), marks each <see cref="OutboxStatus.Committing"/> at the sender's commit point (just
/// before SMTP's final "." or Graph's POST), then <see cref="OutboxStatus.Sent"/>. A message found in
/// Committing whose worker is gone is never sent again: it becomes Failed, "delivery state unknown".
/// A crash before the commit point leaves it Pending, and it is retried (at once after a restart on the
/// same machine, else when the lease runs out). So one decision is never delivered twice, even across a
/// crash. The fault points <c>notify.before-commit-point</c> and <c>notify.after-commit-point</c>
/// (<see cref="FaultPoint"/>) let the crash tests kill the process on either side.
/// </summary>
public sealed partial class OutboxProcessor
{
    public const string UnknownAfterCrash = "delivery state unknown after a crash: the message may have been delivered; not resent automatically";

    public const string NotifyFailedAction = "notification-failed";

    private readonly HooklineStore _store;
    private readonly Func<OutboxMessage, IOutboxSender?> _senders;
    private readonly OutboxOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public OutboxProcessor(HooklineStore store, Func<OutboxMessage, IOutboxSender?> senders, OutboxOptions? options = null, ILogger? logger = null, TimeProvider? time = null)
    {
        _store = store;
        _senders = senders;
        _options = options ?? new OutboxOptions();
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        Owner = $"outbox:{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
    }

    public string Owner { get; }

    /// <summary>
    /// Fails messages left in Committing by a worker that is gone: one whose lease ran out, or (at start)
    /// one whose owner was a process on this machine that no longer runs; returns how many. At start it
    /// also releases the Pending messages such a process had claimed (it died before their commit point,
    /// so nothing of them was sent), instead of letting them wait for their lease to run out.
    /// </summary>
    public async Task<int> RecoverAsync(bool atStart, CancellationToken cancellationToken)
    {
        await using var context = _store.CreateContext();
        var now = Now();
        var committing = await context.Outbox.Where(m => m.Status == OutboxStatus.Committing).ToListAsync(cancellationToken).ConfigureAwait(false);
        var dead = committing.Where(m => m.LeaseUntil is null || m.LeaseUntil < now || (atStart && OwnerIsGone(m.LeaseOwner))).ToList();
        foreach (var message in dead)
        {
            await FailAsync(context, message, UnknownAfterCrash, now, cancellationToken).ConfigureAwait(false);
        }

        if (atStart)
        {
            var claimed = await context.Outbox.Where(m => m.Status == OutboxStatus.Pending && m.LeaseOwner != null && m.LeaseUntil > now).ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var message in claimed.Where(m => OwnerIsGone(m.LeaseOwner)))
            {
                message.LeaseOwner = null;
                message.LeaseUntil = null;
            }
        }

        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return dead.Count;
    }

    /// <summary>Claims due messages and delivers them one by one; returns how many were attempted.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        await RecoverAsync(atStart: false, cancellationToken).ConfigureAwait(false);
        var ids = await ClaimAsync(cancellationToken).ConfigureAwait(false);
        foreach (var id in ids)
        {
            await DeliverAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return ids.Count;
    }

    /// <summary>When the next retry is due (null: nothing waits).</summary>
    public async Task<DateTime?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var context = _store.CreateContext();
        return await context.Outbox.Where(m => m.Status == OutboxStatus.Pending).OrderBy(m => m.NextAttemptAt).Select(m => (DateTime?)m.NextAttemptAt).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    internal TimeSpan Backoff(int attempts)
    {
        var factor = Math.Pow(2, Math.Max(0, attempts - 1));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.RetryMax.Ticks, _options.RetryBase.Ticks * factor));
        return delay;
    }

    private async Task<List<long>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var context = _store.CreateContext();
        var now = Now();
        var until = now + _options.Lease;
        var max = _options.BatchSize;
        var pending = nameof(OutboxStatus.Pending);
        var claimed = context.IsPostgres
            ? await context.Database.SqlQuery<long>($"""
                UPDATE "Outbox" SET "LeaseOwner" = {Owner}, "LeaseUntil" = {until}
                WHERE "Id" IN (SELECT "Id" FROM "Outbox"
                               WHERE "Status" = {pending} AND "NextAttemptAt" <= {now} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                               ORDER BY "NextAttemptAt", "Id" LIMIT {max} FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(cancellationToken).ConfigureAwait(false)
            : await context.Database.SqlQuery<long>($"""
                UPDATE "Outbox" SET "LeaseOwner" = {Owner}, "LeaseUntil" = {until}
                WHERE "Id" IN (SELECT "Id" FROM "Outbox"
                               WHERE "Status" = {pending} AND "NextAttemptAt" <= {now} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now})
                               ORDER BY "NextAttemptAt", "Id" LIMIT {max})
                RETURNING "Id" AS "Value"
                """).ToListAsync(cancellationToken).ConfigureAwait(false);
        claimed.Sort();
        return claimed;
    }

    private async Task DeliverAsync(long id, CancellationToken cancellationToken)
    {
        OutboxMessage? message;
        await using (var read = _store.CreateContext())
        {
            message = await read.Outbox.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id && m.LeaseOwner == Owner && m.Status == OutboxStatus.Pending, cancellationToken).ConfigureAwait(false);
        }

        if (message is null)
        {
            return;
        }

        var sender = _senders(message);
        if (sender is null)
        {
            // Nothing configured to deliver this kind: leave it waiting (visible as pending), release the lease.
            await UpdateAsync(id, m => { m.LeaseOwner = null; m.LeaseUntil = null; m.NextAttemptAt = Now() + _options.RetryBase; m.LastError = "no delivery is configured (notifications: in hookline.yaml)"; }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var attempts = message.Attempts + 1;
        await UpdateAsync(id, m => m.Attempts = attempts, cancellationToken).ConfigureAwait(false);
        try
        {
            await sender.SendAsync(message, token => CommitAsync(id, token), cancellationToken).ConfigureAwait(false);
            FaultPoint.Hit("notify.after-commit-point");
        }
        catch (DeliveryException e)
        {
            await RecordFailureAsync(id, attempts, e, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await RecordFailureAsync(id, attempts, new DeliveryException(e.Message, permanent: false, inner: e), cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var context = _store.CreateContext();
        var row = await context.Outbox.FirstAsync(m => m.Id == id, cancellationToken).ConfigureAwait(false);
        var now = Now();
        row.Status = OutboxStatus.Sent;
        row.SentAt = now;
        row.LeaseOwner = null;
        row.LeaseUntil = null;
        row.LastError = message.LastError;
        await SetReportStateAsync(context, row, "sent", cancellationToken).ConfigureAwait(false);
        if (row.ReportId is not null)
        {
            context.AuditEvents.Add(new AuditEvent { ReportId = row.ReportId, At = now, Actor = "outbox", Action = AuditActions.Notified, Detail = $"{row.Kind} to {row.Recipient}" });
        }

        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        Log.Sent(_logger, row.Kind, row.Id, row.Recipient);
    }

    /// <summary>The commit point: from here a lost answer means "unknown", so the row says Committing first. A lost lease stops the delivery.</summary>
    private async Task CommitAsync(long id, CancellationToken cancellationToken)
    {
        FaultPoint.Hit("notify.before-commit-point");
        await using var context = _store.CreateContext();
        var row = await context.Outbox.FirstAsync(m => m.Id == id, cancellationToken).ConfigureAwait(false);
        if (row.LeaseOwner != Owner || row.Status != OutboxStatus.Pending)
        {
            throw new DeliveryException("the outbox lease was lost before the commit point; another worker owns the message", permanent: false);
        }

        row.Status = OutboxStatus.Committing;
        row.LeaseUntil = Now() + _options.Lease;
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordFailureAsync(long id, int attempts, DeliveryException failure, CancellationToken cancellationToken)
    {
        await using var context = _store.CreateContext();
        var row = await context.Outbox.FirstAsync(m => m.Id == id, cancellationToken).ConfigureAwait(false);
        if (row.LeaseOwner != Owner)
        {
            return;
        }

        var now = Now();
        if (failure.IsUnknown)
        {
            await FailAsync(context, row, "delivery state unknown: the message may have been delivered (" + failure.Message + "); not resent automatically", now, cancellationToken).ConfigureAwait(false);
        }
        else if (failure.IsPermanent || attempts >= _options.MaxAttempts)
        {
            var why = failure.IsPermanent ? failure.Message : $"gave up after {attempts} attempts: {failure.Message}";
            await FailAsync(context, row, why, now, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            row.Status = OutboxStatus.Pending;
            row.LastError = failure.Message;
            row.NextAttemptAt = now + Backoff(attempts);
            row.LeaseOwner = null;
            row.LeaseUntil = null;
            Log.Retry(_logger, row.Kind, row.Id, attempts, row.NextAttemptAt, failure.Message);
        }

        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FailAsync(HooklineDbContext context, OutboxMessage row, string why, DateTime now, CancellationToken cancellationToken)
    {
        row.Status = OutboxStatus.Failed;
        row.LastError = why;
        row.LeaseOwner = null;
        row.LeaseUntil = null;
        await SetReportStateAsync(context, row, "failed", cancellationToken).ConfigureAwait(false);
        if (row.ReportId is not null)
        {
            context.AuditEvents.Add(new AuditEvent { ReportId = row.ReportId, At = now, Actor = "outbox", Action = NotifyFailedAction, Detail = $"{row.Kind} to {row.Recipient}: {why}" });
        }

        Log.Failed(_logger, row.Kind, row.Id, why);
    }

    /// <summary>The report's NotificationState follows the result email of its latest decision only.</summary>
    private static async Task SetReportStateAsync(HooklineDbContext context, OutboxMessage row, string state, CancellationToken cancellationToken)
    {
        if (row.Kind != "result" || row.ReportId is null || row.ReviewId is null)
        {
            return;
        }

        var latest = await context.Reviews.Where(r => r.ReportId == row.ReportId).MaxAsync(r => (long?)r.Id, cancellationToken).ConfigureAwait(false);
        if (latest != row.ReviewId)
        {
            return;
        }

        var report = await context.Reports.FirstOrDefaultAsync(r => r.Id == row.ReportId, cancellationToken).ConfigureAwait(false);
        if (report is not null)
        {
            report.NotificationState = state;
        }
    }

    private async Task UpdateAsync(long id, Action<OutboxMessage> change, CancellationToken cancellationToken)
    {
        await using var context = _store.CreateContext();
        var row = await context.Outbox.FirstAsync(m => m.Id == id, cancellationToken).ConfigureAwait(false);
        change(row);
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private DateTime Now() => _time.GetUtcNow().UtcDateTime;

    private bool OwnerIsGone(string? owner)
    {
        var parts = owner?.Split(':');
        if (parts is not { Length: >= 3 } || parts[0] != "outbox" || parts[1] != Environment.MachineName || !int.TryParse(parts[2], out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            // This process's own rows are alive; a row with this process id but another run's owner is an earlier process's.
            return owner != Owner;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: {Kind} {Id} sent to {Recipient}")]
        public static partial void Sent(ILogger logger, string kind, long id, string recipient);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: {Kind} {Id} attempt {Attempt} failed, retry at {Next:o}: {Error}")]
        public static partial void Retry(ILogger logger, string kind, long id, int attempt, DateTime next, string error);

        [LoggerMessage(Level = LogLevel.Error, Message = "Outbox: {Kind} {Id} failed: {Error}")]
        public static partial void Failed(ILogger logger, string kind, long id, string error);
    }
}
