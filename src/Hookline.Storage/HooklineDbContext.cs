using Hookline.Storage.Model;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Storage;

/// <summary>
/// The store's model, shared by both providers. Each provider has its own subclass
/// (<see cref="SqliteHooklineDbContext"/>, <see cref="PostgresHooklineDbContext"/>) so that each
/// keeps its own migrations (Migrations/Sqlite, Migrations/Postgres).
/// </summary>
public abstract class HooklineDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<ReportRecord> Reports => Set<ReportRecord>();

    public DbSet<ReportAnalysis> ReportAnalyses => Set<ReportAnalysis>();

    public DbSet<RawMessage> RawMessages => Set<RawMessage>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<SourceCursor> SourceCursors => Set<SourceCursor>();

    public DbSet<ReviewRecord> Reviews => Set<ReviewRecord>();

    public DbSet<UserAccount> Users => Set<UserAccount>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<SettingDocument> Settings => Set<SettingDocument>();

    /// <summary>
    /// The web server's DataProtection key ring (it signs and encrypts cookies and antiforgery tokens):
    /// in the store rather than the home folder, so every server on one PostgreSQL accepts the others' cookies.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

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
            // The user-reported list: newest first, under each filter it offers (count and page from the index alone).
            report.HasIndex(r => new { r.ReportedAt, r.Id });
            report.HasIndex(r => new { r.ReporterAddress, r.ReportedAt, r.Id });
            report.HasIndex(r => new { r.MarkedAs, r.ReportedAt, r.Id });
            report.HasIndex(r => new { r.UserVerdict, r.ReportedAt, r.Id });
            report.HasIndex(r => new { r.Assessment, r.ReportedAt, r.Id });
            report.HasIndex(r => new { r.Status, r.MarkedAs, r.ReportedAt, r.Id });
            report.HasIndex(r => new { r.Score, r.Id });
            // Sorting by subject: alone, and under each few-valued filter, the index gives the page in order (no sort of
            // every matching row). Under a narrow filter (a reporter, a sender, a day, a search) SQLite sorts the few matches.
            report.HasIndex(r => new { r.Subject, r.Id });
            report.HasIndex(r => new { r.UserVerdict, r.Subject, r.Id });
            report.HasIndex(r => new { r.Assessment, r.Subject, r.Id });
            report.HasIndex(r => new { r.MarkedAs, r.Subject, r.Id });
            report.HasIndex(r => new { r.Status, r.MarkedAs, r.Subject, r.Id });
            // The list's campaign size: reports per original (sender address and subject), counted from the index alone.
            report.HasIndex(r => new { r.SenderAddress, r.Subject });
            report.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
            report.HasOne<RawMessage>().WithMany().HasForeignKey(r => r.RawSha256).OnDelete(DeleteBehavior.Restrict);
            report.Ignore(r => r.AnalysisJson);
            report.HasOne(r => r.Analysis).WithOne().HasForeignKey<ReportAnalysis>(a => a.ReportId).OnDelete(DeleteBehavior.Cascade);
            report.Navigation(r => r.Analysis).AutoInclude();
        });

        modelBuilder.Entity<ReportAnalysis>(analysis =>
        {
            analysis.ToTable("ReportAnalyses");
            analysis.HasKey(a => a.ReportId);
            analysis.Property(a => a.ReportId).ValueGeneratedNever();
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

        modelBuilder.Entity<ReviewRecord>(review =>
        {
            review.ToTable("Reviews");
            review.HasKey(r => r.Id);
            review.HasIndex(r => new { r.ReportId, r.Id });
            review.Property(r => r.Verdict).HasMaxLength(32);
            review.Property(r => r.NotifySkipped).HasMaxLength(500);
            review.HasOne<ReportRecord>().WithMany().HasForeignKey(r => r.ReportId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<UserAccount>(user =>
        {
            user.ToTable("Users");
            user.HasKey(u => u.Id);
            user.HasIndex(u => u.UserName).IsUnique();
            user.Property(u => u.Role).HasMaxLength(16);
            user.Property(u => u.SecurityStamp).HasMaxLength(64).HasDefaultValue("");
        });

        modelBuilder.Entity<ApiKey>(key =>
        {
            key.ToTable("ApiKeys");
            key.HasKey(k => k.Id);
            key.HasIndex(k => k.Prefix);
            key.HasIndex(k => k.Hash).IsUnique();
            key.Property(k => k.Role).HasMaxLength(16);
        });

        modelBuilder.Entity<OutboxMessage>(message =>
        {
            message.ToTable("Outbox");
            message.HasKey(m => m.Id);
            message.HasIndex(m => m.IdempotencyKey).IsUnique();
            message.HasIndex(m => new { m.Status, m.NextAttemptAt });
            message.HasIndex(m => m.ReportId);
            // The acknowledgement limit counts one kind's messages since a time (the index narrows it to the kind and the hour).
            message.HasIndex(m => new { m.Kind, m.CreatedAt });
            message.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
        });

        modelBuilder.Entity<SettingDocument>(setting =>
        {
            setting.ToTable("Settings");
            setting.HasKey(s => s.Key);
        });

        modelBuilder.Entity<DataProtectionKey>(key => key.ToTable("DataProtectionKeys"));
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
