using System.Net;
using Hookline.Intake.Demo;
using Hookline.Storage;
using Hookline.Storage.Model;
using Hookline.Testing.Servers;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Tests.Intake;

/// <summary>
/// Reports delivered to Hookline's own SMTP listener by a real Postfix (as a transport rule would),
/// into a real `hookline serve` process, including kills before and after the commit: Postfix keeps
/// what was not acknowledged and delivers it again, and the store keeps each report once.
/// </summary>
public sealed class SmtpIntakeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Directory.CreateTempSubdirectory("hookline-smtp-intake-").FullName;
    private readonly int _port = FreePort.Next();
    private PostfixServer _postfix = null!;

    private string Data => Path.Combine(_root, "data");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Data);
        await File.WriteAllTextAsync(Path.Combine(Data, "hookline.yaml"), $"""
            workers:
              leaseSeconds: 2
            sources:
              - type: smtp
                name: transport-rule
                listen: 127.0.0.1:{_port}
                recipients: [report@contoso.com]
            """);
        var options = new PostfixOptions();
        options.SmtpDomains["contoso.com"] = new IPEndPoint(IPAddress.Loopback, _port);
        _postfix = await PostfixServer.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        await _postfix.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    private static HooklineProcess Serve(string data, string? fault = null) => HooklineProcess.Start(
        fault is null ? null : new Dictionary<string, string> { ["HOOKLINE_FAULT_AT"] = fault }, "serve", "--data", data, "--urls", "http://127.0.0.1:0");

    [Fact]
    public async Task Reports_relayed_by_Postfix_are_stored_once_each_and_analysed()
    {
        var reports = DemoReports.Generate(10, 21, Now).ToList();
        using var server = Serve(Data);
        await WaitForListenerAsync(server);
        foreach (var report in reports)
        {
            await _postfix.SubmitAsync("avery@contoso.com", ["report@contoso.com"], report);
        }

        var store = new HooklineStore(StorageOptions.Sqlite(Data));
        await CrashRecoveryTests.WaitUntilAsync(async () => (await CrashRecoveryTests.CountAsync(store)).Analysed == 10, server);
        await _postfix.WaitForEmptyQueueAsync(TimeSpan.FromSeconds(30));
        await using var context = store.CreateContext();
        Assert.Equal(10, await context.Reports.CountAsync(r => r.Source == "transport-rule" && r.ReporterAddress != null));
    }

    [Theory]
    [InlineData("smtp.before-commit", 0)]
    [InlineData("smtp.after-commit", 1)]
    public async Task Killed_around_the_commit_Postfix_redelivers_and_the_report_is_stored_once(string faultPoint, int duplicates)
    {
        var report = DemoReports.Generate(1, 22, Now).Single();
        using (var crashing = Serve(Data, faultPoint))
        {
            await WaitForListenerAsync(crashing);
            await _postfix.SubmitAsync("avery@contoso.com", ["report@contoso.com"], report);
            Assert.True(crashing.WaitForExit(TimeSpan.FromSeconds(60)), "the fault point was never reached:\n" + crashing.Output + _postfix.ReadLog());
        }

        var store = new HooklineStore(StorageOptions.Sqlite(Data));
        Assert.Equal(faultPoint == "smtp.after-commit" ? 1 : 0, (await CrashRecoveryTests.CountAsync(store)).Reports);
        Assert.Equal(1, await _postfix.QueuedCountAsync());

        using var restarted = Serve(Data);
        await WaitForListenerAsync(restarted);
        await _postfix.FlushAsync();
        await _postfix.WaitForEmptyQueueAsync(TimeSpan.FromSeconds(60));
        await CrashRecoveryTests.WaitUntilAsync(async () => (await CrashRecoveryTests.CountAsync(store)).Analysed == 1, restarted);

        await using var context = store.CreateContext();
        Assert.Equal(1, await context.Reports.CountAsync());
        Assert.Equal(duplicates, await context.AuditEvents.CountAsync(a => a.Action == AuditActions.Duplicate));
    }

    private async Task WaitForListenerAsync(HooklineProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                Assert.False(server.HasExited, "hookline stopped:\n" + server.Output);
                Assert.True(DateTime.UtcNow < deadline, "the SMTP listener never opened:\n" + server.Output);
                await Task.Delay(200);
            }
        }
    }
}
