using System.Text;
using Hookline.Intake.Demo;
using Hookline.Intake.Sources;
using Hookline.Intake.Sources.Folder;
using Microsoft.Extensions.Logging.Abstractions;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace Hookline.Intake.Tests.Folder;

/// <summary>The drop folder: reports are handed in, then moved to processed/; what cannot be a report goes to failed/ with the reason.</summary>
public sealed class FolderSourceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hookline-folder-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private sealed class RecordingSink : IReportSink
    {
        public List<IncomingReport> Accepted { get; } = [];

        public Task<IReadOnlyList<IntakeReceipt>> AcceptAsync(IReadOnlyList<IncomingReport> batch, CancellationToken cancellationToken)
        {
            Accepted.AddRange(batch);
            return Task.FromResult<IReadOnlyList<IntakeReceipt>>(batch.Select((_, i) => new IntakeReceipt(IntakeOutcome.Stored, Accepted.Count - batch.Count + i + 1)).ToList());
        }
    }

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));
        return path;
    }

    [Fact]
    public async Task Files_that_are_not_mail_go_to_failed_with_the_reason_and_make_no_report()
    {
        var report = DemoReports.Generate(1, 3, new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)).Single();
        var binary = new byte[3000];
        new Random(11).NextBytes(binary);
        Write("a-report.eml", report);
        Write("b-empty.eml", []);
        Write("c-binary.bin", binary);
        Write("d-text.txt", Encoding.UTF8.GetBytes("Meeting notes\nNo headers here, just text.\n"));
        var sink = new RecordingSink();
        var source = new FolderSource(new FolderSourceOptions { Name = "folder", Path = _folder }, sink, NullLogger<FolderSource>.Instance);

        var handled = await source.PassAsync(default);

        Assert.Equal(4, handled);
        var accepted = Assert.Single(sink.Accepted);
        Assert.Equal(("folder", "a-report.eml"), (accepted.Source, accepted.SourceKey));
        Assert.Equal(report, accepted.Raw);
        Assert.True(File.Exists(Path.Combine(_folder, "processed", "a-report.eml")));
        Assert.Equal("empty file", Note("b-empty.eml"));
        Assert.Equal("not a mail message: binary data, no header fields", Note("c-binary.bin"));
        Assert.Equal("not a mail message: no header fields", Note("d-text.txt"));
        Assert.Equal(binary, File.ReadAllBytes(Path.Combine(_folder, "failed", "c-binary.bin")));
        Assert.Empty(Directory.EnumerateFiles(_folder));
        Assert.Equal(0, await source.PassAsync(default));
    }

    [Fact]
    public async Task Links_are_refused_and_never_followed()
    {
        var outside = Directory.CreateTempSubdirectory("hookline-outside-").FullName;
        try
        {
            var secret = Path.Combine(outside, "secret.eml");
            File.WriteAllBytes(secret, DemoReports.Generate(1, 1, new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)).Single());
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var config = Path.Combine(outside, "hookline.yaml");
            File.WriteAllText(config, "From: x@example.com\nSubject: passwords\n\nsmtp: {password: hunter2}\n");
            File.CreateSymbolicLink(Path.Combine(_folder, "a-secret.eml"), secret);
            File.CreateSymbolicLink(Path.Combine(_folder, "b-config.eml"), config);
            Run("ln", config, Path.Combine(_folder, "c-hard.eml"));
            var sink = new RecordingSink();
            var source = new FolderSource(new FolderSourceOptions { Name = "folder", Path = _folder, SettleTime = TimeSpan.Zero }, sink, NullLogger<FolderSource>.Instance);

            Assert.Equal(3, await source.PassAsync(default));

            Assert.Empty(sink.Accepted);
            Assert.Equal("a symbolic link: links are not followed", Note("a-secret.eml"));
            Assert.Equal("a symbolic link: links are not followed", Note("b-config.eml"));
            Assert.Equal("has 2 names (a hard link to a file kept elsewhere): not read", Note("c-hard.eml"));
            Assert.NotNull(new FileInfo(Path.Combine(_folder, "failed", "a-secret.eml")).LinkTarget);
            Assert.True(File.Exists(secret) && File.Exists(config));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task A_fifo_is_refused_without_blocking_and_the_files_after_it_are_taken()
    {
        Run("mkfifo", Path.Combine(_folder, "a-pipe.eml"));
        var report = DemoReports.Generate(1, 2, new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)).Single();
        Write("b-report.eml", report);
        var sink = new RecordingSink();
        var source = new FolderSource(new FolderSourceOptions { Name = "folder", Path = _folder, SettleTime = TimeSpan.Zero }, sink, NullLogger<FolderSource>.Instance);

        // Opening a FIFO for reading would wait for a writer for ever: the guard only keeps a regression from hanging the run.
        var handled = await source.PassAsync(default).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, handled);
        Assert.Equal("a FIFO (named pipe), not a regular file: not read", Note("a-pipe.eml"));
        Assert.Equal(report, Assert.Single(sink.Accepted).Raw);
    }

    [Fact]
    public void Devices_are_refused_without_being_read()
    {
        var outcome = DropFile.Read("/dev/zero", 1024);

        Assert.Equal(new DropFile.Outcome.Refused("a device, not a regular file: not read"), outcome);
    }

    [Fact]
    public async Task A_device_node_in_the_folder_goes_to_failed()
    {
        // Making a device node takes root (the test suite runs as root, scripts/test.sh); /dev/zero's numbers.
        Run("mknod", Path.Combine(_folder, "zero.eml"), "c", "1", "5");
        var sink = new RecordingSink();
        var source = new FolderSource(new FolderSourceOptions { Name = "folder", Path = _folder, SettleTime = TimeSpan.Zero }, sink, NullLogger<FolderSource>.Instance);

        Assert.Equal(1, await source.PassAsync(default).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Empty(sink.Accepted);
        Assert.Equal("a device, not a regular file: not read", Note("zero.eml"));
    }

    [Fact]
    public async Task A_file_another_account_owns_goes_to_failed_unless_the_source_takes_that_accounts_files()
    {
        // Giving a file away takes root (the test suite runs as root, scripts/test.sh); 65534 is "nobody".
        var report = DemoReports.Generate(1, 5, new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero)).Single();
        Run("chown", "65534", Write("a-nobody.eml", report));
        var sink = new RecordingSink();
        var source = new FolderSource(new FolderSourceOptions { Name = "folder", Path = _folder }, sink, NullLogger<FolderSource>.Instance);

        Assert.Equal(1, await source.PassAsync(default));

        Assert.Empty(sink.Accepted);
        Assert.StartsWith("owned by user id 65534, not by an account this folder takes files from", Note("a-nobody.eml"), StringComparison.Ordinal);
        var path = Write("b-nobody.eml", report);
        Run("chown", "65534", path);
        Assert.IsType<DropFile.Outcome.Read>(DropFile.Read(path, 1 << 20, [65534]));
        // Root's files are taken whatever the list says.
        Assert.IsType<DropFile.Outcome.Read>(DropFile.Read(Write("c-root.eml", report), 1 << 20, [65534]));
    }

    [Fact]
    public void The_limit_holds_on_the_bytes_read()
    {
        var path = Write("big.eml", new byte[5000]);

        Assert.Equal(new DropFile.Outcome.Refused("larger than the limit of 4096 bytes (5000 bytes)"), DropFile.Read(path, 4096));
        Assert.Equal(5000, Assert.IsType<DropFile.Outcome.Read>(DropFile.Read(path, 5000)).Bytes.Length);
    }

    private static void Run(string program, params string[] arguments)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {error}");
    }

    private string Note(string name) => File.ReadAllText(Path.Combine(_folder, "failed", name + ".error")).TrimEnd();
}
