using System.Runtime.CompilerServices;
using Hookline.Cli;
using Hookline.Intake.Demo;
using Hookline.Reports.Pipeline;
using Hookline.Reports.Settings;

namespace Hookline.Tests.Cli;

/// <summary>
/// The whole <c>analyze --json</c> output for the demo reports (with the demo organisation's settings), byte for byte, against the snapshot in
/// <c>Snapshots/analyze-demo.jsonl</c>: a change to how the contract is written (a field renamed,
/// reordered, escaped differently) fails here. A change to the analysis itself also shows here; after
/// checking the difference, write the new snapshot with <c>HOOKLINE_UPDATE_SNAPSHOTS=1</c>.
/// </summary>
public sealed class AnalyzeSnapshotTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hookline-snapshot-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string SnapshotPath([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Snapshots", "analyze-demo.jsonl");

    [Fact]
    public void The_json_lines_for_the_demo_reports_are_the_snapshot_byte_for_byte()
    {
        var i = 0;
        foreach (var raw in DemoReports.Generate(24, 7, new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), days: 10))
        {
            File.WriteAllBytes(Path.Combine(_folder, $"{i++:D2}.eml"), raw);
        }

        // As serve --demo analyses them: with the demo organisation (Contoso) named in the settings.
        var settingsFile = Path.Combine(_folder, "settings.yaml");
        File.WriteAllText(settingsFile, DemoReports.OrganizationSettings);
        var settings = OrganizationSettings.Load(settingsFile);
        File.Delete(settingsFile);
        var output = new StringWriter { NewLine = "\n" };
        var exit = AnalyzeCommand.Run([_folder], json: true, quiet: true, new ReportAnalyzer(settings.Analysis, settings.Assessor), output, TextWriter.Null, progress: false);
        // The file field names the folder given; the snapshot names it "demo".
        var lines = output.ToString().Replace(_folder + Path.DirectorySeparatorChar, "demo/", StringComparison.Ordinal);

        Assert.Equal(0, exit);
        var path = SnapshotPath();
        if (Environment.GetEnvironmentVariable("HOOKLINE_UPDATE_SNAPSHOTS") == "1")
        {
            File.WriteAllText(path, lines);
        }

        var expected = File.ReadAllText(path);
        Assert.Equal(expected.Split('\n'), lines.Split('\n'));
    }
}
