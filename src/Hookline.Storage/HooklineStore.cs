using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Storage;

/// <summary>
/// Opens the store: makes contexts for the configured provider and brings the schema up to date.
/// One instance per process; thread-safe (each operation takes its own context).
/// </summary>
public sealed class HooklineStore
{
    // The advisory lock that serialises migrations on PostgreSQL; its key is "hookline" in ASCII, as a number.
    private const string LockMigrations = "SELECT pg_advisory_lock(7525356009530420837)";
    private const string UnlockMigrations = "SELECT pg_advisory_unlock(7525356009530420837)";

    private readonly DbContextOptions _options;

    public HooklineStore(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _options = options.Provider switch
        {
            StorageProvider.Sqlite => new DbContextOptionsBuilder<SqliteHooklineDbContext>()
                .UseSqlite(options.ConnectionString, sqlite => sqlite.CommandTimeout(60)).Options,
            StorageProvider.Postgres => new DbContextOptionsBuilder<PostgresHooklineDbContext>()
                .UseNpgsql(options.ConnectionString, npgsql => npgsql.CommandTimeout(60)).Options,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "unknown storage provider"),
        };
    }

    public StorageOptions Options { get; }

    public bool IsPostgres => Options.Provider == StorageProvider.Postgres;

    /// <summary>A new context; the caller disposes it.</summary>
    public HooklineDbContext CreateContext() => Options.Provider == StorageProvider.Sqlite
        ? new SqliteHooklineDbContext((DbContextOptions<SqliteHooklineDbContext>)_options)
        : new PostgresHooklineDbContext((DbContextOptions<PostgresHooklineDbContext>)_options);

    /// <summary>Creates the database if needed and applies every pending migration (safe with several processes starting at once).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (Options.Provider == StorageProvider.Sqlite)
        {
            ProtectSqliteFiles(new SqliteConnectionStringBuilder(Options.ConnectionString).DataSource);
        }

        await using var context = CreateContext();
        if (IsPostgres)
        {
            // Several servers may start at once on one database: a session advisory lock, taken on the
            // connection the migrator then uses, lets one migrate while the others wait and find nothing to do.
            await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await context.Database.ExecuteSqlRawAsync(LockMigrations, cancellationToken).ConfigureAwait(false);
                await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await context.Database.ExecuteSqlRawAsync(UnlockMigrations, CancellationToken.None).ConfigureAwait(false);
                await context.Database.CloseConnectionAsync().ConfigureAwait(false);
            }

            return;
        }

        await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);

        // Write-ahead logging: readers (the web UI) never wait for the intake writer. The setting is
        // kept in the file; synchronous stays FULL, so a commit is on disk before a source acknowledges.
        await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The database file and its journals are the owner's alone (0600, inside a 0700 folder when
    /// Hookline creates it): the file is made before SQLite opens it, and SQLite gives its
    /// write-ahead log and shared-memory files the database file's mode. Existing ones are tightened.
    /// </summary>
    private static void ProtectSqliteFiles(string dataSource)
    {
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:")
        {
            return;
        }

        var path = Path.GetFullPath(dataSource);
        var folder = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(folder))
        {
            _ = PrivateFiles.CreateFolder(folder);
        }

        if (OperatingSystem.IsWindows())
        {
            return;
        }

        PrivateFiles.CreateOrRestrictFile(path);
        foreach (var journal in new[] { "-wal", "-shm", "-journal" })
        {
            PrivateFiles.RestrictFile(path + journal);
        }
    }
}
