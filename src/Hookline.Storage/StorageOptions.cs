namespace Hookline.Storage;

/// <summary>Which database, where.</summary>
public sealed record StorageOptions
{
    /// <summary>SQLite in <paramref name="dataDirectory"/> (<c>hookline.db</c>).</summary>
    public static StorageOptions Sqlite(string dataDirectory) =>
        new() { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(dataDirectory, "hookline.db")}" };

    /// <summary>PostgreSQL with an Npgsql connection string.</summary>
    public static StorageOptions Postgres(string connectionString) =>
        new() { Provider = StorageProvider.Postgres, ConnectionString = connectionString };

    public StorageProvider Provider { get; init; }

    public required string ConnectionString { get; init; }
}

public enum StorageProvider
{
    Sqlite,
    Postgres,
}
