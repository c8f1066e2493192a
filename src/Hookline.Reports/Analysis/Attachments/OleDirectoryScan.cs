using System.Text;
using Hookline.Mime.Outlook;

namespace Hookline.Reports.Analysis.Attachments;

/// <summary>
/// What the storages and streams of an OLE compound file (MS-CFB: .doc, .xls, .ppt, .msg) say about
/// it: its kind, VBA macros, OLE packages. The directory is read by Hookline.Mime's compound-file
/// reader (bounded, cycle-safe); an attached .msg is analysed as a message, so documents inside it
/// are checked there.
/// </summary>
public static class OleDirectoryScan
{
    /// <summary>Distinct names collected at most.</summary>
    public const int MaxNames = 4096;

    /// <summary>The names of the file's storages and streams, read through the directory tree by Hookline.Mime's compound-file reader.</summary>
    public static IReadOnlySet<string> Names(ReadOnlyMemory<byte> data) => CompoundFileDirectory.EntryNames(data, MaxNames);

    /// <summary>The document kind the directory names show.</summary>
    public static FileKind Classify(IReadOnlySet<string> names)
    {
        if (names.Contains("__properties_version1.0") || names.Any(n => n.StartsWith("__substg1.0_", StringComparison.Ordinal)))
        {
            return FileKind.OutlookMessage;
        }

        if (names.Contains("WordDocument"))
        {
            return FileKind.Doc;
        }

        if (names.Contains("Workbook") || names.Contains("Book"))
        {
            return FileKind.Xls;
        }

        if (names.Contains("PowerPoint Document"))
        {
            return FileKind.Ppt;
        }

        return FileKind.Ole;
    }

    /// <summary>VBA project storages (Word: <c>Macros</c>; Excel: <c>_VBA_PROJECT_CUR</c>; any: <c>VBA</c> with <c>dir</c>/<c>_VBA_PROJECT</c>).</summary>
    public static bool HasMacros(IReadOnlySet<string> names) =>
        names.Contains("Macros") || names.Contains("_VBA_PROJECT_CUR") || (names.Contains("VBA") && (names.Contains("_VBA_PROJECT") || names.Contains("dir")));

    /// <summary>An embedded OLE package (<c>\u0001Ole10Native</c>): a file, often a script or program, wrapped in the document.</summary>
    public static bool HasOlePackage(IReadOnlySet<string> names) => names.Contains("\u0001Ole10Native");

    /// <summary>Readable list of notable names, for details.</summary>
    public static string Describe(IReadOnlySet<string> names)
    {
        var builder = new StringBuilder();
        foreach (var name in names.Order(StringComparer.Ordinal).Take(8))
        {
            builder.Append(builder.Length == 0 ? string.Empty : ", ").Append(name.Replace("\u0001", "\\1", StringComparison.Ordinal));
        }

        return builder.ToString();
    }
}
