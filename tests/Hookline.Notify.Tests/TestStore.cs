using Hookline.Storage;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Notify.Tests;

/// <summary>A fresh SQLite store in a temporary folder, migrated.</summary>
internal sealed class TestStore : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hookline-notify-").FullName;

    private TestStore()
    {
        Store = new HooklineStore(StorageOptions.Sqlite(_folder));
    }

    public HooklineStore Store { get; }

    public static async Task<TestStore> CreateAsync()
    {
        var store = new TestStore();
        await store.Store.MigrateAsync();
        return store;
    }

    /// <summary>Puts a pending outbox row in, due now; returns its id.</summary>
    public async Task<long> QueueAsync(string kind, string recipient, byte[] content, string? idempotencyKey = null, string subject = "t")
    {
        await using var context = Store.CreateContext();
        var message = new OutboxMessage
        {
            Kind = kind,
            IdempotencyKey = idempotencyKey ?? "k:" + Guid.NewGuid(),
            Recipient = recipient,
            Subject = subject,
            Content = content,
            Status = OutboxStatus.Pending,
            NextAttemptAt = DateTime.UtcNow,
            CreatedAt = DateTime.UtcNow,
        };
        context.Outbox.Add(message);
        await context.SaveChangesAsync();
        return message.Id;
    }

    /// <summary>An outbox row as it is now.</summary>
    public async Task<OutboxMessage> ReadOutboxAsync(long id)
    {
        await using var context = Store.CreateContext();
        return await context.Outbox.AsNoTracking().FirstAsync(m => m.Id == id);
    }

    /// <summary>Runs <paramref name="outbox"/> (every 50 ms, at most 100 times) while the row is still pending.</summary>
    public async Task RunWhilePendingAsync(Hookline.Notify.Outbox.OutboxProcessor outbox, long id)
    {
        for (var i = 0; i < 100 && (await ReadOutboxAsync(id)).Status == OutboxStatus.Pending; i++)
        {
            await outbox.RunOnceAsync(default);
            await Task.Delay(50);
        }
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
