using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Hookline.Imap.Tests;

/// <summary>
/// A hostile IMAP server made from a real one: a loopback TCP relay in front of Dovecot that rewrites
/// every <c>RFC822.SIZE n</c> in the server's response lines to <c>RFC822.SIZE 10</c> and passes
/// everything else (literals byte for byte, the client's commands) unchanged. A client that trusts
/// the reported sizes plans its batches on sizes that are false.
/// </summary>
internal sealed partial class SizeLyingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _host;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public SizeLyingProxy(string host, int port)
    {
        _host = host;
        _port = port;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    [GeneratedRegex(@"RFC822\.SIZE \d+", RegexOptions.IgnoreCase)]
    private static partial Regex SizeItem();

    [GeneratedRegex(@"\{(\d+)\+?\}\r?\n$")]
    private static partial Regex LiteralAnnouncement();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_host, _port, _stop.Token);
                var up = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
                var down = RewriteAsync(server.GetStream(), client.GetStream(), _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // Either side went away.
            }
        }
    }

    /// <summary>Server to client: line by line, a literal's bytes copied as they are.</summary>
    private static async Task RewriteAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var reader = new BufferedReader(from);
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return;
            }

            var text = Encoding.Latin1.GetString(line);
            var lied = SizeItem().Replace(text, "RFC822.SIZE 10");
            await to.WriteAsync(Encoding.Latin1.GetBytes(lied), cancellationToken);
            if (LiteralAnnouncement().Match(text) is { Success: true } literal)
            {
                await reader.CopyAsync(long.Parse(literal.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), to, cancellationToken);
            }

            await to.FlushAsync(cancellationToken);
        }
    }

    private sealed class BufferedReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new MemoryStream();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return null;
                }

                var lf = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                var take = lf >= 0 ? lf + 1 - _start : _end - _start;
                line.Write(_buffer, _start, take);
                _start += take;
                if (lf >= 0)
                {
                    return line.ToArray();
                }
            }
        }

        public async Task CopyAsync(long count, Stream to, CancellationToken cancellationToken)
        {
            while (count > 0)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return;
                }

                var take = (int)Math.Min(count, _end - _start);
                await to.WriteAsync(_buffer.AsMemory(_start, take), cancellationToken);
                _start += take;
                count -= take;
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken);
            return _end > 0;
        }
    }
}
