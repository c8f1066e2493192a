using System.Globalization;
using Hookline.Graph;
using Hookline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Graph.Users.Item.MailFolders.Item.Messages.Delta;
using Microsoft.Graph.Users.Item.Messages.Item.Move;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Hookline.Intake.Sources.Graph;

/// <summary>
/// Reads one folder of a Microsoft 365 mailbox through Microsoft Graph's message delta query and
/// hands each new message's raw MIME to the sink. A round walks the delta pages from the saved link
/// (or from the start), and for each page downloads every added message's <c>$value</c>, commits the
/// batch, moves the messages to the processed folder if one is configured, and only then saves the
/// page's next or delta link. A crash anywhere before the save replays the page, which the sink
/// deduplicates; nothing is acknowledged that was not committed.
/// </summary>
public sealed partial class GraphSource : IReportSource, IDisposable
{
    /// <summary>The MAPI property PidTagMessageSize (PT_LONG), asked for so oversized messages are never downloaded.</summary>
    private const int MessageSizeTag = 0x0E08;

    private static readonly string[] DeltaSelect = ["id", "internetMessageId", "receivedDateTime"];
    private static readonly string[] DeltaExpand = ["singleValueExtendedProperties($filter=id eq 'Integer 0x0E08')"];

    private readonly GraphSourceOptions _options;
    private readonly GraphServiceClient _client;
    private readonly bool _ownsClient;
    private readonly IReportSink _sink;
    private readonly ISourceCursorStore _cursors;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private string? _processedFolderId;

    /// <summary>
    /// A source that signs in with the client-credentials flow (<see cref="GraphSourceOptions.TenantId"/>,
    /// <see cref="GraphSourceOptions.ClientId"/>, <see cref="GraphSourceOptions.ClientSecret"/>) and talks to
    /// <see cref="GraphSourceOptions.BaseUrl"/>.
    /// </summary>
    public GraphSource(GraphSourceOptions options, IReportSink sink, ISourceCursorStore cursors, ILogger<GraphSource>? logger = null)
        : this(options, CreateClient(options), ownsClient: true, sink, cursors, logger, TimeProvider.System)
    {
    }

    /// <summary>
    /// A source that uses a Graph client made elsewhere (its own credential, handlers and base URL;
    /// <see cref="GraphSourceOptions.BaseUrl"/> and the credential options are then ignored). The caller disposes the client.
    /// </summary>
    public GraphSource(GraphSourceOptions options, GraphServiceClient client, IReportSink sink, ISourceCursorStore cursors, ILogger<GraphSource>? logger = null, TimeProvider? time = null)
        : this(options, client, ownsClient: false, sink, cursors, logger, time ?? TimeProvider.System)
    {
    }

    private GraphSource(GraphSourceOptions options, GraphServiceClient client, bool ownsClient, IReportSink sink, ISourceCursorStore cursors, ILogger? logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(cursors);
        options.Validate();
        _options = options;
        _client = client;
        _ownsClient = ownsClient;
        _sink = sink;
        _cursors = cursors;
        _logger = logger ?? NullLogger.Instance;
        _time = time;
    }

    /// <inheritdoc />
    public string Name => _options.Name;

    /// <summary>
    /// A Graph client for the client-credentials flow with the options' <see cref="GraphSourceOptions.Connection"/>
    /// (<see cref="GraphClients.Create(GraphConnection)"/>).
    /// </summary>
    public static GraphServiceClient CreateClient(GraphSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GraphClients.Create(options.Connection);
    }

    /// <summary>
    /// A Graph client with the given authentication (for example a fixed bearer token for a test
    /// server) against <see cref="GraphSourceOptions.BaseUrl"/> (<see cref="GraphClients.Create(GraphConnection, IAuthenticationProvider)"/>).
    /// </summary>
    public static GraphServiceClient CreateClient(GraphSourceOptions options, IAuthenticationProvider authentication)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GraphClients.Create(options.Connection, authentication);
    }

    /// <inheritdoc />
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = _options.InitialBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var round = await SyncOnceAsync(cancellationToken).ConfigureAwait(false);
                LogRound(_logger, Name, round.Pages, round.Accepted, round.Skipped, round.Resynced);
                backoff = _options.InitialBackoff;
                wait = _options.PollInterval;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                wait = backoff;
                if (RetryAfter(ex) is { } told && told > wait)
                {
                    wait = told;
                }

                LogRoundFailed(_logger, ex, Name, wait);
                var doubled = backoff * 2;
                backoff = doubled > _options.MaxBackoff ? _options.MaxBackoff : doubled;
            }

            try
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One delta round: from the saved link (or a full enumeration when there is none, or when Graph
    /// says the saved one has expired) to the page that carries the delta link, which is saved for the next round.
    /// </summary>
    public async Task<GraphRoundResult> SyncOnceAsync(CancellationToken cancellationToken)
    {
        var key = _options.CursorKey;
        var link = await _cursors.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (_options.ProcessedFolder is not null)
        {
            await ProcessedFolderIdAsync(cancellationToken).ConfigureAwait(false);
        }

        int pages = 0, accepted = 0, skipped = 0;
        var resynced = false;
        while (true)
        {
            DeltaGetResponse? page;
            try
            {
                page = await GetPageAsync(link, cancellationToken).ConfigureAwait(false);
            }
            catch (ODataError error) when (link is not null && !resynced && IsSyncReset(error))
            {
                LogResync(_logger, Name, error.ResponseStatusCode, error.Error?.Code);
                await _cursors.SetAsync(key, null, cancellationToken).ConfigureAwait(false);
                link = null;
                resynced = true;
                continue;
            }

            if (page is null)
            {
                throw new InvalidOperationException("Graph answered a delta request with an empty body.");
            }

            pages++;
            var batch = new List<IncomingReport>();
            foreach (var message in page.Value ?? [])
            {
                if (message.Id is null || message.AdditionalData.ContainsKey("@removed"))
                {
                    continue;
                }

                var raw = await DownloadAsync(message, cancellationToken).ConfigureAwait(false);
                if (raw is null)
                {
                    skipped++;
                    continue;
                }

                var receivedAt = message.ReceivedDateTime ?? _time.GetUtcNow();
                batch.Add(new IncomingReport(Name, message.Id, raw, receivedAt));
            }

            FaultPoint.Hit("graph.after-fetch");
            if (batch.Count > 0)
            {
                await _sink.AcceptAsync(batch, cancellationToken).ConfigureAwait(false);
            }

            FaultPoint.Hit("graph.after-commit");
            accepted += batch.Count;
            if (_options.ProcessedFolder is not null)
            {
                foreach (var report in batch)
                {
                    await MoveAsync(report.SourceKey, cancellationToken).ConfigureAwait(false);
                }
            }

            var next = page.OdataNextLink ?? page.OdataDeltaLink
                ?? throw new InvalidOperationException("Graph answered a delta request with neither @odata.nextLink nor @odata.deltaLink.");
            await _cursors.SetAsync(key, next, cancellationToken).ConfigureAwait(false);
            if (page.OdataNextLink is null)
            {
                return new GraphRoundResult(pages, accepted, skipped, resynced);
            }

            link = next;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private Task<DeltaGetResponse?> GetPageAsync(string? link, CancellationToken cancellationToken)
    {
        var prefer = "odata.maxpagesize=" + _options.PageSize.ToString(CultureInfo.InvariantCulture);
        var delta = _client.Users[_options.Mailbox].MailFolders[_options.Folder].Messages.Delta;
        if (link is null)
        {
            return delta.GetAsDeltaGetResponseAsync(
                request =>
                {
                    request.QueryParameters.Select = DeltaSelect;
                    request.QueryParameters.Expand = DeltaExpand;
                    request.Headers.Add("Prefer", prefer);
                },
                cancellationToken);
        }

        // The link carries every query option of the round in its opaque token; only the page size is sent again.
        return delta.WithUrl(link).GetAsDeltaGetResponseAsync(request => request.Headers.Add("Prefer", prefer), cancellationToken);
    }

    private async Task<byte[]?> DownloadAsync(Message message, CancellationToken cancellationToken)
    {
        var id = message.Id!;
        var declared = DeclaredSize(message);
        if (declared > _options.MaxMessageBytes)
        {
            LogTooLarge(_logger, Name, id, declared.Value, _options.MaxMessageBytes);
            return null;
        }

        Stream? stream;
        try
        {
            stream = await _client.Users[_options.Mailbox].Messages[id].Content.GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException error) when (error.ResponseStatusCode == 404)
        {
            LogVanished(_logger, Name, id);
            return null;
        }

        if (stream is null)
        {
            return [];
        }

        await using (stream.ConfigureAwait(false))
        {
            // The declared size is a hint that may be missing; the cap on what is read is the guarantee.
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > _options.MaxMessageBytes)
                {
                    LogTooLarge(_logger, Name, id, buffer.Length + read, _options.MaxMessageBytes);
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private async Task MoveAsync(string id, CancellationToken cancellationToken)
    {
        var destination = await ProcessedFolderIdAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var body = new MovePostRequestBody { DestinationId = destination };
            await _client.Users[_options.Mailbox].Messages[id].Move.PostAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ApiException error) when (error.ResponseStatusCode == 404)
        {
            // Gone already (deleted, or moved by someone else): it is committed, so there is nothing to undo.
            LogMoveVanished(_logger, Name, id);
        }
    }

    private async Task<string> ProcessedFolderIdAsync(CancellationToken cancellationToken)
    {
        if (_processedFolderId is not null)
        {
            return _processedFolderId;
        }

        var name = _options.ProcessedFolder!;
        var folders = _client.Users[_options.Mailbox].MailFolders;
        var found = await FindFolderAsync(folders, name, cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            try
            {
                var created = await folders.PostAsync(new MailFolder { DisplayName = name }, cancellationToken: cancellationToken).ConfigureAwait(false);
                found = created?.Id ?? throw new InvalidOperationException($"Graph created the folder '{name}' but returned no id.");
                LogFolderCreated(_logger, Name, name, found);
            }
            catch (ApiException error) when (error.ResponseStatusCode == 409)
            {
                // Created by someone else in the meantime.
                found = await FindFolderAsync(folders, name, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Graph says the folder '{name}' exists but does not list it.", error);
            }
        }

        _processedFolderId = found;
        return found;
    }

    private static async Task<string?> FindFolderAsync(Microsoft.Graph.Users.Item.MailFolders.MailFoldersRequestBuilder folders, string name, CancellationToken cancellationToken)
    {
        var literal = name.Replace("'", "''", StringComparison.Ordinal);
        var list = await folders.GetAsync(
            request =>
            {
                request.QueryParameters.Filter = $"displayName eq '{literal}'";
                request.QueryParameters.Select = ["id", "displayName"];
            },
            cancellationToken).ConfigureAwait(false);
        var match = list?.Value?.FirstOrDefault(f => string.Equals(f.DisplayName, name, StringComparison.OrdinalIgnoreCase));
        return match?.Id;
    }

    /// <summary>The message size Exchange reports (PidTagMessageSize), when the extended property came back.</summary>
    internal static long? DeclaredSize(Message message)
    {
        foreach (var property in message.SingleValueExtendedProperties ?? [])
        {
            if (property.Id is null || property.Value is null)
            {
                continue;
            }

            var space = property.Id.IndexOf(' ', StringComparison.Ordinal);
            var tag = space < 0 ? string.Empty : property.Id[(space + 1)..].Trim();
            if (tag.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(tag.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
                && number == MessageSizeTag
                && long.TryParse(property.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size))
            {
                return size;
            }
        }

        return null;
    }

    /// <summary>Whether Graph says the delta state behind a link is gone and a full enumeration must start over.</summary>
    internal static bool IsSyncReset(ApiException error)
    {
        if (error.ResponseStatusCode == 410)
        {
            return true;
        }

        var code = (error as ODataError)?.Error?.Code;
        return error.ResponseStatusCode is >= 400 and < 500
            && code is not null
            && (code.Equals("syncStateNotFound", StringComparison.OrdinalIgnoreCase)
                || code.Equals("resyncRequired", StringComparison.OrdinalIgnoreCase)
                || code.Equals("syncStateInvalid", StringComparison.OrdinalIgnoreCase));
    }

    private static TimeSpan? RetryAfter(Exception exception)
    {
        if (exception is ApiException { ResponseHeaders: { } headers }
            && headers.TryGetValue("Retry-After", out var values))
        {
            foreach (var value in values)
            {
                if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                {
                    return TimeSpan.FromSeconds(seconds);
                }
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Source}: delta round done: {Pages} page(s), {Accepted} message(s) handed in, {Skipped} skipped, resynced: {Resynced}")]
    private static partial void LogRound(ILogger logger, string source, int pages, int accepted, int skipped, bool resynced);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Source}: delta round failed; next try in {Wait}")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string source, TimeSpan wait);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Source}: the saved delta link is no longer valid (HTTP {Status}, {Code}); starting a full synchronisation")]
    private static partial void LogResync(ILogger logger, string source, int status, string? code);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Source}: message {MessageId} is {Size} bytes, over the limit of {Limit}; not downloaded, left in the folder")]
    private static partial void LogTooLarge(ILogger logger, string source, string messageId, long size, long limit);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "{Source}: message {MessageId} disappeared before its content was read; skipped")]
    private static partial void LogVanished(ILogger logger, string source, string messageId);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Source}: message {MessageId} disappeared before it could be moved to the processed folder")]
    private static partial void LogMoveVanished(ILogger logger, string source, string messageId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "{Source}: created the processed folder '{Folder}' ({FolderId})")]
    private static partial void LogFolderCreated(ILogger logger, string source, string folder, string folderId);
}

/// <summary>What one delta round did.</summary>
/// <param name="Pages">Delta pages read.</param>
/// <param name="Accepted">Messages handed to the sink (and committed).</param>
/// <param name="Skipped">Messages not handed in: over the size limit, or gone before their content was read.</param>
/// <param name="Resynced">Whether the saved link had expired and the round started over with a full enumeration.</param>
public readonly record struct GraphRoundResult(int Pages, int Accepted, int Skipped, bool Resynced);
