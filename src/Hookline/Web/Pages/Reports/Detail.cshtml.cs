using Hookline.Review;
using Hookline.Storage.Model;
using Hookline.Web.Security;
using Hookline.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hookline.Web.Pages.Reports;

/// <summary>One report: the assessment's summary and weighted reasons first, then envelope, original (headers, authentication, relay path, links, attachments, body), review, notifications, audit.</summary>
public sealed class DetailModel(IAuthorizationService authorization) : PageModel
{
    internal ReportDetail Detail { get; private set; } = null!;

    internal bool CanMark { get; private set; }

    /// <summary>The thresholds risks are read against (internal services come from the request's container: the page model is public).</summary>
    internal RiskScale Scale { get; private set; } = RiskScale.Default;

    /// <summary>Why the mark form cannot notify this report's reporter (empty when it can).</summary>
    internal IReadOnlyList<string> NotifyBlockers { get; private set; } = [];

    /// <summary>The verdict the mark form starts on, or null for no choice (see <see cref="StartingVerdict"/>).</summary>
    internal string? MarkDefault { get; private set; }

    /// <summary>The mark form was sent without a verdict (the server's answer when the browser did not check).</summary>
    internal bool MarkVerdictMissing { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        var detail = await HttpContext.RequestServices.GetRequiredService<ReportDetails>().LoadAsync(id, cancellationToken);
        if (detail is null)
        {
            return NotFound();
        }

        Detail = detail;
        Scale = HttpContext.RequestServices.GetRequiredService<RiskScale>();
        CanMark = (await authorization.AuthorizeAsync(User, Policies.Analyst)).Succeeded;
        if (CanMark)
        {
            NotifyBlockers = await HttpContext.RequestServices.GetRequiredService<ResultDelivery>().BlockersAsync(detail.Report, cancellationToken);
            MarkDefault = StartingVerdict(detail.Report, Scale);
            MarkVerdictMissing = Request.Query["markError"] == MarkModel.VerdictMissing;
        }

        return Page();
    }

    /// <summary>
    /// Where "Mark as" starts: the report's current mark when it has one; else Hookline's verdict (phishing →
    /// Phishing, spam → Spam, clean → No threats found only when its risk is low, not near the threshold);
    /// else no choice, so that the analyst decides (not analysed, a near-threshold clean, no risk on record).
    /// </summary>
    internal static string? StartingVerdict(ReportRecord report, RiskScale scale) => report switch
    {
        { MarkedAs: { } marked } => marked,
        { Assessment: "phishing" } => ReviewVerdicts.Phishing,
        { Assessment: "spam" } => ReviewVerdicts.Spam,
        _ when scale.IsLow(report.Assessment, report.Score) => ReviewVerdicts.NoThreatsFound,
        _ => null,
    };

    /// <summary>What became of a review's result email, in words for the history.</summary>
    internal string ReviewNotice(ReviewRecord review)
    {
        var result = Detail.Notifications.FirstOrDefault(n => n.ReviewId == review.Id && n.Kind == "result");
        if (result is not null)
        {
            return result.Status switch
            {
                OutboxStatus.Sent => $"result email sent to {result.Recipient}" + (result.SentAt is null ? "" : " " + Display.Time(result.SentAt)),
                OutboxStatus.Failed => $"result email to {result.Recipient} failed" + (result.LastError is null ? "" : ": " + result.LastError),
                _ => $"result email queued for {result.Recipient}",
            };
        }

        return review switch
        {
            { Notify: false } => "reporter not notified (not asked)",
            { NotifySkipped: { } reason } => "reporter not notified: " + reason,
            _ => "reporter not notified: nothing was queued (the reason was not recorded)",
        };
    }
}
