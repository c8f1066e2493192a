using System.Collections.Concurrent;
using System.Net;
using Hookline.Mime;
using Hookline.Notify.Outbox;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Hookline.Notify.Tests;

/// <summary>
/// The alert webhook delivered by the outbox to a real HTTP listener (headers, retries with the same
/// Idempotency-Key, refusals, lost answers), and <see cref="NotificationScanner"/> queuing alerts,
/// webhooks and the daily digest once each.
/// </summary>
public sealed class WebhookAndDigestTests
{
    private sealed record Received(string? IdempotencyKey, string? ContentType, string? UserAgent, string Body);

    /// <summary>A loopback HTTP receiver whose answer to each request (numbered from 1) the test chooses: a status, or 0 to drop the connection.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private int _calls;

        private Receiver(WebApplication app) => _app = app;

        public ConcurrentQueue<Received> Requests { get; } = new();

        public Func<int, int> Answer { get; set; } = _ => 200;

        public Uri Url { get; private set; } = null!;

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.Run(async context =>
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                receiver.Requests.Enqueue(new Received(context.Request.Headers["Idempotency-Key"], context.Request.ContentType, context.Request.Headers.UserAgent, body));
                var status = receiver.Answer(Interlocked.Increment(ref receiver._calls));
                if (status == 0)
                {
                    context.Abort();
                    return;
                }

                context.Response.StatusCode = status;
            });
            await app.StartAsync();
            receiver.Url = new Uri(app.Urls.First() + "/hooks/alert");
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static Task<long> QueueWebhookAsync(TestStore test, Uri url, string key, string json = "{\"type\":\"hookline.alert\",\"reportId\":7}") =>
        test.QueueAsync("webhook", url.ToString(), System.Text.Encoding.UTF8.GetBytes(json), key, "alert");


    [Fact]
    public async Task Webhook_posts_the_json_with_its_idempotency_key_and_retries_5xx_and_lost_answers_with_the_same_key()
    {
        await using var test = await TestStore.CreateAsync();
        await using var receiver = await Receiver.StartAsync();
        using var http = WebhookHttp.Create(allowPrivate: true);
        var outbox = new OutboxProcessor(test.Store, _ => new WebhookOutboxSender(http), new OutboxOptions { MaxAttempts = 5, RetryBase = TimeSpan.FromMilliseconds(50) });

        // A 503, then a lost answer (the receiver had the request: at least once), then 204.
        receiver.Answer = call => call switch { 1 => 503, 2 => 0, _ => 204 };
        var id = await QueueWebhookAsync(test, receiver.Url, "webhook:report:7");
        await test.RunWhilePendingAsync(outbox, id);

        var row = await test.ReadOutboxAsync(id);
        Assert.Equal((OutboxStatus.Sent, 3), (row.Status, row.Attempts));
        var requests = receiver.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal("webhook:report:7", r.IdempotencyKey);
            Assert.Equal("application/json; charset=utf-8", r.ContentType);
            Assert.Equal("Hookline/1.0", r.UserAgent);
            Assert.Equal("{\"type\":\"hookline.alert\",\"reportId\":7}", r.Body);
        });
    }

    [Fact]
    public async Task Webhook_refused_with_a_4xx_fails_at_once()
    {
        await using var test = await TestStore.CreateAsync();
        await using var receiver = await Receiver.StartAsync();
        using var http = WebhookHttp.Create(allowPrivate: true);
        var outbox = new OutboxProcessor(test.Store, _ => new WebhookOutboxSender(http), new OutboxOptions { MaxAttempts = 5, RetryBase = TimeSpan.FromMilliseconds(50) });
        receiver.Answer = _ => 404;
        var id = await QueueWebhookAsync(test, receiver.Url, "webhook:report:8");
        await test.RunWhilePendingAsync(outbox, id);
        var row = await test.ReadOutboxAsync(id);
        Assert.Equal((OutboxStatus.Failed, 1), (row.Status, row.Attempts));
        Assert.Equal("webhook answered 404 Not Found", row.LastError);
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Webhook_to_a_private_address_is_refused_without_a_request_unless_allowed(string host)
    {
        await using var test = await TestStore.CreateAsync();
        await using var receiver = await Receiver.StartAsync();
        using var http = WebhookHttp.Create(allowPrivate: false);
        var outbox = new OutboxProcessor(test.Store, _ => new WebhookOutboxSender(http), new OutboxOptions { MaxAttempts = 5, RetryBase = TimeSpan.FromMilliseconds(50) });
        var url = new UriBuilder(receiver.Url) { Host = host }.Uri;

        var id = await QueueWebhookAsync(test, url, "webhook:report:9:" + host);
        await test.RunWhilePendingAsync(outbox, id);

        var row = await test.ReadOutboxAsync(id);
        Assert.Equal((OutboxStatus.Failed, 1), (row.Status, row.Attempts));
        Assert.Contains("is a private address", row.LastError, StringComparison.Ordinal);
        Assert.Contains("notifications.allowPrivateWebhooks", row.LastError, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task Webhook_redirects_are_not_followed()
    {
        await using var test = await TestStore.CreateAsync();
        await using var receiver = await Receiver.StartAsync();
        using var http = WebhookHttp.Create(allowPrivate: true);
        var outbox = new OutboxProcessor(test.Store, _ => new WebhookOutboxSender(http), new OutboxOptions { MaxAttempts = 5, RetryBase = TimeSpan.FromMilliseconds(50) });
        receiver.Answer = _ => 307;

        var id = await QueueWebhookAsync(test, receiver.Url, "webhook:report:10");
        await test.RunWhilePendingAsync(outbox, id);

        var row = await test.ReadOutboxAsync(id);
        Assert.Equal((OutboxStatus.Failed, 1), (row.Status, row.Attempts));
        Assert.Equal("webhook answered 307 Temporary Redirect; redirects are not followed", row.LastError);
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("172.32.0.1", false)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("64:ff9b::a00:1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("2606:4700::1111", false)]
    public void Private_addresses_are_told_apart_from_public_ones(string address, bool isPrivate)
    {
        Assert.Equal(isPrivate, WebhookHttp.IsPrivate(IPAddress.Parse(address)));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static ReportRecord Report(int n, DateTime receivedAt, string assessment, int score, DateTime processedAt, string? markedAs = null) => new()
    {
        RawSha256 = n.ToString("D64", System.Globalization.CultureInfo.InvariantCulture),
        Source = "test",
        SourceKey = "k" + n,
        ReceivedAt = receivedAt,
        StoredAt = receivedAt,
        ProcessedAt = processedAt,
        Status = ReportStatus.Analysed,
        ReporterName = "Zoe",
        ReporterAddress = "zoe@contoso.com",
        Subject = $"Subject {n} ({assessment})",
        SenderAddress = "bad@evil.example",
        Assessment = assessment,
        Score = score,
        MarkedAs = markedAs,
    };

    [Fact]
    public async Task Scanner_queues_alert_and_webhook_over_the_minimum_score_and_one_digest_per_day_with_that_days_figures()
    {
        await using var test = await TestStore.CreateAsync();
        var now = new DateTimeOffset(2026, 11, 21, 0, 5, 0, TimeSpan.Zero);
        var yesterday = new DateTime(2026, 11, 20, 9, 0, 0, DateTimeKind.Utc);
        var settingsStore = new NotificationSettingsStore(test.Store);
        await settingsStore.SaveAsync(
            NotificationDefaults.Settings with
            {
                SenderAddress = "security@contoso.com",
                AlertsEnabled = true,
                AlertMinimumScore = 80,
                AlertRecipients = ["soc@contoso.com"],
                AlertWebhookUrl = "https://hooks.contoso.test/alert",
                DailyDigest = true,
            },
            "test",
            default);
        await using (var context = test.Store.CreateContext())
        {
            // Each report's raw bytes row (the reports reference it); the content does not matter to the scanner.
            context.RawMessages.AddRange(Enumerable.Range(1, 5).Select(n => new RawMessage { Sha256 = n.ToString("D64", System.Globalization.CultureInfo.InvariantCulture), Content = [1], Size = 1, StoredAt = yesterday }));
            context.Reports.AddRange(
                Report(1, yesterday, "phishing", 95, now.UtcDateTime.AddMinutes(-1)),
                Report(2, yesterday.AddHours(1), "phishing", 60, now.UtcDateTime.AddMinutes(-1), markedAs: "phishing"),
                Report(3, yesterday.AddHours(2), "spam", 70, now.UtcDateTime.AddMinutes(-1)),
                Report(4, yesterday.AddHours(3), "clean", 10, now.UtcDateTime.AddMinutes(-1)),
                Report(5, now.UtcDateTime.AddMinutes(-2), "phishing", 40, now.UtcDateTime.AddMinutes(-1)));
            await context.SaveChangesAsync();
        }

        var composer = new NotificationComposer(settingsStore, new NotificationComposerOptions { PublicUrl = new Uri("https://hookline.contoso.test"), Time = new FixedTime(now) });
        var scanner = new NotificationScanner(test.Store, composer, new FixedTime(now));
        Assert.Equal(3, await scanner.ScanAsync(default));
        Assert.Equal(0, await scanner.ScanAsync(default));

        List<OutboxMessage> rows;
        long first;
        await using (var context = test.Store.CreateContext())
        {
            rows = await context.Outbox.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
            first = await context.Reports.Where(r => r.SourceKey == "k1").Select(r => r.Id).SingleAsync();
        }

        Assert.Equal([$"alert:report:{first}", $"webhook:report:{first}", "digest:2026-11-20"], rows.Select(r => r.IdempotencyKey));
        var webhook = rows[1];
        Assert.Equal("https://hooks.contoso.test/alert", webhook.Recipient);
        using (var json = System.Text.Json.JsonDocument.Parse(webhook.Content))
        {
            Assert.Equal("hookline.alert", json.RootElement.GetProperty("type").GetString());
        }

        var digest = rows[2];
        Assert.Equal(("digest", "soc@contoso.com", null), (digest.Kind, digest.Recipient, digest.ReportId));
        var text = MimeMessage.Parse(digest.Content).Entities().OfType<MimePart>().First(p => p.ContentType.MimeType == "text/plain").GetText();
        Assert.Contains("Reports received on 2026-11-20 (UTC):", text, StringComparison.Ordinal);
        Assert.Contains("Received: 4", text, StringComparison.Ordinal);
        Assert.Contains("Assessed phishing: 2, spam: 1, clean: 1", text, StringComparison.Ordinal);
        Assert.Contains("Marked by analysts: 1", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("Subject 1 (phishing)", StringComparison.Ordinal) < text.IndexOf("Subject 3 (spam)", StringComparison.Ordinal), text);
        Assert.DoesNotContain("Subject 5", text, StringComparison.Ordinal);
        Assert.Contains($"https://hookline.contoso.test/reports/{first}", text, StringComparison.Ordinal);

        // The next day's scan queues the next digest, once.
        var tomorrow = new NotificationScanner(test.Store, composer, new FixedTime(now.AddDays(1)));
        Assert.Equal(1, await tomorrow.ScanAsync(default));
        Assert.Equal(0, await tomorrow.ScanAsync(default));
    }
}
