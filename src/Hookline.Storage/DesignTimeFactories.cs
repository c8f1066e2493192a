using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Hookline.Storage;

// Used only by `dotnet ef migrations add` (the tool is pinned in .config/.config/dotnet-tools.json):
//   dotnet ef migrations add NAME -p src/Hookline.Storage -c SqliteHooklineDbContext -o Migrations/Sqlite
//   dotnet ef migrations add NAME -p src/Hookline.Storage -c PostgresHooklineDbContext -o Migrations/Postgres

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHooklineDbContext>
{
    public SqliteHooklineDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteHooklineDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHooklineDbContext>
{
    public PostgresHooklineDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresHooklineDbContext>().UseNpgsql("Host=localhost;Database=hookline_design").Options);
}
