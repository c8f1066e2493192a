using System.Net;
using System.Text;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Hookline.Smtp.Tests;

/// <summary>The listener's memory and sessions stay bounded whatever clients send: text is spooled, hand-over is rationed, one client cannot take every session.</summary>
[Collection(ResourceLimitTests.Alone)]
public sealed class ResourceLimitTests : IDisposable
{
    /// <summary>Allocation is measured process-wide: these tests run after the others, not beside them.</summary>
    public const string Alone = "SMTP resource limits, run alone";

    private readonly string _spool = Directory.CreateTempSubdirectory("hookline-spool-").FullName;

    public void Dispose() => Directory.Delete(_spool, recursive: true);

    [Fact]
    public async Task One_client_cannot_take_every_session()
    {
        await using var harness = await ServerHarness.StartAsync(o => o.MaxSessionsPerClient = 2);
        await using var first = await SmtpTestClient.OpenAsync(harness.EndPoint);
        await using var second = await SmtpTestClient.OpenAsync(harness.EndPoint);
        await using (var third = await SmtpTestClient.ConnectAsync(harness.EndPoint))
        {
            var refused = await third.ReadReplyAsync();
            Assert.Equal(421, refused.Code);
            Assert.StartsWith("4.3.2 ", refused.Text, StringComparison.Ordinal);
        }

        // Another client address is still served, and the first client's sessions carry on.
        await using var other = await SmtpTestClient.OpenAsync(harness.EndPoint, from: IPAddress.Parse("127.0.0.2"));
        Assert.Equal(250, (await other.CommandAsync("NOOP")).Code);
        Assert.Equal(250, (await first.CommandAsync("NOOP")).Code);
    }

    [Fact]
    public async Task Text_past_the_threshold_goes_to_a_spool_file_that_is_gone_once_handed_over()
    {
        await using var harness = await ServerHarness.StartAsync(o =>
        {
            o.SpoolThreshold = 4096;
            o.SpoolDirectory = _spool;
        });
        var line = new string('x', 998);
        var body = new StringBuilder("Subject: big\r\n\r\n");
        for (var i = 0; i < 200; i++)
        {
            body.Append(line).Append("\r\n");
        }

        await using var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await client.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
        await client.SendAsync(body.ToString());

        var file = await WaitForAsync(() => Directory.GetFiles(_spool).SingleOrDefault());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(250, (await client.CommandAsync(".")).Code);

        Assert.Equal(Encoding.ASCII.GetBytes(body.ToString()), Assert.Single(harness.Messages).Data);
        Assert.Empty(Directory.GetFiles(_spool));
    }

    [Fact]
    public async Task A_refused_or_abandoned_message_leaves_no_spool_file()
    {
        await using var harness = await ServerHarness.StartAsync(o =>
        {
            o.SpoolThreshold = 1024;
            o.SpoolDirectory = _spool;
            o.MaxMessageSize = 64 * 1024;
        });
        var chunk = Encoding.ASCII.GetBytes(new string('y', 8190) + "\r\n");
        await using (var cut = await SmtpTestClient.OpenAsync(harness.EndPoint))
        {
            Assert.Equal(250, (await cut.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
            Assert.Equal(250, (await cut.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
            Assert.Equal(354, (await cut.CommandAsync("DATA")).Code);
            await cut.SendAsync(chunk);
            await WaitForAsync(() => Directory.GetFiles(_spool).SingleOrDefault());
        }

        await WaitForAsync(() => Directory.GetFiles(_spool).Length == 0 ? "empty" : null);

        await using var large = await SmtpTestClient.OpenAsync(harness.EndPoint);
        Assert.Equal(250, (await large.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
        Assert.Equal(250, (await large.CommandAsync("RCPT TO:<reports@hookline.test>")).Code);
        Assert.Equal(354, (await large.CommandAsync("DATA")).Code);
        for (var i = 0; i < 10; i++)
        {
            await large.SendAsync(chunk);
        }

        Assert.Equal(552, (await large.CommandAsync(".")).Code);
        Assert.Empty(Directory.GetFiles(_spool));
        Assert.Empty(harness.Messages);
    }

    [Fact]
    public async Task Spool_files_left_by_a_killed_process_are_removed_at_start()
    {
        var stale = Path.Combine(_spool, "smtp-0123.spool");
        var recent = Path.Combine(_spool, "smtp-4567.spool");
        var other = Path.Combine(_spool, "notes.txt");
        foreach (var path in new[] { stale, recent, other })
        {
            File.WriteAllText(path, "x");
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddHours(-2));
        }

        File.SetLastWriteTimeUtc(recent, DateTime.UtcNow);

        await using var harness = await ServerHarness.StartAsync(o => o.SpoolDirectory = _spool);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(recent) && File.Exists(other));
    }

    [Fact]
    public async Task Concurrent_large_messages_are_spooled_and_handed_over_within_the_allowance()
    {
        const int Messages = 4;
        const int Chunks = 1200; // 1200 × 16 KB: about 19.7 MB a message
        await using var harness = await ServerHarness.StartAsync(o =>
        {
            o.SpoolDirectory = _spool;
            o.MaxMessageSize = 32 * 1024 * 1024;
            o.MaxBytesInFlight = 24 * 1024 * 1024;
        });
        var handing = 0;
        var mostAtOnce = 0;
        harness.Before = async (_, _, token) =>
        {
            var now = Interlocked.Increment(ref handing);
            InterlockedMax(ref mostAtOnce, now);
            await Task.Delay(200, token);
            Interlocked.Decrement(ref handing);
        };
        var chunk = Encoding.ASCII.GetBytes(new string('z', 16382) + "\r\n");
        var clients = new List<SmtpTestClient>();
        for (var i = 0; i < Messages; i++)
        {
            var client = await SmtpTestClient.OpenAsync(harness.EndPoint);
            Assert.Equal(250, (await client.CommandAsync("MAIL FROM:<a@sender.example>")).Code);
            Assert.Equal(250, (await client.CommandAsync($"RCPT TO:<m{i}@reports.example>")).Code);
            Assert.Equal(354, (await client.CommandAsync("DATA")).Code);
            clients.Add(client);
        }

        // Everything but the end of data, from all four at once: about 79 MB arrive and stay in the spool.
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        await Task.WhenAll(clients.Select(async client =>
        {
            for (var c = 0; c < Chunks; c++)
            {
                await client.SendAsync(chunk);
            }
        }));
        await WaitForAsync(() => Directory.GetFiles(_spool).Length == Messages ? "all spooled" : null);
        var allocatedWhileReceiving = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        var replies = await Task.WhenAll(clients.Select(client => client.CommandAsync(".")));

        Assert.All(replies, reply => Assert.Equal(250, reply.Code));
        Assert.Equal(Messages, harness.Messages.Count);
        Assert.All(harness.Messages, m => Assert.Equal(Chunks * chunk.Length, m.Data.Length));

        // Receiving 79 MB held no message in memory (about 9 MB allocated here, all told; buffers grown per
        // session, as before the spool, allocated over 128 MB);
        // handing over took one 19.7 MB message at a time under the 24 MB allowance.
        Assert.True(allocatedWhileReceiving < 32 * 1024 * 1024, $"{allocatedWhileReceiving:N0} bytes allocated while receiving");
        Assert.Equal(1, mostAtOnce);
        Assert.Empty(Directory.GetFiles(_spool));
        foreach (var client in clients)
        {
            await client.DisposeAsync();
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("the condition was not met within 30 s");
    }
}

/// <summary>Runs <see cref="ResourceLimitTests"/> on their own, after the parallel tests.</summary>
[CollectionDefinition(ResourceLimitTests.Alone, DisableParallelization = true)]
public sealed class ResourceLimitCollection;
