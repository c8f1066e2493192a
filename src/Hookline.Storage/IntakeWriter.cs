using System.Security.Cryptography;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Storage;

/// <summary>A message to store, as a source received it, with the envelope identity computed by the caller.</summary>
public sealed record RawIntake(string Source, string SourceKey, byte[] Raw, DateTime ReceivedAt, string? DedupKey);

/// <summary>What storing one message did: a new report, or the id of the report it duplicates.</summary>
public readonly record struct IntakeResult(bool IsNew, long ReportId);

/// <summary>
/// Commits arriving messages: the raw bytes by SHA-256, a report row in <see cref="ReportStatus.Received"/>
/// and an audit entry, for a whole batch in one transaction. A message whose bytes or envelope identity
/// are already stored becomes a <c>duplicate</c> audit entry on the existing report instead.
/// Safe with several writers at once (other processes on PostgreSQL): the unique indexes decide, and
/// a batch that lost a race is retried, finding the winner's rows as duplicates.
/// A duplicate by envelope identity alone whose content differs beyond the trace headers
/// (<see cref="TraceFreeContent"/>) is audited <c>duplicate-differs</c>, so a different message is
/// never merged without a word.
/// </summary>
public sealed class IntakeWriter(HooklineStore store)
{
    private const int Attempts = 4;

    public async Task<IReadOnlyList<IntakeResult>> AcceptAsync(IReadOnlyList<RawIntake> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return [];
        }

        var hashes = new string[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            hashes[i] = Convert.ToHexStringLower(SHA256.HashData(batch[i].Raw));
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryAcceptAsync(batch, hashes, cancellationToken).ConfigureAwait(false);
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
                // Another writer stored one of these first; the next attempt sees its rows.
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<IntakeResult>> TryAcceptAsync(IReadOnlyList<RawIntake> batch, string[] hashes, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var keys = batch.Select(b => b.DedupKey).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var hashList = hashes.Distinct(StringComparer.Ordinal).ToList();
        // Two lookups, each on its own unique index (one query with OR over both lists scans the table).
        var existing = await context.Reports.AsNoTracking()
            .Where(r => hashList.Contains(r.RawSha256))
            .Select(r => new { r.Id, r.RawSha256, r.DedupKey })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        if (keys.Count > 0)
        {
            existing.AddRange(await context.Reports.AsNoTracking()
                .Where(r => r.DedupKey != null && keys.Contains(r.DedupKey))
                .Select(r => new { r.Id, r.RawSha256, r.DedupKey })
                .ToListAsync(cancellationToken).ConfigureAwait(false));
        }

        // Known identities → the report that holds them (an existing id, or a row added earlier in this batch).
        var byHash = new Dictionary<string, Func<long>>(StringComparer.Ordinal);
        var byKey = new Dictionary<string, Func<long>>(StringComparer.Ordinal);
        foreach (var row in existing)
        {
            var id = row.Id;
            byHash[row.RawSha256] = () => id;
            if (row.DedupKey is not null)
            {
                byKey[row.DedupKey] = () => id;
            }
        }

        // The stored bytes' hash behind each envelope identity, to tell a redelivery from a different message.
        var keyHash = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in existing)
        {
            if (row.DedupKey is not null)
            {
                keyHash[row.DedupKey] = row.RawSha256;
            }
        }

        var now = DateTime.UtcNow;
        var outcomes = new (bool IsNew, Func<long> Id)[batch.Count];
        var byKeyOnly = new List<(int Index, string StoredHash)>();
        var added = new List<(ReportRecord Record, RawIntake Item)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            if (byHash.TryGetValue(hashes[i], out var known))
            {
                outcomes[i] = (false, known);
                continue;
            }

            if (item.DedupKey is not null && byKey.TryGetValue(item.DedupKey, out known))
            {
                outcomes[i] = (false, known);
                byKeyOnly.Add((i, keyHash[item.DedupKey]));
                continue;
            }

            var record = new ReportRecord
            {
                RawSha256 = hashes[i],
                DedupKey = item.DedupKey,
                Source = item.Source,
                SourceKey = item.SourceKey,
                Size = item.Raw.LongLength,
                ReceivedAt = DateTime.SpecifyKind(item.ReceivedAt.ToUniversalTime(), DateTimeKind.Utc),
                StoredAt = now,
                Status = ReportStatus.Received,
            };
            context.RawMessages.Add(new RawMessage { Sha256 = hashes[i], Content = item.Raw, Size = item.Raw.LongLength, StoredAt = now });
            context.Reports.Add(record);
            added.Add((record, item));
            Func<long> id = () => record.Id;
            byHash[hashes[i]] = id;
            if (item.DedupKey is not null)
            {
                byKey[item.DedupKey] = id;
                keyHash[item.DedupKey] = hashes[i];
            }

            outcomes[i] = (true, id);
        }

        var differs = await DifferingAsync(context, batch, hashes, byKeyOnly, cancellationToken).ConfigureAwait(false);

        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            context.AuditEvents.Add(new AuditEvent
            {
                ReportId = outcomes[i].Id(),
                At = now,
                Actor = $"source:{item.Source}",
                Action = outcomes[i].IsNew ? AuditActions.Received : differs.Contains(i) ? AuditActions.DuplicateDiffers : AuditActions.Duplicate,
                Detail = differs.Contains(i)
                    ? $"{item.SourceKey}: same sender and Message-ID as this report, other content (sha256 {hashes[i]}, {item.Raw.LongLength} bytes); counted as this report, not stored"
                    : item.SourceKey,
            });
        }

        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return outcomes.Select(o => new IntakeResult(o.IsNew, o.Id())).ToArray();
    }

    /// <summary>
    /// Of the arrivals matched by envelope identity alone, those whose content beyond the trace headers
    /// is not the stored report's (its bytes are read only for these, which are rare).
    /// </summary>
    private static async Task<HashSet<int>> DifferingAsync(HooklineDbContext context, IReadOnlyList<RawIntake> batch, string[] hashes, List<(int Index, string StoredHash)> byKeyOnly, CancellationToken cancellationToken)
    {
        var differs = new HashSet<int>();
        if (byKeyOnly.Count == 0)
        {
            return differs;
        }

        var traceFree = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < batch.Count; i++)
        {
            traceFree.TryAdd(hashes[i], TraceFreeContent.Hash(batch[i].Raw));
        }

        var missing = byKeyOnly.Select(m => m.StoredHash).Where(h => !traceFree.ContainsKey(h)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var sha in missing)
        {
            var content = await context.RawMessages.AsNoTracking().Where(r => r.Sha256 == sha).Select(r => r.Content).SingleAsync(cancellationToken).ConfigureAwait(false);
            traceFree[sha] = TraceFreeContent.Hash(content);
        }

        foreach (var (index, storedHash) in byKeyOnly)
        {
            if (!string.Equals(traceFree[hashes[index]], traceFree[storedHash], StringComparison.Ordinal))
            {
                differs.Add(index);
            }
        }

        return differs;
    }
}
