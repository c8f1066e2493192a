namespace Hookline.Mime.Tests.Support;

/// <summary>The SpamAssassin public corpus that scripts/corpus.sh installs (real mail no one here wrote).</summary>
internal static class Corpus
{
    public static string Directory
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("HOOKLINE_SPAMASSASSIN_DIR");
            var path = string.IsNullOrEmpty(fromEnvironment)
                ? Path.Combine(TestFiles.ProjectDirectory, "..", "..", ".cache", "corpus", "node_modules", "@stdlib", "datasets-spam-assassin", "data")
                : fromEnvironment;
            Assert.True(System.IO.Directory.Exists(path), $"The SpamAssassin corpus is not at {path}: run scripts/corpus.sh (scripts/test.sh does).");
            return path;
        }
    }

    /// <summary>The raw messages (*.txt), in ordinal order.</summary>
    public static List<string> Files()
    {
        var files = System.IO.Directory.EnumerateFiles(Directory, "*.txt", SearchOption.AllDirectories).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
