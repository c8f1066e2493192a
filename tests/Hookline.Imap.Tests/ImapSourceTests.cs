using System.Collections.Concurrent;
using Hookline.Intake.Sources;
using Hookline.Intake.Sources.Imap;
using Microsoft.Extensions.Logging;

namespace Hookline.Imap.Tests;

/// <summary>ImapSource against a real Dovecot, with a recording sink and cursor store.</summary>
public sealed class ImapSourceTests(DovecotFixture dovecot) : IClassFixture<DovecotFixture>
{
    private sealed class RecordingSink : IReportSink
    {
        public ConcurrentQueue<IncomingReport> Accepted { get; } = new();

        /// <summary>The bytes of each batch handed in, in order.</summary>
        public ConcurrentQueue<long> BatchBytes { get; } = new();

        public int Calls;

        public Exception? Failure { get; set; }

        /// <summary>Runs once, inside the first hand-in (while the source is between its search and its IDLE).</summary>
        public Func<Task>? DuringFirstHandIn { get; set; }

        public async Task<IReadOnlyList<IntakeReceipt>> AcceptAsync(IReadOnlyList<IncomingReport> batch, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref Calls) == 1 && DuringFirstHandIn is { } during)
            {
                await during();
            }

            return Accept(batch);
        }

        private IReadOnlyList<IntakeReceipt> Accept(IReadOnlyList<IncomingReport> batch)
        {
            if (Failure is { } failure)
            {
                throw failure;
            }

            foreach (var report in batch)
            {
                Accepted.Enqueue(report);
            }

            BatchBytes.Enqueue(batch.Sum(r => (long)r.Raw.Length));

            return batch.Select((_, i) => new IntakeReceipt(IntakeOutcome.Stored, i + 1)).ToList();
        }
    }

    private sealed class MemoryCursors : ISourceCursorStore
    {
        public ConcurrentDictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

        public Task<string?> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult(Values.TryGetValue(key, out var v) ? v : null);

        public Task SetAsync(string key, string? value, CancellationToken cancellationToken)
        {
            if (value is null)
            {
                Values.TryRemove(key, out _);
            }
            else
            {
                Values[key] = value;
            }

            return Task.CompletedTask;
        }
    }

    private sealed class ListLogger : ILogger<ImapSource>
    {
        public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }

    private ImapSourceOptions Options(string user, string folder = "INBOX") => new()
    {
        Name = "imap:test",
        Host = dovecot.Server.Host,
        Port = dovecot.Server.ImapPort,
        Security = ImapSecurity.None,
        User = user,
        Password = "secret",
        Folder = folder,
        BatchMessages = 3,
        ReconnectDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        IdleInterval = TimeSpan.FromMinutes(29),
        PollInterval = TimeSpan.FromMinutes(10),
    };

    private static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for: " + what);
            }

            await Task.Delay(50);
        }
    }

    private async Task<IReadOnlyList<byte[]>> ContentsAsync(string user, string folder)
    {
        await using var client = await dovecot.LoginAsync(user);
        await client.ExamineAsync(folder);
        var uids = await client.UidSearchAllAsync();
        return uids.Count == 0 ? [] : (await client.FetchMessagesAsync(uids)).Select(m => m.Body).ToList();
    }

    private sealed class Running(ImapSource source) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _run;

        public Running Start()
        {
            _run = source.RunAsync(_stop.Token);
            return this;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _run!.WaitAsync(TimeSpan.FromSeconds(20));
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task Messages_are_handed_in_once_and_moved_after_commit_then_new_mail_arrives_through_idle()
    {
        var user = dovecot.NewUser();
        var date = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);
        var messages = Enumerable.Range(0, 7).Select(i => DovecotFixture.Message("report " + i)).ToList();
        await using (var writer = await dovecot.LoginAsync(user))
        {
            await writer.AppendAsync("INBOX", messages.Select(m => new ImapAppendMessage(m, null, date)).ToList());
        }

        var sink = new RecordingSink();
        var cursors = new MemoryCursors();
        var logger = new ListLogger();
        var source = new ImapSource(Options(user), sink, cursors, logger);
        await using (new Running(source).Start())
        {
            await Eventually(async () => sink.Accepted.Count == 7 && (await ContentsAsync(user, "INBOX")).Count == 0, "7 messages handed in and moved");
            var accepted = sink.Accepted.ToList();
            Assert.Equal(messages, accepted.Select(r => r.Raw));
            Assert.All(accepted, r => Assert.Equal("imap:test", r.Source));
            Assert.All(accepted, r => Assert.Equal(date, r.ReceivedAt));
            var validity = cursors.Values[source.UidValidityKey];
            Assert.Equal("imap:imap:test:INBOX:uidvalidity", source.UidValidityKey);
            Assert.Equal(Enumerable.Range(1, 7).Select(u => "INBOX;UIDVALIDITY=" + validity + ";UID=" + u), accepted.Select(r => r.SourceKey));
            Assert.Equal(3, sink.Calls);
            Assert.Equal(messages, await ContentsAsync(user, "Hookline/Processed"));

            // New mail: only IDLE can wake the source (polling is 10 minutes away).
            var late = DovecotFixture.Message("late report");
            await using (var writer = await dovecot.LoginAsync(user))
            {
                await writer.AppendAsync("INBOX", late);
            }

            await Eventually(async () => sink.Accepted.Count == 8 && (await ContentsAsync(user, "INBOX")).Count == 0, "the late message handed in");
            Assert.Equal(late, sink.Accepted.Last().Raw);
        }

        Assert.Equal(8, sink.Accepted.Count);
        Assert.Contains(logger.Entries, e => e.Message.Contains("created folder Hookline/Processed", StringComparison.Ordinal));
        await Eventually(() => Task.FromResult(dovecot.Server.ReadLog().Contains($"imap({user})", StringComparison.Ordinal)
            && dovecot.Server.ReadLog().Split('\n').Any(l => l.Contains($"imap({user})", StringComparison.Ordinal) && l.Contains("Logged out", StringComparison.Ordinal))), "a clean LOGOUT in Dovecot's log", 10);
    }

    [Fact]
    public async Task Mail_that_arrives_between_the_search_and_the_idle_is_taken_in_at_once()
    {
        var user = dovecot.NewUser();
        var first = DovecotFixture.Message("first report");
        var between = DovecotFixture.Message("arrived while the first was handed in");
        await using (var writer = await dovecot.LoginAsync(user))
        {
            await writer.AppendAsync("INBOX", first);
        }

        // The second message lands after the source's search, during its first hand-in; Dovecot announces
        // it (EXISTS) in the answer to a later command, and not again when IDLE starts. IDLE and polling
        // are half an hour and ten minutes away: only noticing that announcement takes it in promptly.
        var sink = new RecordingSink
        {
            DuringFirstHandIn = async () =>
            {
                await using var writer = await dovecot.LoginAsync(user);
                await writer.AppendAsync("INBOX", between);
            },
        };
        await using (new Running(new ImapSource(Options(user), sink, new MemoryCursors(), new ListLogger())).Start())
        {
            await Eventually(async () => sink.Accepted.Count == 2 && (await ContentsAsync(user, "INBOX")).Count == 0, "both messages handed in and moved");
        }

        Assert.Equal([first, between], sink.Accepted.Select(r => r.Raw));
    }

    [Fact]
    public async Task Nothing_is_moved_when_the_sink_fails_and_a_restart_hands_the_same_messages_in()
    {
        var user = dovecot.NewUser();
        var messages = Enumerable.Range(0, 4).Select(i => DovecotFixture.Message("retry " + i)).ToList();
        await using (var writer = await dovecot.LoginAsync(user))
        {
            await writer.AppendAsync("INBOX", messages.Select(m => new ImapAppendMessage(m)).ToList());
        }

        var failing = new RecordingSink { Failure = new InvalidOperationException("database is down") };
        var cursors = new MemoryCursors();
        var logger = new ListLogger();
        await using (new Running(new ImapSource(Options(user), failing, cursors, logger)).Start())
        {
            await Eventually(() => Task.FromResult(Volatile.Read(ref failing.Calls) >= 3), "three failed attempts (with reconnects)");
        }

        Assert.Empty(failing.Accepted);
        Assert.Equal(messages, await ContentsAsync(user, "INBOX"));
        Assert.Empty(await ContentsAsync(user, "Hookline/Processed"));
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("reconnecting", StringComparison.Ordinal));

        var working = new RecordingSink();
        await using (new Running(new ImapSource(Options(user), working, cursors, logger)).Start())
        {
            await Eventually(async () => working.Accepted.Count == 4 && (await ContentsAsync(user, "INBOX")).Count == 0, "the same messages handed in after the restart");
        }

        Assert.Equal(messages, working.Accepted.Select(r => r.Raw));
        Assert.Equal(messages, await ContentsAsync(user, "Hookline/Processed"));
    }

    [Fact]
    public async Task A_changed_uidvalidity_is_logged_and_the_messages_still_handed_in()
    {
        var user = dovecot.NewUser();
        await using (var writer = await dovecot.LoginAsync(user))
        {
            await writer.CreateAsync("Reports");
            await writer.AppendAsync("Reports", DovecotFixture.Message("first"));
        }

        var sink = new RecordingSink();
        var cursors = new MemoryCursors();
        var logger = new ListLogger();
        var source = new ImapSource(Options(user, "Reports"), sink, cursors, logger);
        await using (new Running(source).Start())
        {
            await Eventually(() => Task.FromResult(sink.Accepted.Count == 1), "the first message");
        }

        var before = cursors.Values[source.UidValidityKey];
        var again = DovecotFixture.Message("after recreation");
        await using (var writer = await dovecot.LoginAsync(user))
        {
            await writer.DeleteAsync("Reports");
            await Task.Delay(1100);
            await writer.CreateAsync("Reports");
            await writer.AppendAsync("Reports", again);
        }

        await using (new Running(new ImapSource(Options(user, "Reports"), sink, cursors, logger)).Start())
        {
            await Eventually(() => Task.FromResult(sink.Accepted.Count == 2), "the message in the recreated folder");
        }

        var after = cursors.Values[source.UidValidityKey];
        Assert.NotEqual(before, after);
        Assert.Equal(again, sink.Accepted.Last().Raw);
        Assert.Equal("Reports;UIDVALIDITY=" + after + ";UID=1", sink.Accepted.Last().SourceKey);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains($"UIDVALIDITY of Reports changed from {before} to {after}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Oversized_messages_are_left_and_warned_about_once_and_polling_works_without_idle()
    {
        var user = dovecot.NewUser();
        var big = DovecotFixture.Message("big", new string('b', 5000));
        var small = DovecotFixture.Message("small");
        await using (var writer = await dovecot.LoginAsync(user))
        {
            await writer.AppendAsync("INBOX", [new ImapAppendMessage(big), new ImapAppendMessage(small)]);
        }

        var options = Options(user);
        options.MaxMessageSize = 2000;
        options.PollInterval = TimeSpan.FromMilliseconds(200);
        options.Client.IgnoredCapabilities.Add("IDLE");
        var sink = new RecordingSink();
        var logger = new ListLogger();
        await using (new Running(new ImapSource(options, sink, new MemoryCursors(), logger)).Start())
        {
            await Eventually(() => Task.FromResult(sink.Accepted.Count == 1), "the small message");
            var later = DovecotFixture.Message("later");
            await using (var writer = await dovecot.LoginAsync(user))
            {
                await writer.AppendAsync("INBOX", later);
            }

            await Eventually(() => Task.FromResult(sink.Accepted.Count == 2), "the later message, found by polling");
            await Task.Delay(600);
        }

        Assert.Equal([small], sink.Accepted.Take(1).Select(r => r.Raw));
        Assert.Equal([big], await ContentsAsync(user, "INBOX"));
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("UID 1 in INBOX has", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_under_reports_sizes_gets_no_message_past_the_limit_and_no_batch_past_its_budget()
    {
        var user = dovecot.NewUser();
        var big = DovecotFixture.Message("big", new string('x', 60_000));
        var medium = Enumerable.Range(0, 6).Select(i => DovecotFixture.Message("medium " + i, new string((char)('a' + i), 15_000))).ToList();
        await using (var writer = await dovecot.LoginAsync(user))
        {
            await writer.AppendAsync("INBOX", [new ImapAppendMessage(big), .. medium.Select(m => new ImapAppendMessage(m))]);
        }

        // Through the relay every message is "10 bytes": all seven would go into one batch of about 150 KB.
        await using var liar = new SizeLyingProxy(dovecot.Server.Host, dovecot.Server.ImapPort);
        var options = Options(user);
        options.Port = liar.Port;
        options.BatchMessages = 50;
        options.BatchBytes = 40_000;
        options.MaxMessageSize = 20_000;
        var sink = new RecordingSink();
        var logger = new ListLogger();
        await using (new Running(new ImapSource(options, sink, new MemoryCursors(), logger)).Start())
        {
            await Eventually(() => Task.FromResult(sink.Accepted.Count >= 6), "the six messages within the limit");
            await Task.Delay(300);
        }

        Assert.Equal(medium.Select(Convert.ToBase64String).Order(StringComparer.Ordinal), sink.Accepted.Select(r => Convert.ToBase64String(r.Raw)).Order(StringComparer.Ordinal));
        Assert.All(sink.BatchBytes, b => Assert.InRange(b, 1, options.BatchBytes));
        Assert.True(sink.BatchBytes.Count >= 3, "six messages of 15 KB in batches of at most 40 KB");
        // The large one stays in the folder, logged once with its real size (not the 10 the server claimed).
        Assert.Equal([big], await ContentsAsync(user, "INBOX"));
        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains($"UID 1 in INBOX has {big.Length} bytes, more than the maximum 20000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Xoauth2_through_the_source()
    {
        var user = dovecot.NewUser();
        var token = "source-" + Guid.NewGuid().ToString("N");
        dovecot.Server.AddOAuthToken(token, user);
        await using (var writer = await dovecot.LoginAsync(user))
        {
            await writer.AppendAsync("INBOX", DovecotFixture.Message("oauth"));
        }

        var options = Options(user);
        options.Password = null;
        options.AccessTokenProvider = _ => ValueTask.FromResult(token);
        var sink = new RecordingSink();
        await using (new Running(new ImapSource(options, sink, new MemoryCursors())).Start())
        {
            await Eventually(() => Task.FromResult(sink.Accepted.Count == 1), "the message, read with XOAUTH2");
        }

        Assert.Contains($"user=<{user}>, method=XOAUTH2", dovecot.Server.ReadLog(), StringComparison.Ordinal);
    }
}
