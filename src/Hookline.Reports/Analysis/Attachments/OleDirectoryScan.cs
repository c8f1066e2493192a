using System.Buffers.Binary;
using System.Text;

namespace Hookline.Reports.Analysis.Attachments;

/// <summary>
/// The directory entry names of an OLE compound file (MS-CFB), found without walking the FAT: every
/// directory entry is 128 bytes in a sector, and sectors start at multiples of the sector size after
/// the header, so each entry sits at a 128-byte-aligned offset. Every aligned slot is checked for a
/// well-formed entry (name length, NUL terminator, object type, colour). Linear, bounded, never
/// throws; it can also see entries of a compound file stored inside another (an attached document in
/// a .msg), which for macro detection is wanted.
/// </summary>
/// <remarks>
/// Hookline.Mime has a full MS-CFB reader (internal); if it gets a public surface this scan can use
/// it for exact results.
/// </remarks>
public static class OleDirectoryScan
{
    /// <summary>Distinct names collected at most.</summary>
    public const int MaxNames = 4096;

    public static HashSet<string> Names(ReadOnlySpan<byte> data)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        Span<char> chars = stackalloc char[32];
        for (var offset = 512; offset <= data.Length - 128 && names.Count < MaxNames; offset += 128)
        {
            var entry = data.Slice(offset, 128);
            var nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(entry[64..]);
            var type = entry[66];
            var colour = entry[67];
            if (nameBytes is < 4 or > 64 || (nameBytes & 1) != 0 || type is not (1 or 2 or 5) || colour > 1)
            {
                continue;
            }

            var length = (nameBytes / 2) - 1;
            if (BinaryPrimitives.ReadUInt16LittleEndian(entry[(length * 2)..]) != 0)
            {
                continue;
            }

            var valid = true;
            for (var i = 0; i < length; i++)
            {
                var c = (char)BinaryPrimitives.ReadUInt16LittleEndian(entry[(i * 2)..]);
                // MS-CFB 2.6.1: names may not contain '/', '\', ':' or '!'; control characters appear only as a first-character prefix.
                if (c is '/' or '\\' or ':' or '!' || (c < ' ' && i > 0) || c == 0)
                {
                    valid = false;
                    break;
                }

                chars[i] = c;
            }

            if (valid)
            {
                names.Add(new string(chars[..length]));
            }
        }

        return names;
    }

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
