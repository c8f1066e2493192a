using System.Text;

namespace Hookline.Smtp.Tests;

public sealed class ProtocolTests
{
    private const string Message = "From: Alice <alice@sender.example>\r\nTo: reports@hookline.test\r\nSubject: Suspicious\r\n\r\nPlease look at this.\r\n";

    [Fact]
    public async Task Greeting_and_EHLO_advertise_the_extensions()
    {
        await using var harness = await ServerHarness.StartAsync(o => o.MaxMessageSize = 123456);
        await using var client = await SmtpTestClient.ConnectAsync(harness.EndPoint);
        var greeting = await client.ReadReplyAsync();
        Assert.Equal(220, greeting.Code);
        Assert.StartsWith("mx.hookline.test ", greeting.Text, StringComparison.Ordinal);

        var ehlo = await client.CommandAsync("EHLO client.test");
        Assert.Equal(250, ehlo.Code);
        Assert.StartsWith("mx.hookline.test", ehlo.Lines[0], StringComparison.Ordinal);
        var keywords = ehlo.Lines.Skip(1).ToList();
        Assert.Contains("PIPELINING", keywords);
        Assert.Contains("SIZE 123456", keywords);
        Assert.Contains("8BITMIME", keywords);
        Assert.Contains("ENHANCEDSTATUSCODES", keywords);
        Assert.Contains("SMTPUTF8", keywords);
        Assert.DoesNotContain("STARTTLS", keywords);

        var helo = await client.CommandAsync("HELO client.test");
        Assert.Equal(250, helo.Code);
        Assert.Single(helo.Lines);
    }

    [Fact]
    public async Task A_transaction_hands_the_exact_bytes_and_the_envelope_to_the_handler()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint, "client.test");
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<alice@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<Reports@HOOKLINE.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<anyone@Reports.Example>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        var done = await client.CommandAsync(Message + ".");
        Assert.Equal(250, done.Code);
        Assert.StartsWith("2.0.0 ", done.Text, StringComparison.Ordinal);

        var received = Assert.Single(harness.Messages);
        Assert.Equal(Encoding.ASCII.GetBytes(Message), received.Data);
        Assert.Equal("alice@sender.example", received.Envelope.MailFrom);
        Assert.Equal(["Reports@HOOKLINE.test", "anyone@Reports.Example"], received.Envelope.Recipients);
        Assert.Equal("client.test", received.Envelope.HeloName);
        Assert.False(received.Envelope.Secure);
        Assert.Equal(1, received.Envelope.MessageNumber);
        Assert.Contains(received.Envelope.SessionId, done.Text, StringComparison.Ordinal);
        Assert.Equal(System.Net.IPAddress.Loopback, received.Envelope.RemoteEndPoint.Address);

        // A second transaction on the same connection, with the null sender.
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<phish@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(250, (await client.CommandAsync("Subject: two\r\n\r\nx\r\n.")).Code);
        Assert.Equal(2, harness.Messages.Count);
        var second = harness.Messages.Last();
        Assert.Equal("", second.Envelope.MailFrom);
        Assert.Equal(2, second.Envelope.MessageNumber);
        Assert.Equal(221, (await client.CommandAsync("QUIT")).Code);
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task RSET_abandons_the_transaction()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RSET")).Code);
        Assert.Equal(503, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(503, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(501, (await client.CommandAsync("RSET now")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<b@sender.example>")).Code);
        Assert.Empty(harness.Messages);
    }

    [Fact]
    public async Task Unknown_recipients_get_550_5_1_1_and_postmaster_only_when_listed()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        var unknown = await client.CommandAsync("RCPT TO:<someone@hookline.test>");
        Assert.Equal(550, unknown.Code);
        Assert.StartsWith("5.1.1 ", unknown.Text, StringComparison.Ordinal);
        Assert.Equal(550, (await client.CommandAsync("RCPT TO:<reports@hookline.test.evil>")).Code);
        Assert.Equal(550, (await client.CommandAsync("RCPT TO:<x@sub.reports.example>")).Code);
        Assert.Equal(501, (await client.CommandAsync("RCPT TO:<>")).Code);
        Assert.Equal(501, (await client.CommandAsync("RCPT TO:reports@hookline.test")).Code);
        Assert.Equal(501, (await client.CommandAsync("RCPT TO:<a..b@hookline.test>")).Code);
        Assert.Equal(555, (await client.CommandAsync("RCPT TO:<reports@hookline.test> NOTIFY=NEVER")).Code);
        // Every accepted message becomes a report: postmaster is not let past the list.
        Assert.Equal(550, (await client.CommandAsync("RCPT TO:<Postmaster>")).Code);
        Assert.Equal(550, (await client.CommandAsync("RCPT TO:<postmaster@mx.hookline.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<@relay.example:\"phish\"@hookline.test>")).Code);
        Assert.Equal(550, (await client.CommandAsync("RCPT TO:<\"phish hook\"@hookline.test>")).Code);
    }

    [Fact]
    public async Task Postmaster_listed_is_accepted_bare_and_in_full()
    {
        await using var harness = await ServerHarness.StartAsync(o => o.AcceptedRecipients.Add("postmaster@mx.hookline.test"));
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<Postmaster>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<POSTMASTER@mx.hookline.test>")).Code);
    }

    [Fact]
    public async Task Recipients_beyond_the_limit_get_452()
    {
        await using var harness = await ServerHarness.StartAsync(o => o.MaxRecipients = 2);
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<one@reports.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<two@reports.example>")).Code);
        var third = await client.CommandAsync("RCPT TO:<three@reports.example>");
        Assert.Equal(452, third.Code);
        Assert.StartsWith("4.5.3 ", third.Text, StringComparison.Ordinal);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(250, (await client.CommandAsync("Subject: x\r\n\r\nbody\r\n.")).Code);
        Assert.Equal(["one@reports.example", "two@reports.example"], Assert.Single(harness.Messages).Envelope.Recipients);
    }

    [Fact]
    public async Task SIZE_is_checked_at_MAIL_and_again_while_reading_DATA()
    {
        await using var harness = await ServerHarness.StartAsync(o => o.MaxMessageSize = 1000);
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        var early = await client.CommandAsync("MAIL FROM:<a@sender.example> SIZE=1001");
        Assert.Equal(552, early.Code);
        Assert.StartsWith("5.3.4 ", early.Text, StringComparison.Ordinal);
        Assert.Equal(501, (await client.CommandAsync("MAIL FROM:<a@sender.example> SIZE=ten")).Code);
        Assert.Equal(552, (await client.CommandAsync("MAIL FROM:<a@sender.example> SIZE=99999999999999999999")).Code);

        // Declared small, sent large: the whole message is read, then refused.
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example> SIZE=1000")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        var big = "Subject: big\r\n\r\n" + string.Concat(Enumerable.Repeat(new string('x', 70) + "\r\n", 100));
        var late = await client.CommandAsync(big + ".");
        Assert.Equal(552, late.Code);
        Assert.StartsWith("5.3.4 ", late.Text, StringComparison.Ordinal);
        Assert.Empty(harness.Messages);
        Assert.Equal(0, harness.Calls);

        // The session is still in step: the big body's lines were not taken as commands.
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        var exact = "Subject: fits\r\n\r\n" + new string('y', 1000 - 19) + "\r\n";
        Assert.Equal(1000, exact.Length);
        Assert.Equal(250, (await client.CommandAsync(exact + ".")).Code);
        Assert.Equal(1000, Assert.Single(harness.Messages).Data.Length);
    }

    [Fact]
    public async Task Commands_out_of_sequence_get_503()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint, ehlo: null);
        Assert.Equal(503, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(503, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(503, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(501, (await client.CommandAsync("EHLO")).Code);
        Assert.Equal(250, (await client.CommandAsync("EHLO client.test")).Code);
        Assert.Equal(501, (await client.CommandAsync("MAIL TO:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(503, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(554, (await client.CommandAsync("DATA")).Code);

        // EHLO in the middle of a transaction resets it.
        Assert.Equal(250, (await client.CommandAsync("EHLO client.test")).Code);
        Assert.Equal(503, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
    }

    [Fact]
    public async Task Other_commands_answer_as_RFC_5321_says()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(252, (await client.CommandAsync("VRFY reports")).Code);
        Assert.Equal(501, (await client.CommandAsync("VRFY")).Code);
        Assert.Equal(214, (await client.CommandAsync("HELP")).Code);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
        Assert.Equal(250, (await client.CommandAsync("noop with argument")).Code);
        Assert.Equal(502, (await client.CommandAsync("EXPN staff")).Code);
        Assert.Equal(502, (await client.CommandAsync("STARTTLS")).Code);
        Assert.Equal(502, (await client.CommandAsync("BDAT 10 LAST")).Code);
        Assert.Equal(500, (await client.CommandAsync("XYZZY")).Code);
        Assert.Equal(500, (await client.CommandAsync("")).Code);
        Assert.Equal(500, (await client.CommandAsync("NOOP\0")).Code);
        Assert.Equal(221, (await client.CommandAsync("quit")).Code);
    }

    [Fact]
    public async Task Parameters_need_EHLO_and_unknown_ones_get_555()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint, ehlo: null);
        Assert.Equal(250, (await client.CommandAsync("HELO client.test")).Code);
        Assert.Equal(555, (await client.CommandAsync("MAIL FROM:<a@sender.example> BODY=8BITMIME")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RSET")).Code);
        Assert.Equal(250, (await client.CommandAsync("EHLO client.test")).Code);
        Assert.Equal(555, (await client.CommandAsync("MAIL FROM:<a@sender.example> RET=HDRS")).Code);
        Assert.Equal(555, (await client.CommandAsync("MAIL FROM:<a@sender.example> BODY=BINARYMIME")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example> BODY=8BITMIME SIZE=10")).Code);
    }

    [Fact]
    public async Task Non_ASCII_addresses_need_SMTPUTF8()
    {
        await using var harness = await ServerHarness.StartAsync(o => o.AcceptedRecipients.Add("rapports@hookline.test"));
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        var refused = await client.CommandAsync("MAIL FROM:<jörg@absender.example>");
        Assert.Equal(553, refused.Code);
        Assert.StartsWith("5.6.7 ", refused.Text, StringComparison.Ordinal);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<jörg@absender.example> SMTPUTF8 BODY=8BITMIME")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        var body = "From: Jörg <jörg@absender.example>\r\nSubject: Grüße\r\n\r\nÜberweisung\r\n";
        Assert.Equal(250, (await client.CommandAsync(body + ".")).Code);
        var received = Assert.Single(harness.Messages);
        Assert.Equal("jörg@absender.example", received.Envelope.MailFrom);
        Assert.True(received.Envelope.Utf8);
        Assert.True(received.Envelope.EightBitMime);
        Assert.Equal(Encoding.UTF8.GetBytes(body), received.Data);

        // Not valid UTF-8 at all: a syntax error, not a crash.
        await client.SendAsync([.. "NOOP "u8, 0xC3, 0x28, .. "\r\n"u8]);
        Assert.Equal(500, (await client.ReadReplyAsync()).Code);
    }

    [Fact]
    public async Task A_too_long_line_gets_500_and_the_session_goes_on()
    {
        await using var harness = await ServerHarness.StartAsync(o => o.MaxLineLength = 512);
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        var longLine = "NOOP " + new string('a', 200_000);
        var reply = await client.CommandAsync(longLine);
        Assert.Equal(500, reply.Code);
        Assert.Contains("too long", reply.Text, StringComparison.Ordinal);
        Assert.Equal(250, (await client.CommandAsync("NOOP " + new string('a', 505))).Code);
        Assert.Equal(500, (await client.CommandAsync("NOOP " + new string('a', 506))).Code);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public async Task Too_many_bad_commands_close_the_session_with_421()
    {
        await using var harness = await ServerHarness.StartAsync(o => o.MaxBadCommands = 3);
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(500, (await client.CommandAsync("GET / HTTP/1.1")).Code);
        Assert.Equal(250, (await client.CommandAsync("NOOP")).Code);
        Assert.Equal(500, (await client.CommandAsync("Host: example")).Code);
        await client.SendAsync("Accept: */*\r\nMore: junk\r\nAnd: more\r\n");
        Assert.Equal(500, (await client.ReadReplyAsync()).Code);
        var last = await client.ReadReplyAsync();
        Assert.Equal(421, last.Code);
        Assert.StartsWith("4.7.0 ", last.Text, StringComparison.Ordinal);
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task An_idle_client_is_disconnected_with_421_after_the_command_timeout()
    {
        await using var harness = await ServerHarness.StartAsync(o => o.CommandTimeout = TimeSpan.FromSeconds(1));
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        var started = DateTime.UtcNow;
        var reply = await client.ReadReplyAsync();
        Assert.Equal(421, reply.Code);
        Assert.StartsWith("4.4.2 ", reply.Text, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(800));
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_client_stalling_inside_DATA_is_disconnected_after_the_data_timeout_and_nothing_is_stored()
    {
        await using var harness = await ServerHarness.StartAsync(o => o.DataTimeout = TimeSpan.FromMilliseconds(400));
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync("Subject: half\r\n\r\nhalf a mess");
        var reply = await client.ReadReplyAsync();
        Assert.Equal(421, reply.Code);
        Assert.True(await client.IsClosedAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, harness.Calls);
    }

    [Fact]
    public async Task Pipelined_MAIL_RCPT_DATA_in_one_write_are_answered_in_order()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        await client.SendAsync("MAIL FROM:<a@sender.example>\r\nRCPT TO:<reports@hookline.test>\r\nRCPT TO:<nobody@hookline.test>\r\nRCPT TO:<phish@hookline.test>\r\nDATA\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(550, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(354, (await client.ReadReplyAsync()).Code);
        await client.SendAsync(Message + ".\r\nMAIL FROM:<b@sender.example>\r\nRCPT TO:<reports@hookline.test>\r\nDATA\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(354, (await client.ReadReplyAsync()).Code);
        await client.SendAsync("Subject: 2\r\n\r\n.\r\nQUIT\r\n");
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(221, (await client.ReadReplyAsync()).Code);
        Assert.Equal(2, harness.Messages.Count);
        Assert.Equal(["reports@hookline.test", "phish@hookline.test"], harness.Messages.First().Envelope.Recipients);
        Assert.Equal(Encoding.ASCII.GetBytes(Message), harness.Messages.First().Data);
    }

    [Fact]
    public async Task Dot_stuffed_lines_are_unstuffed()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);

        // As sent (the client has doubled every leading dot) and as meant.
        var sent = "Subject: dots\r\n\r\n..\r\n...\r\n..hidden\r\n a . line\r\n.. .\r\n.x\r\n";
        var meant = "Subject: dots\r\n\r\n.\r\n..\r\n.hidden\r\n a . line\r\n. .\r\nx\r\n";
        Assert.Equal(250, (await client.CommandAsync(sent + ".")).Code);
        Assert.Equal(Encoding.ASCII.GetBytes(meant), Assert.Single(harness.Messages).Data);

        // An empty message and one without a final line end inside it.
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(250, (await client.CommandAsync(".")).Code);
        Assert.Empty(harness.Messages.Last().Data);
    }

    [Fact]
    public async Task Eight_bit_bytes_are_kept_exactly()
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example> BODY=8BITMIME")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);

        // Every octet value except CR and LF, in lines of 64, plus Latin-1 and invalid UTF-8.
        var message = new List<byte>("Subject: bytes\r\n\r\n"u8.ToArray());
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).Where(b => b is not (byte)'\r' and not (byte)'\n').ToArray();
        foreach (var chunk in all.Chunk(64))
        {
            message.AddRange(chunk);
            message.AddRange("\r\n"u8.ToArray());
        }

        message.AddRange([0xE9, 0x74, 0xE9, 0x0D, 0x0A, 0xC3, 0x28, 0xFF, 0xFE, 0x0D, 0x0A]);
        await client.SendAsync([.. message, .. ".\r\n"u8]);
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Equal(message.ToArray(), Assert.Single(harness.Messages).Data);
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\r.\r")]
    [InlineData("\n.\r\n")]
    [InlineData("\r\n.\n")]
    [InlineData("\r\n.\r")]
    [InlineData("\r.\r\n")]
    public async Task Smuggling_sequences_neither_end_the_message_nor_let_a_second_one_through(string fakeEnd)
    {
        await using var harness = await ServerHarness.StartAsync();
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        var smuggled = "Subject: outer\r\n\r\nouter body" + fakeEnd
            + "MAIL FROM:<ceo@victim.example>\r\nRCPT TO:<phish@hookline.test>\r\nDATA\r\nSubject: smuggled\r\n\r\nsmuggled\r\n.\r\n";
        await client.SendAsync(smuggled);

        // Exactly one reply, for the whole thing: refused. None for the smuggled commands.
        var reply = await client.ReadReplyAsync();
        Assert.Equal(554, reply.Code);
        Assert.StartsWith("5.6.0 ", reply.Text, StringComparison.Ordinal);
        Assert.False(await client.AnythingWithinAsync(TimeSpan.FromMilliseconds(300)));
        Assert.Equal(0, harness.Calls);

        // The session is in step and usable.
        Assert.Equal(503, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(250, (await client.CommandAsync("Subject: clean\r\n\r\nclean\r\n.")).Code);
        Assert.Equal("Subject: clean\r\n\r\nclean\r\n"u8.ToArray(), Assert.Single(harness.Messages).Data);
    }

    [Fact]
    public async Task A_failing_handler_gets_451_and_nothing_is_acknowledged()
    {
        await using var harness = await ServerHarness.StartAsync();
        var fail = true;
        harness.Before = (_, _, _) => fail ? throw new IOException("disk full") : Task.CompletedTask;
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        var reply = await client.CommandAsync(Message + ".");
        Assert.Equal(451, reply.Code);
        Assert.StartsWith("4.3.0 ", reply.Text, StringComparison.Ordinal);
        Assert.Empty(harness.Messages);
        Assert.Equal(1, harness.Calls);

        // The transaction is over; the client retries and this time it is stored.
        fail = false;
        Assert.Equal(503, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        Assert.Equal(250, (await client.CommandAsync(Message + ".")).Code);
        Assert.Single(harness.Messages);
    }

    [Fact]
    public async Task The_250_comes_only_after_the_handler_completed()
    {
        await using var harness = await ServerHarness.StartAsync();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Before = async (_, _, _) =>
        {
            entered.SetResult();
            await release.Task;
        };
        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync(Message + ".\r\n");
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(await client.AnythingWithinAsync(TimeSpan.FromMilliseconds(700)));
        Assert.Empty(harness.Messages);
        release.SetResult();
        Assert.Equal(250, (await client.ReadReplyAsync()).Code);
        Assert.Single(harness.Messages);
    }

    [Fact]
    public async Task Connections_beyond_the_session_limit_get_421_and_the_others_carry_on()
    {
        await using var harness = await ServerHarness.StartAsync(o => o.MaxSessions = 2);
        await using var first = await SmtpTestClient.OpenAsync(harness.EndPoint);
        await using var second = await SmtpTestClient.OpenAsync(harness.EndPoint);
        await using (var third = await SmtpTestClient.ConnectAsync(harness.EndPoint))
        {
            var refused = await third.ReadReplyAsync();
            Assert.Equal(421, refused.Code);
            Assert.StartsWith("4.3.2 ", refused.Text, StringComparison.Ordinal);
            Assert.True(await third.IsClosedAsync(TimeSpan.FromSeconds(5)));
        }

        Assert.Equal(250, (await first.CommandAsync("NOOP")).Code);
        Assert.Equal(221, (await second.CommandAsync("QUIT")).Code);
        Assert.True(await second.IsClosedAsync(TimeSpan.FromSeconds(5)));

        // A slot is free again.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (harness.Server.ActiveSessions > 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await using var fourth = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await fourth.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public async Task Hostile_clients_do_not_affect_the_listener()
    {
        await using var harness = await ServerHarness.StartAsync();

        // Gone in the middle of DATA: nothing stored.
        await using (var cut = await SmtpTestClient.OpenAsync(harness.EndPoint))
        {
            Assert.Equal(250, (await cut.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
            Assert.Equal(250, (await cut.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
            Assert.Equal(354, (await cut.CommandAsync("DATA")).Code);
            await cut.SendAsync("Subject: cut\r\n\r\nhalf");
        }

        // Garbage, a TLS hello on the plain port, and a connection closed at once.
        var random = new Random(7);
        for (var i = 0; i < 5; i++)
        {
            await using var junk = await SmtpTestClient.ConnectAsync(harness.EndPoint);
            var bytes = new byte[5000];
            random.NextBytes(bytes);
            await junk.SendAsync(bytes);
        }

        await using (var tlsOnPlain = await SmtpTestClient.ConnectAsync(harness.EndPoint))
        {
            await tlsOnPlain.SendAsync([0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x03, 0x03]);
        }

        await (await SmtpTestClient.ConnectAsync(harness.EndPoint)).DisposeAsync();

        await using var good = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await good.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await good.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await good.CommandAsync("DATA")).Code);
        Assert.Equal(250, (await good.CommandAsync(Message + ".")).Code);
        Assert.Single(harness.Messages);
        Assert.Equal(1, harness.Calls);
    }

    [Fact]
    public async Task Stopping_the_server_tells_idle_clients_421_and_frees_the_port()
    {
        var harness = await ServerHarness.StartAsync();
        var endPoint = harness.EndPoint;
        await using var client = await SmtpTestClient.OpenAsync(endPoint);
        await harness.Server.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var reply = await client.ReadReplyAsync();
        Assert.Equal(421, reply.Code);
        Assert.StartsWith("4.3.2 ", reply.Text, StringComparison.Ordinal);
        await harness.DisposeAsync();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => SmtpTestClient.ConnectAsync(endPoint));
    }
}
