using Hookline.Testing.Servers;

namespace Hookline.Smtp.Tests;

public sealed class StartTlsTests
{
    private static Task<ServerHarness> StartAsync(bool requireTls = false) => ServerHarness.StartAsync(o =>
    {
        o.Certificate = TestCertificate.Instance.Certificate;
        o.RequireTls = requireTls;
    });

    [Fact]
    public async Task STARTTLS_starts_the_session_over_and_the_message_is_marked_secure()
    {
        await using var harness = await StartAsync();
        await using var client = await SmtpTestClient.ConnectAsync(harness.EndPoint);
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        var ehlo = await client.CommandAsync("EHLO client.test");
        Assert.Contains("STARTTLS", ehlo.Lines);
        Assert.Equal(501, (await client.CommandAsync("STARTTLS now")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<before@sender.example>")).Code);
        var ready = await client.CommandAsync("STARTTLS");
        Assert.Equal(220, ready.Code);
        await client.StartTlsAsync();

        // Nothing from before survives: no EHLO, no transaction.
        Assert.Equal(503, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        var again = await client.CommandAsync("EHLO client.test");
        Assert.Equal(250, again.Code);
        Assert.DoesNotContain("STARTTLS", again.Lines);
        Assert.Equal(503, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(503, (await client.CommandAsync("STARTTLS")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(250, (await client.CommandAsync("Subject: tls\r\n\r\nsecret\r\n.")).Code);
        var received = Assert.Single(harness.Messages);
        Assert.True(received.Envelope.Secure);
        Assert.Equal("a@sender.example", received.Envelope.MailFrom);
        Assert.Equal("Subject: tls\r\n\r\nsecret\r\n"u8.ToArray(), received.Data);
    }

    [Fact]
    public async Task Plaintext_pipelined_after_STARTTLS_is_discarded()
    {
        await using var harness = await StartAsync();
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);

        // The injection: commands sent in the clear together with STARTTLS, which a naive server
        // would run as if they had come over TLS.
        await client.SendAsync("STARTTLS\r\nMAIL FROM:<attacker@evil.example>\r\nRCPT TO:<reports@hookline.test>\r\n");
        Assert.Equal(220, (await client.ReadReplyAsync()).Code);
        await client.StartTlsAsync();

        // Had the injected lines counted, there would be replies waiting and a transaction open.
        Assert.False(await client.AnythingWithinAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(250, (await client.CommandAsync("EHLO client.test")).Code);
        Assert.Equal(503, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(503, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(0, harness.Calls);
    }

    [Fact]
    public async Task RequireTls_refuses_MAIL_in_the_clear()
    {
        await using var harness = await StartAsync(requireTls: true);
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        var refused = await client.CommandAsync("MAIL FROM:<a@sender.example>");
        Assert.Equal(530, refused.Code);
        Assert.StartsWith("5.7.0 ", refused.Text, StringComparison.Ordinal);
        Assert.Equal(220, (await client.CommandAsync("STARTTLS")).Code);
        await client.StartTlsAsync();
        Assert.Equal(250, (await client.CommandAsync("EHLO client.test")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
    }

    [Fact]
    public async Task A_failed_handshake_only_ends_that_session()
    {
        await using var harness = await StartAsync();
        await using (var client = await SmtpTestClient.OpenAsync(harness.EndPoint))
        {
            Assert.Equal(220, (await client.CommandAsync("STARTTLS")).Code);
            await client.SendAsync("this is not a TLS client hello\r\n\r\n\r\n");
            Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(10)));
        }

        await using var next = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await next.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public void RequireTls_without_a_certificate_is_a_configuration_error()
    {
        var options = new SmtpServerOptions { RequireTls = true };
        var server = new SmtpServer(options, (_, _, _) => Task.CompletedTask);
        Assert.Throws<ArgumentException>(() => server.StartAsync().GetAwaiter().GetResult());
    }
}
