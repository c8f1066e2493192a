namespace Hookline.Mime.Benchmarks;

/// <summary>Where benchmark inputs come from: the installed corpus, and the test generators.</summary>
internal static class BenchmarkInputs
{
    public static byte[][] SpamAssassinCorpus()
    {
        var directory = Environment.GetEnvironmentVariable("HOOKLINE_SPAMASSASSIN_DIR");
        if (string.IsNullOrEmpty(directory))
        {
            directory = Path.Combine(RepositoryRoot(), ".cache", "corpus", "node_modules", "@stdlib", "datasets-spam-assassin", "data");
        }

        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The SpamAssassin corpus is not at {directory}: run scripts/corpus.sh first.");
        }

        var files = Directory.EnumerateFiles(directory, "*.txt", SearchOption.AllDirectories).ToList();
        files.Sort(StringComparer.Ordinal);
        return files.Select(File.ReadAllBytes).ToArray();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Hookline.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? Directory.GetCurrentDirectory();
    }
}
