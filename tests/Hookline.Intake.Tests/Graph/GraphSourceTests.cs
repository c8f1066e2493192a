using System.Diagnostics;
using Hookline.Intake.Sources.Graph;
using Hookline.Testing.Servers;
using Microsoft.Extensions.Logging;
using Microsoft.Graph.Models.ODataErrors;

namespace Hookline.Intake.Tests.Graph;

public sealed class GraphSourceTests
{
    [Fact]
    public async Task First_sync_hands_every_message_in_once_byte_for_byte()
    {
        await using var h = await GraphHarness.StartAsync();
        var raws = new[] { GraphMail.Message("one"), GraphMail.Message("two", bareLf: true), GraphMail.Message("three", eightBit: true) };
        var ids = raws.Select((raw, i) => h.Server.AddMessage(raw, GraphMail.At(i))).ToList();
        using var source = h.Source();

        var round = await source.SyncOnceAsync(CancellationToken.None);

        Assert.Equal(3, round.Accepted);
        Assert.False(round.Resynced);
        var reports = h.Sink.Reports.OrderBy(r => r.ReceivedAt).ToList();
        Assert.Equal(3, reports.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("graph:reports", reports[i].Source);
            Assert.Equal(ids[i], reports[i].SourceKey);
            Assert.Equal(raws[i], reports[i].Raw);
            Assert.Equal(GraphMail.At(i), reports[i].ReceivedAt);
        }

        var delta = h.Server.Requests.First(r => r.Endpoint == GraphEndpoint.Delta);
        Assert.Contains("select=id,internetMessageId,receivedDateTime", Uri.UnescapeDataString(delta.Target), StringComparison.Ordinal);
        Assert.Equal("odata.maxpagesize=10", delta.Prefer);
        Assert.Equal(3, h.Server.RequestCount(GraphEndpoint.Content));
        Assert.Contains("$deltatoken=", h.Cursors[h.Options().CursorKey], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_round_without_changes_hands_nothing_in_and_downloads_nothing()
    {
        await using var h = await GraphHarness.StartAsync();
        h.Server.AddMessage(GraphMail.Message("one"), GraphMail.At(1));
        using var source = h.Source();
        await source.SyncOnceAsync(CancellationToken.None);

        var second = await source.SyncOnceAsync(CancellationToken.None);

        Assert.Equal(0, second.Accepted);
        Assert.Single(h.Sink.Batches);
        Assert.Equal(1, h.Server.RequestCount(GraphEndpoint.Content));
        Assert.Contains("$deltatoken=", h.Server.Requests.Last(r => r.Endpoint == GraphEndpoint.Delta).Target, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_arriving_after_the_delta_link_are_picked_up_alone()
    {
        await using var h = await GraphHarness.StartAsync();
        h.Server.AddMessage(GraphMail.Message("old"), GraphMail.At(1));
        using var source = h.Source();
        await source.SyncOnceAsync(CancellationToken.None);
        var fresh = GraphMail.Message("new");
        var freshId = h.Server.AddMessage(fresh, GraphMail.At(2));

        var round = await source.SyncOnceAsync(CancellationToken.None);

        Assert.Equal(1, round.Accepted);
        var last = Assert.Single(h.Sink.Batches[^1]);
        Assert.Equal(freshId, last.SourceKey);
        Assert.Equal(fresh, last.Raw);
    }

    [Fact]
    public async Task Pages_are_committed_one_by_one_and_each_link_is_saved_after_its_page()
    {
        await using var h = await GraphHarness.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            h.Server.AddMessage(GraphMail.Message($"m{i}"), GraphMail.At(i));
        }

        var options = h.Options(pageSize: 2);
        using var source = h.Source(options);
        var cursorAtCommit = new List<string?>();
        h.Sink.BeforeCommit = _ => cursorAtCommit.Add(h.Cursors[options.CursorKey]);

        var round = await source.SyncOnceAsync(CancellationToken.None);

        Assert.Equal(3, round.Pages);
        Assert.Equal([2, 2, 1], h.Sink.Batches.Select(b => b.Count));
        Assert.Equal(5, h.Sink.Reports.Select(r => r.SourceKey).Distinct().Count());
        var writes = h.Cursors.Writes.Select(w => w.Value!).ToList();
        Assert.Equal(3, writes.Count);
        Assert.Contains("$skiptoken=", writes[0], StringComparison.Ordinal);
        Assert.Contains("$skiptoken=", writes[1], StringComparison.Ordinal);
        Assert.Contains("$deltatoken=", writes[2], StringComparison.Ordinal);
        // Each page was committed while the cursor still pointed at that page, not past it.
        Assert.Equal([null, writes[0], writes[1]], cursorAtCommit);
        Assert.All(h.Server.Requests.Where(r => r.Endpoint == GraphEndpoint.Delta), r => Assert.Equal("odata.maxpagesize=2", r.Prefer));
    }

    [Fact]
    public async Task Handled_messages_are_moved_to_the_processed_folder_only_after_the_commit()
    {
        await using var h = await GraphHarness.StartAsync();
        var raws = new[] { GraphMail.Message("a"), GraphMail.Message("b"), GraphMail.Message("c") };
        foreach (var (raw, i) in raws.Select((r, i) => (r, i)))
        {
            h.Server.AddMessage(raw, GraphMail.At(i));
        }

        using var source = h.Source(h.Options(processedFolder: "Hookline processed"));
        var movesAtCommit = new List<int>();
        h.Sink.BeforeCommit = _ => movesAtCommit.Add(h.Server.RequestCount(GraphEndpoint.Move));

        await source.SyncOnceAsync(CancellationToken.None);

        Assert.Equal([0], movesAtCommit);
        Assert.NotNull(h.Server.FolderId("Hookline processed"));
        Assert.Empty(h.Server.MessagesIn("inbox"));
        Assert.Equal(raws, h.Server.RawMessagesIn("Hookline processed"));
        Assert.Equal(1, h.Server.RequestCount(GraphEndpoint.CreateFolder));

        // The next round sees the moves as removals (@removed) and hands nothing in again.
        var next = await source.SyncOnceAsync(CancellationToken.None);
        Assert.Equal(0, next.Accepted);
        Assert.Equal(0, next.Skipped);
        Assert.Equal(3, h.Sink.Reports.Count);
        Assert.Equal(3, h.Server.RequestCount(GraphEndpoint.Content));

        // A new instance finds the folder instead of creating a second one.
        using var restarted = h.Source(h.Options(processedFolder: "Hookline processed"));
        h.Server.AddMessage(GraphMail.Message("d"), GraphMail.At(9));
        await restarted.SyncOnceAsync(CancellationToken.None);
        Assert.Equal(1, h.Server.RequestCount(GraphEndpoint.CreateFolder));
        Assert.Equal(4, h.Server.MessagesIn("Hookline processed").Count);
    }

    [Fact]
    public async Task A_failing_sink_moves_nothing_keeps_the_cursor_and_the_next_round_hands_the_messages_in_again()
    {
        await using var h = await GraphHarness.StartAsync();
        var ids = new[] { h.Server.AddMessage(GraphMail.Message("a"), GraphMail.At(1)), h.Server.AddMessage(GraphMail.Message("b"), GraphMail.At(2)) };
        var options = h.Options(processedFolder: "Processed");
        using var source = h.Source(options);
        h.Sink.FailWith = new IOException("disk full");

        await Assert.ThrowsAsync<IOException>(() => source.SyncOnceAsync(CancellationToken.None));

        Assert.Equal(0, h.Server.RequestCount(GraphEndpoint.Move));
        Assert.Equal(ids, h.Server.MessagesIn("inbox"));
        Assert.Null(h.Cursors[options.CursorKey]);
        Assert.Empty(h.Sink.Batches);

        h.Sink.FailWith = null;
        var round = await source.SyncOnceAsync(CancellationToken.None);

        Assert.Equal(2, round.Accepted);
        Assert.Equal(ids, h.Sink.Reports.Select(r => r.SourceKey));
        Assert.Empty(h.Server.MessagesIn("inbox"));
        Assert.Equal(2, h.Server.MessagesIn("Processed").Count);
    }

    [Fact]
    public async Task Throttling_with_Retry_After_is_waited_out_and_retried()
    {
        await using var h = await GraphHarness.StartAsync();
        var raw = GraphMail.Message("a");
        h.Server.AddMessage(raw, GraphMail.At(1));
        using var source = h.Source();
        h.Server.Throttle(2, TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        var round = await source.SyncOnceAsync(CancellationToken.None);

        clock.Stop();
        Assert.Equal(1, round.Accepted);
        Assert.Equal(raw, Assert.Single(h.Sink.Reports).Raw);
        Assert.Equal([429, 429, 200], h.Server.Requests.Where(r => r.Endpoint == GraphEndpoint.Delta).Select(r => r.Status));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"waited only {clock.Elapsed}");
    }

    [Fact]
    public async Task Service_unavailable_with_Retry_After_on_the_content_download_is_retried()
    {
        await using var h = await GraphHarness.StartAsync();
        var raw = GraphMail.Message("a");
        h.Server.AddMessage(raw, GraphMail.At(1));
        using var source = h.Source();
        await source.SyncOnceAsync(CancellationToken.None);
        h.Server.AddMessage(GraphMail.Message("b"), GraphMail.At(2));
        h.Server.Throttle(1, TimeSpan.FromSeconds(1), status: 503);

        var second = await source.SyncOnceAsync(CancellationToken.None);

        Assert.Equal(1, second.Accepted);
        Assert.Contains(h.Server.Requests, r => r.Status == 503);
        Assert.Equal(2, h.Sink.Reports.Count);
    }

    [Fact]
    public async Task An_expired_delta_token_starts_a_full_resync()
    {
        await using var h = await GraphHarness.StartAsync();
        var first = h.Server.AddMessage(GraphMail.Message("a"), GraphMail.At(1));
        var options = h.Options();
        using var source = h.Source(options);
        await source.SyncOnceAsync(CancellationToken.None);
        var second = h.Server.AddMessage(GraphMail.Message("b"), GraphMail.At(2));
        h.Server.ExpireDeltaTokens();

        var round = await source.SyncOnceAsync(CancellationToken.None);

        Assert.True(round.Resynced);
        Assert.Equal(2, round.Accepted);
        Assert.Equal([first, second], h.Sink.Batches[^1].Select(r => r.SourceKey));
        Assert.Contains(h.Server.Requests, r => r.Endpoint == GraphEndpoint.Delta && r.Status == 410);
        Assert.Contains(h.Log.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("410", StringComparison.Ordinal));

        // The new delta link works: the following round is incremental again.
        var after = await source.SyncOnceAsync(CancellationToken.None);
        Assert.False(after.Resynced);
        Assert.Equal(0, after.Accepted);
    }

    [Fact]
    public async Task A_message_deleted_between_delta_and_download_is_skipped_with_a_log()
    {
        await using var h = await GraphHarness.StartAsync();
        h.Server.AddMessage(GraphMail.Message("a"), GraphMail.At(1));
        var doomed = h.Server.AddMessage(GraphMail.Message("b"), GraphMail.At(2));
        var kept = h.Server.AddMessage(GraphMail.Message("c"), GraphMail.At(3));
        using var source = h.Source(h.Options(pageSize: 1));
        // While the first page is being committed, a user deletes the message the second page will list.
        h.Sink.BeforeCommit = batch =>
        {
            if (h.Sink.Batches.Count == 0)
            {
                Assert.True(h.Server.DeleteMessage(doomed));
            }
        };

        var round = await source.SyncOnceAsync(CancellationToken.None);

        Assert.Equal(2, round.Accepted);
        Assert.Equal(1, round.Skipped);
        Assert.DoesNotContain(h.Sink.Reports, r => r.SourceKey == doomed);
        Assert.Contains(h.Sink.Reports, r => r.SourceKey == kept);
        Assert.Contains(h.Server.Requests, r => r.Endpoint == GraphEndpoint.Content && r.Status == 404);
        Assert.Contains(h.Log.Entries, e => e.Text.Contains(doomed, StringComparison.Ordinal) && e.Text.Contains("disappeared", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_not_downloaded_and_is_logged()
    {
        await using var h = await GraphHarness.StartAsync();
        var big = h.Server.AddMessage(GraphMail.Message("big", bodyBytes: 5000), GraphMail.At(1));
        var small = GraphMail.Message("small", bodyBytes: 10);
        h.Server.AddMessage(small, GraphMail.At(2));
        using var source = h.Source(h.Options(maxMessageBytes: 1000));

        var round = await source.SyncOnceAsync(CancellationToken.None);

        Assert.Equal(1, round.Accepted);
        Assert.Equal(1, round.Skipped);
        Assert.Equal(small, Assert.Single(h.Sink.Reports).Raw);
        Assert.Equal(1, h.Server.RequestCount(GraphEndpoint.Content));
        Assert.DoesNotContain(h.Server.Requests, r => r.Endpoint == GraphEndpoint.Content && r.Target.Contains(big, StringComparison.Ordinal));
        Assert.Contains(h.Log.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains(big, StringComparison.Ordinal) && e.Text.Contains("over the limit", StringComparison.Ordinal));
        Assert.Contains(big, h.Server.MessagesIn("inbox"));
    }

    [Fact]
    public async Task A_restarted_source_continues_from_the_saved_delta_link()
    {
        await using var h = await GraphHarness.StartAsync();
        h.Server.AddMessage(GraphMail.Message("a"), GraphMail.At(1));
        var options = h.Options();
        using (var first = h.Source(options))
        {
            await first.SyncOnceAsync(CancellationToken.None);
        }

        var saved = h.Cursors[options.CursorKey];
        var fresh = h.Server.AddMessage(GraphMail.Message("b"), GraphMail.At(2));
        using var restarted = h.Source(options);

        var round = await restarted.SyncOnceAsync(CancellationToken.None);

        Assert.Equal(1, round.Accepted);
        Assert.Equal(fresh, h.Sink.Reports[^1].SourceKey);
        var firstRequestAfterRestart = h.Server.Requests.Where(r => r.Endpoint == GraphEndpoint.Delta).Skip(1).First();
        Assert.Equal(new Uri(saved!).PathAndQuery, firstRequestAfterRestart.Target);
    }

    [Fact]
    public async Task A_round_cut_short_resumes_from_the_saved_next_link_without_repeating_committed_pages()
    {
        await using var h = await GraphHarness.StartAsync();
        var ids = Enumerable.Range(0, 4).Select(i => h.Server.AddMessage(GraphMail.Message($"m{i}"), GraphMail.At(i))).ToList();
        var options = h.Options(pageSize: 2);
        using (var first = h.Source(options))
        {
            h.Sink.BeforeCommit = _ =>
            {
                if (h.Sink.Batches.Count == 1)
                {
                    throw new IOException("crash while committing the second page");
                }
            };
            await Assert.ThrowsAsync<IOException>(() => first.SyncOnceAsync(CancellationToken.None));
        }

        Assert.Contains("$skiptoken=", h.Cursors[options.CursorKey], StringComparison.Ordinal);
        h.Sink.BeforeCommit = null;
        using var restarted = h.Source(options);

        var round = await restarted.SyncOnceAsync(CancellationToken.None);

        Assert.Equal(2, round.Accepted);
        Assert.Equal(ids, h.Sink.Reports.Select(r => r.SourceKey));
    }

    [Fact]
    public async Task Run_recovers_from_dropped_connections_and_keeps_polling_until_cancelled()
    {
        await using var h = await GraphHarness.StartAsync();
        h.Server.AddMessage(GraphMail.Message("a"), GraphMail.At(1));
        h.Server.DropConnections(2);
        using var source = h.Source();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var run = source.RunAsync(stop.Token);
        await WaitUntil(() => h.Sink.Reports.Count == 1, stop.Token);
        h.Server.AddMessage(GraphMail.Message("b"), GraphMail.At(2));
        await WaitUntil(() => h.Sink.Reports.Count == 2, stop.Token);
        await stop.CancelAsync();
        await run;

        Assert.Contains(h.Server.Requests, r => r.Status == 0);
        Assert.Contains(h.Log.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("failed", StringComparison.Ordinal));
        Assert.Equal(2, h.Sink.Reports.Select(r => r.SourceKey).Distinct().Count());
    }

    [Fact]
    public async Task A_wrong_token_gets_Graphs_401_error()
    {
        await using var h = await GraphHarness.StartAsync();
        using var source = h.Source(token: "not-the-token");

        var error = await Assert.ThrowsAsync<ODataError>(() => source.SyncOnceAsync(CancellationToken.None));

        Assert.Equal(401, error.ResponseStatusCode);
        Assert.Equal("InvalidAuthenticationToken", error.Error?.Code);
    }

    [Fact]
    public async Task The_mailbox_can_be_addressed_by_user_id_and_a_folder_by_id()
    {
        await using var h = await GraphHarness.StartAsync();
        h.Server.AddMessage(GraphMail.Message("junk"), GraphMail.At(1), folder: "junkemail");
        var inboxOnly = h.Server.AddMessage(GraphMail.Message("inbox"), GraphMail.At(2));
        var junkId = h.Server.FolderId("Junk Email")!;
        var options = h.Options();
        using var source = h.Source(new GraphSourceOptions
        {
            Name = options.Name,
            Mailbox = h.Server.UserId,
            Folder = junkId,
            BaseUrl = options.BaseUrl,
        });

        var round = await source.SyncOnceAsync(CancellationToken.None);

        Assert.Equal(1, round.Accepted);
        Assert.NotEqual(inboxOnly, Assert.Single(h.Sink.Reports).SourceKey);
    }

    private static async Task WaitUntil(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
