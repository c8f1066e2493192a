using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Storage;

/// <summary>
/// The list's search (<c>q</c>): every word must appear, as a case-blind substring, in one of the
/// report's searchable fields: subject, reporter name and address, sender name and address, Network
/// Message ID, the original's Message-ID. Both providers answer from an index built for substrings:
/// <list type="bullet">
/// <item>SQLite: the FTS5 table <c>ReportSearch</c> with the trigram tokenizer (one row per report,
/// rowid = report id, the fields joined by line feeds, kept in step by triggers on <c>Reports</c>).
/// A word of three or more characters is a quoted FTS5 phrase, so nothing in it is query syntax; a
/// shorter word (a trigram index cannot look it up) is a <c>LIKE</c> over the same table's narrow text.</item>
/// <item>PostgreSQL: <c>ILIKE</c> over the same joined text, served by a pg_trgm GIN index on that
/// expression (<c>IX_Reports_Search</c>) when the extension is available.</item>
/// </list>
/// See docs/web.md.
/// </summary>
public static class ReportSearch
{
    /// <summary>At most this many words count; the rest are ignored.</summary>
    public const int MaxWords = 8;

    /// <summary>
    /// The searchable text of a report on PostgreSQL: exactly the expression that <c>IX_Reports_Search</c>
    /// indexes (the SearchIndex migration), or the planner cannot use the index.
    /// </summary>
    internal const string PostgresText = """(coalesce("Subject", '') || chr(10) || coalesce("ReporterName", '') || chr(10) || coalesce("ReporterAddress", '') || chr(10) || coalesce("SenderName", '') || chr(10) || coalesce("SenderAddress", '') || chr(10) || coalesce("NetworkMessageId", '') || chr(10) || coalesce("OriginalMessageId", ''))""";

    /// <summary>
    /// The words of a search string: split at white space, at most <see cref="MaxWords"/>. NUL characters are
    /// dropped and broken UTF-16 (a lone surrogate) becomes U+FFFD: PostgreSQL refuses both in text, and no
    /// stored field holds them.
    /// </summary>
    public static IReadOnlyList<string> Words(string? q) =>
        (q ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(Clean).Where(w => w.Length > 0).Take(MaxWords).ToList();

    /// <summary>The ids of the reports that contain every word (an unexecuted query, to compose into another).</summary>
    public static IQueryable<long> Matching(HooklineDbContext context, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(words);
        if (words.Count == 0)
        {
            throw new ArgumentException("no words to search for", nameof(words));
        }

        var sql = new StringBuilder();
        var parameters = new List<object>();
        if (context.IsPostgres)
        {
            sql.Append("""SELECT "Id" AS "Value" FROM "Reports" WHERE """);
            for (var i = 0; i < words.Count; i++)
            {
                sql.Append(i == 0 ? "" : " AND ").Append(PostgresText).Append(CultureInfo.InvariantCulture, $" ILIKE {{{i}}} ESCAPE '\\'");
                parameters.Add(LikePattern(words[i]));
            }

            return context.Database.SqlQueryRaw<long>(sql.ToString(), [.. parameters]);
        }

        sql.Append("""SELECT rowid AS "Value" FROM "ReportSearch" WHERE """);
        var phrases = words.Where(w => Runes(w) >= 3).ToList();
        var conditions = new List<string>();
        if (phrases.Count > 0)
        {
            conditions.Add($"\"ReportSearch\" MATCH {{{parameters.Count}}}");
            parameters.Add(MatchExpression(phrases));
        }

        foreach (var word in words.Where(w => Runes(w) < 3))
        {
            conditions.Add($"\"Text\" LIKE {{{parameters.Count}}} ESCAPE '\\'");
            parameters.Add(LikePattern(word));
        }

        sql.AppendJoin(" AND ", conditions);
        return context.Database.SqlQueryRaw<long>(sql.ToString(), [.. parameters]);
    }

    /// <summary>
    /// An FTS5 query that matches rows containing every word: each word as a string (double quotes,
    /// an inner quote doubled), so operators (AND, OR, NOT, NEAR), column filters, <c>*</c>, <c>^</c>,
    /// <c>-</c>, <c>+</c> and parentheses in it are plain characters; strings side by side are ANDed.
    /// With the trigram tokenizer a string matches wherever it occurs as a substring.
    /// </summary>
    internal static string MatchExpression(IEnumerable<string> words) =>
        string.Join(' ', words.Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));

    /// <summary>A LIKE pattern for "contains <paramref name="word"/>", with <c>\</c> as the escape character.</summary>
    internal static string LikePattern(string word) =>
        "%" + word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    private static int Runes(string word) => word.EnumerateRunes().Count();

    private static string Clean(string word)
    {
        var clean = new StringBuilder(word.Length);
        foreach (var rune in word.EnumerateRunes())
        {
            if (rune.Value != 0)
            {
                clean.Append(rune.ToString());
            }
        }

        return clean.ToString();
    }
}
