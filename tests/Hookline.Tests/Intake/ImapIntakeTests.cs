using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Hookline.Imap;
using Hookline.Intake.Demo;
using Hookline.Storage;
using Hookline.Storage.Model;
using Hookline.Testing.Servers;
using Microsoft.EntityFrameworkCore;

[assembly: SupportedOSPlatform("linux")]

namespace Hookline.Tests.Intake;

/// <summary>One real Dovecot for the IMAP intake tests; each test uses its own user.</summary>
public sealed class DovecotForIntake : IAsyncLifetime
{
    public DovecotServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await DovecotServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The fault list, end to end: reports in a real Dovecot mailbox taken in by real
/// `hookline serve` processes over IMAP, killed between fetch and commit and between commit and move,
/// with duplicate deliveries, malformed and 50 MB messages, and a mailbox whose UIDVALIDITY changed.
/// Every report ends present exactly once, bad input kept raw with its outcome.
/// </summary>
public sealed class ImapIntakeTests(DovecotForIntake dovecot) : IClassFixture<DovecotForIntake>, IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("hookline-imap-intake-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private (string Data, string User) Setup(string folder = "INBOX")
    {
        var user = dovecot.Server.AddUser("secret");
        var data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "hookline.yaml"), $"""
            workers:
              leaseSeconds: 2
            sources:
              - type: imap
                name: reports
                host: 127.0.0.1
                port: {dovecot.Server.ImapPort}
                security: none
                user: {user}
                password: secret
                folder: {folder}
                processedFolder: Processed
                pollSeconds: 1
            """);
        return (data, user);
    }

    private async Task<ImapClient> LoginAsync(string user)
    {
        var client = new ImapClient(new ImapClientOptions { CommandTimeout = TimeSpan.FromSeconds(120) });
        await client.ConnectAsync(dovecot.Server.Host, dovecot.Server.ImapPort, ImapSecurity.None);
        await client.LoginAsync(user, "secret");
        return client;
    }

    private async Task AppendAsync(string user, string folder, IEnumerable<byte[]> messages)
    {
        await using var client = await LoginAsync(user);
        await client.CreateAsync(folder);
        await client.AppendAsync(folder, messages.Select(m => new ImapAppendMessage(m)).ToList());
    }

    private async Task<uint> CountAsync(string user, string folder)
    {
        await using var client = await LoginAsync(user);
        await client.CreateAsync(folder);
        return (await client.ExamineAsync(folder)).Exists;
    }

    private static HooklineProcess Serve(string data, string? fault = null) => HooklineProcess.Start(
        fault is null ? null : new Dictionary<string, string> { ["HOOKLINE_FAULT_AT"] = fault }, "serve", "--data", data, "--urls", "http://127.0.0.1:0");

    private async Task ServeUntilAsync(string data, string user, string folder, int reports)
    {
        var store = new HooklineStore(StorageOptions.Sqlite(data));
        using var server = Serve(data);
        await CrashRecoveryTests.WaitUntilAsync(
            async () => await CountAsync(user, folder) == 0 && (await CrashRecoveryTests.CountAsync(store)).Reports == reports && await PendingAsync(store) == 0,
            server);
    }

    private static async Task<int> PendingAsync(HooklineStore store)
    {
        await using var context = store.CreateContext();
        return await context.Reports.CountAsync(r => r.Status == ReportStatus.Received);
    }

    [Theory]
    [InlineData("imap.after-fetch")]
    [InlineData("imap.after-commit")]
    public async Task Killed_between_fetch_commit_and_move_every_report_ends_stored_once(string faultPoint)
    {
        var (data, user) = Setup();
        await AppendAsync(user, "INBOX", DemoReports.Generate(20, 1, Now));

        using (var crashing = Serve(data, faultPoint))
        {
            Assert.True(crashing.WaitForExit(TimeSpan.FromSeconds(60)), "the fault point was never reached:\n" + crashing.Output);
        }

        var store = new HooklineStore(StorageOptions.Sqlite(data));
        Assert.Equal(faultPoint == "imap.after-fetch" ? 0 : 20, (await CrashRecoveryTests.CountAsync(store)).Reports);
        Assert.Equal(20u, await CountAsync(user, "INBOX"));

        await ServeUntilAsync(data, user, "INBOX", 20);

        Assert.Equal(20u, await CountAsync(user, "Processed"));
        await using var context = store.CreateContext();
        Assert.Equal(20, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Received));
        Assert.Equal(faultPoint == "imap.after-commit" ? 20 : 0, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Duplicate));
    }

    [Fact]
    public async Task Duplicate_deliveries_and_a_transport_rule_copy_are_one_report()
    {
        var (data, user) = Setup();
        var report = DemoReports.Generate(1, 2, Now).Single();
        var copy = Encoding.UTF8.GetBytes("Received: from ex1.contoso.com by ir.contoso.com; Fri, 20 Nov 2026 12:00:01 +0000\r\n").Concat(report).ToArray();
        await AppendAsync(user, "INBOX", [report, report, copy]);

        await ServeUntilAsync(data, user, "INBOX", 1);

        var store = new HooklineStore(StorageOptions.Sqlite(data));
        await using var context = store.CreateContext();
        Assert.Equal(2, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Duplicate));
    }

    [Fact]
    public async Task Malformed_and_50_MB_messages_are_kept_raw_with_their_outcome()
    {
        var (data, user) = Setup();
        var garbage = new byte[20_000];
        new Random(5).NextBytes(garbage);
        var broken = Encoding.UTF8.GetBytes("From: =?utf-8?B?broken\r\nContent-Type: multipart/mixed; boundary=\"x\r\nSubject: \xff\xfe\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\n--x\r\n");
        var large = LargeReport(50 * 1024 * 1024);
        await AppendAsync(user, "INBOX", [garbage, broken, large]);

        await ServeUntilAsync(data, user, "INBOX", 3);

        var store = new HooklineStore(StorageOptions.Sqlite(data));
        await using var context = store.CreateContext();
        var reports = await context.Reports.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
        Assert.All(reports, r => Assert.True(r.Status is ReportStatus.Analysed or ReportStatus.Failed, $"{r.Id}: {r.Status}"));
        Assert.All(reports.Where(r => r.Status == ReportStatus.Failed), r => Assert.False(string.IsNullOrEmpty(r.Error)));
        // Dovecot stores bare CR/LF as CRLF, so compare with what it serves, read back from the processed folder.
        await using (var client = await LoginAsync(user))
        {
            await client.SelectAsync("Processed");
            var delivered = await client.FetchMessagesAsync(await client.UidSearchAllAsync());
            Assert.Equal(3, delivered.Count);
            foreach (var message in delivered)
            {
                var hash = Convert.ToHexStringLower(SHA256.HashData(message.Body));
                var raw = await context.RawMessages.AsNoTracking().SingleAsync(r => r.Sha256 == hash);
                Assert.Equal(message.Body, raw.Content);
            }
        }

        var big = reports.Single(r => r.Size > 50_000_000);
        Assert.Equal(ReportStatus.Analysed, big.Status);
        Assert.Contains("\"fileName\":\"backup.bin\"", big.AnalysisJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_whose_UIDVALIDITY_changed_still_gives_each_report_once()
    {
        var (data, user) = Setup("Reports");
        var first = DemoReports.Generate(10, 3, Now).ToList();
        await AppendAsync(user, "Reports", first);
        using (var crashing = Serve(data, "imap.after-commit"))
        {
            Assert.True(crashing.WaitForExit(TimeSpan.FromSeconds(60)), crashing.Output);
        }

        // The mailbox is rebuilt (as after a migration or restore): same messages, new UIDs and UIDVALIDITY, plus new ones.
        await using (var client = await LoginAsync(user))
        {
            var before = (await client.ExamineAsync("Reports")).UidValidity;
            await client.SelectAsync("INBOX");
            await client.DeleteAsync("Reports");
            await client.CreateAsync("Reports");
            await client.AppendAsync("Reports", first.Concat(DemoReports.Generate(5, 4, Now)).Select(m => new ImapAppendMessage(m)).ToList());
            Assert.NotEqual(before, (await client.ExamineAsync("Reports")).UidValidity);
        }

        await ServeUntilAsync(data, user, "Reports", 15);

        var store = new HooklineStore(StorageOptions.Sqlite(data));
        await using var context = store.CreateContext();
        Assert.Equal(10, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Duplicate));
        Assert.Equal(15, await context.Reports.CountAsync(r => r.Status == ReportStatus.Analysed));
    }

    private static byte[] LargeReport(int attachmentBytes)
    {
        var inner = new StringBuilder();
        inner.Append("From: Backup <backup@files.example>\r\nTo: avery@contoso.com\r\nSubject: Your backup\r\nMessage-ID: <big@files.example>\r\nMIME-Version: 1.0\r\n");
        inner.Append("Content-Type: multipart/mixed; boundary=\"in\"\r\n\r\n--in\r\nContent-Type: text/plain\r\n\r\nAttached.\r\n--in\r\n");
        inner.Append("Content-Type: application/octet-stream; name=\"backup.bin\"\r\nContent-Disposition: attachment; filename=\"backup.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        var payload = new byte[attachmentBytes * 3 / 4];
        new Random(9).NextBytes(payload);
        var base64 = Convert.ToBase64String(payload);
        for (var i = 0; i < base64.Length; i += 76)
        {
            inner.Append(base64.AsSpan(i, Math.Min(76, base64.Length - i))).Append("\r\n");
        }

        inner.Append("--in--\r\n");
        var envelope = "From: Avery Adams <avery@contoso.com>\r\nTo: report@contoso.com\r\nSubject: Phishing: 11111111-2222-3333-4444-555555555555|203.0.113.1|backup@files.example|(Your backup)\r\n" +
            "Message-ID: <big-report@contoso.com>\r\nDate: Fri, 20 Nov 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"out\"\r\n\r\n--out\r\nContent-Type: text/plain\r\n\r\nReported.\r\n--out\r\nContent-Type: message/rfc822\r\n\r\n";
        return Encoding.UTF8.GetBytes(envelope + inner + "\r\n--out--\r\n");
    }
}
