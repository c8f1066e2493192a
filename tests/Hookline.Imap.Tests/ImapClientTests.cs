using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Hookline.Testing.Servers;
using Xunit.Abstractions;

namespace Hookline.Imap.Tests;

/// <summary>Every client command against a real Dovecot.</summary>
public sealed class ImapClientTests(DovecotFixture dovecot, ITestOutputHelper output) : IClassFixture<DovecotFixture>
{
    private DovecotServer Server => dovecot.Server;

    internal static bool TrustTestCertificate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors)
    {
        return certificate is not null
            && string.Equals(certificate.GetCertHashString(), TestCertificate.Instance.Certificate.GetCertHashString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Greeting_capabilities_then_login()
    {
        var user = dovecot.NewUser();
        await using var client = new ImapClient();
        await client.ConnectAsync(Server.Host, Server.ImapPort, ImapSecurity.None);
        Assert.True(client.IsConnected);
        Assert.False(client.IsSecure);
        Assert.Contains("IMAP4REV1", client.Capabilities);
        Assert.True(client.Supports("STARTTLS"));
        Assert.False(client.Supports("MOVE"));
        await client.LoginAsync(user, "secret");
        Assert.True(client.IsAuthenticated);
        Assert.True(client.Supports("MOVE"));
        Assert.True(client.Supports("UIDPLUS"));
        Assert.Contains("IDLE", await client.CapabilityAsync());
        await client.LogoutAsync();
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Wrong_password_is_a_command_exception_and_the_connection_stays_usable()
    {
        var user = dovecot.NewUser();
        await using var client = new ImapClient();
        await client.ConnectAsync(Server.Host, Server.ImapPort, ImapSecurity.None);
        var failure = await Assert.ThrowsAsync<ImapCommandException>(() => client.LoginAsync(user, "wrong"));
        Assert.Equal("NO", failure.Status);
        Assert.Equal("AUTHENTICATIONFAILED", failure.ResponseCode);
        Assert.Contains("Authentication failed", failure.ResponseText, StringComparison.Ordinal);
        Assert.False(client.IsAuthenticated);
        await client.LoginAsync(user, "secret");
        await client.SelectAsync("INBOX");
    }

    [Fact]
    public async Task Login_with_a_password_that_needs_quoting_and_a_literal()
    {
        var user = Server.AddUser();
        const string password = "p\"a\\ss wörd";
        Server.AddUser(user, password);
        await using var client = new ImapClient();
        await client.ConnectAsync(Server.Host, Server.ImapPort, ImapSecurity.None);
        await client.LoginAsync(user, password);
        Assert.True(client.IsAuthenticated);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Authenticate_plain_with_and_without_sasl_ir(bool ignoreSaslIr)
    {
        var user = dovecot.NewUser();
        var options = new ImapClientOptions();
        if (ignoreSaslIr)
        {
            options.IgnoredCapabilities.Add("SASL-IR");
        }

        await using var client = new ImapClient(options);
        await client.ConnectAsync(Server.Host, Server.ImapPort, ImapSecurity.None);
        Assert.Equal(!ignoreSaslIr, client.Supports("SASL-IR"));
        await Assert.ThrowsAsync<ImapCommandException>(() => client.AuthenticatePlainAsync(user, "bad"));
        await client.AuthenticatePlainAsync(user, "secret");
        Assert.True(client.IsAuthenticated);
        Assert.Equal(0u, (await client.SelectAsync("INBOX")).Exists);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Authenticate_xoauth2_checked_by_dovecot_against_the_introspection_endpoint(bool ignoreSaslIr)
    {
        var user = dovecot.NewUser();
        var token = "tok-" + Guid.NewGuid().ToString("N");
        Server.AddOAuthToken(token, user);
        var options = new ImapClientOptions();
        if (ignoreSaslIr)
        {
            options.IgnoredCapabilities.Add("SASL-IR");
        }

        await using var client = new ImapClient(options);
        await client.ConnectAsync(Server.Host, Server.ImapPort, ImapSecurity.None);
        Assert.True(client.Supports("AUTH=XOAUTH2"));
        var failure = await Assert.ThrowsAsync<ImapCommandException>(() => client.AuthenticateXOAuth2Async(user, "not-a-token"));
        Assert.Equal("NO", failure.Status);
        await client.AuthenticateXOAuth2Async(user, token);
        Assert.True(client.IsAuthenticated);
        await client.SelectAsync("INBOX");
        Assert.Contains("method=XOAUTH2", Server.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_upgrades_the_connection()
    {
        var user = dovecot.NewUser();
        await using var client = new ImapClient(new ImapClientOptions { ServerCertificateValidation = TrustTestCertificate });
        await client.ConnectAsync("localhost", Server.ImapPort, ImapSecurity.StartTls);
        Assert.True(client.IsSecure);
        Assert.False(client.Supports("STARTTLS"));
        await client.LoginAsync(user, "secret");
        await client.SelectAsync("INBOX");
        Assert.Contains("TLS", Server.ReadLog(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Implicit_tls()
    {
        var user = dovecot.NewUser();
        await using var client = new ImapClient(new ImapClientOptions { ServerCertificateValidation = TrustTestCertificate });
        await client.ConnectAsync("localhost", Server.ImapsPort, ImapSecurity.Tls);
        Assert.True(client.IsSecure);
        await client.AuthenticatePlainAsync(user, "secret");
        await client.SelectAsync("INBOX");
    }

    [Theory]
    [InlineData(ImapSecurity.Tls)]
    [InlineData(ImapSecurity.StartTls)]
    public async Task A_self_signed_certificate_is_rejected_by_default(ImapSecurity security)
    {
        await using var client = new ImapClient();
        var port = security == ImapSecurity.Tls ? Server.ImapsPort : Server.ImapPort;
        var failure = await Assert.ThrowsAsync<ImapException>(() => client.ConnectAsync("localhost", port, security));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(failure.InnerException);
        Assert.Contains("TLS handshake", failure.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Connection_refused_is_an_imap_exception()
    {
        await using var client = new ImapClient();
        var failure = await Assert.ThrowsAsync<ImapException>(() => client.ConnectAsync("127.0.0.1", FreePort.Next(), ImapSecurity.None));
        Assert.IsType<SocketException>(failure.InnerException);
    }

    [Fact]
    public async Task Select_and_examine_report_the_mailbox()
    {
        var user = dovecot.NewUser();
        await using var client = await dovecot.LoginAsync(user);
        await client.AppendAsync("INBOX", DovecotFixture.Message("one"));
        await client.AppendAsync("INBOX", DovecotFixture.Message("two"), ["\\Seen"]);
        var box = await client.SelectAsync("INBOX");
        Assert.Equal(2u, box.Exists);
        Assert.NotEqual(0u, box.UidValidity);
        Assert.Equal(3u, box.UidNext);
        Assert.False(box.ReadOnly);
        Assert.Contains("\\Seen", box.Flags);
        Assert.Contains("\\Deleted", box.PermanentFlags);
        var examined = await client.ExamineAsync("INBOX");
        Assert.True(examined.ReadOnly);
        Assert.Equal(box.UidValidity, examined.UidValidity);
        Assert.Equal(2u, examined.Exists);
        await Assert.ThrowsAsync<ImapCommandException>(() => client.SelectAsync("Nope"));
        Assert.Null(client.SelectedMailbox);
    }

    [Fact]
    public async Task Create_list_delete_with_modified_utf7_names()
    {
        var user = dovecot.NewUser();
        await using var client = await dovecot.LoginAsync(user);
        const string name = "Berichte/Übermäßig & 日本語 ~peter";
        Assert.True(await client.CreateAsync(name));
        Assert.False(await client.CreateAsync(name));
        Assert.Equal('/', await client.GetHierarchyDelimiterAsync());
        var all = await client.ListAsync("", "*");
        Assert.Contains(all, e => e.Name == name && e.Delimiter == '/');
        Assert.Contains(all, e => e.Name == "Berichte");
        Assert.Contains(all, e => e.Name == "INBOX");
        var pattern = await client.ListAsync("", "Berichte/%");
        Assert.Equal(name, Assert.Single(pattern).Name);

        // Dovecot keeps the encoded name on disk: the client sent modified UTF-7, not raw UTF-8.
        var maildir = Path.Combine(Server.MailRoot, user, "Maildir");
        Assert.Contains(Directory.GetDirectories(maildir), d => Path.GetFileName(d).EndsWith(ImapUtf7.Encode("Übermäßig & 日本語 ~peter"), StringComparison.Ordinal));

        await client.AppendAsync(name, DovecotFixture.Message("in a unicode folder"));
        Assert.Equal(1u, (await client.SelectAsync(name)).Exists);
        await client.SelectAsync("INBOX");
        await client.DeleteAsync(name);
        Assert.DoesNotContain(await client.ListAsync("", "*"), e => e.Name == name);
    }

    [Fact]
    public async Task Append_then_fetch_gives_the_same_bytes()
    {
        var user = dovecot.NewUser();
        await using var client = await dovecot.LoginAsync(user);
        var raw = new List<byte>(Encoding.ASCII.GetBytes("Subject: =?x?= 8bit\r\nX-Bin: "));
        for (var b = 0x80; b <= 0xFF; b++)
        {
            raw.Add((byte)b);
        }

        raw.AddRange(Encoding.ASCII.GetBytes("\r\n\r\nline one\r\nlone CR\rhere\r\n\r\n{5}\r\n\"quoted\" \\ ) ( * %\r\n"));
        raw.AddRange(Encoding.UTF8.GetBytes("Grüße, 你好\r\n"));
        var body = raw.ToArray();
        var date = new DateTimeOffset(2025, 12, 24, 18, 30, 5, TimeSpan.FromHours(-5));
        var uid = await client.AppendAsync("INBOX", body, ["\\Flagged"], date);
        Assert.Equal(1u, uid);
        await client.SelectAsync("INBOX");
        var fetched = Assert.Single(await client.FetchMessagesAsync([uid!.Value]));
        Assert.Equal(body, fetched.Body);
        Assert.Equal(date, fetched.InternalDate);
        var summary = Assert.Single(await client.FetchSummariesAsync([uid.Value]));
        Assert.Equal(body.Length, summary.Size);
    }

    [Fact]
    public async Task Bare_lf_reaches_dovecot_verbatim_and_dovecot_returns_it_as_crlf()
    {
        // IMAP messages are CRLF text (RFC 3501 2.2): Dovecot stores lines with LF and hands out CRLF, so a
        // bare LF comes back as CRLF. The client writes and reads literals verbatim (see the scripted tests).
        var user = dovecot.NewUser();
        await using var client = await dovecot.LoginAsync(user);
        var body = Encoding.ASCII.GetBytes("Subject: lf\r\n\r\nbare\nlf\r\ncrlf\r\n");
        var uid = await client.AppendAsync("INBOX", body);
        await client.SelectAsync("INBOX");
        var fetched = Assert.Single(await client.FetchMessagesAsync([uid!.Value]));
        Assert.Equal(Encoding.ASCII.GetBytes("Subject: lf\r\n\r\nbare\r\nlf\r\ncrlf\r\n"), fetched.Body);
    }

    [Fact]
    public async Task A_50_MB_message_round_trips_byte_for_byte()
    {
        var user = dovecot.NewUser();
        await using var client = await dovecot.LoginAsync(user);
        var body = new byte[50 * 1024 * 1024];
        var random = new Random(42);
        var header = Encoding.ASCII.GetBytes("Subject: big\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        header.CopyTo(body, 0);
        for (var i = header.Length; i < body.Length; i += 100)
        {
            var line = Math.Min(100, body.Length - i);
            random.NextBytes(body.AsSpan(i, line));
            for (var j = i; j < i + line; j++)
            {
                if (body[j] is (byte)'\r' or (byte)'\n' or 0)
                {
                    body[j] = (byte)'x';
                }
            }

            if (line == 100)
            {
                body[i + 98] = (byte)'\r';
                body[i + 99] = (byte)'\n';
            }
        }

        body[^2] = (byte)'\r';
        body[^1] = (byte)'\n';
        var clock = Stopwatch.StartNew();
        var uid = await client.AppendAsync("INBOX", body);
        var appended = clock.Elapsed;
        await client.SelectAsync("INBOX");
        var fetched = Assert.Single(await client.FetchMessagesAsync([uid!.Value]));
        output.WriteLine($"50 MB: APPEND {appended.TotalMilliseconds:F0} ms, FETCH {(clock.Elapsed - appended).TotalMilliseconds:F0} ms");
        Assert.Equal(body.Length, fetched.Body.Length);
        Assert.True(body.AsSpan().SequenceEqual(fetched.Body));
    }

    [Theory]
    [InlineData("")]
    [InlineData("LITERAL+")]
    [InlineData("MULTIAPPEND")]
    [InlineData("LITERAL+ MULTIAPPEND UIDPLUS")]
    public async Task Bulk_append_with_and_without_extensions(string ignoredCapabilities)
    {
        var user = dovecot.NewUser();
        var options = new ImapClientOptions { AppendBatchMessages = 40 };
        var ignored = ignoredCapabilities.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var capability in ignored)
        {
            options.IgnoredCapabilities.Add(capability);
        }

        await using var client = await dovecot.LoginAsync(user, options);
        var messages = Enumerable.Range(0, 150).Select(i => new ImapAppendMessage(DovecotFixture.Message("bulk " + i, new string('x', i * 37)))).ToList();
        var uids = await client.AppendAsync("INBOX", messages);
        if (ignored.Contains("UIDPLUS"))
        {
            Assert.Empty(uids);
        }
        else
        {
            Assert.Equal(Enumerable.Range(1, 150).Select(i => (uint)i), uids);
        }

        var box = await client.SelectAsync("INBOX");
        Assert.Equal(150u, box.Exists);
        var fetched = await client.FetchMessagesAsync(await client.UidSearchAllAsync());
        Assert.Equal(messages.Select(m => m.Body.ToArray()), fetched.Select(f => f.Body));
    }

    [Fact]
    public async Task Append_to_a_missing_mailbox_fails_with_trycreate_and_the_connection_stays_usable()
    {
        var user = dovecot.NewUser();
        await using var client = await dovecot.LoginAsync(user);
        var failure = await Assert.ThrowsAsync<ImapCommandException>(() => client.AppendAsync("Missing", [new ImapAppendMessage(DovecotFixture.Message("a")), new ImapAppendMessage(DovecotFixture.Message("b"))]));
        Assert.Equal("TRYCREATE", failure.ResponseCode);
        await client.NoopAsync();
        Assert.NotNull(await client.AppendAsync("INBOX", DovecotFixture.Message("fine")));
    }

    [Fact]
    public async Task Ten_thousand_messages_bulk_append_benchmark()
    {
        var user = dovecot.NewUser();
        await using var client = await dovecot.LoginAsync(user);
        var messages = Enumerable.Range(0, 10_000).Select(i => new ImapAppendMessage(DovecotFixture.Message("bench " + i, "Body of message " + i + ".\r\n" + new string('z', 1500)))).ToList();
        var clock = Stopwatch.StartNew();
        var uids = await client.AppendAsync("INBOX", messages);
        var append = clock.Elapsed;
        var box = await client.SelectAsync("INBOX");
        var all = await client.UidSearchAllAsync();
        clock.Restart();
        long bytes = 0;
        foreach (var chunk in all.Chunk(500))
        {
            bytes += (await client.FetchMessagesAsync(chunk)).Sum(m => (long)m.Body.Length);
        }

        var fetch = clock.Elapsed;
        output.WriteLine($"10,000 messages: APPEND {append.TotalMilliseconds:F0} ms ({10_000 / append.TotalSeconds:F0}/s), FETCH {fetch.TotalMilliseconds:F0} ms ({10_000 / fetch.TotalSeconds:F0}/s)");
        Assert.Equal(10_000, uids.Count);
        Assert.Equal(10_000u, box.Exists);
        Assert.Equal(uids, all);
        Assert.Equal(messages.Sum(m => (long)m.Body.Length), bytes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Uid_search_all_and_ranges(bool ignoreEsearch)
    {
        var user = dovecot.NewUser();
        var options = new ImapClientOptions();
        if (ignoreEsearch)
        {
            options.IgnoredCapabilities.Add("ESEARCH");
        }

        await using var client = await dovecot.LoginAsync(user, options);
        await client.SelectAsync("INBOX");
        Assert.Empty(await client.UidSearchAllAsync());
        Assert.Empty(await client.UidSearchRangeAsync(1));
        await client.AppendAsync("INBOX", Enumerable.Range(0, 10).Select(i => new ImapAppendMessage(DovecotFixture.Message("s" + i))).ToList());
        await client.SelectAsync("INBOX");
        await client.AddFlagsAsync([2, 3, 4, 8], ["\\Deleted"]);
        await client.ExpungeAsync();
        Assert.Equal(6u, client.SelectedMailbox!.Exists);
        Assert.Equal([1u, 5, 6, 7, 9, 10], await client.UidSearchAllAsync());
        Assert.Equal([5u, 6, 7], await client.UidSearchRangeAsync(4, 8));
        Assert.Equal([9u, 10], await client.UidSearchRangeAsync(9));
        Assert.Empty(await client.UidSearchRangeAsync(11));
        Assert.Equal([1u, 5], await client.UidSearchAsync("UID 1:6 NOT UID 6"));
        await Assert.ThrowsAsync<ImapCommandException>(() => client.UidSearchAsync("NOSUCHKEY"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("MOVE")]
    [InlineData("MOVE UIDPLUS")]
    public async Task Move_and_its_fallbacks(string ignoredCapabilities)
    {
        var user = dovecot.NewUser();
        var options = new ImapClientOptions();
        var ignored = ignoredCapabilities.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var capability in ignored)
        {
            options.IgnoredCapabilities.Add(capability);
        }

        await using var client = await dovecot.LoginAsync(user, options);
        await client.CreateAsync("Done");
        var messages = Enumerable.Range(0, 5).Select(i => DovecotFixture.Message("m" + i)).ToList();
        await client.AppendAsync("INBOX", messages.Select(m => new ImapAppendMessage(m)).ToList());
        await client.SelectAsync("INBOX");
        await client.MoveAsync([2, 3, 5], "Done");
        Assert.Equal([1u, 4], await client.UidSearchAllAsync());
        Assert.Equal(2u, client.SelectedMailbox!.Exists);
        await client.SelectAsync("Done");
        var moved = await client.FetchMessagesAsync(await client.UidSearchAllAsync());
        Assert.Equal([messages[1], messages[2], messages[4]], moved.Select(m => m.Body));
    }

    [Fact]
    public async Task Idle_is_woken_by_an_append_from_another_connection()
    {
        var user = dovecot.NewUser();
        await using var watcher = await dovecot.LoginAsync(user);
        await using var writer = await dovecot.LoginAsync(user);
        await watcher.SelectAsync("INBOX");
        var clock = Stopwatch.StartNew();
        var idle = watcher.IdleAsync(TimeSpan.FromMinutes(5));
        await Task.Delay(300);
        Assert.False(idle.IsCompleted);
        await writer.AppendAsync("INBOX", DovecotFixture.Message("wake up"));
        Assert.Equal(ImapIdleResult.NewMessages, await idle.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Equal(1u, watcher.SelectedMailbox!.Exists);
        Assert.Single(await watcher.UidSearchAllAsync());

        // An expunge by the other connection wakes it too.
        await writer.SelectAsync("INBOX");
        var again = watcher.IdleAsync(TimeSpan.FromMinutes(5));
        await Task.Delay(300);
        await writer.AddFlagsAsync([1], ["\\Deleted"]);
        await writer.ExpungeAsync();
        Assert.Equal(ImapIdleResult.MailboxChanged, await again.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(0u, watcher.SelectedMailbox.Exists);
    }

    [Fact]
    public async Task Idle_times_out_and_cancelling_it_keeps_the_connection()
    {
        var user = dovecot.NewUser();
        await using var client = await dovecot.LoginAsync(user);
        await client.SelectAsync("INBOX");
        var clock = Stopwatch.StartNew();
        Assert.Equal(ImapIdleResult.Timeout, await client.IdleAsync(TimeSpan.FromMilliseconds(500)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(10));

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.IdleAsync(TimeSpan.FromMinutes(5), cancel.Token));
        Assert.True(client.IsConnected);
        await client.NoopAsync();
        await client.LogoutAsync();
    }

    [Fact]
    public async Task Noop_reports_new_messages()
    {
        var user = dovecot.NewUser();
        await using var client = await dovecot.LoginAsync(user);
        await using var other = await dovecot.LoginAsync(user);
        await client.SelectAsync("INBOX");
        await other.AppendAsync("INBOX", DovecotFixture.Message("x"));
        await client.NoopAsync();
        Assert.Equal(1u, client.SelectedMailbox!.Exists);
    }

    [Fact]
    public async Task Commands_need_a_connection_and_a_selected_mailbox()
    {
        await using var client = new ImapClient();
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.NoopAsync());
        await client.ConnectAsync(Server.Host, Server.ImapPort, ImapSecurity.None);
        await client.LoginAsync(dovecot.NewUser(), "secret");
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.UidSearchAllAsync());
        await client.LogoutAsync();
        await Assert.ThrowsAsync<ImapException>(() => client.NoopAsync());
    }

    [Fact]
    public async Task Lmtp_delivers_into_the_inbox()
    {
        var user = dovecot.NewUser();
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(Server.Host, Server.LmtpPort);
            using var stream = tcp.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            var send = async (string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            Assert.StartsWith("220", await reader.ReadLineAsync(), StringComparison.Ordinal);
            await send("LHLO test");
            string? line;
            while ((line = await reader.ReadLineAsync()) is not null && line.StartsWith("250-", StringComparison.Ordinal))
            {
            }

            await send("MAIL FROM:<sender@example.test>");
            Assert.StartsWith("250", await reader.ReadLineAsync(), StringComparison.Ordinal);
            await send("RCPT TO:<" + user + ">");
            var accepted = await reader.ReadLineAsync();
            Assert.True(accepted?.StartsWith("250", StringComparison.Ordinal), accepted + "\n" + Server.ReadLog());
            await send("DATA");
            Assert.StartsWith("354", await reader.ReadLineAsync(), StringComparison.Ordinal);
            await send("Subject: via lmtp\r\n\r\nDelivered.\r\n.");
            Assert.StartsWith("250", await reader.ReadLineAsync(), StringComparison.Ordinal);
            await send("QUIT");
        }

        await using var client = await dovecot.LoginAsync(user);
        await client.SelectAsync("INBOX");
        var message = Assert.Single(await client.FetchMessagesAsync(await client.UidSearchAllAsync()));
        Assert.Contains("Subject: via lmtp", Encoding.ASCII.GetString(message.Body), StringComparison.Ordinal);
    }
}
