using System.Text;
using Hookline.Intake.Demo;
using Hookline.Intake.Sources;
using Hookline.Intake.Sources.Folder;
using Microsoft.Extensions.Logging.Abstractions;

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

    private string Note(string name) => File.ReadAllText(Path.Combine(_folder, "failed", name + ".error")).TrimEnd();
}
