using System.Collections.Concurrent;
using Hookline.Intake.Sources;
using Hookline.Intake.Sources.Graph;
using Hookline.Testing.Servers;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Hookline.Intake.Tests.Graph;

/// <summary>A sink that keeps every batch it commits, and can be told to fail or to run something first.</summary>
internal sealed class RecordingSink : IReportSink
{
    private readonly List<IReadOnlyList<IncomingReport>> _batches = [];
    private long _nextId;

    /// <summary>When set, the next calls throw this instead of committing.</summary>
    public Exception? FailWith { get; set; }

    /// <summary>Runs before each commit (with the batch), e.g. to look at the server's state at that moment.</summary>
    public Action<IReadOnlyList<IncomingReport>>? BeforeCommit { get; set; }

    public IReadOnlyList<IReadOnlyList<IncomingReport>> Batches
    {
        get
        {
            lock (_batches)
            {
                return _batches.ToList();
            }
        }
    }

    public IReadOnlyList<IncomingReport> Reports => Batches.SelectMany(b => b).ToList();

    public Task<IReadOnlyList<IntakeReceipt>> AcceptAsync(IReadOnlyList<IncomingReport> batch, CancellationToken cancellationToken)
    {
        BeforeCommit?.Invoke(batch);
        if (FailWith is { } failure)
        {
            throw failure;
        }

        lock (_batches)
        {
            _batches.Add(batch.ToList());
            IReadOnlyList<IntakeReceipt> receipts = batch.Select(_ => new IntakeReceipt(IntakeOutcome.Stored, ++_nextId)).ToList();
            return Task.FromResult(receipts);
        }
    }
}

/// <summary>A cursor store in memory that remembers every write.</summary>
internal sealed class MemoryCursorStore : ISourceCursorStore
{
    private readonly ConcurrentDictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Key, string? Value)> _writes = new();

    public IReadOnlyList<(string Key, string? Value)> Writes => _writes.ToList();

    public string? this[string key] => _values.TryGetValue(key, out var value) ? value : null;

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult(this[key]);

    public Task SetAsync(string key, string? value, CancellationToken cancellationToken)
    {
        _writes.Enqueue((key, value));
        if (value is null)
        {
            _values.TryRemove(key, out _);
        }
        else
        {
            _values[key] = value;
        }

        return Task.CompletedTask;
    }
}

/// <summary>A logger that keeps what was logged.</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Text)> Entries => _entries.ToList();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception)));
}

/// <summary>Hands the SDK one fixed bearer token, as a credential would after signing in.</summary>
internal sealed class FixedToken(string token) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new(["127.0.0.1"]);

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(token);
}

/// <summary>A stand-in, the real SDK client pointed at it, and the test doubles around a <see cref="GraphSource"/>.</summary>
internal sealed class GraphHarness : IAsyncDisposable
{
    private readonly List<GraphServiceClient> _clients = [];

    private GraphHarness(GraphStandIn server) => Server = server;

    public GraphStandIn Server { get; }

    public RecordingSink Sink { get; } = new();

    public MemoryCursorStore Cursors { get; } = new();

    public ListLogger<GraphSource> Log { get; } = new();

    public static async Task<GraphHarness> StartAsync() => new(await GraphStandIn.StartAsync());

    public GraphSourceOptions Options(int pageSize = 10, string? processedFolder = null, long maxMessageBytes = 1024 * 1024) => new()
    {
        Name = "graph:reports",
        Mailbox = Server.Mailbox,
        Folder = "inbox",
        BaseUrl = Server.BaseUrl,
        PageSize = pageSize,
        ProcessedFolder = processedFolder,
        MaxMessageBytes = maxMessageBytes,
        PollInterval = TimeSpan.FromMilliseconds(50),
        InitialBackoff = TimeSpan.FromMilliseconds(100),
        MaxBackoff = TimeSpan.FromMilliseconds(400),
    };

    /// <summary>A new source (as after a restart) over the same sink and cursor store.</summary>
    public GraphSource Source(GraphSourceOptions? options = null, string? token = null)
    {
        options ??= Options();
        var client = GraphSource.CreateClient(options, new BaseBearerTokenAuthenticationProvider(new FixedToken(token ?? Server.AccessToken)));
        _clients.Add(client);
        return new GraphSource(options, client, Sink, Cursors, Log);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Server.DisposeAsync();
    }
}

/// <summary>Report-shaped raw messages that differ in ways a careless transport would change.</summary>
internal static class GraphMail
{
    private static int _counter;

    public static byte[] Message(string subject, int bodyBytes = 40, bool bareLf = false, bool eightBit = false)
    {
        var n = Interlocked.Increment(ref _counter);
        var eol = bareLf ? "\n" : "\r\n";
        var head = $"From: Reporter <reporter{n}@contoso.test>{eol}To: report@contoso.test{eol}Subject: Phishing: {subject}{eol}" +
            $"Message-ID: <report-{n}@contoso.test>{eol}Date: Mon, 3 Mar 2025 10:00:00 +0000{eol}MIME-Version: 1.0{eol}" +
            $"Content-Type: text/plain; charset=utf-8{eol}Content-Transfer-Encoding: 8bit{eol}{eol}";
        var bytes = new List<byte>(System.Text.Encoding.ASCII.GetBytes(head));
        for (var i = 0; i < bodyBytes; i++)
        {
            bytes.Add((byte)('a' + (i % 26)));
        }

        if (eightBit)
        {
            bytes.AddRange([0xC3, 0xA9, 0x00, 0xFF, (byte)'\r', (byte)'\r', (byte)'\n']);
        }

        return bytes.ToArray();
    }

    public static DateTimeOffset At(int minute) => new(2025, 3, 3, 10, minute, 0, TimeSpan.Zero);
}
