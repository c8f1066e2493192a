using System.Runtime.CompilerServices;

namespace Hookline.Mime.Tests.Support;

/// <summary>Locates fixtures in the source tree (so golden files can be regenerated in place).</summary>
internal static class TestFiles
{
    public static string ProjectDirectory { get; } = Locate();

    public static string DataDirectory => Path.Combine(ProjectDirectory, "TestData");

    /// <summary>Set HOOKLINE_UPDATE_GOLDEN=1 to rewrite golden files instead of comparing (review the diff!).</summary>
    public static bool UpdateGolden => Environment.GetEnvironmentVariable("HOOKLINE_UPDATE_GOLDEN") == "1";

    public static IEnumerable<string> Fixtures(string folder, params string[] extensions) =>
        Directory.EnumerateFiles(Path.Combine(DataDirectory, folder))
            .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal);

    /// <summary>Compares text with a golden file, or writes it when updating.</summary>
    public static void AssertGolden(string goldenPath, string actual)
    {
        if (UpdateGolden)
        {
            File.WriteAllText(goldenPath, actual);
            return;
        }

        Assert.True(File.Exists(goldenPath), $"Golden file {goldenPath} is missing; run the tests with HOOKLINE_UPDATE_GOLDEN=1 and review it.");
        var expected = File.ReadAllText(goldenPath);
        Assert.Equal(expected, actual);
    }

    private static string Locate([CallerFilePath] string path = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(path))!;
}
