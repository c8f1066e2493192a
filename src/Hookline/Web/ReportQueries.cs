using Hookline.Mime;
using Hookline.Reports.Recognition;
using Hookline.Storage;
using Hookline.Storage.Model;
using Hookline.Web.Api;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web;

/// <summary>A page of the user-reported list: the rows (without the analysis) and how many match in all.</summary>
internal sealed record ReportListPage(int Page, int PageSize, int Total, IReadOnlyList<ReportRecord> Rows);

/// <summary>An outbox message about a report, as the API and the report page show it.</summary>
internal sealed record NotificationRow(long Id, string Kind, long? ReviewId, string Recipient, string Subject, OutboxStatus Status, int Attempts, string? LastError, DateTime CreatedAt, DateTime? SentAt);

/// <summary>One report with its analysis and everything that happened to it: marks, messages sent, audit.</summary>
internal sealed record ReportHistory(ReportRecord Report, IReadOnlyList<ReviewRecord> Reviews, IReadOnlyList<NotificationRow> Notifications, IReadOnlyList<AuditEvent> Audit);

/// <summary>
/// The reads of reports that the API and the pages share, in one place: the list (filters, search, sort,
/// paging), one report with its history, campaign sizes, the raw bytes, and the original as an .eml.
/// </summary>
internal sealed class ReportQueries(HooklineStore store)
{
    /// <summary>
    /// The page <paramref name="query"/> asks for. With <paramref name="lastPageAtMost"/> a page past the
    /// end is the last one (the UI's pager); without, it is empty (the API says what was asked).
    /// The rows leave the analysis in the database.
    /// </summary>
    public async Task<ReportListPage> ListAsync(ReportQuery query, bool lastPageAtMost, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var context = store.CreateContext();
        var total = await query.Apply(context).CountAsync(cancellationToken);
        var pageSize = query.SafePageSize;
        var page = lastPageAtMost ? Math.Min(query.SafePage, Math.Max(1, (total + pageSize - 1) / pageSize)) : query.SafePage;
        var rows = await query.Apply(context).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return new ReportListPage(page, pageSize, total, rows);
    }

    /// <summary>How many reports share each (sender address, subject) of <paramref name="rows"/>: one grouped query.</summary>
    public async Task<Dictionary<(string Sender, string Subject), int>> CampaignSizesAsync(IEnumerable<ReportRecord> rows, CancellationToken cancellationToken)
    {
        var campaigns = new Dictionary<(string Sender, string Subject), int>();
        var keyed = rows.Where(r => r.SenderAddress is not null && r.Subject is not null).ToList();
        if (keyed.Count == 0)
        {
            return campaigns;
        }

        var senders = keyed.Select(r => r.SenderAddress!).Distinct().ToList();
        var subjects = keyed.Select(r => r.Subject!).Distinct().ToList();
        await using var context = store.CreateContext();
        var groups = await context.Reports.AsNoTracking()
            .Where(r => senders.Contains(r.SenderAddress!) && subjects.Contains(r.Subject!))
            .GroupBy(r => new { r.SenderAddress, r.Subject })
            .Select(g => new { g.Key.SenderAddress, g.Key.Subject, Count = g.Count() })
            .ToListAsync(cancellationToken);
        foreach (var group in groups)
        {
            campaigns[(group.SenderAddress!, group.Subject!)] = group.Count;
        }

        return campaigns;
    }

    /// <summary>One report (with its stored analysis), its marks, the messages about it and its audit trail; null when it does not exist.</summary>
    public async Task<ReportHistory?> HistoryAsync(long id, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var report = await context.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (report is null)
        {
            return null;
        }

        var reviews = await context.Reviews.AsNoTracking().Where(r => r.ReportId == id).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var audit = await context.AuditEvents.AsNoTracking().Where(a => a.ReportId == id).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var notifications = await context.Outbox.AsNoTracking().Where(o => o.ReportId == id).OrderBy(o => o.Id)
            .Select(o => new NotificationRow(o.Id, o.Kind, o.ReviewId, o.Recipient, o.Subject, o.Status, o.Attempts, o.LastError, o.CreatedAt, o.SentAt))
            .ToListAsync(cancellationToken);
        return new ReportHistory(report, reviews, notifications, audit);
    }

    /// <summary>The report's bytes as received; null when the report does not exist.</summary>
    public async Task<byte[]?> RawAsync(long id, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var hash = await context.Reports.AsNoTracking().Where(r => r.Id == id).Select(r => r.RawSha256).FirstOrDefaultAsync(cancellationToken);
        return hash is null ? null : await RawOfAsync(context, hash, cancellationToken);
    }

    /// <summary>The stored bytes with this hash, or null.</summary>
    public async Task<byte[]?> RawByHashAsync(string sha256, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        return await RawOfAsync(context, sha256, cancellationToken);
    }

    /// <summary>The reported message in a report's bytes: the first original the report carries, else the report itself.</summary>
    public static MimeMessage OriginalMessage(byte[] raw)
    {
        var envelope = MailFile.Read(raw);
        var report = ReportReader.Read(envelope, raw);
        return report is { Originals.Count: > 0 } ? report.Originals[0].Message : envelope;
    }

    /// <summary>
    /// The original as an .eml: its bytes exactly as attached when it was attached as MIME, else the
    /// message as read (a forward's recovered original, an Outlook item); the report's bytes when it carries none.
    /// </summary>
    public static byte[] OriginalEml(byte[] raw)
    {
        var envelope = MailFile.Read(raw);
        var report = ReportReader.Read(envelope, raw);
        if (report is not { Originals.Count: > 0 })
        {
            return envelope.ToArray();
        }

        var original = report.Originals[0];
        return original.Format == MailFormat.Mime && !original.IsRecoveredFromForward ? original.Bytes.ToArray() : original.Message.ToArray();
    }

    private static Task<byte[]?> RawOfAsync(HooklineDbContext context, string sha256, CancellationToken cancellationToken) =>
        context.RawMessages.AsNoTracking().Where(r => r.Sha256 == sha256).Select(r => r.Content).FirstOrDefaultAsync(cancellationToken);
}
