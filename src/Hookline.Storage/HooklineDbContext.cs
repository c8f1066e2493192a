using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Storage;

/// <summary>
/// The store's model, shared by both providers. Each provider has its own subclass
/// (<see cref="SqliteHooklineDbContext"/>, <see cref="PostgresHooklineDbContext"/>) so that each
/// keeps its own migrations (Migrations/Sqlite, Migrations/Postgres).
/// </summary>
public abstract class HooklineDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<ReportRecord> Reports => Set<ReportRecord>();

    public DbSet<RawMessage> RawMessages => Set<RawMessage>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<SourceCursor> SourceCursors => Set<SourceCursor>();

    /// <summary>True for PostgreSQL, where workers of several processes share the queue.</summary>
    public abstract bool IsPostgres { get; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<RawMessage>(raw =>
        {
            raw.ToTable("RawMessages");
            raw.HasKey(r => r.Sha256);
            raw.Property(r => r.Sha256).HasMaxLength(64);
        });

        modelBuilder.Entity<ReportRecord>(report =>
        {
            report.ToTable("Reports");
            report.HasKey(r => r.Id);
            report.Property(r => r.RawSha256).HasMaxLength(64);
            report.HasIndex(r => r.RawSha256).IsUnique();
            report.HasIndex(r => r.DedupKey).IsUnique();
            report.HasIndex(r => new { r.Status, r.Id });
            report.HasIndex(r => r.ReceivedAt);
            report.HasIndex(r => r.ReporterAddress);
            report.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            report.HasOne<RawMessage>().WithMany().HasForeignKey(r => r.RawSha256).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("AuditEvents");
            audit.HasKey(a => a.Id);
            audit.HasIndex(a => new { a.ReportId, a.Id });
            audit.HasIndex(a => a.At);
            audit.Property(a => a.Action).HasMaxLength(32);
        });

        modelBuilder.Entity<SourceCursor>(cursor =>
        {
            cursor.ToTable("SourceCursors");
            cursor.HasKey(c => c.Key);
        });
    }
}

/// <summary>The model on SQLite (the default: a file in the data folder).</summary>
public sealed class SqliteHooklineDbContext(DbContextOptions<SqliteHooklineDbContext> options) : HooklineDbContext(options)
{
    public override bool IsPostgres => false;
}

/// <summary>The model on PostgreSQL (several <c>hookline serve</c> processes can share it).</summary>
public sealed class PostgresHooklineDbContext(DbContextOptions<PostgresHooklineDbContext> options) : HooklineDbContext(options)
{
    public override bool IsPostgres => true;
}
