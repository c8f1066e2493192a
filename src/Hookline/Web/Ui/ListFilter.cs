using System.Globalization;
using Hookline.Web.Api;
using Microsoft.AspNetCore.WebUtilities;

namespace Hookline.Web.Ui;

/// <summary>
/// The list page's query string: the same filters as the API (<see cref="ReportQuery"/>), kept in the
/// URL so that a filtered, sorted page is a bookmark.
/// </summary>
internal sealed record ListFilter
{
    public const int PageSize = 50;

    public string? Status { get; init; }

    public string? UserVerdict { get; init; }

    public string? Assessment { get; init; }

    public string? MarkedAs { get; init; }

    public string? Reporter { get; init; }

    public string? Sender { get; init; }

    public string? Q { get; init; }

    /// <summary>First day (UTC), inclusive, as yyyy-MM-dd.</summary>
    public string? From { get; init; }

    /// <summary>Last day (UTC), inclusive, as yyyy-MM-dd.</summary>
    public string? To { get; init; }

    public string? Sort { get; init; }

    public int Page { get; init; } = 1;

    public static ListFilter Read(IQueryCollection query) => new()
    {
        Status = Value(query, "status"),
        UserVerdict = Value(query, "userVerdict"),
        Assessment = Value(query, "assessment"),
        MarkedAs = Value(query, "markedAs"),
        Reporter = Value(query, "reporter"),
        Sender = Value(query, "sender"),
        Q = Value(query, "q"),
        From = Day(Value(query, "from")) is null ? null : Value(query, "from"),
        To = Day(Value(query, "to")) is null ? null : Value(query, "to"),
        Sort = Value(query, "sort"),
        Page = int.TryParse(Value(query, "page"), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page > 0 ? page : 1,
    };

    public ReportQuery ToQuery() => new()
    {
        Status = Status,
        UserVerdict = UserVerdict,
        Assessment = Assessment,
        MarkedAs = MarkedAs,
        Reporter = Reporter,
        Sender = Sender,
        Q = Q,
        From = Day(From),
        To = Day(To)?.AddDays(1),
        Sort = Sort,
        Page = Page,
        PageSize = PageSize,
    };

    public bool HasFilters => Status is not null || UserVerdict is not null || Assessment is not null || MarkedAs is not null || Reporter is not null || Sender is not null || Q is not null || From is not null || To is not null;

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

        Add("status", Status);
        Add("userVerdict", UserVerdict);
        Add("assessment", Assessment);
        Add("markedAs", MarkedAs);
        Add("reporter", Reporter);
        Add("sender", Sender);
        Add("q", Q);
        Add("from", From);
        Add("to", To);
        Add("sort", Sort);
        Add("page", Page > 1 ? Page.ToString(CultureInfo.InvariantCulture) : null);
        return QueryHelpers.AddQueryString("/", pairs);
    }

    /// <summary>The list is in its default order (not marked yet first, then the highest risk, then the newest).</summary>
    public bool IsDefaultOrder => ReportQuery.SortColumn(Sort) is null;

    /// <summary>The link for a column header: sort by it, or reverse when already sorted by it.</summary>
    public string SortUrl(string column)
    {
        var next = ReportQuery.SortColumn(Sort) == column && Sort?.Trim().StartsWith('-') != true ? "-" + column : column;
        return (this with { Sort = next, Page = 1 }).Url();
    }

    /// <summary>▼ (descending) or ▲ (ascending) next to the column the list is sorted by (<c>score</c> is the risk column).</summary>
    public string SortMark(string column)
    {
        if (ReportQuery.SortColumn(Sort) != column)
        {
            return "";
        }

        var descendingFirst = column is "reported" or "risk" or "marked";
        var reversed = Sort!.Trim().StartsWith('-');
        return descendingFirst != reversed ? " ▼" : " ▲";
    }

    /// <summary>aria-sort for a column header.</summary>
    public string AriaSort(string column)
    {
        var mark = SortMark(column);
        return mark.Length == 0 ? "none" : mark.Contains('▼', StringComparison.Ordinal) ? "descending" : "ascending";
    }

    private static string? Value(IQueryCollection query, string name)
    {
        var value = query[name].ToString().Trim();
        return value.Length == 0 ? null : value.Length > 200 ? value[..200] : value;
    }

    private static DateTime? Day(string? value) =>
        DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day) ? day : null;
}
