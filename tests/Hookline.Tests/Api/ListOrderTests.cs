using System.Security.Cryptography;
using System.Text;
using Hookline.Storage;
using Hookline.Storage.Model;
using Hookline.Testing.Storage;
using Hookline.Web.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Hookline.Tests.Api;

/// <summary>
/// The list's order by risk (<see cref="ReportQuery"/>) and the <c>RiskScale</c> migration, the same on SQLite
/// and on a real PostgreSQL (which sort NULL at the other end): by default the reports not marked yet first,
/// then the highest risk, reports without one last, then the newest; <c>sort=risk</c> and its old name
/// <c>score</c>; and old-scale scores of clean and spam reports cleared by the migration.
/// </summary>
public abstract class ListOrderBehaviour
{
    private static readonly DateTime At = ReportRows.At;

    protected abstract Task<HooklineStore> CreateStoreAsync(bool migrated = true);

    /// <summary>The provider's query plan for a query as text.</summary>
    protected abstract Task<string> PlanAsync(HooklineDbContext context, IQueryable<ReportRecord> query);

    /// <summary>Whether the plan reads the rows in order off the index (or, where the provider may pick another of them on a tiny table, one of the queue indexes) and sorts nothing.</summary>
    protected abstract bool ReadsInOrder(string plan, string index);

    private static Task<long> AddAsync(HooklineStore store, string name, string? assessment, int? risk, int hoursAgo, string? markedAs = null) =>
        ReportRows.AddAsync(store, report =>
        {
            report.ReceivedAt = At.AddHours(-hoursAgo);
            report.ReportedAt = At.AddHours(-hoursAgo);
            report.Status = assessment is null ? ReportStatus.Skipped : ReportStatus.Analysed;
            report.Subject = name;
            report.Assessment = assessment;
            report.Score = risk;
            report.MarkedAs = markedAs;
            report.MarkedBy = markedAs is null ? null : "analyst1";
            report.MarkedAt = markedAs is null ? null : At;
        });

    private static async Task<List<string>> SubjectsAsync(HooklineStore store, string? sort)
    {
        await using var context = store.CreateContext();
        return await new ReportQuery { Sort = sort }.Apply(context).Select(r => r.Subject!).ToListAsync();
    }

    private static async Task SeedAsync(HooklineStore store)
    {
        await AddAsync(store, "marked phishing 95", "phishing", 95, hoursAgo: 1, markedAs: ReviewVerdicts.Phishing);
        await AddAsync(store, "clean 5 new", "clean", 5, hoursAgo: 1);
        await AddAsync(store, "phishing 80", "phishing", 80, hoursAgo: 30);
        await AddAsync(store, "skipped", null, null, hoursAgo: 2);
        await AddAsync(store, "clean 28", "clean", 28, hoursAgo: 40);
        await AddAsync(store, "clean 5 old", "clean", 5, hoursAgo: 50);
        await AddAsync(store, "spam 40", "spam", 40, hoursAgo: 3);
        await AddAsync(store, "marked clean 0", "clean", 0, hoursAgo: 5, markedAs: ReviewVerdicts.NoThreatsFound);
    }

    [Fact]
    public async Task The_default_order_is_unmarked_first_then_the_highest_risk_then_the_newest()
    {
        var store = await CreateStoreAsync();
        await SeedAsync(store);

        Assert.Equal(
            ["phishing 80", "spam 40", "clean 28", "clean 5 new", "clean 5 old", "skipped", "marked phishing 95", "marked clean 0"],
            await SubjectsAsync(store, null));
        // An unknown sort is the default order too.
        Assert.Equal(await SubjectsAsync(store, null), await SubjectsAsync(store, "nonsense"));
    }

    [Fact]
    public async Task Under_a_sender_domain_the_default_order_is_the_same_written_so_no_index_walks_it()
    {
        var store = await CreateStoreAsync();
        await SeedAsync(store);
        await using var context = store.CreateContext();
        await context.Reports.ExecuteUpdateAsync(u => u.SetProperty(r => r.SenderAddress, "billing@deals.fabrikam.example"));

        var byDomain = await new ReportQuery { Sender = "deals.fabrikam.example" }.Apply(context).Select(r => r.Subject!).ToListAsync();

        Assert.Equal(await SubjectsAsync(store, null), byDomain);
    }

    [Theory]
    [InlineData(null, "IX_Reports_Queue")]
    [InlineData("userVerdict", "IX_Reports_UserVerdict_Queue")]
    [InlineData("assessment", "IX_Reports_Assessment_Queue")]
    [InlineData("markedAs", "IX_Reports_MarkedAs_Queue")]
    [InlineData("unmarked", "IX_Reports_Status_MarkedAs_Queue")]
    [InlineData("reporter", "IX_Reports_ReporterAddress_Queue")]
    public async Task The_default_order_is_read_off_its_index_not_sorted(string? filter, string index)
    {
        var store = await CreateStoreAsync();
        await SeedAsync(store);
        await using var context = store.CreateContext();
        var query = filter switch
        {
            "userVerdict" => new ReportQuery { UserVerdict = "junk" },
            "assessment" => new ReportQuery { Assessment = "clean" },
            "markedAs" => new ReportQuery { MarkedAs = ReviewVerdicts.Phishing },
            "unmarked" => new ReportQuery { Status = "unmarked" },
            "reporter" => new ReportQuery { Reporter = "casey@contoso.com" },
            _ => new ReportQuery(),
        };

        // The indexes are on exactly the order's expressions (the QueueIndex migration); were they to drift apart,
        // the plan would sort every match again.
        var plan = await PlanAsync(context, query.Apply(context).Skip(50).Take(50));

        Assert.True(ReadsInOrder(plan, index), plan);
    }

    [Fact]
    public async Task Sort_risk_and_its_old_name_score_put_the_highest_risk_first_and_the_minus_reverses_it()
    {
        var store = await CreateStoreAsync();
        await SeedAsync(store);

        var byRisk = await SubjectsAsync(store, "risk");
        var scored = byRisk.Where(s => s != "skipped").ToList();
        Assert.Equal(["marked phishing 95", "phishing 80", "spam 40", "clean 28"], scored.Take(4));
        Assert.Equal("marked clean 0", scored[^1]);
        Assert.Equal(byRisk, await SubjectsAsync(store, "score"));
        Assert.Equal(byRisk, await SubjectsAsync(store, "RISK"));
        var lowest = (await SubjectsAsync(store, "-risk")).Where(s => s != "skipped").ToList();
        Assert.Equal(Enumerable.Reverse(scored), lowest);
        Assert.Equal(lowest, (await SubjectsAsync(store, "-score")).Where(s => s != "skipped"));

        // The explicit orders of before are still there: reported is newest first.
        Assert.Equal(["clean 5 new", "marked phishing 95"], (await SubjectsAsync(store, "reported")).Take(2).Order(StringComparer.Ordinal));
        Assert.Equal("clean 5 old", (await SubjectsAsync(store, "reported"))[^1]);
    }

    [Fact]
    public async Task The_RiskScale_migration_clears_old_scale_scores_of_clean_and_spam_reports_and_keeps_the_rest()
    {
        var store = await CreateStoreAsync(migrated: false);
        await using (var context = store.CreateContext())
        {
            var previous = context.Database.GetMigrations().Single(m => m.EndsWith("_SearchIndex", StringComparison.Ordinal));
            await context.GetService<IMigrator>().MigrateAsync(previous);
            var rows = new (string Subject, string Assessment, int Score, string? Json)[]
            {
                // Before the risk: clean 100 meant "surely clean", spam scores ran to 100; phishing was the net phishing points already.
                ("old clean", "clean", 100, """{"assessment":{"verdict":"clean","score":100,"reasons":["x"]}}"""),
                ("old spam", "spam", 80, """{"assessment":{"verdict":"spam","score":80,"reasons":["x"]}}"""),
                ("old phishing", "phishing", 92, """{"assessment":{"verdict":"phishing","score":92,"reasons":["x"]}}"""),
                ("old clean, subject says risk", "clean", 90, """{"message":{"subject":"\"risk\": 3"},"assessment":{"verdict":"clean","score":90}}"""),
                ("new clean", "clean", 28, """{"assessment":{"verdict":"clean","score":28,"risk":28,"summary":"Clean, risk 28.","reasons":[],"matches":[]}}"""),
                ("new spam", "spam", 41, """{"assessment":{"verdict":"spam","score":41,"risk":41,"reasons":[]}}"""),
            };
            foreach (var (subject, assessment, score, json) in rows)
            {
                var content = Encoding.UTF8.GetBytes(subject);
                var sha = Convert.ToHexStringLower(SHA256.HashData(content));
                await context.Database.ExecuteSqlAsync($"""INSERT INTO "RawMessages" ("Sha256", "Content", "Size", "StoredAt") VALUES ({sha}, {content}, {(long)content.Length}, {At})""");
                await context.Database.ExecuteSqlAsync($"""
                    INSERT INTO "Reports" ("RawSha256", "Source", "SourceKey", "Size", "ReceivedAt", "StoredAt", "Status", "Attempts", "VerdictAssumed", "PipelineVersion", "Subject", "Assessment", "Score")
                    VALUES ({sha}, {"test"}, {sha}, {(long)content.Length}, {At}, {At}, {"Analysed"}, {1}, {false}, {1}, {subject}, {assessment}, {score})
                    """);
                await context.Database.ExecuteSqlAsync($"""INSERT INTO "ReportAnalyses" ("ReportId", "Json") SELECT "Id", {json} FROM "Reports" WHERE "RawSha256" = {sha}""");
            }
        }

        await store.MigrateAsync();

        await using var migrated = store.CreateContext();
        var scores = await migrated.Reports.AsNoTracking().ToDictionaryAsync(r => r.Subject!, r => r.Score);
        Assert.Null(scores["old clean"]);
        Assert.Null(scores["old spam"]);
        Assert.Null(scores["old clean, subject says risk"]);
        Assert.Equal(92, scores["old phishing"]);
        Assert.Equal(28, scores["new clean"]);
        Assert.Equal(41, scores["new spam"]);
        // The analyses themselves are untouched.
        Assert.Equal(6, await migrated.ReportAnalyses.CountAsync(a => a.Json != null && a.Json.Contains("\"score\":")));
    }
}

public sealed class SqliteListOrderTests : ListOrderBehaviour, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hookline-order-").FullName;

    protected override async Task<HooklineStore> CreateStoreAsync(bool migrated = true)
    {
        var store = new HooklineStore(StorageOptions.Sqlite(Path.Combine(_folder, Guid.NewGuid().ToString("N"))));
        if (migrated)
        {
            await store.MigrateAsync();
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(store.Options.ConnectionString).DataSource)!);
        }

        return store;
    }

    protected override async Task<string> PlanAsync(HooklineDbContext context, IQueryable<ReportRecord> query)
    {
        await context.Database.OpenConnectionAsync();
        await using var explain = query.CreateDbCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + explain.CommandText;
        var plan = new StringBuilder();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetString(3));
        }

        return plan.ToString();
    }

    protected override bool ReadsInOrder(string plan, string index) =>
        plan.Contains(index, StringComparison.Ordinal) && !plan.Contains("TEMP B-TREE", StringComparison.Ordinal);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}

public sealed class PostgresListOrderTests(SearchPostgres postgres) : ListOrderBehaviour, IClassFixture<SearchPostgres>
{
    protected override async Task<HooklineStore> CreateStoreAsync(bool migrated = true)
    {
        var store = new HooklineStore(StorageOptions.Postgres(postgres.CreateDatabase()));
        if (migrated)
        {
            await store.MigrateAsync();
        }

        return store;
    }

    protected override async Task<string> PlanAsync(HooklineDbContext context, IQueryable<ReportRecord> query)
    {
        // Sorting ruled out: the order can only come from an index that yields it.
        await context.Database.OpenConnectionAsync();
        await context.Database.ExecuteSqlRawAsync("SET enable_sort = off");
        await using var explain = query.CreateDbCommand();
        explain.CommandText = "EXPLAIN " + explain.CommandText;
        var plan = new StringBuilder();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.AppendLine(reader.GetString(0));
        }

        return plan.ToString();
    }

    // On a handful of rows PostgreSQL may read the unfiltered queue index and filter it: still in order, no sort.
    protected override bool ReadsInOrder(string plan, string index) =>
        plan.Contains("_Queue\"", StringComparison.Ordinal) && !plan.Contains("Sort", StringComparison.Ordinal);
}
