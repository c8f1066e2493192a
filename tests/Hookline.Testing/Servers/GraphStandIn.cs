using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Hookline.Testing.Servers;

/// <summary>
/// A stand-in for the part of Microsoft Graph v1.0 that Hookline's Graph source uses, on 127.0.0.1,
/// built from Graph's documented wire format so that the real Microsoft.Graph SDK client talks to it
/// with nothing changed but its base URL and token: message delta with <c>$select</c>, opaque
/// <c>$skiptoken</c>/<c>$deltatoken</c> links, <c>Prefer: odata.maxpagesize</c> and <c>@removed</c>;
/// a message's raw MIME (<c>$value</c>); move; top-level mail folders (list with a display-name
/// filter, create); bearer-token checks and Graph's error JSON. Messages live in memory.
/// Test controls: add or delete messages, throttle the next requests, drop connections, expire every
/// delta token, and count requests per endpoint.
/// </summary>
public sealed partial class GraphStandIn : IAsyncDisposable
{
    private const int DefaultPageSize = 10;
    private const int MaxPageSize = 1000;

    private readonly Lock _gate = new();
    private readonly WebApplication _app;
    private readonly Dictionary<string, Folder> _folders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Message> _messages = new(StringComparer.Ordinal);
    private readonly List<Tombstone> _tombstones = [];
    private readonly Dictionary<string, DeltaState> _deltaTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PageState> _skipTokens = new(StringComparer.Ordinal);
    private readonly List<GraphStandInRequest> _requests = [];
    private readonly List<GraphSentMail> _sent = [];
    private readonly Folder _root;
    private long _sequence;
    private int _tokenGeneration;
    private int _failuresLeft;
    private int _failureStatus;
    private TimeSpan _failureRetryAfter;
    private int _dropsLeft;
    private int _refusalsLeft;
    private Refusal? _refusal;

    private GraphStandIn(WebApplication app, int port, string accessToken, string mailbox)
    {
        _app = app;
        BaseUrl = new Uri($"http://127.0.0.1:{port}/v1.0");
        AccessToken = accessToken;
        Mailbox = mailbox;
        UserId = Guid.NewGuid().ToString();
        _root = AddFolder("Top of Information Store", parentId: null, wellKnownName: "msgfolderroot");
        foreach (var (name, wellKnown) in WellKnownFolders)
        {
            AddFolder(name, _root.Id, wellKnown);
        }
    }

    /// <summary>The base URL to give the Graph client (ends in <c>/v1.0</c>, no trailing slash).</summary>
    public Uri BaseUrl { get; }

    /// <summary>The one bearer token the stand-in accepts.</summary>
    public string AccessToken { get; }

    /// <summary>The mailbox's user principal name; <see cref="UserId"/> addresses it too.</summary>
    public string Mailbox { get; }

    /// <summary>The mailbox user's object id.</summary>
    public string UserId { get; }

    private static (string Name, string WellKnown)[] WellKnownFolders =>
    [
        ("Inbox", "inbox"), ("Archive", "archive"), ("Deleted Items", "deleteditems"), ("Drafts", "drafts"),
        ("Junk Email", "junkemail"), ("Outbox", "outbox"), ("Sent Items", "sentitems"),
    ];

    /// <summary>Starts a stand-in on a free loopback port.</summary>
    public static async Task<GraphStandIn> StartAsync(string accessToken = "stand-in-access-token", string mailbox = "report@contoso.test")
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
            var app = builder.Build();
            var standIn = new GraphStandIn(app, port, accessToken, mailbox);
            app.Run(standIn.HandleAsync);
            try
            {
                await app.StartAsync().ConfigureAwait(false);
                return standIn;
            }
            catch (IOException) when (attempt < 5)
            {
                // Another process took the port between the probe and the bind.
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Puts a message into a folder (well-known name or id) as delivered mail; returns its Graph id.</summary>
    public string AddMessage(byte[] raw, DateTimeOffset receivedAt, string folder = "inbox", string? internetMessageId = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        lock (_gate)
        {
            return AddMessageLocked(raw, receivedAt, folder, internetMessageId);
        }
    }

    private string AddMessageLocked(byte[] raw, DateTimeOffset receivedAt, string folder, string? internetMessageId = null)
    {
        var target = ResolveFolder(folder) ?? throw new ArgumentException($"No folder '{folder}'.", nameof(folder));
        var message = new Message(NewId("AAMkAGI2"), target.Id, raw.ToArray(), receivedAt.ToUniversalTime(), internetMessageId ?? HeaderValue(raw, "Message-ID"), ++_sequence);
        _messages.Add(message.Id, message);
        return message.Id;
    }

    /// <summary>Deletes a message for good (as a user emptying it from the mailbox would); false when there is none.</summary>
    public bool DeleteMessage(string id)
    {
        lock (_gate)
        {
            if (!_messages.Remove(id, out var message))
            {
                return false;
            }

            _tombstones.Add(new Tombstone(message.Id, message.FolderId, message.AddedAt, ++_sequence));
            return true;
        }
    }

    /// <summary>The ids of the messages now in a folder (well-known name, id or top-level display name), oldest first.</summary>
    public IReadOnlyList<string> MessagesIn(string folder)
    {
        lock (_gate)
        {
            return MessagesInLocked(folder).Select(m => m.Id).ToList();
        }
    }

    /// <summary>The raw bytes of the messages now in a folder, oldest first.</summary>
    public IReadOnlyList<byte[]> RawMessagesIn(string folder)
    {
        lock (_gate)
        {
            return MessagesInLocked(folder).Select(m => m.Raw.ToArray()).ToList();
        }
    }

    /// <summary>The id of the top-level folder with this display name, or null.</summary>
    public string? FolderId(string displayName)
    {
        lock (_gate)
        {
            return FindTopLevel(displayName)?.Id;
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> requests (of any kind, after the token check) fail with
    /// <paramref name="status"/> (429 or 503) and <c>Retry-After: seconds</c>, as throttled Graph requests do.
    /// </summary>
    public void Throttle(int count, TimeSpan retryAfter, int status = 429)
    {
        lock (_gate)
        {
            _failuresLeft = count;
            _failureStatus = status;
            _failureRetryAfter = retryAfter;
        }
    }

    /// <summary>
    /// The next <paramref name="count"/> requests (to <paramref name="endpoint"/>, or of any kind; after the
    /// token check and any throttling) are answered with <paramref name="status"/> and Graph's error JSON
    /// carrying <paramref name="code"/> and <paramref name="message"/>.
    /// </summary>
    public void Refuse(int count, int status, string code, string message, GraphEndpoint? endpoint = null)
    {
        lock (_gate)
        {
            _refusalsLeft = count;
            _refusal = new Refusal(status, code, message, endpoint);
        }
    }

    /// <summary>What <c>sendMail</c> accepted so far, in order: the MIME message as decoded from the request.</summary>
    public IReadOnlyList<GraphSentMail> SentMail
    {
        get
        {
            lock (_gate)
            {
                return _sent.ToList();
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests get no answer: the connection is reset, as on a network failure.</summary>
    public void DropConnections(int count)
    {
        lock (_gate)
        {
            _dropsLeft = count;
        }
    }

    /// <summary>
    /// Every delta token issued so far becomes invalid: the next request with one gets what Graph sends
    /// for a sync state it no longer has (410 Gone, error code <c>syncStateNotFound</c>, and a
    /// <c>Location</c> header with the link that starts a full synchronisation).
    /// </summary>
    public void ExpireDeltaTokens()
    {
        lock (_gate)
        {
            _tokenGeneration++;
        }
    }

    /// <summary>How many requests reached an endpoint (including the ones answered with an error).</summary>
    public int RequestCount(GraphEndpoint endpoint)
    {
        lock (_gate)
        {
            return _requests.Count(r => r.Endpoint == endpoint);
        }
    }

    /// <summary>Every request so far, in order.</summary>
    public IReadOnlyList<GraphStandInRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToList();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private IEnumerable<Message> MessagesInLocked(string folder)
    {
        var target = ResolveFolder(folder) ?? FindTopLevel(folder);
        return target is null ? [] : _messages.Values.Where(m => m.FolderId == target.Id).OrderBy(m => m.AddedAt);
    }

    private Folder AddFolder(string displayName, string? parentId, string? wellKnownName)
    {
        var folder = new Folder(NewId("AAMkAGFk"), displayName, parentId, wellKnownName);
        _folders.Add(folder.Id, folder);
        return folder;
    }

    private Folder? ResolveFolder(string idOrWellKnown) =>
        _folders.TryGetValue(idOrWellKnown, out var byId)
            ? byId
            : _folders.Values.FirstOrDefault(f => string.Equals(f.WellKnownName, idOrWellKnown, StringComparison.OrdinalIgnoreCase));

    private Folder? FindTopLevel(string displayName) =>
        _folders.Values.FirstOrDefault(f => f.ParentId == _root.Id && string.Equals(f.DisplayName, displayName, StringComparison.OrdinalIgnoreCase));

    /// <summary>An Exchange-looking id: a fixed prefix, then random bytes in base64 with its URL-unsafe characters replaced as Graph does.</summary>
    private static string NewId(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(40)).Replace('+', '-').Replace('/', '_');

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    /// <summary>An unfolded header value from the message's header section, or null.</summary>
    private static string? HeaderValue(byte[] raw, string name)
    {
        var text = Encoding.Latin1.GetString(raw, 0, Math.Min(raw.Length, 64 * 1024));
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            end = text.IndexOf("\n\n", StringComparison.Ordinal);
        }

        var lines = (end < 0 ? text : text[..end]).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length > name.Length && line[name.Length] == ':' && line.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                var value = new StringBuilder(line[(name.Length + 1)..]);
                while (i + 1 < lines.Length && lines[i + 1].Length > 0 && lines[i + 1][0] is ' ' or '\t')
                {
                    value.Append(lines[++i].TrimEnd('\r'));
                }

                return value.ToString().Trim();
            }
        }

        return null;
    }

    private sealed record Refusal(int Status, string Code, string Message, GraphEndpoint? Endpoint);

    private sealed record Folder(string Id, string DisplayName, string? ParentId, string? WellKnownName);

    private sealed record Message(string Id, string FolderId, byte[] Raw, DateTimeOffset ReceivedAt, string? InternetMessageId, long AddedAt);

    private sealed record Tombstone(string Id, string FolderId, long AddedAt, long RemovedAt);

    /// <summary>What a delta token stands for: the folder, the options of the round, and the change sequence it has seen up to.</summary>
    private sealed record DeltaState(string FolderId, long Since, string[] Select, bool ExpandSize, int Generation);

    /// <summary>What a skip token stands for: the rest of a round's change list, fixed when the round began.</summary>
    private sealed record PageState(string FolderId, IReadOnlyList<Entry> Entries, int Offset, long Until, string[] Select, bool ExpandSize);

    private sealed record Entry(string Id, bool Removed, DateTimeOffset ReceivedAt, string? InternetMessageId, string FolderId, long Size);
}

/// <summary>The endpoints of <see cref="GraphStandIn"/>, for request counts.</summary>
public enum GraphEndpoint
{
    /// <summary><c>GET /users/{id}/mailFolders/{id}/messages/delta</c>.</summary>
    Delta,

    /// <summary><c>GET /users/{id}/messages/{id}/$value</c>.</summary>
    Content,

    /// <summary><c>POST /users/{id}/messages/{id}/move</c>.</summary>
    Move,

    /// <summary><c>GET /users/{id}/mailFolders</c>.</summary>
    ListFolders,

    /// <summary><c>POST /users/{id}/mailFolders</c>.</summary>
    CreateFolder,

    /// <summary><c>POST /users/{id}/sendMail</c> (MIME format).</summary>
    SendMail,

    /// <summary>Anything else (answered 404 or 405).</summary>
    Other,
}

/// <summary>One request the stand-in received.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">The request target as sent (path and query, undecoded).</param>
/// <param name="Endpoint">Which endpoint it addressed.</param>
/// <param name="Status">The status code answered (0 when the connection was dropped).</param>
/// <param name="Prefer">The Prefer header, if any.</param>
public sealed record GraphStandInRequest(string Method, string Target, GraphEndpoint Endpoint, int Status, string? Prefer);

/// <summary>One message accepted by the stand-in's <c>sendMail</c>.</summary>
/// <param name="User">The user it was sent as, as addressed in the request (id or user principal name).</param>
/// <param name="Recipients">The addresses in its To, Cc and Bcc headers.</param>
/// <param name="Mime">The MIME message, decoded from the request's base64.</param>
/// <param name="SentAt">When it was accepted.</param>
public sealed record GraphSentMail(string User, IReadOnlyList<string> Recipients, byte[] Mime, DateTimeOffset SentAt);
