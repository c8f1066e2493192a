using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Hookline.Smtp;
using Hookline.Storage.Model;

namespace Hookline.Notify.Tests;

/// <summary>A review wakes the notification worker: the result goes out at once, not at the next poll.</summary>
public sealed class ResultWakeUpTests
{
    [Fact]
    public async Task Review_with_notify_wakes_the_worker_so_the_result_is_sent_long_before_the_next_poll()
    {
        var received = new ConcurrentQueue<(IReadOnlyList<string> To, byte[] Data)>();
        await using var smtp = new SmtpServer(
            new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), ServerName = "mx.test", AcceptedDomains = { "contoso.com" } },
            (envelope, data, token) =>
            {
                received.Enqueue((envelope.Recipients.ToList(), data.ToArray()));
                return Task.CompletedTask;
            });
        await smtp.StartAsync();

        // A poll interval of a minute: only a wake-up can deliver within the 30 s waited for below.
        await using var server = await InProcessServer.StartAsync($"""
              pollSeconds: 60
              smtp:
                host: 127.0.0.1
                port: {smtp.LocalEndPoint.Port}
                security: none
            """);

        // The worker has finished its first pass and the one the analysis of the demo report woke it for,
        // and sleeps: nothing but the review can wake it now.
        var before = await server.SettledAsync();
        Assert.Empty(received);

        var review = await server.Http.PostAsJsonAsync($"/api/reports/{server.Report.Id}/review", new { verdict = "phishing", notify = true });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        // A delivery and a sender are configured: the answer says the result was queued.
        var answer = await review.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.True(answer.GetProperty("notified").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.GetProperty("notifyReason").ValueKind);
        Assert.Equal("pending", answer.GetProperty("notificationState").GetString());

        await server.WaitUntilAsync(
            async () => (await server.OutboxAsync()).Any(m => m.Kind == "result" && m.Status == OutboxStatus.Sent),
            "the result sent after the wake-up",
            seconds: 30,
            seen: () => Task.FromResult($"{received.Count} message(s) received, {server.Logs.Count("woken")} wake-up(s), {server.Logs.Count("pass done")} pass(es)"));
        var (to, data) = Assert.Single(received);
        Assert.Equal([server.Report.ReporterAddress!], to);
        Assert.Contains("Subject: Result of your report", System.Text.Encoding.ASCII.GetString(data), StringComparison.Ordinal);
        Assert.Equal(before + 1, server.Logs.Count("woken"));

        // The report's history: notify asked and queued, nothing skipped; the audit entry says so.
        var report = await server.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/reports/{server.Report.Id}");
        var reviewed = Assert.Single(report.GetProperty("reviews").EnumerateArray());
        Assert.True(reviewed.GetProperty("notified").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reviewed.GetProperty("notifySkipped").ValueKind);
        Assert.Contains(report.GetProperty("audit").EnumerateArray(), a => a.GetProperty("action").GetString() == "reviewed" && a.GetProperty("detail").GetString() == "phishing; result email queued");
    }

    [Fact]
    public async Task Review_without_notify_queues_nothing_and_does_not_wake_the_worker()
    {
        await using var server = await InProcessServer.StartAsync("  pollSeconds: 60\n");
        var before = await server.SettledAsync();
        var review = await server.Http.PostAsJsonAsync($"/api/reports/{server.Report.Id}/review", new { verdict = "spam", notify = false });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        var answer = await review.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.False(answer.GetProperty("notified").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, answer.GetProperty("notifyReason").ValueKind);
        Assert.DoesNotContain(await server.OutboxAsync(), m => m.Kind == "result");
        await Task.Delay(500);
        Assert.Equal(before, server.Logs.Count("woken"));
    }

    [Fact]
    public async Task A_new_report_analysed_wakes_the_worker_so_the_acknowledgement_goes_out_before_the_next_poll()
    {
        var received = new ConcurrentQueue<byte[]>();
        await using var smtp = new SmtpServer(
            new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), ServerName = "mx.test", AcceptedDomains = { "contoso.com" } },
            (envelope, data, token) =>
            {
                received.Enqueue(data.ToArray());
                return Task.CompletedTask;
            });
        await smtp.StartAsync();
        await using var server = await InProcessServer.StartAsync(
            $"""
              pollSeconds: 60
              smtp:
                host: 127.0.0.1
                port: {smtp.LocalEndPoint.Port}
                security: none
            """,
            settings => settings with { AcknowledgementEnabled = true });
        var before = await server.SettledAsync();
        var acknowledgements = (await server.OutboxAsync()).Count(m => m.Kind == "acknowledgement");

        // A second report, dropped after the worker went to sleep for a minute.
        var raw = Hookline.Intake.Demo.DemoReports.Generate(1, 6, DateTimeOffset.UtcNow, days: 1).Single();
        var file = Path.Combine(server.Folder.DataDirectory, "inbox", "second.eml");
        await File.WriteAllBytesAsync(file, raw);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-1));

        await server.WaitUntilAsync(
            async () => (await server.OutboxAsync()).Count(m => m.Kind == "acknowledgement" && m.Status == OutboxStatus.Sent) == acknowledgements + 1,
            "the second report's acknowledgement sent after the analysis woke the worker",
            seconds: 30,
            seen: () => Task.FromResult($"{received.Count} message(s) received, {server.Logs.Count("woken")} wake-up(s)"));
        Assert.True(server.Logs.Count("woken") > before);
        Assert.Contains(received, m => System.Text.Encoding.ASCII.GetString(m).Contains("Subject: We received your report", StringComparison.Ordinal));
    }
}
