using System.Collections.Concurrent;
using System.Net;
using Hookline.Notify.Outbox;
using Hookline.Smtp;
using Hookline.Smtp.Client;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Notify.Tests;

/// <summary>The outbox against Hookline's own SMTP server (a real listener on loopback) whose handler can be made to fail.</summary>
public sealed class OutboxTests
{
    private static readonly byte[] Message = "From: Security <security@contoso.com>\r\nTo: zoe@contoso.com\r\nSubject: t\r\n\r\nbody\r\n"u8.ToArray();

    private sealed class Server : IAsyncDisposable
    {
        public ConcurrentQueue<byte[]> Received { get; } = new();

        public Func<int, Exception?> Fail { get; set; } = _ => null;

        public int Calls;

        public SmtpServer Smtp { get; private set; } = null!;

        public static async Task<Server> StartAsync()
        {
            var server = new Server();
            server.Smtp = new SmtpServer(
                new SmtpServerOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), ServerName = "mx.test", AcceptedDomains = { "contoso.com" } },
                (envelope, data, token) =>
                {
                    var call = Interlocked.Increment(ref server.Calls);
                    if (server.Fail(call) is { } failure)
                    {
                        throw failure;
                    }

                    server.Received.Enqueue(data.ToArray());
                    return Task.CompletedTask;
                });
            await server.Smtp.StartAsync();
            return server;
        }

        public async ValueTask DisposeAsync() => await Smtp.DisposeAsync();
    }

    private static Task<long> QueueAsync(TestStore test, string kind = "result") => test.QueueAsync(kind, "zoe@contoso.com", Message);


    private static OutboxProcessor Processor(TestStore test, Server server, int maxAttempts = 5) => new(
        test.Store,
        _ => new SmtpOutboxSender(new SmtpDeliveryOptions { Host = "127.0.0.1", Port = server.Smtp.LocalEndPoint.Port, Security = SmtpSecurity.None }),
        new OutboxOptions { MaxAttempts = maxAttempts, RetryBase = TimeSpan.FromMilliseconds(50) });

    [Fact]
    public async Task Transient_failures_are_retried_with_backoff_until_the_server_takes_it_once()
    {
        await using var test = await TestStore.CreateAsync();
        await using var server = await Server.StartAsync();
        server.Fail = call => call <= 2 ? new InvalidOperationException("disk full") : null;
        var id = await QueueAsync(test);
        var outbox = Processor(test, server);
        Assert.Equal(TimeSpan.FromMilliseconds(100), outbox.Backoff(2));
        for (var i = 0; i < 100 && (await test.ReadOutboxAsync(id)).Status != OutboxStatus.Sent; i++)
        {
            await outbox.RunOnceAsync(default);
            await Task.Delay(60);
        }

        var row = await test.ReadOutboxAsync(id);
        Assert.Equal(OutboxStatus.Sent, row.Status);
        Assert.Equal(3, row.Attempts);
        Assert.Single(server.Received);
        Assert.Equal(Message, server.Received.Single());
        await outbox.RunOnceAsync(default);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task A_permanent_refusal_fails_at_once_and_too_many_transient_ones_give_up()
    {
        await using var test = await TestStore.CreateAsync();
        await using var server = await Server.StartAsync();
        await using (var context = test.Store.CreateContext())
        {
            context.Outbox.Add(new OutboxMessage { Kind = "alert", IdempotencyKey = "perm", Recipient = "someone@elsewhere.example", Subject = "t", Content = Message, Status = OutboxStatus.Pending, NextAttemptAt = DateTime.UtcNow, CreatedAt = DateTime.UtcNow });
            await context.SaveChangesAsync();
        }

        var outbox = Processor(test, server, maxAttempts: 2);
        await outbox.RunOnceAsync(default);
        await using (var context = test.Store.CreateContext())
        {
            var permanent = await context.Outbox.FirstAsync(m => m.IdempotencyKey == "perm");
            Assert.Equal(OutboxStatus.Failed, permanent.Status);
            Assert.Equal(1, permanent.Attempts);
            Assert.Contains("550", permanent.LastError, StringComparison.Ordinal);
        }

        server.Fail = _ => new InvalidOperationException("always");
        var id = await QueueAsync(test);
        for (var i = 0; i < 50 && (await test.ReadOutboxAsync(id)).Status == OutboxStatus.Pending; i++)
        {
            await outbox.RunOnceAsync(default);
            await Task.Delay(60);
        }

        var row = await test.ReadOutboxAsync(id);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Equal(2, row.Attempts);
        Assert.StartsWith("gave up after 2 attempts", row.LastError, StringComparison.Ordinal);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task Committing_left_by_a_crash_becomes_failed_and_is_never_sent_while_a_crash_before_the_commit_point_is_retried()
    {
        await using var test = await TestStore.CreateAsync();
        await using var server = await Server.StartAsync();
        var crashedAtCommit = await QueueAsync(test);
        var crashedBefore = await QueueAsync(test);
        await using (var context = test.Store.CreateContext())
        {
            // A worker of a process that died: one message at the commit point, one merely claimed (both leases still running).
            var a = await context.Outbox.FirstAsync(m => m.Id == crashedAtCommit);
            a.Status = OutboxStatus.Committing;
            a.LeaseOwner = $"outbox:{Environment.MachineName}:{Environment.ProcessId}:dead";
            a.LeaseUntil = DateTime.UtcNow.AddMinutes(10);
            var b = await context.Outbox.FirstAsync(m => m.Id == crashedBefore);
            b.LeaseOwner = a.LeaseOwner;
            b.LeaseUntil = DateTime.UtcNow.AddMinutes(10);
            await context.SaveChangesAsync();
        }

        // The restart fails the first and releases the second at once, without waiting for its lease.
        var restarted = Processor(test, server);
        Assert.Equal(1, await restarted.RecoverAsync(atStart: true, default));
        await restarted.RunOnceAsync(default);
        var failed = await test.ReadOutboxAsync(crashedAtCommit);
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Equal(OutboxProcessor.UnknownAfterCrash, failed.LastError);
        Assert.Equal(OutboxStatus.Sent, (await test.ReadOutboxAsync(crashedBefore)).Status);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task The_row_is_committing_while_the_server_holds_the_end_of_data_and_sent_after_its_reply()
    {
        await using var test = await TestStore.CreateAsync();
        await using var server = await Server.StartAsync();
        var id = await QueueAsync(test);
        OutboxStatus? seen = null;
        server.Fail = _ =>
        {
            seen = test.ReadOutboxAsync(id).GetAwaiter().GetResult().Status;
            return null;
        };
        await Processor(test, server).RunOnceAsync(default);
        Assert.Equal(OutboxStatus.Committing, seen);
        Assert.Equal(OutboxStatus.Sent, (await test.ReadOutboxAsync(id)).Status);
    }
}
