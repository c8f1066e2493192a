using System.CommandLine;

namespace Hookline.Cli;

/// <summary>`--data DIR`, accepted by every command: the data folder (database, settings, drop folder). Default ./data, or HOOKLINE_DATA.</summary>
internal static class DataOption
{
    public static Option<string?> Instance { get; } = new("--data")
    {
        Description = "The data folder: SQLite database, raw message store, settings (default ./data, or HOOKLINE_DATA).",
        Recursive = true,
    };
}
