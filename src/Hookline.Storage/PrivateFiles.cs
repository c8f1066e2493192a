using System.Runtime.Versioning;

namespace Hookline.Storage;

/// <summary>
/// Owner-only modes for what Hookline keeps on disk: the data folder holds every report (with the
/// reporters' names and addresses), the configuration's passwords and the database, so on Unix a
/// folder Hookline creates is 0700 and a file 0600, whatever the process's umask would have given.
/// An existing folder is left as the administrator made it (another account may drop files into
/// it on purpose), with a warning when group or others can enter it; Hookline's own files
/// (the database and its journals) are tightened to 0600 every start.
/// </summary>
public static class PrivateFiles
{
    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>
    /// Creates <paramref name="path"/> (and missing parents) 0700 on Unix. Returns a warning to show
    /// when the folder already existed with access for group or others, else null.
    /// </summary>
    public static string? CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return null;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, FolderMode);
            return null;
        }

        var mode = File.GetUnixFileMode(path);
        return (mode & GroupOrOthers) == 0
            ? null
            : $"{path} is open to other accounts (mode {ModeText(mode)}): it holds reports, the configuration and the database; chmod 700 it unless another account must drop files into it";
    }

    /// <summary>
    /// Makes <paramref name="path"/> owner-only: creates it empty 0600 when missing (so a program that
    /// then opens it, such as SQLite, keeps that mode and gives its journals the same), else sets 0600.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public static void CreateOrRestrictFile(string path)
    {
        try
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }
        catch (IOException) when (File.Exists(path))
        {
            RestrictFile(path);
        }
    }

    /// <summary>Sets an existing file to 0600 (nothing when it is missing).</summary>
    [UnsupportedOSPlatform("windows")]
    public static void RestrictFile(string path)
    {
        if (File.Exists(path) && (File.GetUnixFileMode(path) & GroupOrOthers) != 0)
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    private static string ModeText(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}
