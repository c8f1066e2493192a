using System.Globalization;
using Hookline.Web.Api;
using Microsoft.AspNetCore.WebUtilities;

namespace Hookline.Web.Ui;

/// <summary>
/// The Audit log page's query string: the same parameters as <c>GET /api/audit</c> (<see cref="AuditQuery"/>),
/// kept in the URL so that a filtered page is a bookmark. Times are UTC; <c>from</c> is inclusive, <c>to</c> exclusive.
/// </summary>
internal sealed record AuditFilter
{
    public const int PageSize = 50;

    /// <summary>The kinds the store writes, offered as suggestions (any other name can be typed).</summary>
    public static readonly IReadOnlyList<string> KnownKinds =
    [
        "received", "duplicate", "duplicate-differs", "analysed", "skipped", "failed", "reprocessed", "reviewed", "notified", "notification-failed", "acknowledgement-limited",
        "downloaded-original", "downloaded-raw", "login", "login-failed", "logout", "user-added", "user-disabled", "user-enabled", "user-role-changed", "password-reset",
        "api-key-added", "api-key-revoked", "settings-changed", "settings-restored",
    ];

    public string? Kind { get; init; }

    public string? Actor { get; init; }

    public long? ReportId { get; init; }

    /// <summary>As yyyy-MM-ddTHH:mm[:ss] (UTC), the form a datetime-local input shows.</summary>
    public string? From { get; init; }

    public string? To { get; init; }

    public int Page { get; init; } = 1;

    public bool HasFilters => Kind is not null || Actor is not null || ReportId is not null || From is not null || To is not null;

    public static AuditFilter Read(IQueryCollection query) => new()
    {
        Kind = Value(query, "kind"),
        Actor = Value(query, "actor"),
        ReportId = long.TryParse(Value(query, "reportId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null,
        From = Local(Time(Value(query, "from"))),
        To = Local(Time(Value(query, "to"))),
        Page = int.TryParse(Value(query, "page"), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0 ? page : 1,
    };

    public AuditQuery ToQuery() => new()
    {
        Kind = Kind,
        Actor = Actor,
        ReportId = ReportId,
        From = Time(From),
        To = Time(To),
        Page = Page,
        PageSize = PageSize,
    };

    /// <summary>This filter as a path and query string (defaults left out).</summary>
    public string Url()
    {
        var pairs = new List<KeyValuePair<string, string?>>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                pairs.Add(KeyValuePair.Create(name, (string?)value));
            }
        }

        Add("kind", Kind);
        Add("actor", Actor);
        Add("reportId", ReportId?.ToString(CultureInfo.InvariantCulture));
        Add("from", From);
        Add("to", To);
        Add("page", Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null);
        return QueryHelpers.AddQueryString("/audit", pairs);
    }

    private static string? Value(IQueryCollection query, string name)
    {
        var value = query[name].ToString().Trim();
        return value.Length == 0 ? null : value;
    }

    /// <summary>A date or date and time; without an offset it is UTC. Anything else is no filter.</summary>
    private static DateTime? Time(string? value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static string? Local(DateTime? time) => time is not { } t ? null
        : t.ToString(t.Second == 0 && t.Millisecond == 0 ? "yyyy-MM-ddTHH:mm" : "yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
}
