using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hookline.Smtp;

/// <summary>
/// Hookline's SMTP server (RFC 5321): accepts messages for the configured recipients and hands each
/// one to an <see cref="ISmtpMessageHandler"/>, answering 250 only once the handler has stored it.
/// Every connection runs on its own; a failing connection never affects the listener or the others.
/// </summary>
public sealed partial class SmtpServer : IAsyncDisposable
{
    private static readonly byte[] Busy = "421 4.3.2 Too many connections, try again later\r\n"u8.ToArray();

    private readonly SmtpServerOptions _options;
    private readonly ISmtpMessageHandler _handler;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Task> _sessions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<IPAddress, int> _perClient = new();
    private ByteBudget? _inFlight;
    private Socket? _listener;
    private Task? _acceptLoop;
    private int _active;
    private int _stopped;

    /// <summary>A server that hands messages to <paramref name="handler"/>.</summary>
    public SmtpServer(SmtpServerOptions options, ISmtpMessageHandler handler, ILogger<SmtpServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        _options = options;
        _handler = handler;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>A server that hands messages to a delegate.</summary>
    public SmtpServer(SmtpServerOptions options, SmtpMessageHandler handler, ILogger<SmtpServer>? logger = null)
        : this(options, new DelegateMessageHandler(handler), logger)
    {
    }

    /// <summary>The address the server listens on (with the real port when 0 was configured). Valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint?)_listener?.LocalEndPoint ?? throw new InvalidOperationException("The server is not started.");

    /// <summary>Connections being served now.</summary>
    public int ActiveSessions => Volatile.Read(ref _active);

    /// <summary>Binds the endpoint and starts accepting connections. Throws if the address cannot be bound.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        _options.Validate();
        _inFlight = new ByteBudget(_options.MaxBytesInFlight);
        RemoveStaleSpoolFiles();
        var listener = new Socket(_options.EndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(_options.EndPoint);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        LogListening(LocalEndPoint);
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops listening and ends every session: an idle session gets 421 4.3.2; a handler still running
    /// sees its cancellation token cancelled. Returns when all sessions have ended.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1 || _listener is null)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await Task.WhenAll(_sessions.Values).WaitAsync(cancellationToken).ConfigureAwait(false);
        LogStopped();
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _listener?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors, a connection reset while queued...: keep listening.
                LogAcceptFailed(e.SocketErrorCode.ToString());
                await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            client.NoDelay = true;
            var address = ((IPEndPoint)client.RemoteEndPoint!).Address;
            if (Interlocked.Increment(ref _active) > _options.MaxSessions)
            {
                Interlocked.Decrement(ref _active);
                _ = RefuseAsync(client, "too many sessions");
                continue;
            }

            if (_perClient.AddOrUpdate(address, 1, (_, n) => n + 1) > _options.MaxSessionsPerClient)
            {
                LeaveClient(address);
                Interlocked.Decrement(ref _active);
                _ = RefuseAsync(client, $"too many sessions from {address}");
                continue;
            }

            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var session = Task.Run(() => RunSessionAsync(client, address, id), CancellationToken.None);
            _sessions[id] = session;
            _ = session.ContinueWith(_ => _sessions.TryRemove(id, out Task? _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Spool files are deleted when closed; a process that was killed leaves its own behind. Those not
    /// written to for an hour belong to no live session (data arrives at least every three minutes).
    /// </summary>
    private void RemoveStaleSpoolFiles()
    {
        if (_options.SpoolDirectory is not { } directory || !Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "smtp-*.spool"))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(file) < DateTime.UtcNow.AddHours(-1))
                {
                    File.Delete(file);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogSpoolCleanupFailed(file, e.Message);
            }
        }
    }

    private void LeaveClient(IPAddress address)
    {
        // Decrement, and drop the entry at zero so the table holds only clients connected now.
        while (_perClient.TryGetValue(address, out var count))
        {
            if (count <= 1 ? _perClient.TryRemove(new KeyValuePair<IPAddress, int>(address, count)) : _perClient.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }

    private async Task RunSessionAsync(Socket client, IPAddress address, string id)
    {
        try
        {
            using var session = new SmtpSession(_options, _handler, _logger, client, id, _inFlight!, _stopping.Token);
            await session.RunAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A bug in a session must not take the server down.
            LogSessionCrashed(e, id);
            client.Dispose();
        }
        finally
        {
            LeaveClient(address);
            Interlocked.Decrement(ref _active);
        }
    }

    private async Task RefuseAsync(Socket client, string reason)
    {
        LogRefused(reason);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await client.SendAsync(Busy, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[1024];
            while (await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Refused either way.
        }
        finally
        {
            client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP server listening on {EndPoint}")]
    private partial void LogListening(IPEndPoint endPoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP server stopped")]
    private partial void LogStopped();

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP accept failed: {Error}")]
    private partial void LogAcceptFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP server cannot remove the stale spool file {File}: {Error}")]
    private partial void LogSpoolCleanupFailed(string file, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP connection refused: {Reason}")]
    private partial void LogRefused(string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Session} SMTP session failed")]
    private partial void LogSessionCrashed(Exception exception, string session);
}
