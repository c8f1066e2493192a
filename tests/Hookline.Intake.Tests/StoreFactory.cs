using Hookline.Storage;
using Hookline.Testing.Servers;

namespace Hookline.Intake.Tests;

/// <summary>A fresh, migrated store per test: SQLite in a temporary folder, or a new database on the shared PostgreSQL.</summary>
public interface IStoreFactory
{
    Task<HooklineStore> CreateAsync();
}

public sealed class SqliteStoreFactory : IStoreFactory, IDisposable
{
    private readonly List<string> _folders = [];

    public string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "hookline-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        lock (_folders)
        {
            _folders.Add(folder);
        }

        return folder;
    }

    public async Task<HooklineStore> CreateAsync()
    {
        var store = new HooklineStore(StorageOptions.Sqlite(NewFolder()));
        await store.MigrateAsync();
        return store;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var folder in _folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>One real PostgreSQL cluster for every test in the assembly that needs one.</summary>
public sealed class PostgresStoreFactory : IStoreFactory, IDisposable
{
    private readonly Lazy<PostgresServer> _server = new(PostgresServer.Start);

    public PostgresServer Server => _server.Value;

    public async Task<HooklineStore> CreateAsync()
    {
        var store = new HooklineStore(StorageOptions.Postgres(Server.CreateDatabase()));
        await store.MigrateAsync();
        return store;
    }

    public void Dispose()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        if (_server.IsValueCreated)
        {
            _server.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresStoreFactory>
{
    public const string Name = "postgres";
}
