using System.Collections.Concurrent;
using System.Net;
using Hookline.Mime;
using Hookline.Smtp;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Notify.Tests;

/// <summary>
/// Who Hookline writes to on its own: a report names its reporter, and a forged report names anyone.
/// Acknowledgements go only to the organisation's domains and at most ten an hour per reporter;
/// results, once domains are set, likewise only there; an attacker's subject enters ours on one line
/// and bounded.
/// </summary>
public sealed class AcknowledgementTests
{
    private static readonly NotificationSettings Settings = NotificationDefaults.Settings with
    {
        SenderAddress = "security@contoso.com",
        AcknowledgementEnabled = true,
        AcknowledgementSubject = "Received: {originalSubject}",
    };

    private sealed class FixedStore(NotificationSettings settings) : INotificationSettingsStore
    {
        public Task<NotificationSettings> GetAsync(CancellationToken cancellationToken) => Task.FromResult(settings);

        public Task SaveAsync(NotificationSettings settings, string actor, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task SaveLogoAsync(string? contentType, string? base64, string actor, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<NotificationSettings> RestoreDefaultsAsync(string actor, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static NotificationComposer Composer(NotificationSettings settings, IReadOnlyList<string> domains, TimeProvider? time = null) =>
        new(new FixedStore(settings), new NotificationComposerOptions { OrganizationDomains = domains, Time = time ?? TimeProvider.System });

    private static ReportRecord Report(string reporter, string subject = "Invoice", int n = 1) => new()
    {
        Id = n,
        RawSha256 = n.ToString("D64", System.Globalization.CultureInfo.InvariantCulture),
        Source = "test",
        SourceKey = "k" + n,
        ReporterAddress = reporter,
        Subject = subject,
        Status = ReportStatus.Analysed,
        Assessment = "phishing",
        Score = 90,
    };

    [Theory]
    [InlineData("zoe@contoso.com", true)]
    [InlineData("Zoe@CONTOSO.COM", true)]
    [InlineData("zoe@eu.contoso.com", true)]
    [InlineData("victim@outside.example", false)]
    [InlineData("zoe@contoso.com.evil.example", false)]
    [InlineData("zoe@notcontoso.com", false)]
    public async Task An_acknowledgement_goes_only_to_a_reporter_in_the_organisations_domains(string reporter, bool acknowledged)
    {
        var composer = Composer(Settings, ["contoso.com"]);
        Assert.Equal(acknowledged, await composer.ComposeAcknowledgementAsync(Report(reporter), default) is not null);
    }

    [Fact]
    public async Task Without_the_organisations_domains_nobody_is_acknowledged_and_the_settings_refuse_acknowledgements()
    {
        Assert.Null(await Composer(Settings, []).ComposeAcknowledgementAsync(Report("zoe@contoso.com"), default));

        var errors = NotificationValidation.Validate(Settings, []);
        Assert.Contains("organization.domains", Assert.Single(errors["acknowledgementEnabled"]), StringComparison.Ordinal);
        Assert.False(NotificationValidation.Validate(Settings, ["contoso.com"]).ContainsKey("acknowledgementEnabled"));
        Assert.False(NotificationValidation.Validate(Settings with { AcknowledgementEnabled = false }, []).ContainsKey("acknowledgementEnabled"));

        await using var test = await TestStore.CreateAsync();
        var refusing = new NotificationSettingsStore(test.Store, []);
        var refused = await Assert.ThrowsAsync<NotificationSettingsException>(() => refusing.SaveAsync(Settings, "admin", default));
        Assert.Contains("acknowledgementEnabled", refused.Errors.Keys);
        await new NotificationSettingsStore(test.Store, ["contoso.com"]).SaveAsync(Settings, "admin", default);
    }

    [Fact]
    public async Task Once_domains_are_set_a_result_goes_only_to_a_reporter_there_and_the_reason_is_given_otherwise()
    {
        var review = new ReviewRecord { ReportId = 1, Verdict = ReviewVerdicts.Phishing, ReviewedBy = "ana" };
        var outsider = Report("victim@outside.example");
        Assert.Null(await Composer(Settings, ["contoso.com"]).ComposeResultAsync(outsider, review, default));
        Assert.Equal("the reporter's address is outside the organisation's domains (organization.domains in settings.yaml)", NotificationComposer.ReporterBlocker(outsider, ["contoso.com"]));
        Assert.NotNull(await Composer(Settings, ["contoso.com"]).ComposeResultAsync(Report("zoe@contoso.com"), review, default));

        // Without domains an analyst's mark still reaches whoever reported it.
        Assert.Null(NotificationComposer.ReporterBlocker(outsider, []));
        Assert.NotNull(await Composer(Settings, []).ComposeResultAsync(outsider, review, default));
    }

    [Fact]
    public async Task An_attackers_subject_enters_ours_on_one_line_without_control_or_direction_characters_and_bounded()
    {
        var hostile = "Pay now\r\nBcc: everyone@outside.example\u202Egnp.exe\u200B " + new string('A', 5_000);
        var composed = await Composer(Settings, ["contoso.com"]).ComposeAcknowledgementAsync(Report("zoe@contoso.com", hostile), default);
        Assert.NotNull(composed);
        Assert.DoesNotContain('\n', composed.Subject);
        Assert.DoesNotContain('\u202E', composed.Subject);
        Assert.DoesNotContain('\u200B', composed.Subject);
        Assert.StartsWith("Received: Pay now Bcc: everyone@outside.example gnp.exe AAAA", composed.Subject, StringComparison.Ordinal);
        Assert.EndsWith("…", composed.Subject, StringComparison.Ordinal);
        Assert.Equal("Received: ".Length + NotificationComposer.MaxSubjectValueChars, composed.Subject.Length);

        var message = MimeMessage.Parse(composed.Content);
        Assert.Null(message.Headers["Bcc"]);
        Assert.Equal(composed.Subject, message.Subject);

        // A value never ends in half a character.
        var emoji = string.Concat(Enumerable.Repeat("\U0001F600", 80));
        var cut = NotificationComposer.InSubject(emoji);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(cut[^2]));
        Assert.Equal("short subject", NotificationComposer.InSubject("  short \t subject \r\n"));
    }

    [Fact]
    public async Task A_reporter_gets_at_most_ten_acknowledgements_an_hour_and_each_report_over_that_is_audited_once()
    {
        await using var test = await TestStore.CreateAsync();
        var now = new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
        await using (var context = test.Store.CreateContext())
        {
            context.RawMessages.AddRange(Enumerable.Range(1, 14).Select(n => new RawMessage { Sha256 = n.ToString("D64", System.Globalization.CultureInfo.InvariantCulture), Content = [1], Size = 1, StoredAt = now.UtcDateTime }));
            for (var n = 1; n <= 14; n++)
            {
                // Twelve reports by one reporter, spelt in either case; two by a colleague.
                var reporter = n <= 12 ? (n % 2 == 0 ? "Flood@Contoso.com" : "flood@contoso.com") : "zoe@contoso.com";
                var report = Report(reporter, "Report " + n, n);
                report.Id = 0;
                report.ReceivedAt = report.StoredAt = now.UtcDateTime.AddMinutes(-5);
                report.ProcessedAt = now.UtcDateTime.AddMinutes(-5).AddSeconds(n);
                context.Reports.Add(report);
            }

            await context.SaveChangesAsync();
        }

        var time = new FixedTime(now);
        var scanner = new NotificationScanner(test.Store, Composer(Settings, ["contoso.com"], time), time);
        Assert.Equal(12, await scanner.ScanAsync(default));
        Assert.Equal(0, await scanner.ScanAsync(default));

        await using var check = test.Store.CreateContext();
        var acks = await check.Outbox.AsNoTracking().Where(o => o.Kind == "acknowledgement").ToListAsync();
        Assert.Equal(10, acks.Count(a => a.Recipient.Equals("flood@contoso.com", StringComparison.OrdinalIgnoreCase)));
        Assert.Equal(2, acks.Count(a => a.Recipient == "zoe@contoso.com"));
        var limited = await check.AuditEvents.AsNoTracking().Where(a => a.Action == AuditActions.AcknowledgementLimited).ToListAsync();
        Assert.Equal(2, limited.Count);
        Assert.Equal(2, limited.Select(a => a.ReportId).Distinct().Count());
        Assert.All(limited, a => Assert.Contains("10 acknowledgements", a.Detail, StringComparison.Ordinal));

        // An hour later the reporter is acknowledged again.
        await using (var context = test.Store.CreateContext())
        {
            context.RawMessages.Add(new RawMessage { Sha256 = 15.ToString("D64", System.Globalization.CultureInfo.InvariantCulture), Content = [1], Size = 1, StoredAt = now.UtcDateTime });
            var later = Report("flood@contoso.com", "Report 15", 15);
            later.Id = 0;
            later.ReceivedAt = later.StoredAt = now.UtcDateTime.AddMinutes(61);
            later.ProcessedAt = now.UtcDateTime.AddMinutes(61);
            context.Reports.Add(later);
            await context.SaveChangesAsync();
        }

        var nextHour = new FixedTime(now.AddMinutes(62));
        Assert.Equal(1, await new NotificationScanner(test.Store, Composer(Settings, ["contoso.com"], nextHour), nextHour).ScanAsync(default));
    }

    [Fact]
    public async Task A_forged_report_naming_an_outside_reporter_makes_a_running_server_write_to_nobody_outside()
    {
        var received = new ConcurrentQueue<IReadOnlyList<string>>();
        await using var smtp = new SmtpServer(
            new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), ServerName = "mx.test", AcceptedDomains = { "contoso.com", "outside.example" } },
            (envelope, data, token) =>
            {
                received.Enqueue(envelope.Recipients.ToList());
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
            settings => settings with { AcknowledgementEnabled = true, AcknowledgementSubject = "We received: {originalSubject}" });
        await server.WaitUntilAsync(async () => (await server.OutboxAsync()).Any(m => m.Kind == "acknowledgement" && m.Status == OutboxStatus.Sent), "the demo reporter acknowledged");

        var now = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", System.Globalization.CultureInfo.InvariantCulture);
        var forged = "From: Victim <victim@outside.example>\r\nTo: report@contoso.com\r\nSubject: Phishing: Cheap watches at shop.example\r\n"
            + "Date: " + now + "\r\nMessage-ID: <forged-1@outside.example>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
            + "--b\r\nContent-Type: text/plain\r\n\r\nThis email was reported using the Report button.\r\n"
            + "--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: Shop <deals@shop.example>\r\nTo: victim@outside.example\r\nSubject: Cheap watches at shop.example\r\n"
            + "Date: " + now + "\r\nMessage-ID: <watches@shop.example>\r\n\r\nBuy now.\r\n--b--\r\n";
        var file = Path.Combine(server.Folder.DataDirectory, "inbox", "forged.eml");
        await File.WriteAllTextAsync(file, forged);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-1));
        await server.WaitUntilAsync(
            async () =>
            {
                await using var context = server.Folder.Store.CreateContext();
                return await context.Reports.AnyAsync(r => r.ReporterAddress == "victim@outside.example" && r.Status == ReportStatus.Analysed);
            },
            "the forged report taken in and analysed");
        await server.SettledAsync();

        var outbox = await server.OutboxAsync();
        Assert.All(outbox, m => Assert.EndsWith("@contoso.com", m.Recipient, StringComparison.Ordinal));
        Assert.All(received.SelectMany(r => r), r => Assert.EndsWith("@contoso.com", r, StringComparison.Ordinal));
        Assert.NotEmpty(received);
    }
}
