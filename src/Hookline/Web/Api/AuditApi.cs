using Hookline.Storage;
using Hookline.Storage.Model;
using Hookline.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Api;

/// <summary>One audit entry as the API gives it.</summary>
/// <param name="Id">Increasing in the order entries were written.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Actor">Who: a user name, <c>source:NAME</c>, <c>queue</c>, <c>outbox</c>, <c>cli</c>.</param>
/// <param name="Action">What (the <c>kind</c> filter): <c>received</c>, <c>analysed</c>, <c>reviewed</c>, <c>login</c>, <c>settings-changed</c>, ….</param>
/// <param name="ReportId">The report concerned, or null (logins, settings, keys).</param>
/// <param name="Detail">Free text: the source key, the error, the decision, the client address.</param>
internal sealed record AuditEntry(long Id, DateTime At, string Actor, string Action, long? ReportId, string? Detail);

/// <summary>A page of the audit log, paged like the reports list.</summary>
internal sealed record AuditPage(int Page, int PageSize, int Total, IReadOnlyList<AuditEntry> Items);

/// <summary>
/// The audit log API: every entry of the audit trail (intake, analysis, review, notifications, sign-ins,
/// settings, keys), newest first. Admins only: it holds sign-in attempts with client addresses and
/// every account's activity; analysts and readers see a report's own trail on the report.
/// </summary>
internal static class AuditApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/audit", ListAsync).WithTags("Audit").RequireAuthorization(Policies.Admin)
            .WithSummary("The audit log, newest first, filtered by kind, actor, report and time, paged like the reports list (admin).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    internal static AuditEntry Entry(AuditEvent a) => new(a.Id, DateTime.SpecifyKind(a.At, DateTimeKind.Utc), a.Actor, a.Action, a.ReportId, a.Detail);

    private static async Task<Ok<AuditPage>> ListAsync([AsParameters] AuditQuery query, HooklineStore store, CancellationToken cancellationToken)
    {
        await using var context = store.CreateContext();
        var filtered = query.Apply(context);
        var total = await filtered.CountAsync(cancellationToken);
        var items = await filtered.Skip((query.SafePage - 1) * query.SafePageSize).Take(query.SafePageSize).ToListAsync(cancellationToken);
        return TypedResults.Ok(new AuditPage(query.SafePage, query.SafePageSize, total, items.Select(Entry).ToList()));
    }
}
