using System.Net;
using System.Net.Sockets;
using System.Text;
using Hookline.Testing.Servers;

namespace Hookline.Smtp.Tests;

/// <summary>A real Postfix relaying to our listener, as an organisation's mail system would.</summary>
public sealed class PostfixRelayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    // No Return-Path, Bcc or Content-Length: Postfix's cleanup drops those (message_drop_headers).
    private static byte[] OriginalMessage() => Encoding.UTF8.GetBytes(
        "From: \"Müller, Jörg\" <joerg@sender.example>\r\n"
        + "To: Reports <reports@hookline.test>\r\n"
        + "Subject: =?UTF-8?Q?Dringende_=C3=9Cberweisung?=\r\n"
        + "Date: Tue, 03 Nov 2026 10:15:00 +0100\r\n"
        + "Message-ID: <original-1@sender.example>\r\n"
        + "X-Folded: first part\r\n\tsecond part\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Transfer-Encoding: 8bit\r\n"
        + "\r\n"
        + "Bitte überweisen Sie heute 9.999,00 € an das neue Konto.\r\n"
        + ".\r\n"
        + "..two dots\r\n"
        + "trailing spaces   \r\n"
        + "\r\n"
        + new string('x', 900) + "\r\n"
        + "-- \r\nDer Geschäftsführer\r\n");

    [Fact]
    public async Task A_message_relayed_by_Postfix_arrives_with_its_headers_and_body_unchanged()
    {
        await using var harness = await ServerHarness.StartAsync();
        var options = new PostfixOptions();
        options.SmtpDomains["hookline.test"] = harness.EndPoint;
        await using var postfix = await PostfixServer.StartAsync(options);

        var original = OriginalMessage();
        await postfix.SubmitAsync("joerg@sender.example", ["reports@hookline.test"], original);
        var received = await WaitForMessageAsync(harness, postfix);
        await postfix.WaitForEmptyQueueAsync(Patience);

        // Postfix adds its own Received header on top; everything after it is the original, byte for byte.
        var data = received.Data;
        Assert.True(data.AsSpan().EndsWith(original), $"the original is not at the end of what arrived:\n{Encoding.UTF8.GetString(data)}");
        var added = Encoding.UTF8.GetString(data, 0, data.Length - original.Length);
        Assert.StartsWith("Received: from submitter.test", added, StringComparison.Ordinal);
        Assert.Contains("by relay.postfix.test (Postfix)", added, StringComparison.Ordinal);
        foreach (var line in added.Split("\r\n")[..^1])
        {
            Assert.True(line.StartsWith("Received:", StringComparison.Ordinal) || line.StartsWith('\t') || line.StartsWith(' '), $"Postfix added more than trace headers: '{line}'");
        }

        Assert.Equal("joerg@sender.example", received.Envelope.MailFrom);
        Assert.Equal(["reports@hookline.test"], received.Envelope.Recipients);
        Assert.Equal("relay.postfix.test", received.Envelope.HeloName);
        Assert.True(received.Envelope.EightBitMime);
        Assert.Contains("status=sent", postfix.ReadLog(), StringComparison.Ordinal);
        Assert.Equal(1, harness.Calls);
    }

    [Fact]
    public async Task A_handler_failure_makes_Postfix_defer_and_a_flush_later_delivers_exactly_once()
    {
        await using var harness = await ServerHarness.StartAsync();
        var failing = true;
        harness.Before = (_, _, _) => Volatile.Read(ref failing) ? throw new IOException("store unavailable") : Task.CompletedTask;
        var options = new PostfixOptions();
        options.SmtpDomains["hookline.test"] = harness.EndPoint;

        // No retries of Postfix's own during the test: only the flush may deliver again.
        options.Settings["minimal_backoff_time"] = "600s";
        options.Settings["maximal_backoff_time"] = "1200s";
        options.Settings["queue_run_delay"] = "600s";
        await using var postfix = await PostfixServer.StartAsync(options);

        var original = OriginalMessage();
        await postfix.SubmitAsync("joerg@sender.example", ["reports@hookline.test"], original);
        await postfix.WaitForLogAsync("status=deferred", Patience);
        Assert.Contains("451 4.3.0", postfix.ReadLog(), StringComparison.Ordinal);
        Assert.Equal(1, await postfix.QueuedCountAsync());
        Assert.Equal(1, harness.Calls);
        Assert.Empty(harness.Messages);

        Volatile.Write(ref failing, false);
        await postfix.FlushAsync();
        var received = await WaitForMessageAsync(harness, postfix);
        await postfix.WaitForEmptyQueueAsync(Patience);
        Assert.True(received.Data.AsSpan().EndsWith(original));
        Assert.Single(harness.Messages);
        Assert.Equal(2, harness.Calls);

        // Nothing left that could arrive a second time.
        await postfix.FlushAsync();
        await Task.Delay(500);
        Assert.Single(harness.Messages);
        Assert.Equal(0, await postfix.QueuedCountAsync());
    }

    [Fact]
    public async Task The_fixture_routes_a_domain_to_an_LMTP_target()
    {
        // A stand-in LMTP server that records Postfix's first command and turns it away.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var lhlo = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            await stream.WriteAsync("220 lmtp.test LMTP ready\r\n"u8.ToArray());
            var buffer = new byte[1024];
            var line = new StringBuilder();
            while (!line.ToString().Contains('\n', StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    break;
                }

                line.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            await stream.WriteAsync("421 4.3.0 not today\r\n"u8.ToArray());
            return line.ToString();
        });

        var options = new PostfixOptions();
        options.LmtpDomains["mailbox.test"] = (IPEndPoint)listener.LocalEndpoint;
        await using var postfix = await PostfixServer.StartAsync(options);
        await postfix.SubmitAsync("a@sender.example", ["user@mailbox.test"], "Subject: lmtp\r\n\r\nbody\r\n"u8.ToArray());
        var first = await lhlo.WaitAsync(Patience);
        Assert.StartsWith("LHLO relay.postfix.test", first, StringComparison.Ordinal);
    }

    private static async Task<Received> WaitForMessageAsync(ServerHarness harness, PostfixServer postfix)
    {
        try
        {
            return await harness.WaitForMessageAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Nothing arrived from Postfix.\n{await postfix.QueueAsync()}\n{postfix.ReadLog()}");
        }
    }
}
