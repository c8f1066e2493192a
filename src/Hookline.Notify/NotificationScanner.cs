using System.Globalization;
using System.Text;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Notify;

/// <summary>
/// Queues the emails that follow from analysis, apart from Intake: for each analysed report, the
/// reporter's acknowledgement (<c>ack:report:ID</c>), the incident-response alert
/// (<c>alert:report:ID</c>) and its webhook (<c>webhook:report:ID</c>); once per UTC day, the digest
/// (<c>digest:YYYY-MM-DD</c>). The outbox's unique idempotency key makes each exactly-once, whichever
/// server or pass gets there first. A report is looked at once: the scan keeps a cursor on the
/// reports' analysis time, with an overlap so that a report committed late by a slow worker is not missed.
/// A reporter is acknowledged at most <see cref="MaxAcknowledgementsPerHour"/> times an hour: beyond
/// that a report is left unacknowledged (and the skip audited once per report), so a flood of forged or
/// automated reports cannot make the security mailbox a mail cannon even towards its own people.
/// </summary>
public sealed class NotificationScanner(HooklineStore store, NotificationComposer composer, TimeProvider? time = null)
{
    public const string CursorKey = "notifications:scan";

    /// <summary>Acknowledgements queued for one reporter address in any hour at most.</summary>
    public const int MaxAcknowledgementsPerHour = 10;

    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Queues what is due; returns how many outbox messages were added.</summary>
    public async Task<int> ScanAsync(CancellationToken cancellationToken)
    {
        var added = await ScanReportsAsync(cancellationToken).ConfigureAwait(false);
        added += await QueueDigestAsync(cancellationToken).ConfigureAwait(false);
        return added;
    }

    private async Task<int> ScanReportsAsync(CancellationToken cancellationToken)
    {
        var cursors = new CursorStore(store);
        var saved = await cursors.GetAsync(CursorKey, cancellationToken).ConfigureAwait(false);
        // The first scan looks back only a little: enabling acknowledgements must not mail every old report.
        var since = saved is null ? _time.GetUtcNow().UtcDateTime - Overlap : DateTime.Parse(saved, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) - Overlap;
        var added = 0;
        DateTime? newest = null;
        while (true)
        {
            List<ReportRecord> batch;
            await using (var context = store.CreateContext())
            {
                batch = await context.Reports.AsNoTracking()
                    .Where(r => r.Status == ReportStatus.Analysed && r.ProcessedAt != null && r.ProcessedAt > since)
                    .OrderBy(r => r.ProcessedAt).ThenBy(r => r.Id).Take(200)
                    .ToListAsync(cancellationToken).ConfigureAwait(false);
            }

            if (batch.Count == 0)
            {
                break;
            }

            foreach (var report in batch)
            {
                added += await QueueForReportAsync(report, cancellationToken).ConfigureAwait(false);
            }

            newest = batch[^1].ProcessedAt;
            if (batch.Count < 200 || newest == since)
            {
                break;
            }

            since = newest!.Value;
        }

        if (newest is not null)
        {
            await cursors.SetAsync(CursorKey, DateTime.SpecifyKind(newest.Value, DateTimeKind.Utc).ToString("o", CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }

        return added;
    }

    private async Task<int> QueueForReportAsync(ReportRecord report, CancellationToken cancellationToken)
    {
        var keys = new[] { $"ack:report:{report.Id}", $"alert:report:{report.Id}", $"webhook:report:{report.Id}" };
        await using var context = store.CreateContext();
        var existing = await context.Outbox.AsNoTracking().Where(o => keys.Contains(o.IdempotencyKey)).Select(o => o.IdempotencyKey).ToListAsync(cancellationToken).ConfigureAwait(false);
        var added = 0;
        if (!existing.Contains(keys[0]) && await composer.ComposeAcknowledgementAsync(report, cancellationToken).ConfigureAwait(false) is { } ack
            && !await WasLimitedAsync(report.Id, cancellationToken).ConfigureAwait(false))
        {
            if (await AcknowledgedInLastHourAsync(ack.Recipient, cancellationToken).ConfigureAwait(false) < MaxAcknowledgementsPerHour)
            {
                added += await TryAddAsync(NewMessage("acknowledgement", keys[0], report.Id, ack.Recipient, ack.Subject, ack.Content), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AuditLimitedAsync(report, cancellationToken).ConfigureAwait(false);
            }
        }

        if (!existing.Contains(keys[1]) && await composer.ComposeAlertAsync(report, cancellationToken).ConfigureAwait(false) is { } alert)
        {
            added += await TryAddAsync(NewMessage("alert", keys[1], report.Id, alert.Recipient, alert.Subject, alert.Content), cancellationToken).ConfigureAwait(false);
        }

        if (!existing.Contains(keys[2]) && await composer.ComposeAlertWebhookAsync(report, cancellationToken).ConfigureAwait(false) is { } webhook)
        {
            added += await TryAddAsync(NewMessage("webhook", keys[2], report.Id, webhook.Url, $"alert for report {report.Id}", Encoding.UTF8.GetBytes(webhook.Json)), cancellationToken).ConfigureAwait(false);
        }

        return added;
    }

    private async Task<int> AcknowledgedInLastHourAsync(string recipient, CancellationToken cancellationToken)
    {
        var since = _time.GetUtcNow().UtcDateTime.AddHours(-1);
        var lowered = recipient.ToLowerInvariant();
        await using var context = store.CreateContext();
        // ToLower, not string.Equals with a comparison: EF Core translates this one to SQL (LOWER) on SQLite and PostgreSQL.
#pragma warning disable CA1862
        return await context.Outbox.AsNoTracking()
            .CountAsync(o => o.Kind == "acknowledgement" && o.CreatedAt > since && o.Recipient.ToLower() == lowered, cancellationToken).ConfigureAwait(false);
#pragma warning restore CA1862
    }

    /// <summary>A report once left out by the limit stays unacknowledged (the scan's overlap sees it again, maybe in a quieter hour).</summary>
    private async Task<bool> WasLimitedAsync(long reportId, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        return await context.AuditEvents.AnyAsync(a => a.Action == AuditActions.AcknowledgementLimited && a.ReportId == reportId, cancellationToken).ConfigureAwait(false);
    }

    private async Task AuditLimitedAsync(ReportRecord report, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        context.AuditEvents.Add(new AuditEvent
        {
            At = _time.GetUtcNow().UtcDateTime,
            Actor = "system",
            Action = AuditActions.AcknowledgementLimited,
            ReportId = report.Id,
            Detail = $"not acknowledged: {MaxAcknowledgementsPerHour} acknowledgements already went to this reporter in the last hour",
        });
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> QueueDigestAsync(CancellationToken cancellationToken)
    {
        // The digest covers the previous UTC day and is queued once the day is over.
        var today = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        var day = today.AddDays(-1);
        var key = "digest:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var context = store.CreateContext();
        if (await context.Outbox.AnyAsync(o => o.IdempotencyKey == key, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = start.AddDays(1);
        var reports = context.Reports.AsNoTracking().Where(r => r.ReceivedAt >= start && r.ReceivedAt < end);
        var summary = new DigestSummary(
            day,
            await reports.CountAsync(cancellationToken).ConfigureAwait(false),
            await reports.CountAsync(r => r.Assessment == "phishing", cancellationToken).ConfigureAwait(false),
            await reports.CountAsync(r => r.Assessment == "spam", cancellationToken).ConfigureAwait(false),
            await reports.CountAsync(r => r.Assessment == "clean", cancellationToken).ConfigureAwait(false),
            await reports.CountAsync(r => r.MarkedAs != null, cancellationToken).ConfigureAwait(false),
            await reports.Where(r => r.Score != null).OrderByDescending(r => r.Score).ThenBy(r => r.Id).Take(10).ToListAsync(cancellationToken).ConfigureAwait(false));
        var digest = await composer.ComposeDigestAsync(summary, cancellationToken).ConfigureAwait(false);
        return digest is null ? 0 : await TryAddAsync(NewMessage("digest", key, null, digest.Recipient, digest.Subject, digest.Content), cancellationToken).ConfigureAwait(false);
    }

    private OutboxMessage NewMessage(string kind, string key, long? reportId, string recipient, string subject, byte[] content)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return new OutboxMessage
        {
            Kind = kind,
            IdempotencyKey = key,
            ReportId = reportId,
            Recipient = recipient,
            Subject = subject,
            Content = content,
            Status = OutboxStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
        };
    }

    /// <summary>Inserts unless the key exists; a lost race on the unique key (another server) is not an error.</summary>
    private async Task<int> TryAddAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        context.Outbox.Add(message);
        try
        {
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            return 1;
        }
        catch (DbUpdateException)
        {
            await using var check = store.CreateContext();
            if (await check.Outbox.AnyAsync(o => o.IdempotencyKey == message.IdempotencyKey, cancellationToken).ConfigureAwait(false))
            {
                return 0;
            }

            throw;
        }
    }
}
