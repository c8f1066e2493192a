using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace Hookline.Smtp.Tests;

/// <summary>One SMTP reply: its code and the text of each line (after the code and separator).</summary>
internal sealed record Reply(int Code, IReadOnlyList<string> Lines)
{
    public string Text => string.Join("\n", Lines);

    public override string ToString() => $"{Code} {Text}";
}

/// <summary>A raw SMTP client over a socket: sends exactly the bytes given and parses replies.</summary>
internal sealed class SmtpTestClient : IAsyncDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(15);
    private readonly TcpClient _tcp;
    private readonly List<byte> _buffered = [];
    private Stream _stream;

    private SmtpTestClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Connects, from <paramref name="from"/> when given (another loopback address is another client).</summary>
    public static async Task<SmtpTestClient> ConnectAsync(IPEndPoint endPoint, IPAddress? from = null)
    {
        var tcp = from is null ? new TcpClient() : new TcpClient(new IPEndPoint(from, 0));
        await tcp.ConnectAsync(endPoint);
        return new SmtpTestClient(tcp);
    }

    /// <summary>Connects and reads the greeting, asserting it is 220.</summary>
    public static async Task<SmtpTestClient> OpenAsync(IPEndPoint endPoint, string? ehlo = "client.test", IPAddress? from = null)
    {
        var client = await ConnectAsync(endPoint, from);
        var greeting = await client.ReadReplyAsync();
        Assert.Equal(220, greeting.Code);
        if (ehlo is not null)
        {
            var reply = await client.CommandAsync($"EHLO {ehlo}");
            Assert.Equal(250, reply.Code);
        }

        return client;
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    public async Task<Reply> CommandAsync(string command)
    {
        await SendAsync(command + "\r\n");
        return await ReadReplyAsync();
    }

    public async Task<Reply> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new IOException($"Connection closed; reply so far: {string.Join(" | ", lines)}");
            Assert.True(line.Length >= 3, $"short reply line '{line}'");
            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return new Reply(int.Parse(line[..3], System.Globalization.CultureInfo.InvariantCulture), lines);
            }

            Assert.Equal('-', line[3]);
        }
    }

    /// <summary>True when the server closes the connection (after any replies still pending) within the timeout.</summary>
    public async Task<bool> IsClosedAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <summary>Whether any byte arrives within <paramref name="within"/> (consumed into the buffer).</summary>
    public async Task<bool> AnythingWithinAsync(TimeSpan within)
    {
        if (_buffered.Count > 0)
        {
            return true;
        }

        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[4096];
        try
        {
            var read = await _stream.ReadAsync(buffer, timeout.Token);
            _buffered.AddRange(buffer.AsSpan(0, read).ToArray());
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async Task StartTlsAsync()
    {
        // The server under test, on 127.0.0.1, presents a self-signed certificate made for the run: any is accepted.
#pragma warning disable CA5359
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
#pragma warning restore CA5359
        await tls.AuthenticateAsClientAsync("localhost");
        _stream = tls;
    }

    private async Task<string?> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var buffer = new byte[4096];
        while (true)
        {
            var lf = _buffered.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var line = _buffered.GetRange(0, lf).ToArray();
                _buffered.RemoveRange(0, lf + 1);
                Assert.True(line.Length > 0 && line[^1] == '\r', "reply line not ended by CRLF");
                return Encoding.UTF8.GetString(line, 0, line.Length - 1);
            }

            var read = await _stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                return null;
            }

            _buffered.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
