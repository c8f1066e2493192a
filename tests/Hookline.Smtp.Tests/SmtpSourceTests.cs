using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Hookline.Intake.Sources;
using Hookline.Intake.Sources.Smtp;
using Hookline.Testing.Servers;

namespace Hookline.Smtp.Tests;

public sealed class SmtpSourceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 3, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_delivered_message_is_committed_to_the_sink_before_the_250()
    {
        var sink = new RecordingSink();
        await using var running = await RunningSource.StartAsync(sink);
        await using var client = await SmtpTestClient.OpenAsync(running.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<alice@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<REPORTS@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        var reply = await client.CommandAsync("Subject: report\r\n\r\nplease check\r\n.");
        Assert.Equal(250, reply.Code);

        var report = Assert.Single(sink.Committed);
        Assert.Equal("smtp:test", report.Source);
        Assert.Equal("Subject: report\r\n\r\nplease check\r\n"u8.ToArray(), report.Raw);
        Assert.Equal(Now, report.ReceivedAt);
        Assert.Matches("^[0-9a-f]{16}\\.1$", report.SourceKey);
        Assert.Contains(report.SourceKey, reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sink_failure_is_a_451_and_the_retry_is_committed()
    {
        var sink = new RecordingSink { Failures = 1 };
        await using var running = await RunningSource.StartAsync(sink);
        await using var client = await SmtpTestClient.OpenAsync(running.EndPoint);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<alice@sender.example>")).Code);
            Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
            Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
            var reply = await client.CommandAsync("Subject: retry\r\n\r\nx\r\n.");
            Assert.Equal(attempt == 0 ? 451 : 250, reply.Code);
            Assert.Equal(attempt, sink.Committed.Count);
        }
    }

    [Fact]
    public async Task The_source_waits_for_a_taken_port_and_listens_once_it_is_free()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var sink = new RecordingSink();
        var options = RunningSource.Options();
        options.EndPoint = new IPEndPoint(IPAddress.Loopback, port);
        using var stop = new CancellationTokenSource();
        var source = new SmtpSource(options, sink, new FixedTime());
        var run = source.RunAsync(stop.Token);
        await Task.Delay(300);
        Assert.False(source.Listening.IsCompleted);
        Assert.False(run.IsCompleted);
        taken.Dispose();
        var endPoint = await source.Listening.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(port, endPoint.Port);
        await using (var client = await SmtpTestClient.OpenAsync(endPoint))
        {
            Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task TLS_from_PEM_files()
    {
        var folder = Directory.CreateTempSubdirectory("hookline-smtp-pem-").FullName;
        try
        {
            var (certificate, key) = TestCertificate.Instance.WritePem(folder);
            var sink = new RecordingSink();
            await using var running = await RunningSource.StartAsync(sink, o =>
            {
                o.CertificatePath = certificate;
                o.KeyPath = key;
                o.RequireTls = true;
            });
            await using var client = await SmtpTestClient.OpenAsync(running.EndPoint);
            Assert.Equal(530, (await client.CommandAsync("MAIL FROM:<alice@sender.example>")).Code);
            Assert.Equal(220, (await client.CommandAsync("STARTTLS")).Code);
            await client.StartTlsAsync();
            Assert.Equal(250, (await client.CommandAsync("EHLO client.test")).Code);
            Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<alice@sender.example>")).Code);
            Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
            Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
            Assert.Equal(250, (await client.CommandAsync("Subject: tls\r\n\r\nx\r\n.")).Code);
            Assert.Single(sink.Committed);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class RecordingSink : IReportSink
    {
        public ConcurrentQueue<IncomingReport> Committed { get; } = new();

        public int Failures { get; set; }

        public Task<IReadOnlyList<IntakeReceipt>> AcceptAsync(IReadOnlyList<IncomingReport> batch, CancellationToken cancellationToken)
        {
            if (Failures > 0)
            {
                Failures--;
                throw new InvalidOperationException("database unavailable");
            }

            var receipts = new List<IntakeReceipt>();
            foreach (var report in batch)
            {
                Committed.Enqueue(report);
                receipts.Add(new IntakeReceipt(IntakeOutcome.Stored, Committed.Count));
            }

            return Task.FromResult<IReadOnlyList<IntakeReceipt>>(receipts);
        }
    }

    private sealed class RunningSource : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _run = Task.CompletedTask;

        public IPEndPoint EndPoint { get; private set; } = null!;

        public static SmtpSourceOptions Options()
        {
            var options = new SmtpSourceOptions
            {
                Name = "smtp:test",
                EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
                ServerName = "mx.hookline.test",
            };
            options.Recipients.Add("reports@hookline.test");
            return options;
        }

        public static async Task<RunningSource> StartAsync(IReportSink sink, Action<SmtpSourceOptions>? configure = null)
        {
            var options = Options();
            configure?.Invoke(options);
            var source = new SmtpSource(options, sink, new FixedTime());
            var running = new RunningSource();
            running._run = source.RunAsync(running._stop.Token);
            running.EndPoint = await source.Listening.WaitAsync(TimeSpan.FromSeconds(15));
            return running;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
                // How a source ends.
            }

            _stop.Dispose();
        }
    }
}
