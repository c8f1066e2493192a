using Hookline.Storage;

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

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
