using System.Globalization;
using Hookline.Notify;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Review;

/// <summary>
/// What a "mark as" did to one report: the review, the report's notification state, and whether the
/// reporter's result email was queued (<paramref name="Notified"/>) or, when notifying was asked, why not.
/// </summary>
public sealed record ReviewOutcome(long ReportId, long ReviewId, string? NotificationState, bool Notified, string? NotifySkipped);

/// <summary>
/// "Mark as and notify": records an analyst's decision on one or more reports. The request is checked
/// first, as a whole, before anything is written: a known verdict, 1 to
/// <see cref="MaxReports"/> distinct report ids that all exist, a comment of at most
/// <see cref="MaxCommentLength"/> characters; a request that fails any of these marks nothing and gets
/// the reasons back. Then, for each report, in one transaction: a new <see cref="ReviewRecord"/>
/// (re-marking adds one; none is rewritten), the report's latest decision, an audit entry, and, when the
/// reporter is to be told, the rendered result email in the outbox under the key <c>result:review:ID</c>,
/// so one decision can queue one email at most. Nothing is queued when nothing could deliver it or it has
/// no one to go to (<see cref="ResultDelivery"/>): the review and the audit entry say why instead. Once a
/// result is committed the notification worker is woken, so it goes out at once rather than at the next poll.
/// </summary>
public sealed class ReviewService(HooklineStore store, INotificationComposer composer, NotificationSignal signal, ResultDelivery delivery)
{
    /// <summary>The longest review comment, in characters (the mark forms' field stops there).</summary>
    public const int MaxCommentLength = 2000;

    /// <summary>The most reports one mark may name (distinct ids): the limit the API and the mark form each checked before.</summary>
    public const int MaxReports = 500;

    /// <summary>
    /// Marks the reports with the verdict, or, when the request is not valid, marks none and says why.
    /// Repeated ids count once. A failure of the store part-way (not a validation) leaves the reports
    /// before it marked, each having been committed on its own.
    /// </summary>
    public async Task<MarkResult> MarkAsync(IReadOnlyList<long>? reportIds, string? verdict, string? comment, bool notify, string actor, CancellationToken cancellationToken)
    {
        var ids = reportIds?.Distinct().ToList() ?? [];
        var errors = await ValidateAsync(ids, verdict, comment, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            return MarkResult.Refused(errors);
        }

        var outcomes = new List<ReviewOutcome>(ids.Count);
        try
        {
            await RecordAsync(ids, verdict!, comment, notify, actor, outcomes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also after a failure part-way: the decisions committed before it may have queued results.
            if (outcomes.Any(o => o.NotificationState == "pending"))
            {
                signal.Notify();
            }
        }

        return MarkResult.Marked(outcomes);
    }

    /// <summary>What is wrong with a mark that needs no store to tell: the verdict, the number of ids, the comment's length.</summary>
    private static List<ReviewValidationError> Validate(IReadOnlyCollection<long> distinctIds, string? verdict, string? comment)
    {
        var errors = new List<ReviewValidationError>();
        if (verdict is null || !ReviewVerdicts.All.Contains(verdict))
        {
            errors.Add(new ReviewValidationError(ReviewFields.Verdict, $"verdict must be {ReviewVerdicts.NoThreatsFound}, {ReviewVerdicts.Phishing} or {ReviewVerdicts.Spam}{(string.IsNullOrEmpty(verdict) ? "" : $" ('{Shorten(verdict)}' given)")}."));
        }

        if (distinctIds.Count is 0 or > MaxReports)
        {
            errors.Add(new ReviewValidationError(ReviewFields.Ids, $"ids must list 1 to {MaxReports} report ids ({distinctIds.Count} given)."));
        }

        if (comment is { Length: > MaxCommentLength })
        {
            errors.Add(new ReviewValidationError(ReviewFields.Comment, $"comment must be at most {MaxCommentLength} characters ({comment.Length} given)."));
        }

        return errors;
    }

    /// <summary><see cref="Validate"/>, and then, when the number of ids is right, that each report exists.</summary>
    private async Task<List<ReviewValidationError>> ValidateAsync(List<long> ids, string? verdict, string? comment, CancellationToken cancellationToken)
    {
        var errors = Validate(ids, verdict, comment);
        if (errors.Any(e => e.Field == ReviewFields.Ids))
        {
            return errors;
        }

        await using var context = store.CreateContext();
        var found = await context.Reports.AsNoTracking().Where(r => ids.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken).ConfigureAwait(false);
        var missing = ids.Except(found).ToList();
        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing.Select(id => id.ToString(CultureInfo.InvariantCulture)));
            errors.Add(new ReviewValidationError(ReviewFields.Ids, missing.Count == 1 ? $"report {list} does not exist." : $"reports {list} do not exist."));
        }

        return errors;
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private async Task RecordAsync(List<long> reportIds, string verdict, string? comment, bool notify, string actor, List<ReviewOutcome> outcomes, CancellationToken cancellationToken)
    {
        foreach (var id in reportIds)
        {
            await using var context = store.CreateContext();
            await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Checked to exist before the first write; reports are never deleted.
            var report = await context.Reports.FirstAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false);
            var now = DateTime.UtcNow;
            var review = new ReviewRecord { ReportId = id, Verdict = verdict, Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(), ReviewedBy = actor, ReviewedAt = now, Notify = notify };
            var blockers = notify ? await delivery.BlockersAsync(report, cancellationToken).ConfigureAwait(false) : [];
            review.NotifySkipped = blockers.Count > 0 ? ResultDelivery.Explain(blockers) : null;
            context.Reviews.Add(review);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

            report.MarkedAs = verdict;
            report.MarkedBy = actor;
            report.MarkedAt = now;
            report.NotificationState = null;
            var queued = false;
            if (notify && blockers.Count == 0)
            {
                var message = await composer.ComposeResultAsync(report, review, cancellationToken).ConfigureAwait(false);
                if (message is not null)
                {
                    context.Outbox.Add(new OutboxMessage
                    {
                        Kind = "result",
                        ReportId = id,
                        ReviewId = review.Id,
                        IdempotencyKey = $"result:review:{review.Id}",
                        Recipient = message.Recipient,
                        Subject = message.Subject,
                        Content = message.Content,
                        Status = OutboxStatus.Pending,
                        NextAttemptAt = now,
                        CreatedAt = now,
                    });
                    report.NotificationState = "pending";
                    queued = true;
                }
                else
                {
                    // The settings changed between the check and the composing.
                    review.NotifySkipped = "the notification settings allow no result email for this report";
                }
            }

            context.AuditEvents.Add(new AuditEvent { ReportId = id, At = now, Actor = actor, Action = AuditActions.Reviewed, Detail = AuditDetail(review, queued) });
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            outcomes.Add(new ReviewOutcome(id, review.Id, report.NotificationState, queued, review.NotifySkipped));
        }
    }

    /// <summary>The audit entry's text: the verdict, what became of the reporter's result email, the comment.</summary>
    internal static string AuditDetail(ReviewRecord review, bool queued)
    {
        var notice = queued ? "result email queued"
            : review.Notify ? "reporter not notified: " + (review.NotifySkipped ?? "nothing was queued")
            : "reporter not notified (not asked)";
        return review.Comment is null ? $"{review.Verdict}; {notice}" : $"{review.Verdict}; {notice}; comment: {review.Comment}";
    }
}
