using System.Text;
using Hookline.Smtp.Client;
using Hookline.Testing.Servers;

namespace Hookline.Smtp.Tests.Client;

/// <summary>Hookline's SMTP client against Hookline's own SMTP server on loopback.</summary>
public sealed class SmtpClientTests
{
    // The test server on 127.0.0.1 presents a self-signed certificate made for the run: any is accepted.
#pragma warning disable CA5359
    private static SmtpClientOptions Options => new() { ClientName = "client.test", CommandTimeout = TimeSpan.FromSeconds(30), ServerCertificateValidation = (_, _, _, _) => true };
#pragma warning restore CA5359

    [Fact]
    public async Task Sends_with_pipelining_dot_stuffing_and_line_ends_made_crlf()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = new SmtpClient(Options);
        await client.ConnectAsync("127.0.0.1", harness.EndPoint.Port, SmtpSecurity.None);
        Assert.True(client.IsExtended);
        Assert.True(client.Supports("PIPELINING"));
        Assert.True(client.MaxMessageSize > 0);
        var message = Encoding.ASCII.GetBytes("Subject: dots\r\n\r\n.one\r\n..two\r\nbare\nlf\r\n.\r\nend");
        var result = await client.SendAsync("sender@client.test", ["reports@hookline.test", "phish@hookline.test"], message);
        Assert.Equal(250, result.Reply.Code);
        Assert.Equal("2.0.0", result.Reply.EnhancedCode);
        var received = await harness.WaitForMessageAsync();
        Assert.Equal("Subject: dots\r\n\r\n.one\r\n..two\r\nbare\r\nlf\r\n.\r\nend\r\n", Encoding.ASCII.GetString(received.Data));
        Assert.Equal(2, received.Envelope.Recipients.Count);
        await client.QuitAsync();
    }

    [Fact]
    public async Task StartTls_upgrades_and_says_ehlo_again()
    {
        await using var harness = await ServerHarness.StartAsync(o => { o.Certificate = TestCertificate.Instance.Certificate; o.RequireTls = true; });
        await using var client = new SmtpClient(Options);
        await client.ConnectAsync("127.0.0.1", harness.EndPoint.Port, SmtpSecurity.StartTls);
        Assert.True(client.IsSecure);
        Assert.False(client.Supports("STARTTLS"));
        await client.SendAsync("a@client.test", ["reports@hookline.test"], "Subject: tls\r\n\r\nx\r\n"u8.ToArray());
        Assert.True((await harness.WaitForMessageAsync()).Envelope.Secure);
    }

    [Fact]
    public async Task Refusals_are_permanent_for_5xx_and_transient_for_4xx_and_the_session_stays_usable()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = new SmtpClient(Options);
        await client.ConnectAsync("127.0.0.1", harness.EndPoint.Port, SmtpSecurity.None);
        var e = await Assert.ThrowsAsync<SmtpException>(() => client.SendAsync("a@client.test", ["nobody@elsewhere.test"], "x\r\n"u8.ToArray()));
        Assert.True(e.IsPermanent);
        Assert.Equal(SmtpFailureStage.Transaction, e.Stage);
        Assert.Equal(550, e.Reply!.Code);

        var mixed = await client.SendAsync("a@client.test", ["reports@hookline.test", "nobody@elsewhere.test"], "Subject: m\r\n\r\nx\r\n"u8.ToArray());
        Assert.Equal(["reports@hookline.test"], mixed.AcceptedRecipients);
        Assert.Equal(550, mixed.RejectedRecipients["nobody@elsewhere.test"].Code);

        harness.Before = (_, _, _) => throw new InvalidOperationException("store down");
        e = await Assert.ThrowsAsync<SmtpException>(() => client.SendAsync("a@client.test", ["reports@hookline.test"], "x\r\n"u8.ToArray()));
        Assert.True(e.IsTransient);
        Assert.False(e.DeliveryUnknown);
        Assert.Equal(451, e.Reply!.Code);
        await client.NoopAsync();
        await client.ResetAsync();
    }

    [Fact]
    public async Task The_commit_point_runs_before_the_end_of_data_and_a_failing_one_sends_nothing()
    {
        await using var harness = await ServerHarness.StartAsync();
        var order = new List<string>();
        harness.Before = (_, _, _) => { lock (order) { order.Add("server has the message"); } return Task.CompletedTask; };
        await using (var client = new SmtpClient(Options))
        {
            await client.ConnectAsync("127.0.0.1", harness.EndPoint.Port, SmtpSecurity.None);
            await client.SendAsync("a@client.test", ["reports@hookline.test"], "x\r\n"u8.ToArray(), _ => { lock (order) { order.Add("commit point"); } return Task.CompletedTask; });
        }

        Assert.Equal(["commit point", "server has the message"], order);

        await using (var client = new SmtpClient(Options))
        {
            await client.ConnectAsync("127.0.0.1", harness.EndPoint.Port, SmtpSecurity.None);
            await Assert.ThrowsAsync<TimeoutException>(() => client.SendAsync("a@client.test", ["reports@hookline.test"], "y\r\n"u8.ToArray(), _ => throw new TimeoutException("database gone")));
            Assert.False(client.IsConnected);
        }

        await Task.Delay(300);
        Assert.Single(harness.Messages);
    }

    [Fact]
    public async Task No_reply_after_the_end_of_data_is_reported_as_delivery_unknown()
    {
        await using var harness = await ServerHarness.StartAsync();
        harness.Before = (_, _, token) => Task.Delay(TimeSpan.FromSeconds(5), token);
        var options = Options;
        options.DataTerminationTimeout = TimeSpan.FromMilliseconds(500);
        await using var client = new SmtpClient(options);
        await client.ConnectAsync("127.0.0.1", harness.EndPoint.Port, SmtpSecurity.None);
        var e = await Assert.ThrowsAsync<SmtpException>(() => client.SendAsync("a@client.test", ["reports@hookline.test"], "x\r\n"u8.ToArray()));
        Assert.True(e.DeliveryUnknown);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task A_closed_port_is_a_transient_connect_failure()
    {
        await using var client = new SmtpClient(Options);
        var e = await Assert.ThrowsAsync<SmtpException>(() => client.ConnectAsync("127.0.0.1", FreePort.Next(), SmtpSecurity.None));
        Assert.True(e.IsTransient);
        Assert.Equal(SmtpFailureStage.Connect, e.Stage);
    }

    [Theory]
    [InlineData("250 2.1.0 Ok", 250, "2.1.0", "Ok")]
    [InlineData("550-5.1.1 No such user\r\n550 5.1.1 see https://x", 550, "5.1.1", "No such user / see https://x")]
    [InlineData("421 4.4.2 closing", 421, "4.4.2", "closing")]
    [InlineData("250 5.1.1 wrong class kept as text", 250, null, "5.1.1 wrong class kept as text")]
    [InlineData("354", 354, null, "")]
    public async Task Replies_are_parsed_with_their_enhanced_codes(string wire, int code, string? enhanced, string text)
    {
        var reader = new SmtpReplyReader(new MemoryStream(Encoding.ASCII.GetBytes(wire + "\r\n")), 1000, 10);
        var reply = await reader.ReadAsync(enhancedCodes: true, default);
        Assert.Equal(code, reply.Code);
        Assert.Equal(enhanced, reply.EnhancedCode);
        Assert.Equal(text, reply.Text);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("250-a\r\n251 b")]
    [InlineData("25")]
    [InlineData("250_x")]
    public async Task Malformed_replies_are_transient_protocol_errors(string wire)
    {
        var reader = new SmtpReplyReader(new MemoryStream(Encoding.ASCII.GetBytes(wire + "\r\n")), 1000, 10);
        var e = await Assert.ThrowsAsync<SmtpException>(() => reader.ReadAsync(true, default));
        Assert.True(e.IsTransient);
    }
}
