using System.Text.Json;
using Hookline.Storage.Model;

namespace Hookline.Web.Api;

/// <summary>A person as a report names them: the reporter, or the original's sender.</summary>
/// <param name="Name">The display name; empty when there is none.</param>
/// <param name="Address">The e-mail address.</param>
internal sealed record ReportParty(string Name, string Address);

/// <summary>Hookline's assessment of the original, as the list shows it.</summary>
/// <param name="Verdict"><c>phishing</c>, <c>spam</c> or <c>clean</c>.</param>
/// <param name="Risk">0-100, higher is more dangerous for every verdict; null for a clean or spam report analysed before the risk scale, until it is reprocessed.</param>
/// <param name="Score">The same number under its old name, kept for clients written against it.</param>
internal sealed record ReportAssessment(string Verdict, int? Risk, int? Score);

/// <summary>One report in the user-reported list (and at the head of a report's detail).</summary>
/// <param name="Id">The report's id.</param>
/// <param name="Subject">The original's subject.</param>
/// <param name="Reporter">Who reported it, when the envelope says.</param>
/// <param name="ReportedAt">When the user reported it (UTC), when the envelope says.</param>
/// <param name="ReceivedAt">When Hookline took it in (UTC).</param>
/// <param name="Sender">The original's sender (the mailbox with an address).</param>
/// <param name="UserVerdict">The user's verdict: <c>phishing</c>, <c>junk</c> or <c>notJunk</c>.</param>
/// <param name="VerdictAssumed">True when the envelope did not say and the verdict was assumed.</param>
/// <param name="Format">The envelope format (<c>microsoft</c>, <c>forward</c>, …).</param>
/// <param name="Status"><c>received</c>, <c>analysed</c>, <c>skipped</c> or <c>failed</c>.</param>
/// <param name="Assessment">Hookline's verdict and risk, once analysed.</param>
/// <param name="MarkedAs">The analyst's mark: <c>noThreatsFound</c>, <c>phishing</c> or <c>spam</c>.</param>
/// <param name="MarkedBy">Who marked it.</param>
/// <param name="MarkedAt">When (UTC).</param>
/// <param name="NotificationState">The reporter's result email: <c>pending</c>, <c>sent</c>, <c>failed</c>, or null.</param>
/// <param name="NetworkMessageId">Exchange's network message id of the original.</param>
/// <param name="MessageId">The original's Message-ID.</param>
/// <param name="Source">The intake source that took it in.</param>
/// <param name="SkipReason">Why it was skipped, when it was.</param>
/// <param name="Error">Why its analysis failed, when it did.</param>
internal sealed record ReportSummary(
    long Id,
    string? Subject,
    ReportParty? Reporter,
    DateTime? ReportedAt,
    DateTime ReceivedAt,
    ReportParty? Sender,
    string? UserVerdict,
    bool VerdictAssumed,
    string? Format,
    string Status,
    ReportAssessment? Assessment,
    string? MarkedAs,
    string? MarkedBy,
    DateTime? MarkedAt,
    string? NotificationState,
    string? NetworkMessageId,
    string? MessageId,
    string Source,
    string? SkipReason,
    string? Error)
{
    public static ReportSummary Of(ReportRecord r) => new(
        r.Id,
        r.Subject,
        r.ReporterAddress is null ? null : new ReportParty(r.ReporterName ?? string.Empty, r.ReporterAddress),
        Utc(r.ReportedAt),
        Utc(r.ReceivedAt),
        r.SenderAddress is null ? null : new ReportParty(r.SenderName ?? string.Empty, r.SenderAddress),
        r.UserVerdict,
        r.VerdictAssumed,
        r.Format,
        r.Status.ToString().ToLowerInvariant(),
        r.Assessment is null ? null : new ReportAssessment(r.Assessment, r.Score, r.Score),
        r.MarkedAs,
        r.MarkedBy,
        Utc(r.MarkedAt),
        r.NotificationState,
        r.NetworkMessageId,
        r.OriginalMessageId,
        r.Source,
        r.SkipReason,
        r.Error);

    internal static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    internal static DateTime? Utc(DateTime? value) => value is null ? null : Utc(value.Value);
}

/// <summary>A page of the user-reported list.</summary>
internal sealed record ReportPage(int Page, int PageSize, int Total, IReadOnlyList<ReportSummary> Items);

/// <summary>One decision on a report.</summary>
/// <param name="Notify">Whether the analyst asked for the reporter to be notified.</param>
/// <param name="Notified">Whether a result email was queued for this decision.</param>
/// <param name="NotifySkipped">Why not, when notifying was asked for and nothing was queued.</param>
internal sealed record ReportReviewEntry(long Id, string Verdict, string? Comment, string ReviewedBy, DateTime ReviewedAt, bool Notify, bool Notified, string? NotifySkipped);

/// <summary>One email queued about a report (the reporter's result, an incident-response copy).</summary>
/// <param name="Status"><c>pending</c>, <c>sent</c> or <c>failed</c>.</param>
internal sealed record ReportNotificationEntry(long Id, string Kind, string Recipient, string Subject, string Status, int Attempts, string? LastError, DateTime CreatedAt, DateTime? SentAt);

/// <summary>One entry of a report's audit trail.</summary>
internal sealed record ReportAuditEntry(DateTime At, string Actor, string Action, string? Detail);

/// <summary>One report in full: the list's summary, the stored bytes' fingerprint, the analysis, review history, notifications and audit trail.</summary>
/// <param name="Analysis">The stored analysis as JSON, or null before the report is analysed.</param>
internal sealed record ReportDetail(
    ReportSummary Report,
    string RawSha256,
    long Size,
    string SourceKey,
    JsonElement? Analysis,
    IReadOnlyList<ReportReviewEntry> Reviews,
    IReadOnlyList<ReportNotificationEntry> Notifications,
    IReadOnlyList<ReportAuditEntry> Audit);

/// <summary>The answer to an upload.</summary>
/// <param name="Id">The report's id (the one already stored, for a duplicate).</param>
/// <param name="Duplicate">True when the same bytes had been taken in before: nothing new was stored.</param>
internal sealed record ReportSubmitted(long Id, bool Duplicate);
