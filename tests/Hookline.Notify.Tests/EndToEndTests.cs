using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Hookline.Hosting;
using Hookline.Imap;
using Hookline.Intake.Demo;
using Hookline.Mime;
using Hookline.Review.Accounts;
using Hookline.Storage.Model;
using Hookline.Testing.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hookline.Notify.Tests;

/// <summary>
/// The whole path over real servers: reports appended to a Dovecot mailbox, taken in by Hookline's IMAP
/// source, analysed; the acknowledgement, the result (after "mark as phishing" through the API) and the
/// incident-response alert sent by Hookline's SMTP client to a real Postfix, which delivers contoso.com
/// over LMTP into Dovecot, where they are read back over IMAP.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EndToEndTests : IDisposable
{
    private const string Password = "secret";

    private readonly CollectedLogs _logs = new();

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task Report_in_a_real_mailbox_is_acknowledged_marked_phishing_and_the_result_and_alert_arrive_by_real_smtp()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        var postfixOptions = new PostfixOptions();
        postfixOptions.LmtpDomains["contoso.com"] = new IPEndPoint(IPAddress.Loopback, dovecot.LmtpPort);
        await using var postfix = await PostfixServer.StartAsync(postfixOptions);
        foreach (var user in new[] { "reports", "soc", "avery", "blake", "casey", "devon", "emery", "finley", "gray", "harper", "indigo", "jordan", "kai", "logan" })
        {
            dovecot.AddUser(user + "@contoso.com", Password);
        }

        var root = Directory.CreateTempSubdirectory("hookline-e2e-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            Directory.CreateDirectory(data);
            File.WriteAllText(Path.Combine(data, "hookline.yaml"), $"""
                sources:
                  - type: imap
                    name: reports
                    host: 127.0.0.1
                    port: {dovecot.ImapPort}
                    security: none
                    user: reports@contoso.com
                    password: {Password}
                    processedFolder: Processed
                    pollSeconds: 1
                notifications:
                  publicUrl: https://hookline.contoso.test
                  pollSeconds: 0.5
                  smtp:
                    host: 127.0.0.1
                    port: {postfix.EndPoint.Port}
                    security: none
                    clientName: hookline.contoso.test
                """);
            File.WriteAllText(Path.Combine(data, "settings.yaml"), "organization:\n  domains: [contoso.com]\n");
            var folder = await DataFolder.OpenAsync(data, default);
            await new NotificationSettingsStore(folder.Store, folder.OrganizationDomains).SaveAsync(
                NotificationDefaults.Settings with
                {
                    SenderAddress = "security@contoso.com",
                    SenderName = "Contoso Security Desk",
                    AcknowledgementEnabled = true,
                    PhishingText = "Hi {reporterName}: **{originalSubject}** is confirmed phishing. Thank you!",
                    Footer = "Contoso security footer, end-to-end.",
                    AlertsEnabled = true,
                    AlertMinimumScore = 0,
                    AlertRecipients = ["soc@contoso.com"],
                },
                "test",
                default);
            var key = await new AccountService(folder.Store).AddApiKeyAsync("analyst-key", Roles.Analyst, "test", default);
            await using var app = HooklineServer.Build(folder, new ServerOptions { Urls = "http://127.0.0.1:0" }, services => services.AddLogging(l => l.AddProvider(_logs)));
            await app.StartAsync();
            try
            {
                var reports = DemoReports.Generate(8, 77, DateTimeOffset.UtcNow, days: 1).ToList();
                await using (var imap = await LoginAsync(dovecot, "reports@contoso.com"))
                {
                    await imap.AppendAsync("INBOX", reports.Select(r => new ImapAppendMessage(r)).ToList());
                }

                // Every report analysed; pick one the analysis calls phishing.
                ReportRecord? target = null;
                var seen = "nothing yet";
                await WaitUntilAsync(async () =>
                {
                    await using var context = folder.Store.CreateContext();
                    var all = await context.Reports.AsNoTracking().ToListAsync();
                    seen = all.Count + " reports: " + string.Join("; ", all.Select(r => $"#{r.Id} {r.Status} {r.Assessment} {r.Score} attempts={r.Attempts} {r.Error}"));
                    target = all.FirstOrDefault(r => r.Assessment == "phishing" && r.ReporterAddress is not null);
                    return all.Count == reports.Count && all.All(r => r.Status != ReportStatus.Received) && target is not null;
                }, "all reports analysed, one assessed phishing", () => seen + Environment.NewLine + "server log:" + Environment.NewLine + _logs);

                var reporter = target!.ReporterAddress!;
                var ack = await WaitForMailAsync(dovecot, reporter, m => m.Subject == "We received your report: " + target.Subject);
                Assert.Contains("Contoso Security Desk", ack.Headers["From"], StringComparison.Ordinal);

                using var http = new HttpClient { BaseAddress = new Uri(HooklineServer.Addresses(app)[0]) };
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                var review = await http.PostAsJsonAsync($"/api/reports/{target.Id}/review", new { verdict = "phishing", notify = true });
                Assert.Equal(HttpStatusCode.OK, review.StatusCode);

                var result = await WaitForMailAsync(dovecot, reporter, m => m.Subject == "Result of your report: " + target.Subject);
                Assert.Contains("<security@contoso.com>", result.Headers["From"], StringComparison.Ordinal);
                Assert.Contains("Contoso Security Desk", result.Headers["From"], StringComparison.Ordinal);
                Assert.Equal("auto-generated", result.Headers["Auto-Submitted"]);
                var text = result.Entities().OfType<MimePart>().First(p => p.ContentType.MimeType == "text/plain").GetText();
                var html = result.Entities().OfType<MimePart>().First(p => p.ContentType.MimeType == "text/html").GetText();
                Assert.Contains($"{target.Subject} is confirmed phishing. Thank you!", text, StringComparison.Ordinal);
                Assert.Contains("Contoso security footer, end-to-end.", text, StringComparison.Ordinal);
                Assert.Contains("is confirmed phishing", html, StringComparison.Ordinal);

                var alert = await WaitForMailAsync(dovecot, "soc@contoso.com", m => m.Subject?.StartsWith("Phishing reported", StringComparison.Ordinal) == true && m.Subject.EndsWith(target.Subject ?? "", StringComparison.Ordinal));
                var alertText = alert.Entities().OfType<MimePart>().First(p => p.ContentType.MimeType == "text/plain").GetText();
                Assert.Contains($"https://hookline.contoso.test/reports/{target.Id}", alertText, StringComparison.Ordinal);

                // The API shows the result as sent, once; the report's notification state follows it.
                await WaitUntilAsync(async () =>
                {
                    await using var context = folder.Store.CreateContext();
                    return (await context.Reports.AsNoTracking().FirstAsync(r => r.Id == target.Id)).NotificationState == "sent";
                }, "notification state sent");
                using var detail = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync($"/api/reports/{target.Id}"));
                var notifications = detail.RootElement.GetProperty("notifications").EnumerateArray().ToList();
                Assert.Single(notifications, n => n.GetProperty("kind").GetString() == "result" && n.GetProperty("status").GetString() == "sent");
                Assert.Single(notifications, n => n.GetProperty("kind").GetString() == "acknowledgement" && n.GetProperty("status").GetString() == "sent");
                Assert.Equal(1, (await ReadMailAsync(dovecot, reporter)).Count(m => m.Subject == "Result of your report: " + target.Subject));
            }
            finally
            {
                await app.StopAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<ImapClient> LoginAsync(DovecotServer dovecot, string user)
    {
        var client = new ImapClient(new ImapClientOptions { CommandTimeout = TimeSpan.FromSeconds(60) });
        await client.ConnectAsync(dovecot.Host, dovecot.ImapPort, ImapSecurity.None);
        await client.LoginAsync(user, Password);
        return client;
    }

    private static async Task<List<MimeMessage>> ReadMailAsync(DovecotServer dovecot, string user)
    {
        await using var client = await LoginAsync(dovecot, user);
        await client.SelectAsync("INBOX");
        var uids = await client.UidSearchAllAsync();
        return uids.Count == 0 ? [] : (await client.FetchMessagesAsync(uids)).Select(m => MimeMessage.Parse(m.Body)).ToList();
    }

    private async Task<MimeMessage> WaitForMailAsync(DovecotServer dovecot, string user, Func<MimeMessage, bool> match)
    {
        MimeMessage? found = null;
        await WaitUntilAsync(async () => (found = (await ReadMailAsync(dovecot, user)).FirstOrDefault(match)) is not null, $"mail for {user}", () => "server log:" + Environment.NewLine + _logs);
        return found!;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("waited 90 s for " + what + (state is null ? "" : "; last seen: " + state()));
            }

            await Task.Delay(250);
        }
    }
}
