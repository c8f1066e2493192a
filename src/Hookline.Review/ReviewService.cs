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
/// "Mark as and notify": records an analyst's decision on one or more reports. For each report, in one
/// transaction: a new <see cref="ReviewRecord"/> (re-marking adds one; none is rewritten), the report's
/// latest decision, an audit entry, and, when the reporter is to be told, the rendered result email in
/// the outbox under the key <c>result:review:ID</c>, so one decision can queue one email at most.
/// Nothing is queued when nothing could deliver it or it has no one to go to (<see cref="ResultDelivery"/>):
/// the review and the audit entry say why instead. Once a result is committed the notification worker is
/// woken, so it goes out at once rather than at the next poll.
/// </summary>
public sealed class ReviewService(HooklineStore store, INotificationComposer composer, NotificationSignal signal, ResultDelivery delivery)
{
    /// <summary>The longest review comment, in characters (the page's field stops there; the API refuses longer).</summary>
    public const int MaxCommentLength = 2000;

    public async Task<IReadOnlyList<ReviewOutcome>> MarkAsync(IReadOnlyList<long> reportIds, string verdict, string? comment, bool notify, string actor, CancellationToken cancellationToken)
    {
        if (!ReviewVerdicts.All.Contains(verdict))
        {
            throw new ArgumentException($"unknown verdict '{verdict}' (noThreatsFound, phishing or spam)", nameof(verdict));
        }

        if (comment is { Length: > MaxCommentLength })
        {
            throw new ArgumentException($"the comment is {comment.Length} characters; at most {MaxCommentLength}", nameof(comment));
        }

        var outcomes = new List<ReviewOutcome>();
        try
        {
            await RecordAsync(reportIds, verdict, comment, notify, actor, outcomes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Also after a failure part-way: the decisions committed before it may have queued results.
            if (outcomes.Any(o => o.NotificationState == "pending"))
            {
                signal.Notify();
            }
        }

        return outcomes;
    }

    private async Task RecordAsync(IReadOnlyList<long> reportIds, string verdict, string? comment, bool notify, string actor, List<ReviewOutcome> outcomes, CancellationToken cancellationToken)
    {
        foreach (var id in reportIds.Distinct())
        {
            await using var context = store.CreateContext();
            await using var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var report = await context.Reports.FirstOrDefaultAsync(r => r.Id == id, cancellationToken).ConfigureAwait(false)
                ?? throw new KeyNotFoundException($"report {id} does not exist");
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
