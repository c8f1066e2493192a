using Hookline.Intake.Demo;
using Hookline.Storage;
using Hookline.Storage.Model;
using Hookline.Testing.Servers;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Tests.Intake;

/// <summary>
/// `hookline serve` killed at the worst moments (a real process, killed as by kill -9 at a named
/// fault point) and started again: every report ends stored exactly once and analysed.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("hookline-crash-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("folder.after-read")]
    [InlineData("folder.after-commit")]
    [InlineData("analysis.after-claim")]
    public async Task Killed_at_a_fault_point_and_restarted_every_report_is_there_exactly_once(string faultPoint)
    {
        var data = Path.Combine(_root, "data");
        var inbox = Path.Combine(data, "inbox");
        Directory.CreateDirectory(inbox);
        await File.WriteAllTextAsync(Path.Combine(data, "hookline.yaml"), "workers:\n  leaseSeconds: 1\n");
        var raws = DemoReports.Generate(30, 42, Now).ToList();
        WriteSettled(inbox, raws);

        using (var crashing = HooklineProcess.Start(new Dictionary<string, string> { ["HOOKLINE_FAULT_AT"] = faultPoint }, "serve", "--data", data, "--urls", "http://127.0.0.1:0"))
        {
            Assert.True(crashing.WaitForExit(TimeSpan.FromSeconds(60)), "the fault point was never reached:\n" + crashing.Output);
            Assert.NotEqual(0, crashing.ExitCode);
        }

        var store = new HooklineStore(StorageOptions.Sqlite(data));
        var afterCrash = await CountAsync(store);
        Assert.Equal(faultPoint == "folder.after-read" ? 0 : 30, afterCrash.Reports);
        Assert.Equal(faultPoint == "analysis.after-claim" ? 0 : 30, Directory.GetFiles(inbox).Length);

        using (var restarted = HooklineProcess.Start(null, "serve", "--data", data, "--urls", "http://127.0.0.1:0"))
        {
            await WaitUntilAsync(async () => (await CountAsync(store)).Analysed == 30 && Directory.GetFiles(inbox).Length == 0, restarted);
        }

        var final = await CountAsync(store);
        Assert.Equal((30, 30), (final.Reports, final.Analysed));
        Assert.Equal(30, Directory.GetFiles(Path.Combine(inbox, "processed")).Length);
        await using var context = store.CreateContext();
        Assert.Equal(30, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Received));
        // Handed in again after a crash between commit and move: recorded as duplicates, not stored twice.
        Assert.Equal(faultPoint == "folder.after-commit" ? 30 : 0, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Duplicate));
    }

    internal static void WriteSettled(string folder, IReadOnlyList<byte[]> raws)
    {
        for (var i = 0; i < raws.Count; i++)
        {
            var path = Path.Combine(folder, $"report-{i:D4}.eml");
            File.WriteAllBytes(path, raws[i]);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));
        }
    }

    internal static async Task<(int Reports, int Analysed)> CountAsync(HooklineStore store)
    {
        await using var context = store.CreateContext();
        return (await context.Reports.CountAsync(), await context.Reports.CountAsync(r => r.Status == ReportStatus.Analysed));
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, HooklineProcess process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!await condition())
        {
            Assert.False(process.HasExited, "hookline stopped:\n" + process.Output);
            Assert.True(DateTime.UtcNow < deadline, "timed out; hookline said:\n" + process.Output);
            await Task.Delay(200);
        }
    }
}

/// <summary>`hookline serve` processes on one real PostgreSQL, sharing a drop folder: one is killed holding a claimed batch, two others finish the work.</summary>
public sealed class SharedPostgresTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("hookline-shared-").FullName;
    private readonly PostgresServer _postgres = PostgresServer.Start();

    public void Dispose()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        _postgres.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Servers_sharing_one_database_with_one_killed_mid_batch_store_and_analyse_every_report_exactly_once()
    {
        var database = _postgres.CreateDatabase();
        var shared = Path.Combine(_root, "shared");
        Directory.CreateDirectory(shared);
        var config = $"workers:\n  leaseSeconds: 2\nsources:\n  - type: folder\n    name: shared\n    path: {shared}\n";
        var environment = new Dictionary<string, string> { ["HOOKLINE_DATABASE"] = database };
        string Data(string name)
        {
            var data = Path.Combine(_root, name);
            Directory.CreateDirectory(data);
            File.WriteAllText(Path.Combine(data, "hookline.yaml"), config);
            return data;
        }

        var raws = DemoReports.Generate(200, 7, new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)).ToList();
        CrashRecoveryTests.WriteSettled(shared, raws);
        var store = new HooklineStore(StorageOptions.Postgres(database));

        // The first server takes in reports and is killed holding the first batch it claims.
        using (var doomed = HooklineProcess.Start(new Dictionary<string, string>(environment) { ["HOOKLINE_FAULT_AT"] = "analysis.after-claim" }, "serve", "--data", Data("a"), "--urls", "http://127.0.0.1:0"))
        {
            Assert.True(doomed.WaitForExit(TimeSpan.FromSeconds(60)), "the first server never claimed a batch:\n" + doomed.Output);
            Assert.True(doomed.ExitCode == 137, $"the first server ended with {doomed.ExitCode}, not killed at the fault point:\n{doomed.Output}");
        }

        // Two more share what is left (SKIP LOCKED claims), including the dead server's batch once its lease runs out.
        using var second = HooklineProcess.Start(environment, "serve", "--data", Data("b"), "--urls", "http://127.0.0.1:0");
        using var third = HooklineProcess.Start(environment, "serve", "--data", Data("c"), "--urls", "http://127.0.0.1:0");
        await CrashRecoveryTests.WaitUntilAsync(async () => (await CrashRecoveryTests.CountAsync(store)).Analysed == 200 && Directory.GetFiles(shared).Length == 0, second);
        Assert.False(third.HasExited, third.Output);

        await using var context = store.CreateContext();
        Assert.Equal(200, await context.Reports.CountAsync());
        Assert.Equal(200, await context.Reports.Select(r => r.RawSha256).Distinct().CountAsync());
        Assert.Equal(200, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Received));
        // Each report analysed once: no two workers ever held the same row.
        Assert.Equal(200, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Analysed));
        Assert.Equal(200, await context.AuditEvents.Where(a => a.Action == AuditActions.Analysed).Select(a => a.ReportId).Distinct().CountAsync());
        // The killed server's claimed batch was finished by the survivor after its lease ran out.
        var attempts = string.Join(", ", (await context.Reports.GroupBy(r => r.Attempts).Select(g => new { g.Key, Count = g.Count() }).ToListAsync()).Select(g => $"{g.Count} with {g.Key}"));
        Assert.True(await context.Reports.AnyAsync(r => r.Attempts == 2), "no report was claimed twice: the kill did not happen mid-batch; attempts: " + attempts);
    }
}
