using System.ComponentModel;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Api;

/// <summary>
/// The user-reported list's filters, search, sort and paging, shared by the API and the web UI.
/// Every filter is optional. The default order is the analyst's queue: reports not marked yet first,
/// then the highest risk first (reports without one after those with one), then the newest.
/// </summary>
internal sealed record ReportQuery
{
    public const int MaxPageSize = 200;

    /// <summary>The sort parameter as the OpenAPI description gives it.</summary>
    public const string SortDescription =
        "The order. Left out: reports not marked yet first, then the highest risk first, then the newest. "
        + "`risk` (or its old name `score`): highest risk first (0-100, higher is more dangerous for every verdict); "
        + "`reported`: newest first; `marked`: latest mark first; `subject`, `reporter`, `sender`: A to Z. "
        + "A leading `-` reverses (`-risk`: lowest risk first).";

    /// <summary><c>received</c>, <c>analysed</c>, <c>skipped</c>, <c>failed</c> (pipeline), <c>unmarked</c> or <c>marked</c> (review).</summary>
    [FromQuery(Name = "status")]
    public string? Status { get; init; }

    /// <summary><c>phishing</c>, <c>junk</c> or <c>notJunk</c>.</summary>
    [FromQuery(Name = "userVerdict")]
    public string? UserVerdict { get; init; }

    /// <summary>Hookline's assessment: <c>phishing</c>, <c>spam</c> or <c>clean</c>.</summary>
    [FromQuery(Name = "assessment")]
    public string? Assessment { get; init; }

    /// <summary>The analyst's mark: <c>noThreatsFound</c>, <c>phishing</c> or <c>spam</c>.</summary>
    [FromQuery(Name = "markedAs")]
    public string? MarkedAs { get; init; }

    /// <summary>The reporter's address (exact, case-blind).</summary>
    [FromQuery(Name = "reporter")]
    public string? Reporter { get; init; }

    /// <summary>The original sender's address or domain (exact, case-blind; a value without @ matches the domain).</summary>
    [FromQuery(Name = "sender")]
    public string? Sender { get; init; }

    /// <summary>Words (at most 8) that must all appear, as case-blind substrings, in the subject, reporter, sender or message ids (<see cref="ReportSearch"/>).</summary>
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    [FromQuery(Name = "from")]
    public DateTime? From { get; init; }

    [FromQuery(Name = "to")]
    public DateTime? To { get; init; }

    /// <summary>Empty for the default order (see the class); <c>risk</c> (alias <c>score</c>), <c>reported</c>, <c>subject</c>, <c>reporter</c>, <c>sender</c>, <c>marked</c>; a leading <c>-</c> reverses.</summary>
    [FromQuery(Name = "sort")]
    [Description(SortDescription)]
    public string? Sort { get; init; }

    /// <summary>1-based; default 1.</summary>
    [FromQuery(Name = "page")]
    public int? Page { get; init; }

    /// <summary>Default 50, at most <see cref="MaxPageSize"/>.</summary>
    [FromQuery(Name = "pageSize")]
    public int? PageSize { get; init; }

    public IQueryable<ReportRecord> Apply(HooklineDbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The list never needs the analysis (its own table, included automatically elsewhere).
        var reports = context.Reports.AsNoTracking().IgnoreAutoIncludes();
        switch (Status?.ToLowerInvariant())
        {
            case "received": reports = reports.Where(r => r.Status == ReportStatus.Received); break;
            case "analysed": reports = reports.Where(r => r.Status == ReportStatus.Analysed); break;
            case "skipped": reports = reports.Where(r => r.Status == ReportStatus.Skipped); break;
            case "failed": reports = reports.Where(r => r.Status == ReportStatus.Failed); break;
            case "unmarked": reports = reports.Where(r => r.MarkedAs == null && r.Status == ReportStatus.Analysed); break;
            case "marked": reports = reports.Where(r => r.MarkedAs != null); break;
        }

        if (!string.IsNullOrEmpty(UserVerdict))
        {
            reports = reports.Where(r => r.UserVerdict == UserVerdict);
        }

        if (!string.IsNullOrEmpty(Assessment))
        {
            reports = reports.Where(r => r.Assessment == Assessment);
        }

        if (!string.IsNullOrEmpty(MarkedAs))
        {
            reports = reports.Where(r => r.MarkedAs == MarkedAs);
        }

        if (!string.IsNullOrEmpty(Reporter))
        {
            var reporter = Reporter.Trim().ToLowerInvariant();
            reports = reports.Where(r => r.ReporterAddress == reporter);
        }

        // A sender domain is a suffix match no index serves, and its reports can sit anywhere in the queue (a
        // low-risk bulk sender at the very end): reading the queue index in order would look at nearly every
        // report for a page. Sorting the matches is cheaper, so that filter writes the order in a form no index
        // covers (the same order; the same kind of trick as the search's "Id + 0" below).
        var senderDomain = false;
        if (!string.IsNullOrEmpty(Sender))
        {
            var sender = Sender.Trim().ToLowerInvariant();
            senderDomain = !sender.Contains('@', StringComparison.Ordinal);
            reports = senderDomain
                ? reports.Where(r => r.SenderAddress != null && r.SenderAddress.EndsWith("@" + sender))
                : reports.Where(r => r.SenderAddress == sender);
        }

        if (From is { } from)
        {
            var utc = from.Kind == DateTimeKind.Local ? from.ToUniversalTime() : from;
            reports = reports.Where(r => r.ReportedAt >= utc);
        }

        if (To is { } to)
        {
            var utc = to.Kind == DateTimeKind.Local ? to.ToUniversalTime() : to;
            reports = reports.Where(r => r.ReportedAt < utc);
        }

        var words = ReportSearch.Words(Q);
        if (words.Count > 0)
        {
            var matching = ReportSearch.Matching(context, words);
            // On SQLite "Id + 0" (like the documented unary +) keeps the planner from fetching every match's
            // row by primary key: it walks the order's index instead and tests each id against the matches,
            // so a common word costs a page of rows, not thousands of lookups.
            reports = context.IsPostgres
                ? reports.Where(r => matching.Contains(r.Id))
                : reports.Where(r => matching.Contains(r.Id + 0));
        }

        // The default order: unmarked first, then risk (nulls last on both SQLite and PostgreSQL, which sort
        // NULL differently), then the newest (the date reported, else received). The QueueIndex migration's
        // indexes are on exactly these expressions.
        var sort = (Sort ?? "").Trim();
        var reverse = sort.StartsWith('-');
        return sort.TrimStart('-').ToLowerInvariant() switch
        {
            "risk" or "score" => reverse ? reports.OrderBy(r => r.Score).ThenBy(r => r.Id) : reports.OrderByDescending(r => r.Score).ThenByDescending(r => r.Id),
            "reported" => reverse ? reports.OrderBy(r => r.ReportedAt).ThenBy(r => r.Id) : reports.OrderByDescending(r => r.ReportedAt).ThenByDescending(r => r.Id),
            "subject" => reverse ? reports.OrderByDescending(r => r.Subject).ThenByDescending(r => r.Id) : reports.OrderBy(r => r.Subject).ThenBy(r => r.Id),
            "reporter" => reverse ? reports.OrderByDescending(r => r.ReporterAddress).ThenByDescending(r => r.Id) : reports.OrderBy(r => r.ReporterAddress).ThenBy(r => r.Id),
            "sender" => reverse ? reports.OrderByDescending(r => r.SenderAddress).ThenByDescending(r => r.Id) : reports.OrderBy(r => r.SenderAddress).ThenBy(r => r.Id),
            "marked" => reverse ? reports.OrderBy(r => r.MarkedAt).ThenBy(r => r.Id) : reports.OrderByDescending(r => r.MarkedAt).ThenByDescending(r => r.Id),
            _ when senderDomain => reports.OrderBy(r => r.MarkedAs == null ? 0 : 1).ThenBy(r => r.Score == null ? 1 : 0).ThenByDescending(r => r.Score)
                .ThenByDescending(r => r.ReportedAt ?? r.ReceivedAt).ThenByDescending(r => r.Id),
            _ => reports.OrderBy(r => r.MarkedAs != null).ThenBy(r => r.Score == null).ThenByDescending(r => r.Score)
                .ThenByDescending(r => r.ReportedAt ?? r.ReceivedAt).ThenByDescending(r => r.Id),
        };
    }

    /// <summary>The sort's column name as the UI marks it (<c>score</c> is <c>risk</c>), null for the default order.</summary>
    public static string? SortColumn(string? sort)
    {
        var name = sort?.Trim().TrimStart('-').ToLowerInvariant();
        return name switch
        {
            "risk" or "score" => "risk",
            "reported" or "subject" or "reporter" or "sender" or "marked" => name,
            _ => null,
        };
    }

    /// <summary>The values each closed filter takes (compared as written, except <c>status</c> and <c>sort</c>, which are case-blind).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AllowedValues = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["status"] = ["received", "analysed", "skipped", "failed", "unmarked", "marked"],
        ["userVerdict"] = ["phishing", "junk", "notJunk"],
        ["assessment"] = ["phishing", "spam", "clean"],
        ["markedAs"] = ["noThreatsFound", "phishing", "spam"],
        ["sort"] = ["risk", "score", "reported", "subject", "reporter", "sender", "marked"],
    };

    /// <summary>
    /// The filters whose value is none of the allowed ones, each with the values it takes (the API answers
    /// 400: a mistyped filter must not quietly return everything, or nothing). Empty when all are valid.
    /// </summary>
    public Dictionary<string, string[]> Errors()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Check(string name, string? value, bool caseBlind)
        {
            var allowed = AllowedValues[name];
            if (!string.IsNullOrEmpty(value) && !allowed.Contains(value, caseBlind ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal))
            {
                errors[name] = [$"'{value}' is not one of: {string.Join(", ", allowed)}."];
            }
        }

        Check("status", Status, caseBlind: true);
        Check("userVerdict", UserVerdict, caseBlind: false);
        Check("assessment", Assessment, caseBlind: false);
        Check("markedAs", MarkedAs, caseBlind: false);
        Check("sort", Sort?.Trim().TrimStart('-'), caseBlind: true);
        return errors;
    }

    /// <summary>The page asked for, from 1 to <see cref="PageQuery.MaxPage"/> (so the offset cannot overflow).</summary>
    public int SafePage => Math.Clamp(Page ?? 1, 1, PageQuery.MaxPage);

    public int SafePageSize => Math.Clamp(PageSize ?? 50, 1, MaxPageSize);
}
