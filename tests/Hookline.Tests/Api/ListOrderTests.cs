using System.Security.Cryptography;
using System.Text;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Hookline.Tests.Api;

/// <summary>
/// The <c>RiskScale</c> migration, the same on SQLite and on a real PostgreSQL: old-scale scores of clean and
/// spam reports cleared, the rest kept.
/// </summary>
public abstract class ListOrderBehaviour
{
    private static readonly DateTime At = new(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc);

    protected abstract Task<HooklineStore> CreateStoreAsync(bool migrated = true);

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
}
