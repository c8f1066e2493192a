using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hookline.Hosting;
using Hookline.Intake.Demo;
using Hookline.Notify;
using Hookline.Review.Accounts;
using Hookline.Storage.Model;
using Hookline.Testing.Servers;
using Hookline.Tests.Intake;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Tests.Notify;

/// <summary>
/// A real `hookline serve` killed (as by kill -9) on either side of the outbox's commit point while it
/// sends a result email through a real Postfix that delivers into a real Dovecot, then started again:
/// the reporter gets the email exactly once. Killed after the commit point (Postfix has the message,
/// the row is not marked sent) the restart marks the row failed, "may have been delivered", and never
/// resends it; killed before it (the final "." never written, so Postfix drops the message) the restart
/// sends it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class NotifyCrashTests : IDisposable
{
    private static readonly string[] MaildirFolders = ["new", "cur"];

    private const string Subject = "Result of your report: ";
    private readonly string _root = Directory.CreateTempSubdirectory("hookline-notify-crash-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("notify.after-commit-point")]
    [InlineData("notify.before-commit-point")]
    public async Task Killed_at_the_commit_point_and_restarted_the_result_arrives_exactly_once(string faultPoint)
    {
        var afterCommit = faultPoint == "notify.after-commit-point";
        await using var dovecot = await DovecotServer.StartAsync();
        var postfixOptions = new PostfixOptions();
        postfixOptions.LmtpDomains["contoso.com"] = new IPEndPoint(IPAddress.Loopback, dovecot.LmtpPort);
        await using var postfix = await PostfixServer.StartAsync(postfixOptions);
        foreach (var user in new[] { "avery", "blake", "casey", "devon", "emery", "finley", "gray", "harper", "indigo", "jordan", "kai", "logan" })
        {
            dovecot.AddUser(user + "@contoso.com", "secret");
        }

        var data = Path.Combine(_root, "data");
        var inbox = Path.Combine(data, "inbox");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(data, "hookline.yaml"), $"""
            notifications:
              pollSeconds: 0.5
              retrySeconds: 1
              smtp:
                host: 127.0.0.1
                port: {postfix.EndPoint.Port}
                security: none
                clientName: hookline.contoso.test
            """);
        var folder = await DataFolder.OpenAsync(data, default);
        await new NotificationSettingsStore(folder.Store).SaveAsync(NotificationDefaults.Settings with { SenderAddress = "security@contoso.com", SenderName = "Contoso Security" }, "test", default);
        var key = await new AccountService(folder.Store).AddApiKeyAsync("analyst-key", Roles.Analyst, "test", default);
        CrashRecoveryTests.WriteSettled(inbox, DemoReports.Generate(1, 11, DateTimeOffset.UtcNow, days: 1).ToList());

        ReportRecord report;
        using (var crashing = HooklineProcess.Start(new Dictionary<string, string> { ["HOOKLINE_FAULT_AT"] = faultPoint }, "serve", "--data", data, "--urls", "http://127.0.0.1:0"))
        {
            using var http = await ConnectAsync(crashing, key);
            report = await WaitForAnalysedAsync(folder, crashing);
            var review = await http.PostAsJsonAsync($"/api/reports/{report.Id}/review", new { verdict = "phishing", notify = true });
            Assert.Equal(HttpStatusCode.OK, review.StatusCode);
            Assert.True(crashing.WaitForExit(TimeSpan.FromSeconds(90)), $"the fault point {faultPoint} was never reached; outbox: {await OutboxAsync(folder)}\nhookline said:\n{crashing.Output}");
            Assert.True(crashing.ExitCode == 137, $"hookline ended with {crashing.ExitCode}, not killed at the fault point:\n{crashing.Output}");
        }

        var mailbox = Path.Combine(dovecot.MailRoot, report.ReporterAddress!, "Maildir");
        var expectedSubject = Subject; // the reporter's mailbox gets nothing else from Hookline (no acknowledgement, no alerts)
        var crashed = Assert.Single(await RowsAsync(folder));
        Assert.Equal(afterCommit ? OutboxStatus.Committing : OutboxStatus.Pending, crashed.Status);
        if (afterCommit)
        {
            // Postfix took the message (its 250 came before the kill) and delivers it.
            await WaitUntilAsync(() => Task.FromResult(Count(mailbox, expectedSubject) == 1), "the message Postfix accepted before the kill in the mailbox", () => postfix.ReadLog());
        }
        else
        {
            // The kill came before the final "."; Postfix dropped the unfinished message.
            await postfix.WaitForLogAsync("lost connection after DATA", TimeSpan.FromSeconds(60));
            await postfix.WaitForEmptyQueueAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, Count(mailbox, expectedSubject));
        }

        using (var restarted = HooklineProcess.Start(null, "serve", "--data", data, "--urls", "http://127.0.0.1:0"))
        {
            using var http = await ConnectAsync(restarted, key);
            var final = afterCommit ? OutboxStatus.Failed : OutboxStatus.Sent;
            await WaitUntilAsync(async () => (await RowsAsync(folder)).Single().Status == final, $"the result {final} after the restart", async () => await OutboxAsync(folder) + "\nhookline said:\n" + restarted.Output);
            await postfix.WaitForEmptyQueueAsync(TimeSpan.FromSeconds(60));
            await WaitUntilAsync(() => Task.FromResult(Count(mailbox, expectedSubject) >= 1), "the result in the mailbox", () => postfix.ReadLog());

            // What the API shows for the report.
            using var detail = JsonDocument.Parse(await http.GetStringAsync($"/api/reports/{report.Id}"));
            var notification = Assert.Single(detail.RootElement.GetProperty("notifications").EnumerateArray());
            Assert.Equal("result", notification.GetProperty("kind").GetString());
            Assert.Equal(afterCommit ? "failed" : "sent", notification.GetProperty("status").GetString());
            Assert.Equal(afterCommit ? "failed" : "sent", detail.RootElement.GetProperty("report").GetProperty("notificationState").GetString());
            Assert.Equal(afterCommit ? 1 : 2, notification.GetProperty("attempts").GetInt32());
            if (afterCommit)
            {
                Assert.Contains("may have been delivered", notification.GetProperty("lastError").GetString(), StringComparison.Ordinal);
                Assert.Contains(detail.RootElement.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "notification-failed");
            }

            Assert.False(restarted.HasExited, restarted.Output);
        }

        // Exactly once, with nothing left to send.
        Assert.Equal(1, Count(mailbox, expectedSubject));
        Assert.Equal(0, await postfix.QueuedCountAsync());
    }

    /// <summary>Waits for the process's "Hookline listening on URL" line and returns an API client for it.</summary>
    private static async Task<HttpClient> ConnectAsync(HooklineProcess process, string key)
    {
        Match? match = null;
        await WaitUntilAsync(() => Task.FromResult((match = ListeningLine().Match(process.Output)).Success || process.HasExited), "hookline listening", () => process.Output);
        Assert.True(match!.Success, "hookline stopped before listening:\n" + process.Output);
        var http = new HttpClient { BaseAddress = new Uri(match.Groups[1].Value) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private static async Task<ReportRecord> WaitForAnalysedAsync(DataFolder folder, HooklineProcess process)
    {
        ReportRecord? report = null;
        await WaitUntilAsync(
            async () =>
            {
                Assert.False(process.HasExited, "hookline stopped:\n" + process.Output);
                await using var context = folder.Store.CreateContext();
                report = await context.Reports.AsNoTracking().FirstOrDefaultAsync(r => r.Status == ReportStatus.Analysed);
                return report?.ReporterAddress is not null;
            },
            "the report analysed",
            () => process.Output);
        return report!;
    }

    private static async Task<List<OutboxMessage>> RowsAsync(DataFolder folder)
    {
        await using var context = folder.Store.CreateContext();
        return await context.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    private static async Task<string> OutboxAsync(DataFolder folder) =>
        "[" + string.Join("; ", (await RowsAsync(folder)).Select(m => $"#{m.Id} {m.Kind} {m.Status} attempts={m.Attempts} {m.LastError}")) + "]";

    /// <summary>How many messages in the maildir (new and cur) have this subject.</summary>
    private static int Count(string maildir, string subject) =>
        MaildirFolders.Select(d => Path.Combine(maildir, d)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Count(f => File.ReadAllText(f).Contains("Subject: " + subject, StringComparison.Ordinal));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, Func<Task<string>> seen)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited 90 s for {what}; seen:\n{await seen()}");
            }

            await Task.Delay(200);
        }
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what, Func<string> seen) =>
        WaitUntilAsync(condition, what, () => Task.FromResult(seen()));

    [GeneratedRegex(@"Hookline listening on (http://\S+)")]
    private static partial Regex ListeningLine();
}
