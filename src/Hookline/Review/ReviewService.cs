using Hookline.Hosting;
using Hookline.Notify;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Review;

/// <summary>What a "mark as" did to one report.</summary>
internal sealed record ReviewOutcome(long ReportId, long ReviewId, string? NotificationState);

/// <summary>
/// "Mark as and notify": records an analyst's decision on one or more reports. For each report, in one
/// transaction: a new <see cref="ReviewRecord"/> (re-marking adds one; none is rewritten), the report's
/// latest decision, an audit entry, and, when the reporter is to be told, the rendered result email in
/// the outbox under the key <c>result:review:ID</c>, so one decision can queue one email at most.
/// Once a result is committed the notification worker is woken, so it goes out at once rather than at
/// the next poll.
/// </summary>
internal sealed class ReviewService(HooklineStore store, INotificationComposer composer, NotificationSignal signal)
{
    public async Task<IReadOnlyList<ReviewOutcome>> MarkAsync(IReadOnlyList<long> reportIds, string verdict, string? comment, bool notify, string actor, CancellationToken cancellationToken)
    {
        if (!ReviewVerdicts.All.Contains(verdict))
        {
            throw new ArgumentException($"unknown verdict '{verdict}' (noThreatsFound, phishing or spam)", nameof(verdict));
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
            context.Reviews.Add(review);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

            report.MarkedAs = verdict;
            report.MarkedBy = actor;
            report.MarkedAt = now;
            report.NotificationState = null;
            context.AuditEvents.Add(new AuditEvent { ReportId = id, At = now, Actor = actor, Action = AuditActions.Reviewed, Detail = review.Comment is null ? verdict : $"{verdict}: {review.Comment}" });
            if (notify)
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
                }
            }

            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            outcomes.Add(new ReviewOutcome(id, review.Id, report.NotificationState));
        }
    }
}
