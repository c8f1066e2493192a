namespace Hookline.Cli;

/// <summary>Turns the PATH arguments of a command into files: a folder means every file below it, in ordinal path order.</summary>
internal static class InputFiles
{
    public static List<string> Expand(IEnumerable<string> paths, out List<string> missing)
    {
        var files = new List<string>();
        missing = [];
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                var below = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).ToList();
                below.Sort(StringComparer.Ordinal);
                files.AddRange(below);
            }
            else
            {
                missing.Add(path);
            }
        }

        return files;
    }
}
