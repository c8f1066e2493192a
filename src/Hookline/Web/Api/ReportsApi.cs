using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Hookline.Intake.Sources;
using Hookline.Review;
using Hookline.Storage;
using Hookline.Storage.Model;
using Hookline.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Hookline.Web.Api;

/// <summary>The reports API (docs/api.md): the list, one report, the original, upload, and review.</summary>
internal static class ReportsApi
{
    private const long MaxUploadBytes = 100L * 1024 * 1024;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/reports").WithTags("Reports").AddEndpointFilter<CookieCallersNeedAntiforgery>();
        api.MapGet("", ListAsync).RequireAuthorization(Policies.Reader)
            .WithSummary("The user-reported list with filters, search, sort and paging; by default the reports not marked yet first, then the highest risk, then the newest.")
            .WithDescription("Each item's assessment has the verdict and its risk (0-100, higher is more dangerous for every verdict; `score` is the same number under its old name). `sort` picks another order.");
        api.MapGet("/{id:long}", GetAsync).RequireAuthorization(Policies.Reader)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("One report: envelope, analysis, review history, notification state, audit trail.");
        api.MapGet("/{id:long}/original", OriginalAsync).RequireAuthorization(Policies.Analyst)
            .WithSummary("The reported message as raw .eml (message/rfc822).");
        api.MapGet("/{id:long}/raw", RawAsync).RequireAuthorization(Policies.Analyst)
            .WithSummary("The report exactly as it arrived (the envelope with the original inside).");
        // Kestrel's own body limit (30 MB) would cut an upload short with a bare 500 before the endpoint's
        // limit could answer 413: it is raised just past that limit for this endpoint (a multipart form's
        // framing included).
        api.MapPost("", SubmitAsync).RequireAuthorization(Policies.Analyst).DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxUploadBytes + (1024 * 1024)))
            .WithSummary("Submit a report by upload: a raw MIME body (message/rfc822), or a multipart form with a file.");
        api.MapPost("/{id:long}/review", ReviewAsync).RequireAuthorization(Policies.Analyst)
            .WithSummary("Mark as (noThreatsFound, phishing, spam) and optionally notify the reporter.")
            .WithDescription(NotifyDescription);
        api.MapPost("/review", ReviewManyAsync).RequireAuthorization(Policies.Analyst)
            .WithSummary("Mark a selection of reports at once.")
            .WithDescription(NotifyDescription + " The answer is `{\"items\": [...]}`, one result per report (a single id gets the result itself).");
    }

    private const string NotifyDescription =
        "The decision is recorded whatever becomes of the notification. With `notify` (the default) the reporter's result email is queued "
        + "when it can be: a delivery is configured (notifications.smtp or notifications.graph in hookline.yaml), the notification settings "
        + "have result emails on and a sender address, and the report has a reporter address. Then the answer has `notified: true` and "
        + "`notificationState: \"pending\"`; otherwise nothing is queued, and the answer has `notified: false` and `notifyReason` saying why "
        + "(200 all the same: the mark is made). Without `notify`, `notified` is false and `notifyReason` null. "
        + "A request with an unknown verdict, no ids or more than 500, a comment over 2000 characters, or an id that does not exist marks nothing: "
        + "400, a validation problem (title `invalid review`) whose `errors` name each field (`verdict`, `ids` or `id`, `comment`).";

    private static async Task<Results<Ok<ReportPage>, ValidationProblem>> ListAsync([AsParameters] ReportQuery query, ReportQueries reports, CancellationToken cancellationToken)
    {
        if (query.Errors() is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors, title: "unknown filter value");
        }

        var page = await reports.ListAsync(query, lastPageAtMost: false, cancellationToken);
        return TypedResults.Ok(new ReportPage(page.Page, page.PageSize, page.Total, page.Rows.Select(ReportSummary.Of).ToList()));
    }

    private static async Task<Results<Ok<ReportDetail>, ProblemHttpResult>> GetAsync(long id, ReportQueries reports, CancellationToken cancellationToken)
    {
        if (await reports.HistoryAsync(id, cancellationToken) is not { } history)
        {
            return NotFound(id);
        }

        var report = history.Report;
        using var analysis = report.AnalysisJson is null ? null : JsonDocument.Parse(report.AnalysisJson);
        return TypedResults.Ok(new ReportDetail(
            ReportSummary.Of(report),
            report.RawSha256,
            report.Size,
            report.SourceKey,
            analysis?.RootElement.Clone(),
            // notify: asked; notified: a result email was queued for it; notifySkipped: why not, when asked.
            history.Reviews.Select(r => new ReportReviewEntry(r.Id, r.Verdict, r.Comment, r.ReviewedBy, ReportSummary.Utc(r.ReviewedAt), r.Notify, history.Notifications.Any(n => n.ReviewId == r.Id), r.NotifySkipped)).ToList(),
            history.Notifications.Select(n => new ReportNotificationEntry(n.Id, n.Kind, n.Recipient, n.Subject, n.Status.ToString().ToLowerInvariant(), n.Attempts, n.LastError, ReportSummary.Utc(n.CreatedAt), ReportSummary.Utc(n.SentAt))).ToList(),
            history.Audit.Select(a => new ReportAuditEntry(ReportSummary.Utc(a.At), a.Actor, a.Action, a.Detail)).ToList()));
    }

    private static async Task<IResult> OriginalAsync(long id, ReportQueries reports, HooklineStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (await reports.RawAsync(id, cancellationToken) is not { } raw)
        {
            return NotFound(id);
        }

        var bytes = ReportQueries.OriginalEml(raw);
        await Audit(store, id, http, "downloaded-original", cancellationToken);
        return Results.File(bytes, "message/rfc822", $"report-{id}-original.eml");
    }

    private static async Task<IResult> RawAsync(long id, ReportQueries reports, HooklineStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (await reports.RawAsync(id, cancellationToken) is not { } raw)
        {
            return NotFound(id);
        }

        await Audit(store, id, http, "downloaded-raw", cancellationToken);
        return Results.File(raw, "message/rfc822", $"report-{id}.eml");
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, IReportSink sink, CancellationToken cancellationToken)
    {
        try
        {
            return await SubmitBodyAsync(request, sink, cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problem(StatusCodes.Status413PayloadTooLarge, "too large", $"Reports are limited to {MaxUploadBytes} bytes.");
        }
    }

    private static async Task<IResult> SubmitBodyAsync(HttpRequest request, IReportSink sink, CancellationToken cancellationToken)
    {
        byte[] bytes;
        string name;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var file = form.Files.Count > 0 ? form.Files[0] : null;
            if (file is null || file.Length == 0)
            {
                return Problem(StatusCodes.Status400BadRequest, "no file", "The multipart form has no file, or the file is empty.");
            }

            if (file.Length > MaxUploadBytes)
            {
                return Problem(StatusCodes.Status413PayloadTooLarge, "too large", $"Reports are limited to {MaxUploadBytes} bytes.");
            }

            using var memory = new MemoryStream((int)file.Length);
            await file.CopyToAsync(memory, cancellationToken);
            bytes = memory.ToArray();
            name = file.FileName;
        }
        else
        {
            using var memory = new MemoryStream();
            var buffer = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (memory.Length + read > MaxUploadBytes)
                {
                    return Problem(StatusCodes.Status413PayloadTooLarge, "too large", $"Reports are limited to {MaxUploadBytes} bytes.");
                }

                memory.Write(buffer, 0, read);
            }

            if (memory.Length == 0)
            {
                return Problem(StatusCodes.Status400BadRequest, "empty body", "Send the report as the request body (message/rfc822) or as a multipart form file.");
            }

            bytes = memory.ToArray();
            name = "upload";
        }

        var user = request.HttpContext.User.Identity?.Name ?? "api";
        var receipts = await sink.AcceptAsync([new IncomingReport("api", $"{user}: {name}", bytes, DateTimeOffset.UtcNow)], cancellationToken);
        var receipt = receipts[0];
        var body = new ReportSubmitted(receipt.ReportId, receipt.Outcome == IntakeOutcome.Duplicate);
        return receipt.Outcome == IntakeOutcome.Stored ? Results.Created($"/api/reports/{receipt.ReportId}", body) : Results.Ok(body);
    }

    private static async Task<Results<Ok<ReviewResult>, ValidationProblem>> ReviewAsync(long id, ReviewRequest request, ReviewService reviews, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await reviews.MarkAsync([id], request.Verdict, request.Comment, request.Notify, http.User.Identity?.Name ?? "api", cancellationToken);
        // The report is named by the path here, not by an ids field: its errors are under "id".
        return result.Succeeded ? TypedResults.Ok(Result(result.Outcomes[0])) : InvalidReview(result, idsField: "id");
    }

    private static async Task<Results<Ok<ReviewResult>, Ok<ReviewResults>, ValidationProblem>> ReviewManyAsync(ReviewManyRequest request, ReviewService reviews, HttpContext http, CancellationToken cancellationToken)
    {
        var result = await reviews.MarkAsync(request.Ids, request.Verdict, request.Comment, request.Notify, http.User.Identity?.Name ?? "api", cancellationToken);
        if (!result.Succeeded)
        {
            return InvalidReview(result, idsField: ReviewFields.Ids);
        }

        var items = result.Outcomes.Select(Result).ToList();
        return request.Ids is { Count: 1 } && items.Count == 1 ? TypedResults.Ok(items[0]) : TypedResults.Ok(new ReviewResults(items));
    }

    private static ReviewResult Result(ReviewOutcome o) => new(o.ReportId, o.ReviewId, o.NotificationState, o.Notified, o.NotifySkipped);

    /// <summary>A refused mark: 400, a validation problem with the review service's messages per request field.</summary>
    private static ValidationProblem InvalidReview(MarkResult result, string idsField)
    {
        var errors = result.ErrorsByField();
        if (idsField != ReviewFields.Ids && errors.Remove(ReviewFields.Ids, out var idErrors))
        {
            errors[idsField] = idErrors;
        }

        return TypedResults.ValidationProblem(errors, title: InvalidReviewTitle);
    }

    /// <summary>The title of a refused mark's problem details (docs/api.md).</summary>
    internal const string InvalidReviewTitle = "invalid review";

    private static async Task Audit(HooklineStore store, long id, HttpContext http, string action, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        context.AuditEvents.Add(new AuditEvent { ReportId = id, At = DateTime.UtcNow, Actor = http.User.Identity?.Name ?? "?", Action = action });
        await context.SaveChangesAsync(cancellationToken);
    }

    private static ProblemHttpResult NotFound(long id) => TypedResults.Problem(detail: $"Report {id} does not exist.", statusCode: StatusCodes.Status404NotFound, title: "no such report");

    internal static IResult Problem(int status, string title, string detail) => Results.Problem(detail: detail, statusCode: status, title: title);
}

internal sealed class ReviewRequest
{
    [Description("noThreatsFound, phishing or spam.")]
    public string? Verdict { get; init; }

    [Description("At most 2000 characters; longer is a 400 validation problem.")]
    [MaxLength(ReviewService.MaxCommentLength)]
    public string? Comment { get; init; }

    [Description("Queue the reporter's result email (default true); see notified and notifyReason in the answer.")]
    public bool Notify { get; init; } = true;
}

internal sealed class ReviewManyRequest
{
    [Description("1 to 500 report ids (a repeated id counts once); each must exist.")]
    public List<long>? Ids { get; init; }

    [Description("noThreatsFound, phishing or spam.")]
    public string? Verdict { get; init; }

    [Description("At most 2000 characters; longer is a 400 validation problem.")]
    [MaxLength(ReviewService.MaxCommentLength)]
    public string? Comment { get; init; }

    [Description("Queue each reporter's result email (default true); see notified and notifyReason in each result.")]
    public bool Notify { get; init; } = true;
}

/// <summary>What one "mark as" did to one report.</summary>
internal sealed record ReviewResult(
    long ReportId,
    long ReviewId,
    [property: Description("pending when the result email was queued; null when nothing was queued.")] string? NotificationState,
    [property: Description("True when the reporter's result email was queued (its delivery shows in notificationState); false when notify was not asked or nothing could be queued.")] bool Notified,
    [property: Description("Why nothing was queued although notify was asked: no delivery configured, no sender address or result emails off in the notification settings, no reporter address. Null otherwise.")] string? NotifyReason);

/// <summary>What marking a selection did, one result per report.</summary>
internal sealed record ReviewResults(IReadOnlyList<ReviewResult> Items);
