using Hookline.Notify;
using Hookline.Storage;
using Hookline.Testing.Storage;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Review.Tests;

/// <summary>
/// A fresh SQLite store in a temporary folder, migrated, with a <see cref="ReviewService"/> on it built
/// as <c>hookline serve</c> builds it: the real composer and notification settings, and a delivery
/// configured or not.
/// </summary>
internal sealed class ReviewStore : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hookline-review-").FullName;

    private ReviewStore(bool deliveryConfigured)
    {
        Store = new HooklineStore(StorageOptions.Sqlite(_folder));
        Settings = new NotificationSettingsStore(Store, ["contoso.com"]);
        Signal = new NotificationSignal();
        var composer = new NotificationComposer(Settings, new NotificationComposerOptions { OrganizationDomains = ["contoso.com"] });
        Reviews = new ReviewService(Store, composer, Signal, new ResultDelivery(new ResultDeliveryOptions(deliveryConfigured, ["contoso.com"]), Settings));
    }

    public HooklineStore Store { get; }

    public NotificationSettingsStore Settings { get; }

    public NotificationSignal Signal { get; }

    public ReviewService Reviews { get; }

    public static async Task<ReviewStore> CreateAsync(bool deliveryConfigured = false)
    {
        var store = new ReviewStore(deliveryConfigured);
        await store.Store.MigrateAsync(default);
        return store;
    }

    /// <summary>Stores <paramref name="count"/> analysed reports from a reporter in the organisation; returns their ids.</summary>
    public Task<List<long>> AddReportsAsync(int count) => ReportRows.AddAsync(Store, count, (report, _) =>
    {
        report.ReporterName = "Rita Reporter";
        report.ReporterAddress = "rita@contoso.com";
        report.Assessment = "phishing";
        report.Score = 90;
    });

    /// <summary>How many review rows, audit entries and outbox rows the store holds: what a mark writes.</summary>
    public async Task<(int Reviews, int Audit, int Outbox)> CountAsync()
    {
        await using var context = Store.CreateContext();
        return (await context.Reviews.CountAsync(), await context.AuditEvents.CountAsync(), await context.Outbox.CountAsync());
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
