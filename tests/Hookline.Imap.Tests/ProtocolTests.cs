using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hookline.Imap.Protocol;

namespace Hookline.Imap.Tests;

/// <summary>The response parser, modified UTF-7 and UID sets, and the client against hostile scripted servers.</summary>
public sealed class ProtocolTests
{
    private static ImapResponse Read(string text, int maxLine = 1 << 20, long maxLiteral = 1 << 20)
    {
        var reader = new ImapResponseReader(new MemoryStream(Encoding.Latin1.GetBytes(text)), maxLine, maxLiteral);
        return reader.ReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    [Fact]
    public void Parses_fetch_with_a_literal_holding_crlf_bare_lf_and_8bit_bytes()
    {
        var body = "ab\r\nc\nd\r\0\u00ff";
        var r = Read("* 3 FETCH (UID 7 RFC822.SIZE 11 BODY[] {" + body.Length + "}\r\n" + body + " INTERNALDATE \" 2-Mar-2026 10:00:00 +0100\" FLAGS (\\Seen))\r\n");
        Assert.Equal(ImapResponseKind.Untagged, r.Kind);
        Assert.Equal("FETCH", r.Type);
        Assert.Equal(3u, r.Number);
        var items = Assert.Single(r.Values).AsList();
        Assert.Equal(10, items.Count);
        Assert.Equal(Encoding.Latin1.GetBytes(body), items[5].Bytes);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1)), ImapClient.ParseDate(items[7].AsString()));
        Assert.Equal("\\Seen", Assert.Single(items[9].AsList()).Text);
    }

    [Fact]
    public async Task Under_an_allowance_literals_are_counted_on_their_real_size_and_those_over_it_dropped_in_step()
    {
        // FETCH responses of 6, 40, 30 and 20 bytes (each claiming RFC822.SIZE 1), then the completion; 32 bytes per literal, 40 in all.
        var text = new StringBuilder();
        foreach (var (uid, size) in new[] { (1, 6), (2, 40), (3, 30), (4, 20) })
        {
            text.Append("* ").Append(uid).Append(" FETCH (UID ").Append(uid).Append(" RFC822.SIZE 1 BODY[] {").Append(size).Append("}\r\n").Append(new string('x', size)).Append(")\r\n");
        }

        text.Append("A1 OK done\r\n");
        var reader = new ImapResponseReader(new MemoryStream(Encoding.Latin1.GetBytes(text.ToString())), 1 << 20, 1 << 20) { Allowance = new LiteralAllowance(32, 40) };
        var bodies = new List<(long? Dropped, int Kept)>();
        for (var i = 0; i < 4; i++)
        {
            var body = (await reader.ReadAsync(CancellationToken.None)).Values[0].AsList()[5];
            bodies.Add((body.DroppedSize, body.Bytes!.Length));
        }

        // Kept: 6 and 30 (36 in all). Dropped, yet read so the next response is in step: 40 (over 32) and 20 (56 in all).
        Assert.Equal([(null, 6), (40L, 0), (null, 30), (20L, 0)], bodies);
        Assert.Equal(ImapResponseKind.Tagged, (await reader.ReadAsync(CancellationToken.None)).Kind);
    }

    [Fact]
    public void Parses_quoted_escapes_nil_and_literal_names()
    {
        var r = Read("* LIST (\\HasNoChildren) NIL \"a \\\"b\\\" \\\\ c\"\r\n");
        Assert.Equal(ImapValueKind.Nil, r.Values[1].Kind);
        Assert.Equal("a \"b\" \\ c", r.Values[2].AsString());
        var literal = Read("* LIST () \"/\" {5}\r\nIN(BX\r\n");
        Assert.Equal("IN(BX", literal.Values[2].AsString());
    }

    [Fact]
    public void Parses_status_responses_codes_and_continuations()
    {
        var tagged = Read("H0001 OK [APPENDUID 38505 3955:3957] APPEND completed\r\n");
        Assert.Equal(ImapResponseKind.Tagged, tagged.Kind);
        Assert.Equal("H0001", tagged.Tag);
        Assert.Equal("APPENDUID", tagged.Code);
        Assert.Equal("38505 3955:3957", tagged.CodeArguments);
        Assert.Equal("APPEND completed", tagged.Text);
        var flags = Read("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n");
        Assert.Equal("(\\Deleted \\Seen \\*)", flags.CodeArguments);
        var cont = Read("+ eyJzdGF0dXMiOiI0MDEifQ==\r\n");
        Assert.Equal(ImapResponseKind.Continuation, cont.Kind);
        Assert.Equal("eyJzdGF0dXMiOiI0MDEifQ==", cont.Text);
        var bare = Read("* OK (unbalanced text \" is fine here\n");
        Assert.Equal("(unbalanced text \" is fine here", bare.Text);
        var section = Read("* 1 FETCH (BODY[HEADER.FIELDS (FROM TO)] {0}\r\n)\r\n");
        Assert.Equal("BODY[HEADER.FIELDS (FROM TO)]", section.Values[0].AsList()[0].Text);
    }

    [Theory]
    [InlineData("* LIST () \"/\" \"INBOX\r\n", "unterminated quoted string")]
    [InlineData("* SEARCH 1 2 (3\r\n", "unterminated parenthesised list")]
    [InlineData("* SEARCH 1 2)\r\n", "unexpected ')'")]
    [InlineData("\u0001\u0002garbage\r\n", "unexpected byte 0x01")]
    [InlineData("H0001 FOO bar\r\n", "must be OK, NO or BAD")]
    [InlineData("H0001 BYE bar\r\n", "cannot be BYE")]
    [InlineData("* OK [UNTERMINATED code\r\n", "unterminated response code")]
    [InlineData("\r\n", "empty response line")]
    [InlineData("*\r\n", "expected a space")]
    [InlineData("* 1 EXISTS extra\r\n", "unexpected data after EXISTS")]
    [InlineData("* 1 FETCH (BODY[] {x}\r\n)\r\n", "malformed literal")]
    public void Malformed_responses_give_clear_protocol_exceptions(string text, string message)
    {
        var failure = Assert.Throws<ImapProtocolException>(() => Read(text));
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hostile_nesting_is_bounded()
    {
        var failure = Assert.Throws<ImapProtocolException>(() => Read("* 1 FETCH " + new string('(', 5000) + "\r\n"));
        Assert.Contains("nested too deeply", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_on_lines_and_literals()
    {
        var line = Assert.Throws<ImapProtocolException>(() => Read("* OK " + new string('a', 5000) + "\r\n", maxLine: 4096));
        Assert.Contains("longer than 4096", line.Message, StringComparison.Ordinal);
        var literal = Assert.Throws<ImapProtocolException>(() => Read("* 1 FETCH (BODY[] {999999999999}\r\n", maxLiteral: 1000));
        Assert.Contains("literal of 999999999999 bytes", literal.Message, StringComparison.Ordinal);
        var absurd = Assert.Throws<ImapProtocolException>(() => Read("* 1 FETCH (BODY[] {99999999999999999999999}\r\n"));
        Assert.Contains("absurd", absurd.Message, StringComparison.Ordinal);
        var truncated = Assert.Throws<ImapException>(() => Read("* 1 FETCH (BODY[] {100}\r\nshort"));
        Assert.Contains("middle of a literal", truncated.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("INBOX", "INBOX")]
    [InlineData("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-")]
    [InlineData("Tom & Jerry", "Tom &- Jerry")]
    [InlineData("Übermäßig", "&ANw-berm&AOQA3w-ig")]
    [InlineData("😀 emoji", "&2D3eAA- emoji")]
    public void Modified_utf7_round_trips(string name, string encoded)
    {
        Assert.Equal(encoded, ImapUtf7.Encode(name));
        Assert.Equal(name, ImapUtf7.Decode(encoded));
    }

    [Theory]
    [InlineData("&U,BTFw")]
    [InlineData("&-&*-")]
    [InlineData("bad\u00e9")]
    [InlineData("&U,BTF-")]
    public void Malformed_modified_utf7_is_rejected(string encoded)
    {
        Assert.Throws<FormatException>(() => ImapUtf7.Decode(encoded));
    }

    [Fact]
    public void Uid_sets_compress_and_expand()
    {
        Assert.Equal("1:3,7,9:10", ImapUidSet.Format([10, 2, 1, 3, 9, 7, 7]));
        Assert.Equal([1u, 2, 3, 7, 9, 10], ImapUidSet.Parse("1:3,7,10:9"));
        Assert.Throws<FormatException>(() => ImapUidSet.Parse("1:4294967295"));
        Assert.Throws<FormatException>(() => ImapUidSet.Parse("1,,2"));
        Assert.Throws<ArgumentException>(() => ImapUidSet.Format([]));
    }

    [Fact]
    public void Internal_dates_are_written_and_read()
    {
        var date = new DateTimeOffset(2026, 1, 5, 7, 8, 9, TimeSpan.FromMinutes(-210));
        Assert.Equal("05-Jan-2026 07:08:09 -0330", ImapClient.FormatDate(date));
        Assert.Equal(date, ImapClient.ParseDate(ImapClient.FormatDate(date)));
        Assert.Throws<ImapProtocolException>(() => ImapClient.ParseDate("31-Feb-2026 00:00:00 +0000"));
        Assert.Throws<ImapProtocolException>(() => ImapClient.ParseDate("yesterday"));
    }

    /// <summary>A server that greets, then answers the client's first command with a script (and may then stall).</summary>
    private static async Task<(ImapException Failure, TimeSpan Elapsed)> AgainstScriptAsync(byte[] script, ImapClientOptions? options = null, bool close = false)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await socket.SendAsync("* OK [CAPABILITY IMAP4rev1 IDLE] scripted\r\n"u8.ToArray());
            var buffer = new byte[4096];
            await socket.ReceiveAsync(buffer);
            try
            {
                await socket.SendAsync(script);
                if (!close)
                {
                    await socket.ReceiveAsync(buffer);
                }
            }
            catch (SocketException)
            {
            }
        });
        var client = new ImapClient(options ?? new ImapClientOptions { CommandTimeout = TimeSpan.FromSeconds(15) });
        await client.ConnectAsync("127.0.0.1", port, ImapSecurity.None);
        var clock = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAnyAsync<ImapException>(() => client.NoopAsync());
        var elapsed = clock.Elapsed;
        Assert.False(client.IsConnected);
        var after = await Assert.ThrowsAsync<ImapException>(() => client.NoopAsync());
        Assert.Contains("earlier failure", after.Message, StringComparison.Ordinal);
        client.Dispose();
        await server.WaitAsync(TimeSpan.FromSeconds(10));
        return (failure, elapsed);
    }

    [Fact]
    public async Task Hostile_server_huge_line()
    {
        var (failure, elapsed) = await AgainstScriptAsync(Encoding.ASCII.GetBytes("* OK " + new string('x', 3 * 1024 * 1024)), new ImapClientOptions { MaxLineLength = 1024 * 1024, CommandTimeout = TimeSpan.FromSeconds(10) });
        Assert.IsType<ImapProtocolException>(failure);
        Assert.Contains("longer than 1048576 bytes", failure.Message, StringComparison.Ordinal);
        Assert.True(elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Hostile_server_huge_literal()
    {
        var (failure, _) = await AgainstScriptAsync("* 1 FETCH (UID 1 BODY[] {9000000000}\r\n"u8.ToArray());
        Assert.IsType<ImapProtocolException>(failure);
        Assert.Contains("announced a literal of 9000000000 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_server_unterminated_quoted_string()
    {
        var (failure, _) = await AgainstScriptAsync("* LIST () \"/\" \"INBOX\r\nH0001 OK done\r\n"u8.ToArray());
        Assert.IsType<ImapProtocolException>(failure);
        Assert.Contains("unterminated quoted string", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_server_garbage_and_unknown_tags()
    {
        var (garbage, _) = await AgainstScriptAsync([0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, (byte)'\r', (byte)'\n']);
        Assert.IsType<ImapProtocolException>(garbage);
        var (tag, _) = await AgainstScriptAsync("X9999 OK not yours\r\n"u8.ToArray());
        Assert.Contains("not sent", tag.Message, StringComparison.Ordinal);
        var (plus, _) = await AgainstScriptAsync("+ go ahead\r\n"u8.ToArray());
        Assert.Contains("continuation", plus.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_server_times_out_instead_of_hanging()
    {
        var (failure, elapsed) = await AgainstScriptAsync([], new ImapClientOptions { CommandTimeout = TimeSpan.FromMilliseconds(500) });
        Assert.Contains("did not answer within", failure.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Server_closing_mid_response_is_reported()
    {
        var (failure, _) = await AgainstScriptAsync("* BYE shutting down\r\n* 1 FETCH (BODY[] {50}\r\nabc"u8.ToArray(), close: true);
        Assert.Contains("closed the connection", failure.Message, StringComparison.Ordinal);
        Assert.Contains("shutting down", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_response_injection_is_refused()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await socket.SendAsync("* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n"u8.ToArray());
            var buffer = new byte[4096];
            await socket.ReceiveAsync(buffer);
            await socket.SendAsync("H0001 OK Begin TLS\r\n* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected\r\n"u8.ToArray());
            await socket.ReceiveAsync(buffer);
        });
        await using var client = new ImapClient();
        var failure = await Assert.ThrowsAsync<ImapProtocolException>(() => client.ConnectAsync("127.0.0.1", port, ImapSecurity.StartTls));
        Assert.Contains("after STARTTLS", failure.Message, StringComparison.Ordinal);
        await server.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
