using System.Collections.Concurrent;
using System.Net;

namespace Hookline.Smtp.Tests;

/// <summary>A message as the handler received it.</summary>
internal sealed record Received(SmtpEnvelope Envelope, byte[] Data);

/// <summary>An <see cref="SmtpServer"/> on a free loopback port with a recording handler.</summary>
internal sealed class ServerHarness : IAsyncDisposable
{
    private ServerHarness(SmtpServer server)
    {
        Server = server;
    }

    public SmtpServer Server { get; }

    public ConcurrentQueue<Received> Messages { get; } = new();

    /// <summary>Handler calls, including failed ones.</summary>
    public int Calls => _calls;

    /// <summary>Runs before a message is recorded; throw to fail the handler.</summary>
    public Func<SmtpEnvelope, byte[], CancellationToken, Task>? Before { get; set; }

    public IPEndPoint EndPoint => Server.LocalEndPoint;

    private int _calls;

    public static async Task<ServerHarness> StartAsync(Action<SmtpServerOptions>? configure = null)
    {
        var options = new SmtpServerOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ServerName = "mx.hookline.test",
            AcceptedRecipients = { "reports@hookline.test", "phish@hookline.test" },
            AcceptedDomains = { "reports.example" },
        };
        configure?.Invoke(options);
        ServerHarness? harness = null;
        var server = new SmtpServer(options, (envelope, data, token) => harness!.HandleAsync(envelope, data, token));
        harness = new ServerHarness(server);
        await server.StartAsync();
        return harness;
    }

    public async Task<Received> WaitForMessageAsync(TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (Messages.TryPeek(out var message))
            {
                return message;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("No message reached the handler.");
    }

    private async Task HandleAsync(SmtpEnvelope envelope, byte[] data, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (Before is { } before)
        {
            await before(envelope, data, cancellationToken);
        }

        Messages.Enqueue(new Received(envelope, data));
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}
