using System.Text;
using Hookline.Storage;
using Hookline.Storage.Model;
using Hookline.Testing.Servers;
using Hookline.Testing.Storage;
using Hookline.Web.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Hookline.Tests.Api;

/// <summary>
/// The list's search (<c>q</c>, <see cref="ReportSearch"/>) and the side table of analyses, checked the same way on
/// SQLite (FTS5 trigram index) and on a real PostgreSQL (pg_trgm): every word a case-blind substring of a field,
/// words ANDed, hostile input taken literally, the index kept in step when a report is reprocessed.
/// </summary>
public abstract class SearchBehaviour
{
    private static readonly DateTime At = ReportRows.At;

    protected abstract Task<HooklineStore> CreateStoreAsync();

    private sealed record Sample(long Mailbox, long Invoice, long Literal, long Unicode);

    private sealed record Fields
    {
        public string? Subject { get; init; }

        public string? ReporterName { get; init; }

        public string? ReporterAddress { get; init; }

        public string? SenderName { get; init; }

        public string? SenderAddress { get; init; }

        public string? NetworkMessageId { get; init; }

        public string? OriginalMessageId { get; init; }
    }

    private static async Task<Sample> SeedAsync(HooklineStore store) => new(
        await AddAsync(store, new Fields { Subject = "Your Mailbox is FULL", ReporterName = "Casey Jones", ReporterAddress = "casey@contoso.com", SenderName = "IT Desk", SenderAddress = "it@evil.example", NetworkMessageId = "49871234-6dc6-43e8-abcd-08d797f20abe", OriginalMessageId = "abc123@mail.evil.example" }),
        await AddAsync(store, new Fields { Subject = "Invoice 4471 overdue", ReporterName = "Avery Adams", ReporterAddress = "avery@contoso.com", SenderName = "Accounts", SenderAddress = "billing@deals.fabrikam.example", NetworkMessageId = "11112222-3333-4444-5555-666677778888", OriginalMessageId = "inv-4471@fabrikam.example" }),
        await AddAsync(store, new Fields { Subject = "50% off \"NEAR(you)\" -- subject:prize * (today", ReporterName = "Blake", ReporterAddress = "blake@contoso.com", SenderName = "Deals_Team", SenderAddress = "offers@shop.example", NetworkMessageId = "aaaa0000-bbbb-cccc-dddd-eeeeffff0000", OriginalMessageId = "x\\y@shop.example" }),
        await AddAsync(store, new Fields { Subject = "Überweisung fällig – 付款 📎", ReporterName = "Jördis Müller", ReporterAddress = "joerdis@contoso.com", SenderName = "Bank", SenderAddress = "kontakt@bank.example", NetworkMessageId = "99990000-1111-2222-3333-444455556666", OriginalMessageId = "u1@bank.example" }));

    private static Task<long> AddAsync(HooklineStore store, Fields fields) =>
        ReportRows.AddAsync(store, report =>
        {
            report.Subject = fields.Subject;
            report.ReporterName = fields.ReporterName;
            report.ReporterAddress = fields.ReporterAddress;
            report.SenderName = fields.SenderName;
            report.SenderAddress = fields.SenderAddress;
            report.NetworkMessageId = fields.NetworkMessageId;
            report.OriginalMessageId = fields.OriginalMessageId;
            report.AnalysisJson = "{\"message\":{\"subject\":" + System.Text.Json.JsonSerializer.Serialize(fields.Subject) + "}}";
        });

    private static async Task<List<long>> SearchAsync(HooklineStore store, string q)
    {
        await using var context = store.CreateContext();
        var query = new ReportQuery { Q = q, Sort = "subject" };
        var matches = query.Apply(context);
        var total = await matches.CountAsync();
        var ids = await matches.Select(r => r.Id).ToListAsync();
        Assert.Equal(total, ids.Count);
        return ids.Order().ToList();
    }

    [Fact]
    public async Task Search_finds_a_word_of_the_subject_case_blind()
    {
        var store = await CreateStoreAsync();
        var sample = await SeedAsync(store);

        Assert.Equal([sample.Mailbox], await SearchAsync(store, "mailbox"));
        Assert.Equal([sample.Mailbox], await SearchAsync(store, "MAILBOX full"));
        Assert.Equal([sample.Invoice], await SearchAsync(store, "nvoic"));
        Assert.Equal([sample.Invoice], await SearchAsync(store, "4471"));
        Assert.Equal([sample.Unicode], await SearchAsync(store, "Überweisung"));
        Assert.Equal([sample.Unicode], await SearchAsync(store, "付款"));
    }

    [Fact]
    public async Task Search_finds_addresses_domains_names_and_message_ids_by_any_part()
    {
        var store = await CreateStoreAsync();
        var sample = await SeedAsync(store);

        Assert.Equal([sample.Mailbox, sample.Invoice, sample.Literal, sample.Unicode], await SearchAsync(store, "contoso.com"));
        Assert.Equal([sample.Mailbox], await SearchAsync(store, "casey@contoso.com"));
        Assert.Equal([sample.Invoice], await SearchAsync(store, "fabrikam"));
        Assert.Equal([sample.Invoice], await SearchAsync(store, "billing@deals.fabrikam.example"));
        Assert.Equal([sample.Mailbox], await SearchAsync(store, "it@evil"));
        Assert.Equal([sample.Mailbox], await SearchAsync(store, "6dc6-43e8"));
        Assert.Equal([sample.Mailbox], await SearchAsync(store, "49871234-6dc6-43e8-abcd-08d797f20abe"));
        Assert.Equal([sample.Invoice], await SearchAsync(store, "inv-4471@"));
        Assert.Equal([sample.Unicode], await SearchAsync(store, "Jördis"));
        Assert.Equal([sample.Mailbox], await SearchAsync(store, "desk"));
    }

    [Fact]
    public async Task Every_word_must_match_though_each_may_match_another_field()
    {
        var store = await CreateStoreAsync();
        var sample = await SeedAsync(store);

        Assert.Equal([sample.Mailbox], await SearchAsync(store, "casey mailbox evil.example"));
        Assert.Equal([sample.Invoice], await SearchAsync(store, "contoso  overdue\tavery"));
        Assert.Empty(await SearchAsync(store, "casey invoice"));
        Assert.Empty(await SearchAsync(store, "nothing-like-this"));
    }

    [Fact]
    public async Task Words_shorter_than_three_characters_are_still_substrings()
    {
        var store = await CreateStoreAsync();
        var sample = await SeedAsync(store);

        Assert.Equal([sample.Mailbox], await SearchAsync(store, "it"));
        Assert.Equal([sample.Mailbox], await SearchAsync(store, "IT mailbox"));
        Assert.Equal([sample.Unicode], await SearchAsync(store, "ü"));
        Assert.Equal([sample.Literal], await SearchAsync(store, "%"));
        Assert.Equal([sample.Literal], await SearchAsync(store, "_"));
        Assert.Equal([sample.Literal], await SearchAsync(store, "\\"));
        Assert.Equal([sample.Unicode], await SearchAsync(store, "📎"));
    }

    [Fact]
    public async Task Query_syntax_in_the_words_is_taken_literally()
    {
        var store = await CreateStoreAsync();
        var sample = await SeedAsync(store);

        Assert.Equal([sample.Literal], await SearchAsync(store, "\"NEAR(you)\""));
        Assert.Equal([sample.Literal], await SearchAsync(store, "NEAR(you"));
        Assert.Equal([sample.Literal], await SearchAsync(store, "subject:prize"));
        Assert.Equal([sample.Literal], await SearchAsync(store, "50% --"));
        Assert.Equal([sample.Literal], await SearchAsync(store, "(today"));
        Assert.Equal([sample.Literal], await SearchAsync(store, "Deals_Team"));
        Assert.Equal([sample.Literal], await SearchAsync(store, "x\\y@"));
        Assert.Empty(await SearchAsync(store, "Deals%Team"));
        Assert.Empty(await SearchAsync(store, "mail*"));
        Assert.Empty(await SearchAsync(store, "mailbox OR invoice"));
        Assert.Empty(await SearchAsync(store, "-casey"));
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"\"\"")]
    [InlineData("*")]
    [InlineData("NEAR(")]
    [InlineData("NEAR(a b, 3)")]
    [InlineData("-")]
    [InlineData("subject:")]
    [InlineData("Text:mailbox")]
    [InlineData("(((")]
    [InlineData(")")]
    [InlineData("AND")]
    [InlineData("OR NOT")]
    [InlineData("^mailbox")]
    [InlineData("{Text}: x")]
    [InlineData("'; DROP TABLE \"Reports\"; --")]
    [InlineData("\0")]
    [InlineData("a\0bc")]
    [InlineData("\ud800")]
    [InlineData("𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ｆｕｌｌｗｉｄｔｈ")]
    public async Task Hostile_search_strings_answer_without_error(string q)
    {
        var store = await CreateStoreAsync();
        await SeedAsync(store);

        var found = await SearchAsync(store, q);

        Assert.True(found.Count <= 4);
        await using var context = store.CreateContext();
        Assert.Equal(4, await context.Reports.CountAsync());
    }

    [Fact]
    public async Task Ten_kilobytes_of_search_text_answer_without_error()
    {
        var store = await CreateStoreAsync();
        var sample = await SeedAsync(store);

        Assert.Empty(await SearchAsync(store, new string('a', 10_000)));
        Assert.Empty(await SearchAsync(store, string.Concat(Enumerable.Repeat("mailbox\" NEAR( * ", 600))));
        Assert.Equal([sample.Mailbox], await SearchAsync(store, "mailbox " + string.Join(' ', Enumerable.Repeat("casey", 2000))));
    }

    [Fact]
    public async Task Reprocessing_rewrites_the_analysis_and_the_search_index_in_step()
    {
        var store = await CreateStoreAsync();
        var sample = await SeedAsync(store);

        Assert.Equal(4, await Reprocessing.QueueAsync(store, "test", null, default));
        var queue = new WorkQueue(store, "w1", TimeSpan.FromMinutes(1));
        var claimed = await queue.ClaimAsync(10, default);
        Assert.Equal(4, claimed.Count);
        var results = claimed.Select(c => new ProcessingResult
        {
            ReportId = c.Id,
            Status = c.Id == sample.Literal ? ReportStatus.Failed : ReportStatus.Analysed,
            Subject = c.Id == sample.Literal ? null : $"Rebuilt subject {c.Id}",
            ReporterAddress = "casey@contoso.com",
            SenderAddress = c.Id == sample.Invoice ? "new@sender.example" : null,
            AnalysisJson = c.Id == sample.Literal ? null : $$"""{"rebuilt":{{c.Id}}}""",
            Error = c.Id == sample.Literal ? "broken" : null,
        }).ToList();
        Assert.Equal(4, await queue.CompleteAsync(results, default));

        Assert.Empty(await SearchAsync(store, "mailbox"));
        Assert.Empty(await SearchAsync(store, "fabrikam"));
        Assert.Equal([sample.Mailbox, sample.Invoice, sample.Unicode], await SearchAsync(store, "rebuilt subject"));
        Assert.Equal([sample.Invoice], await SearchAsync(store, "new@sender"));
        Assert.Equal([sample.Mailbox, sample.Invoice, sample.Literal, sample.Unicode], await SearchAsync(store, "casey@contoso"));
        await using var context = store.CreateContext();
        Assert.Equal(4, await context.ReportAnalyses.CountAsync());
        var reports = await context.Reports.AsNoTracking().ToDictionaryAsync(r => r.Id);
        Assert.Equal($$"""{"rebuilt":{{sample.Invoice}}}""", reports[sample.Invoice].AnalysisJson);
        Assert.Null(reports[sample.Literal].AnalysisJson);
    }

    [Fact]
    public async Task A_deleted_report_leaves_the_search_index_and_takes_its_analysis()
    {
        var store = await CreateStoreAsync();
        var sample = await SeedAsync(store);

        await using (var context = store.CreateContext())
        {
            await context.Reports.Where(r => r.Id == sample.Invoice).ExecuteDeleteAsync();
        }

        Assert.Empty(await SearchAsync(store, "invoice"));
        await using var check = store.CreateContext();
        Assert.Equal(3, await check.ReportAnalyses.CountAsync());
    }

    [Fact]
    public async Task The_list_leaves_the_analysis_out_and_a_report_brings_it()
    {
        var store = await CreateStoreAsync();
        var sample = await SeedAsync(store);

        await using var context = store.CreateContext();
        var listed = await new ReportQuery().Apply(context).ToListAsync();
        Assert.Equal(4, listed.Count);
        Assert.All(listed, r => Assert.Null(r.Analysis));
        var one = await context.Reports.AsNoTracking().SingleAsync(r => r.Id == sample.Mailbox);
        Assert.Equal("""{"message":{"subject":"Your Mailbox is FULL"}}""", one.AnalysisJson);
    }

    [Fact]
    public async Task An_existing_store_keeps_every_analysis_through_the_SearchIndex_migration()
    {
        var store = await CreateStoreAsync(migrated: false);
        await using (var context = store.CreateContext())
        {
            var migrator = context.GetService<IMigrator>();
            var previous = context.Database.GetMigrations().Single(m => m.EndsWith("_ListIndexes", StringComparison.Ordinal));
            await migrator.MigrateAsync(previous);
            var stored = At;
            for (var i = 0; i < 3; i++)
            {
                var sha = new string((char)('a' + i), 64);
                var content = new byte[] { (byte)i };
                var json = i == 2 ? null : $$"""{"analysis":{{i}},"text":"ünïcode \"quoted\""}""";
                await context.Database.ExecuteSqlAsync($"""INSERT INTO "RawMessages" ("Sha256", "Content", "Size", "StoredAt") VALUES ({sha}, {content}, {1L}, {stored})""");
                await context.Database.ExecuteSqlAsync($"""
                    INSERT INTO "Reports" ("RawSha256", "Source", "SourceKey", "Size", "ReceivedAt", "StoredAt", "Status", "Attempts", "VerdictAssumed", "PipelineVersion", "Subject", "SenderAddress", "AnalysisJson")
                    VALUES ({sha}, {"test"}, {sha}, {1L}, {stored}, {stored}, {"Analysed"}, {1}, {false}, {1}, {$"Legacy report {i}"}, {"old@sender.example"}, {json})
                    """);
            }
        }

        await store.MigrateAsync();

        await using var migrated = store.CreateContext();
        var reports = await migrated.Reports.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(["""{"analysis":0,"text":"ünïcode \"quoted\""}""", """{"analysis":1,"text":"ünïcode \"quoted\""}""", null], reports.Select(r => r.AnalysisJson));
        Assert.Equal(2, await migrated.ReportAnalyses.CountAsync());
        Assert.Equal(reports.Select(r => r.Id), await SearchAsync(store, "legacy old@sender"));
        Assert.Equal([reports[1].Id], await SearchAsync(store, "report 1"));
        await AddAsync(store, new Fields { Subject = "After the upgrade" });
        Assert.Single(await SearchAsync(store, "upgrade"));
    }

    protected abstract Task<HooklineStore> CreateStoreAsync(bool migrated);
}

public sealed class SqliteSearchTests : SearchBehaviour, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hookline-search-").FullName;

    protected override Task<HooklineStore> CreateStoreAsync() => CreateStoreAsync(migrated: true);

    protected override async Task<HooklineStore> CreateStoreAsync(bool migrated)
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

/// <summary>One real PostgreSQL cluster for the class's tests, a new database per test.</summary>
public sealed class SearchPostgres : IDisposable
{
    private readonly Lazy<PostgresServer> _server = new(PostgresServer.Start);

    public string CreateDatabase() => _server.Value.CreateDatabase();

    public void Dispose()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}

public sealed class PostgresSearchTests(SearchPostgres postgres) : SearchBehaviour, IClassFixture<SearchPostgres>
{
    protected override Task<HooklineStore> CreateStoreAsync() => CreateStoreAsync(migrated: true);

    protected override async Task<HooklineStore> CreateStoreAsync(bool migrated)
    {
        var store = new HooklineStore(StorageOptions.Postgres(postgres.CreateDatabase()));
        if (migrated)
        {
            await store.MigrateAsync();
        }

        return store;
    }

    [Fact]
    public async Task The_search_index_is_there_and_serves_the_search()
    {
        var store = await CreateStoreAsync();
        await using var context = store.CreateContext();
        var index = await context.Database.SqlQuery<string>($"""SELECT indexdef AS "Value" FROM pg_indexes WHERE indexname = 'IX_Reports_Search'""").SingleAsync();
        Assert.Contains("gin_trgm_ops", index, StringComparison.Ordinal);

        // With sequential scans ruled out, the search's plan must go through the trigram index: the query's
        // expression is the index's (ReportSearch.PostgresText).
        await context.Database.OpenConnectionAsync();
        await context.Database.ExecuteSqlRawAsync("SET enable_seqscan = off");
        var sql = new ReportQuery { Q = "mailbox" }.Apply(context).ToQueryString();
        await using var explain = context.Database.GetDbConnection().CreateCommand();
        explain.CommandText = "EXPLAIN " + sql[sql.IndexOf("SELECT", StringComparison.Ordinal)..].Replace("@p0", "'%mailbox%'", StringComparison.Ordinal);
        var plan = new StringBuilder();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(0));
            }
        }

        Assert.Contains("IX_Reports_Search", plan.ToString(), StringComparison.Ordinal);
    }
}
