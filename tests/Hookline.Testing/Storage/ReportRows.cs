using System.Security.Cryptography;
using System.Text;
using Hookline.Storage;
using Hookline.Storage.Model;

namespace Hookline.Testing.Storage;

/// <summary>
/// Report rows written straight into a store, for the tests of what reads them (the list's order and
/// search, the review service): each row with its raw message, as the intake would leave it, so that
/// the original and the raw report can be downloaded. A row starts analysed, received and reported
/// at <see cref="At"/>; a test changes what it is about.
/// </summary>
public static class ReportRows
{
    /// <summary>When the rows are received, stored and reported unless a test says otherwise.</summary>
    public static readonly DateTime At = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    /// <summary>Stores one row (with its raw message, unique unless <paramref name="raw"/> is given) shaped by <paramref name="shape"/>; returns its id.</summary>
    public static async Task<long> AddAsync(HooklineStore store, Action<ReportRecord>? shape = null, string? raw = null)
    {
        var ids = await AddAsync(store, 1, (report, _) => shape?.Invoke(report), raw is null ? null : _ => raw);
        return ids[0];
    }

    /// <summary>Stores <paramref name="count"/> rows, the <c>i</c>th shaped by <paramref name="shape"/>, in one save; returns their ids in order.</summary>
    public static async Task<List<long>> AddAsync(HooklineStore store, int count, Action<ReportRecord, int>? shape = null, Func<int, string>? raw = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var context = store.CreateContext();
        var reports = new List<ReportRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var content = Encoding.UTF8.GetBytes(raw?.Invoke(i) ?? $"Subject: report {i}\r\n\r\n{Guid.NewGuid()}\r\n");
            var sha = Convert.ToHexStringLower(SHA256.HashData(content));
            context.RawMessages.Add(new RawMessage { Sha256 = sha, Content = content, Size = content.Length, StoredAt = At });
            var report = new ReportRecord
            {
                RawSha256 = sha,
                Source = "test",
                SourceKey = sha[..12],
                Size = content.Length,
                ReceivedAt = At,
                StoredAt = At,
                ReportedAt = At,
                Status = ReportStatus.Analysed,
                Subject = $"report {i}",
            };
            shape?.Invoke(report, i);
            context.Reports.Add(report);
            reports.Add(report);
        }

        await context.SaveChangesAsync();
        return reports.Select(r => r.Id).ToList();
    }
}
