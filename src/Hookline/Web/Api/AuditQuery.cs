using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Api;

/// <summary>
/// The audit log's filters and paging, shared by <c>GET /api/audit</c> and the Audit log page (the same
/// query string works for both). Every filter is optional; the order is newest first. The names are
/// given so that the OpenAPI description shows the query string as it is written.
/// </summary>
internal sealed record AuditQuery
{
    public const int MaxPageSize = 200;

    /// <summary>What happened (the entry's <c>action</c>): one name, or several separated by commas (<c>login,login-failed</c>).</summary>
    [FromQuery(Name = "kind")]
    public string? Kind { get; init; }

    /// <summary>Who did it, exactly as recorded: a user name, an API key's creator, <c>source:NAME</c>, <c>queue</c>, <c>outbox</c>, <c>cli</c>.</summary>
    [FromQuery(Name = "actor")]
    public string? Actor { get; init; }

    /// <summary>Only the entries of this report.</summary>
    [FromQuery(Name = "reportId")]
    public long? ReportId { get; init; }

    /// <summary>From this time (UTC unless it says otherwise), inclusive.</summary>
    [FromQuery(Name = "from")]
    public DateTime? From { get; init; }

    /// <summary>Before this time (UTC unless it says otherwise), exclusive.</summary>
    [FromQuery(Name = "to")]
    public DateTime? To { get; init; }

    /// <summary>1-based; default 1.</summary>
    [FromQuery(Name = "page")]
    public int? Page { get; init; }

    /// <summary>Default 50, at most <see cref="MaxPageSize"/>.</summary>
    [FromQuery(Name = "pageSize")]
    public int? PageSize { get; init; }

    /// <summary>The page asked for, from 1 to <see cref="PageQuery.MaxPage"/> (so the offset cannot overflow).</summary>
    public int SafePage => Math.Clamp(Page ?? 1, 1, PageQuery.MaxPage);

    public int SafePageSize => Math.Clamp(PageSize ?? 50, 1, MaxPageSize);

    /// <summary>The kinds asked for, trimmed, without empty or repeated ones.</summary>
    public IReadOnlyList<string> Kinds => (Kind ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).Take(16).ToList();

    public IQueryable<AuditEvent> Apply(HooklineDbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var events = context.AuditEvents.AsNoTracking();
        var kinds = Kinds.ToArray();
        if (kinds.Length == 1)
        {
            var kind = kinds[0];
            events = events.Where(a => a.Action == kind);
        }
        else if (kinds.Length > 1)
        {
            events = events.Where(a => kinds.Contains(a.Action));
        }

        if (!string.IsNullOrWhiteSpace(Actor))
        {
            var actor = Actor.Trim();
            events = events.Where(a => a.Actor == actor);
        }

        if (ReportId is { } reportId)
        {
            events = events.Where(a => a.ReportId == reportId);
        }

        if (From is { } from)
        {
            var utc = Utc(from);
            events = events.Where(a => a.At >= utc);
        }

        if (To is { } to)
        {
            var utc = Utc(to);
            events = events.Where(a => a.At < utc);
        }

        return events.OrderByDescending(a => a.At).ThenByDescending(a => a.Id);
    }

    /// <summary>Stored times are UTC; a time that came with an offset is converted, one without is taken as UTC.</summary>
    private static DateTime Utc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => value.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value,
    };
}
