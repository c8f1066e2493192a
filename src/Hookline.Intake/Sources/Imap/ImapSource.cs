using Hookline.Imap;
using Hookline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hookline.Intake.Sources.Imap;

/// <summary>
/// Reads reports from an IMAP folder: every message is fetched, handed to the sink, and only after the
/// sink has committed it moved to the processed folder. A crash or failure anywhere before the move
/// leaves the message in the folder, so it is handed in again later; the sink drops the duplicate.
/// New mail is awaited with IDLE (or polling); failures reconnect with exponential backoff.
/// </summary>
public sealed partial class ImapSource : IReportSource
{
    private const int SummaryChunk = 1000;
    private const int MaxRounds = 10;
    private readonly ImapSourceOptions _options;
    private readonly IReportSink _sink;
    private readonly ISourceCursorStore _cursors;
    private readonly ILogger _logger;
    private readonly HashSet<(uint Validity, uint Uid)> _oversized = [];

    public ImapSource(ImapSourceOptions options, IReportSink sink, ISourceCursorStore cursors, ILogger<ImapSource>? logger = null)
    {
        if (options.IdleInterval <= TimeSpan.Zero || options.IdleInterval > TimeSpan.FromMinutes(29))
        {
            throw new ArgumentException("IdleInterval must be positive and at most 29 minutes (RFC 2177).", nameof(options));
        }

        if (options.BatchMessages < 1 || options.BatchBytes < 1 || options.MaxMessageSize < 1)
        {
            throw new ArgumentException("Batch sizes and the maximum message size must be positive.", nameof(options));
        }

        if (options.Password is null && options.AccessTokenProvider is null)
        {
            throw new ArgumentException("Set a password or an access token provider.", nameof(options));
        }

        _options = options;
        _sink = sink;
        _cursors = cursors;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string Name => _options.Name;

    /// <summary>The cursor-store key holding the folder's last seen UIDVALIDITY.</summary>
    public string UidValidityKey => "imap:" + _options.Name + ":" + _options.Folder + ":uidvalidity";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RunSessionAsync(() => failures = 0, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                var delay = Backoff(failures++);
                Log.SessionFailed(_logger, ex, _options.Name, _options.Host, delay);
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(_options.ReconnectDelay.Ticks * factor, _options.ReconnectMaxDelay.Ticks));
        return delay + TimeSpan.FromTicks((long)(delay.Ticks * 0.1 * Random.Shared.NextDouble()));
    }

    private async Task RunSessionAsync(Action connected, CancellationToken cancellationToken)
    {
        var clientOptions = _options.Client;
        if (clientOptions.MaxLiteralSize < _options.MaxMessageSize)
        {
            clientOptions.MaxLiteralSize = _options.MaxMessageSize;
        }

        // IMAP commands run to completion (each has the client's timeout); cancellation is checked between
        // them, so that a stop always ends with LOGOUT on a connection in a known state.
        var none = CancellationToken.None;
        await using var client = new ImapClient(clientOptions);
        await client.ConnectAsync(_options.Host, _options.Port, _options.Security, cancellationToken).ConfigureAwait(false);
        if (_options.AccessTokenProvider is { } tokens)
        {
            var token = await tokens(cancellationToken).ConfigureAwait(false);
            await client.AuthenticateXOAuth2Async(_options.User, token, none).ConfigureAwait(false);
        }
        else if (client.Supports("AUTH=PLAIN"))
        {
            await client.AuthenticatePlainAsync(_options.User, _options.Password!, none).ConfigureAwait(false);
        }
        else
        {
            await client.LoginAsync(_options.User, _options.Password!, none).ConfigureAwait(false);
        }

        var delimiter = await client.GetHierarchyDelimiterAsync(none).ConfigureAwait(false);
        var processed = delimiter is { } d && d != '/' ? _options.ProcessedFolder.Replace('/', d) : _options.ProcessedFolder;
        if (await client.CreateAsync(processed, none).ConfigureAwait(false))
        {
            Log.CreatedFolder(_logger, _options.Name, processed);
        }

        var mailbox = await client.SelectAsync(_options.Folder, none).ConfigureAwait(false);
        await CheckUidValidityAsync(mailbox.UidValidity, cancellationToken).ConfigureAwait(false);
        connected();
        Log.Connected(_logger, _options.Name, _options.Host, _options.Folder, mailbox.UidValidity, mailbox.Exists);
        try
        {
            while (true)
            {
                client.TakeNewMessagesAnnounced();
                await DrainAsync(client, mailbox.UidValidity, processed, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (client.TakeNewMessagesAnnounced())
                {
                    // Mail arrived while draining and the server said so in an answer after the search:
                    // it will not say it again when IDLE starts, so look again now.
                    continue;
                }

                if (client.Supports("IDLE"))
                {
                    // IDLE brings news at once; re-issuing it every poll interval as well means a
                    // notification the server failed to send costs at most one interval.
                    var idle = _options.PollInterval < _options.IdleInterval ? _options.PollInterval : _options.IdleInterval;
                    await client.IdleAsync(idle, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(_options.PollInterval, cancellationToken).ConfigureAwait(false);
                    await client.NoopAsync(none).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && client.IsConnected)
        {
            try
            {
                await client.LogoutAsync(none).ConfigureAwait(false);
            }
            catch (ImapException ex)
            {
                Log.LogoutFailed(_logger, ex, _options.Name);
            }

            throw;
        }
    }

    private async Task CheckUidValidityAsync(uint uidValidity, CancellationToken cancellationToken)
    {
        var current = uidValidity.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stored = await _cursors.GetAsync(UidValidityKey, cancellationToken).ConfigureAwait(false);
        if (string.Equals(stored, current, StringComparison.Ordinal))
        {
            return;
        }

        if (stored is not null)
        {
            Log.UidValidityChanged(_logger, _options.Name, _options.Folder, stored, current);
        }

        await _cursors.SetAsync(UidValidityKey, current, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Hands in everything in the folder. The batches are planned on the sizes the server reports, but
    /// held to the limits on the bytes that arrive (<see cref="HandInAsync"/>): a message dropped for
    /// the batch budget is fetched again in a following round (each round hands in or sets aside at
    /// least one message per batch). At most <see cref="MaxRounds"/> rounds: a server that also ignores
    /// MOVE cannot keep the source fetching the same messages; what is left waits for the next look.
    /// </summary>
    private async Task DrainAsync(ImapClient client, uint uidValidity, string processed, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds && await DrainOnceAsync(client, uidValidity, processed, cancellationToken).ConfigureAwait(false) > 0; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>One pass over the folder; returns how many messages were left for the next one (over a batch's budget).</summary>
    private async Task<int> DrainOnceAsync(ImapClient client, uint uidValidity, string processed, CancellationToken cancellationToken)
    {
        var none = CancellationToken.None;
        var deferred = 0;
        var uids = await client.UidSearchAllAsync(none).ConfigureAwait(false);
        var candidates = uids.Where(u => !_oversized.Contains((uidValidity, u))).ToList();
        for (var chunk = 0; chunk < candidates.Count; chunk += SummaryChunk)
        {
            var summaries = await client.FetchSummariesAsync(candidates.Skip(chunk).Take(SummaryChunk), none).ConfigureAwait(false);
            var batch = new List<uint>();
            long bytes = 0;
            foreach (var summary in summaries)
            {
                if (summary.Size > _options.MaxMessageSize)
                {
                    if (_oversized.Add((uidValidity, summary.Uid)))
                    {
                        Log.Oversized(_logger, _options.Name, _options.Folder, summary.Uid, summary.Size, _options.MaxMessageSize);
                    }

                    continue;
                }

                if (batch.Count > 0 && (batch.Count >= _options.BatchMessages || bytes + summary.Size > _options.BatchBytes))
                {
                    deferred += await HandInAsync(client, uidValidity, batch, processed, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                    bytes = 0;
                }

                batch.Add(summary.Uid);
                bytes += summary.Size;
            }

            if (batch.Count > 0)
            {
                deferred += await HandInAsync(client, uidValidity, batch, processed, cancellationToken).ConfigureAwait(false);
            }
        }

        return deferred;
    }

    /// <summary>
    /// Fetches a batch within the limits on the bytes that actually arrive (a server's RFC822.SIZE may
    /// lie): a message over the maximum size is set aside like one reported too large; one that would
    /// take the batch over its budget is left for the next round. Returns how many were left.
    /// </summary>
    private async Task<int> HandInAsync(ImapClient client, uint uidValidity, List<uint> batch, string processed, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fetched = await client.FetchMessagesAsync(batch, _options.MaxMessageSize, _options.BatchBytes, CancellationToken.None).ConfigureAwait(false);
        FaultPoint.Hit("imap.after-fetch");
        var deferred = 0;
        foreach (var dropped in fetched.Dropped)
        {
            if (!dropped.TooLarge)
            {
                deferred++;
            }
            else if (_oversized.Add((uidValidity, dropped.Uid)))
            {
                Log.Oversized(_logger, _options.Name, _options.Folder, dropped.Uid, dropped.Size, _options.MaxMessageSize);
            }
        }

        var messages = fetched.Messages;
        if (messages.Count == 0)
        {
            return deferred;
        }

        var validity = uidValidity.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reports = messages
            .Select(m => new IncomingReport(
                _options.Name,
                _options.Folder + ";UIDVALIDITY=" + validity + ";UID=" + m.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
                m.Body,
                m.InternalDate))
            .ToList();

        // Commit first; only then acknowledge by moving. If AcceptAsync throws, nothing is moved.
        await _sink.AcceptAsync(reports, cancellationToken).ConfigureAwait(false);
        FaultPoint.Hit("imap.after-commit");
        await client.MoveAsync(messages.Select(m => m.Uid), processed, CancellationToken.None).ConfigureAwait(false);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var bytes = messages.Sum(m => (long)m.Body.Length);
            Log.HandedIn(_logger, _options.Name, messages.Count, bytes, processed);
        }

        return deferred;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: IMAP session with {Host} failed; reconnecting in {Delay}")]
        public static partial void SessionFailed(ILogger logger, Exception exception, string source, string host, TimeSpan delay);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: connected to {Host}, folder {Folder} (UIDVALIDITY {UidValidity}, {Exists} messages)")]
        public static partial void Connected(ILogger logger, string source, string host, string folder, uint uidValidity, uint exists);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: created folder {Folder}")]
        public static partial void CreatedFolder(ILogger logger, string source, string folder);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: UIDVALIDITY of {Folder} changed from {Old} to {New}: the folder was recreated or renumbered; its messages are handed in again (the store drops duplicates)")]
        public static partial void UidValidityChanged(ILogger logger, string source, string folder, string old, string @new);

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Source}: message UID {Uid} in {Folder} has {Size} bytes, more than the maximum {Max}; it is left in the folder and not handed in")]
        public static partial void Oversized(ILogger logger, string source, string folder, uint uid, long size, long max);

        [LoggerMessage(Level = LogLevel.Information, Message = "{Source}: handed in {Count} messages ({Bytes} bytes), moved to {Folder}")]
        public static partial void HandedIn(ILogger logger, string source, int count, long bytes, string folder);

        [LoggerMessage(Level = LogLevel.Debug, Message = "{Source}: LOGOUT failed while stopping")]
        public static partial void LogoutFailed(ILogger logger, Exception exception, string source);
    }
}
