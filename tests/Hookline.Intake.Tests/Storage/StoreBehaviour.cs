using System.Security.Cryptography;
using System.Text;
using Hookline.Intake.Demo;
using Hookline.Intake.Filters;
using Hookline.Intake.Processing;
using Hookline.Intake.Sources;
using Hookline.Intake.Storage;
using Hookline.Reports.Pipeline;
using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hookline.Intake.Tests.Storage;

/// <summary>The store's promises, checked on both providers: verbatim raw bytes, exactly-once intake, the work queue, the audit trail.</summary>
public abstract class StoreBehaviour(IStoreFactory factory)
{
    private static readonly string[] UserVerdicts = ["phishing", "junk", "notJunk"];

    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_report_is_stored_verbatim_by_its_hash_with_a_received_entry()
    {
        var store = await factory.CreateAsync();
        var raw = DemoReports.Generate(1, 1, Now).Single();
        var sink = Sink(store);

        var receipts = await sink.AcceptAsync([Incoming(raw, "INBOX;UID=1")], default);

        Assert.Equal(IntakeOutcome.Stored, receipts[0].Outcome);
        await using var context = store.CreateContext();
        var report = await context.Reports.SingleAsync();
        Assert.Equal(receipts[0].ReportId, report.Id);
        Assert.Equal(ReportStatus.Received, report.Status);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(raw)), report.RawSha256);
        Assert.Equal(raw, (await context.RawMessages.SingleAsync()).Content);
        var audit = await context.AuditEvents.SingleAsync();
        Assert.Equal((AuditActions.Received, report.Id, "INBOX;UID=1", "source:test"), (audit.Action, audit.ReportId!.Value, audit.Detail, audit.Actor));
    }

    [Fact]
    public async Task The_same_bytes_twice_are_one_report_and_a_duplicate_entry()
    {
        var store = await factory.CreateAsync();
        var raw = DemoReports.Generate(1, 2, Now).Single();
        var sink = Sink(store);

        var first = await sink.AcceptAsync([Incoming(raw, "a"), Incoming(raw, "b")], default);
        var second = await sink.AcceptAsync([Incoming(raw, "c")], default);

        Assert.Equal([IntakeOutcome.Stored, IntakeOutcome.Duplicate], first.Select(r => r.Outcome));
        Assert.Equal(IntakeOutcome.Duplicate, second[0].Outcome);
        Assert.All(first.Concat(second), r => Assert.Equal(first[0].ReportId, r.ReportId));
        await using var context = store.CreateContext();
        Assert.Equal(1, await context.Reports.CountAsync());
        Assert.Equal(1, await context.RawMessages.CountAsync());
        Assert.Equal(["received a", "duplicate b", "duplicate c"], await context.AuditEvents.OrderBy(a => a.Id).Select(a => a.Action + " " + a.Detail).ToListAsync());
    }

    [Fact]
    public async Task A_redelivery_with_other_trace_headers_is_the_same_report()
    {
        var store = await factory.CreateAsync();
        var raw = DemoReports.Generate(1, 3, Now).Single();
        var copy = Encoding.UTF8.GetBytes("Received: from relay.contoso.com by ir.contoso.com; Fri, 20 Nov 2026 12:00:00 +0000\r\nDelivered-To: ir@contoso.com\r\n").Concat(raw).ToArray();
        var sink = Sink(store);

        var receipts = await sink.AcceptAsync([Incoming(raw, "reports"), Incoming(copy, "ir")], default);
        var later = await sink.AcceptAsync([Incoming(copy, "ir-again")], default);

        Assert.Equal([IntakeOutcome.Stored, IntakeOutcome.Duplicate], receipts.Select(r => r.Outcome));
        Assert.Equal(IntakeOutcome.Duplicate, later[0].Outcome);
        await using var context = store.CreateContext();
        Assert.Equal(1, await context.Reports.CountAsync());
        // Only trace headers differ: a plain duplicate, not a different message.
        Assert.Equal(["received reports", "duplicate ir", "duplicate ir-again"], await context.AuditEvents.OrderBy(a => a.Id).Select(a => a.Action + " " + a.Detail).ToListAsync());
    }

    [Fact]
    public async Task Other_content_under_a_stored_sender_and_Message_ID_is_counted_as_that_report_and_audited_as_different()
    {
        var store = await factory.CreateAsync();
        var raw = DemoReports.Generate(1, 13, Now).Single();
        // A truncated copy (a half-written file) and an edited one: same From and Message-ID, other bytes.
        var truncated = raw[..(raw.Length * 2 / 3)];
        var text = Encoding.UTF8.GetString(raw);
        var edited = Encoding.UTF8.GetBytes(text[..^40] + new string('z', 40));
        Assert.Equal(EnvelopeIdentity.Compute(raw), EnvelopeIdentity.Compute(edited));
        var sink = Sink(store);

        var first = await sink.AcceptAsync([Incoming(truncated, "half"), Incoming(raw, "whole")], default);
        var second = await sink.AcceptAsync([Incoming(edited, "edited")], default);

        Assert.Equal([IntakeOutcome.Stored, IntakeOutcome.Duplicate], first.Select(r => r.Outcome));
        Assert.Equal(IntakeOutcome.Duplicate, second[0].Outcome);
        await using var context = store.CreateContext();
        Assert.Equal(1, await context.Reports.CountAsync());
        Assert.Equal(truncated, (await context.RawMessages.SingleAsync()).Content);
        var audit = await context.AuditEvents.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal([AuditActions.Received, AuditActions.DuplicateDiffers, AuditActions.DuplicateDiffers], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal(first[0].ReportId, a.ReportId));
        Assert.Equal(
            $"whole: same sender and Message-ID as this report, other content (sha256 {Convert.ToHexStringLower(SHA256.HashData(raw))}, {raw.Length} bytes); counted as this report, not stored",
            audit[1].Detail);
        Assert.StartsWith($"edited: same sender and Message-ID as this report, other content (sha256 {Convert.ToHexStringLower(SHA256.HashData(edited))}", audit[2].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Different_reports_are_different_even_from_one_reporter()
    {
        var store = await factory.CreateAsync();
        var raws = DemoReports.Generate(20, 4, Now).ToList();

        var receipts = await Sink(store).AcceptAsync(raws.Select((r, i) => Incoming(r, $"UID={i}")).ToList(), default);

        Assert.All(receipts, r => Assert.Equal(IntakeOutcome.Stored, r.Outcome));
        Assert.Equal(20, receipts.Select(r => r.ReportId).Distinct().Count());
    }

    [Fact]
    public async Task Workers_analyse_received_reports_and_record_what_they_found()
    {
        var store = await factory.CreateAsync();
        await Sink(store).AcceptAsync(DemoReports.Generate(10, 5, Now).Select((r, i) => Incoming(r, $"UID={i}")).ToList(), default);
        var processor = Processor(store, "w1", IntakeFilter.None);

        var processed = await processor.DrainAsync(null, default);

        Assert.Equal(10, processed);
        await using var context = store.CreateContext();
        var reports = await context.Reports.AsNoTracking().ToListAsync();
        Assert.All(reports, r =>
        {
            Assert.Equal(ReportStatus.Analysed, r.Status);
            Assert.EndsWith("@contoso.com", r.ReporterAddress, StringComparison.Ordinal);
            Assert.Contains(r.UserVerdict, UserVerdicts);
            Assert.NotNull(r.Subject);
            Assert.NotNull(r.Assessment);
            Assert.Contains("\"userVerdict\"", r.AnalysisJson, StringComparison.Ordinal);
            Assert.Null(r.LeaseOwner);
        });
        Assert.Equal(10, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Analysed));
        Assert.Equal(0, await processor.DrainAsync(null, default));
    }

    [Fact]
    public async Task A_filtered_report_is_skipped_with_its_reason_not_dropped()
    {
        var store = await factory.CreateAsync();
        await Sink(store).AcceptAsync(DemoReports.Generate(30, 6, Now).Select((r, i) => Incoming(r, $"UID={i}")).ToList(), default);
        var filter = new IntakeFilter { UserVerdicts = ["phishing"], ReporterDomains = ["contoso.com"] };

        await Processor(store, "w1", filter).DrainAsync(null, default);

        await using var context = store.CreateContext();
        var reports = await context.Reports.AsNoTracking().ToListAsync();
        Assert.Equal(30, reports.Count);
        Assert.All(reports.Where(r => r.UserVerdict == "phishing"), r => Assert.Equal(ReportStatus.Analysed, r.Status));
        var skipped = reports.Where(r => r.UserVerdict != "phishing").ToList();
        Assert.NotEmpty(skipped);
        Assert.All(skipped, r =>
        {
            Assert.Equal(ReportStatus.Skipped, r.Status);
            Assert.StartsWith("user verdict ", r.SkipReason, StringComparison.Ordinal);
        });
        Assert.Equal(skipped.Count, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Skipped));
    }

    [Theory]
    [InlineData("binary", "not a mail message: binary data, no header fields")]
    [InlineData("empty", "empty file")]
    [InlineData("text", "not a mail message: no header fields")]
    public async Task Input_that_is_not_mail_is_kept_raw_and_failed_with_the_reason_never_given_a_verdict(string kind, string reason)
    {
        var store = await factory.CreateAsync();
        var garbage = new byte[5000];
        new Random(7).NextBytes(garbage);
        var raw = kind switch
        {
            "binary" => garbage,
            "empty" => [],
            _ => Encoding.UTF8.GetBytes("Hi all,\r\nthe printer on floor 3 is out of toner again.\r\n"),
        };
        await Sink(store).AcceptAsync([Incoming(raw, kind)], default);

        await Processor(store, "w1", IntakeFilter.None).DrainAsync(null, default);

        await using var context = store.CreateContext();
        var report = await context.Reports.AsNoTracking().SingleAsync();
        Assert.Equal((ReportStatus.Failed, reason), (report.Status, report.Error));
        Assert.Null(report.Assessment);
        Assert.Null(report.ReporterAddress);
        Assert.Equal(raw, (await context.RawMessages.SingleAsync()).Content);
        Assert.Equal(reason, (await context.AuditEvents.SingleAsync(a => a.Action == AuditActions.Failed)).Detail);
    }

    [Fact]
    public async Task A_lease_keeps_other_workers_off_until_it_expires_and_a_late_result_is_dropped()
    {
        var store = await factory.CreateAsync();
        await Sink(store).AcceptAsync(DemoReports.Generate(3, 8, Now).Select((r, i) => Incoming(r, $"UID={i}")).ToList(), default);
        var slow = new WorkQueue(store, "slow", TimeSpan.FromMilliseconds(300));
        var other = new WorkQueue(store, "other", TimeSpan.FromMinutes(5));

        var claimed = await slow.ClaimAsync(10, default);
        Assert.Equal(3, claimed.Count);
        Assert.Empty(await other.ClaimAsync(10, default));

        await Task.Delay(600);
        var reclaimed = await other.ClaimAsync(10, default);
        Assert.Equal(claimed.Select(c => c.Id), reclaimed.Select(c => c.Id));
        Assert.All(reclaimed, c => Assert.Equal(2, c.Attempts));

        var late = claimed.Select(c => new ProcessingResult { ReportId = c.Id, Status = ReportStatus.Analysed, Subject = "late" }).ToList();
        Assert.Equal(0, await slow.CompleteAsync(late, default));
        var onTime = reclaimed.Select(c => new ProcessingResult { ReportId = c.Id, Status = ReportStatus.Analysed, Subject = "on time" }).ToList();
        Assert.Equal(3, await other.CompleteAsync(onTime, default));

        await using var context = store.CreateContext();
        Assert.All(await context.Reports.AsNoTracking().ToListAsync(), r => Assert.Equal("on time", r.Subject));
    }

    [Fact]
    public async Task A_renewed_lease_keeps_the_batch_and_a_lost_one_cannot_be_renewed()
    {
        var store = await factory.CreateAsync();
        await Sink(store).AcceptAsync(DemoReports.Generate(2, 11, Now).Select((r, i) => Incoming(r, $"UID={i}")).ToList(), default);
        var busy = new WorkQueue(store, "busy", TimeSpan.FromMilliseconds(400));
        var other = new WorkQueue(store, "other", TimeSpan.FromMinutes(5));
        var ids = (await busy.ClaimAsync(10, default)).Select(c => c.Id).ToList();
        Assert.Equal(2, ids.Count);

        // Renewed well past the first lease: still the busy worker's.
        for (var i = 0; i < 4; i++)
        {
            await Task.Delay(150);
            Assert.Equal(2, await busy.RenewAsync(ids, default));
        }

        Assert.Empty(await other.ClaimAsync(10, default));

        // Once it runs out and another worker claims the batch, the first can no longer renew it.
        await Task.Delay(800);
        Assert.Equal(2, (await other.ClaimAsync(10, default)).Count);
        Assert.Equal(0, await busy.RenewAsync(ids, default));
        await using var context = store.CreateContext();
        Assert.All(await context.Reports.AsNoTracking().ToListAsync(), r => Assert.Equal("other", r.LeaseOwner));
    }

    [Fact]
    public async Task A_report_that_keeps_killing_its_worker_ends_failed_with_raw_kept()
    {
        var store = await factory.CreateAsync();
        await Sink(store).AcceptAsync([Incoming(DemoReports.Generate(1, 9, Now).Single(), "UID=1")], default);
        for (var i = 0; i < WorkQueue.MaxAttempts; i++)
        {
            var dying = new WorkQueue(store, $"dying-{i}", TimeSpan.FromMilliseconds(1));
            Assert.Single(await dying.ClaimAsync(10, default));
            await Task.Delay(20);
        }

        Assert.Empty(await new WorkQueue(store, "next", TimeSpan.FromMinutes(1)).ClaimAsync(10, default));

        await using var context = store.CreateContext();
        var report = await context.Reports.AsNoTracking().SingleAsync();
        Assert.Equal(ReportStatus.Failed, report.Status);
        Assert.Contains("did not finish after 3 attempts", report.Error, StringComparison.Ordinal);
        Assert.Equal(1, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Failed));
        Assert.Equal(1, await context.RawMessages.CountAsync());
    }

    [Fact]
    public async Task Cursors_are_stored_replaced_and_removed()
    {
        var store = await factory.CreateAsync();
        var cursors = new StoreCursorStore(new CursorStore(store));

        Assert.Null(await cursors.GetAsync("imap:reports:INBOX:uidvalidity", default));
        await cursors.SetAsync("imap:reports:INBOX:uidvalidity", "1700000000", default);
        await cursors.SetAsync("imap:reports:INBOX:uidvalidity", "1700000001", default);
        Assert.Equal("1700000001", await cursors.GetAsync("imap:reports:INBOX:uidvalidity", default));
        await cursors.SetAsync("imap:reports:INBOX:uidvalidity", null, default);
        Assert.Null(await cursors.GetAsync("imap:reports:INBOX:uidvalidity", default));
    }

    internal static IncomingReport Incoming(byte[] raw, string key) => new("test", key, raw, Now);

    internal static StoreReportSink Sink(HooklineStore store) => new(new IntakeWriter(store));

    internal static ReportProcessor Processor(HooklineStore store, string owner, IntakeFilter filter) =>
        new(new WorkQueue(store, owner, TimeSpan.FromMinutes(5)), ReportAnalyzer.Default, filter, NullLogger.Instance);
}

public sealed class SqliteStoreBehaviour(SqliteStoreFactory factory) : StoreBehaviour(factory), IClassFixture<SqliteStoreFactory>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreBehaviour(PostgresStoreFactory factory) : StoreBehaviour(factory);
