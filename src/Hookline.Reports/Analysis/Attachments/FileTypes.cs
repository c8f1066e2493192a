using System.Buffers.Binary;
using System.Text;

namespace Hookline.Reports.Analysis.Attachments;

/// <summary>
/// True file types from magic bytes, and what file-name extensions mean. The content decides; the
/// name only names scripts (which have no magic) and refines a generic container.
/// </summary>
public static class FileTypes
{
    /// <summary>Extensions Windows runs as programs (or installs, or follows as shortcuts).</summary>
    public static IReadOnlySet<string> ExecutableExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "exe", "scr", "com", "pif", "dll", "cpl", "msi", "msp", "mst", "jar", "lnk", "appx", "appxbundle", "msix", "msixbundle",
        "appref-ms", "gadget", "application", "reg", "inf", "scf", "url", "sys", "drv", "ocx", "xll", "xbap", "elf", "bin", "run",
        "dmg", "pkg", "app", "apk", "cab",
    };

    /// <summary>Extensions Windows runs through a script host, shell or browser engine.</summary>
    public static IReadOnlySet<string> ScriptExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "js", "jse", "vbs", "vbe", "wsf", "wsh", "wsc", "hta", "ps1", "psm1", "psd1", "bat", "cmd", "sct", "vb", "mjs",
        "py", "pyw", "sh", "applescript", "scpt", "xsl", "settingcontent-ms", "library-ms", "searchconnector-ms",

        // Run by a Windows host with one click: compiled help, management consoles (crafted .msc files run
        // script), troubleshooting packs, app installers, Office add-ins, Excel web queries and SYLK, and
        // OneNote notebooks, whose embedded files open from a button on the page.
        "chm", "msc", "diagcab", "appinstaller", "vsto", "iqy", "slk", "one", "onepkg",
    };

    /// <summary>Extensions of disk images Windows mounts with a double click (bypassing Mark-of-the-Web).</summary>
    public static IReadOnlySet<string> DiskImageExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "iso", "img", "vhd", "vhdx", "udf", "dmg",
    };

    /// <summary>Extensions people expect to be harmless documents: the decoy in a double extension.</summary>
    public static IReadOnlySet<string> DocumentExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "rtf", "csv", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff",
        "zip", "rar", "7z", "htm", "html", "mp3", "mp4", "wav", "mov", "odt", "ods", "msg", "eml", "xml", "json", "one",
    };

    /// <summary>Extensions of archives whose contents Windows Explorer opens like a folder or that unpack to files.</summary>
    public static IReadOnlySet<string> ArchiveExtensions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "zip", "rar", "7z", "gz", "tgz", "bz2", "xz", "tar", "cab", "arj", "lzh", "ace", "z", "zipx",
    };

    /// <summary>The last extension of a file name, lower-case without the dot, or null.</summary>
    public static string? ExtensionOf(string? fileName)
    {
        if (string.IsNullOrEmpty(fileName))
        {
            return null;
        }

        var name = fileName.AsSpan().TrimEnd(" .\0");
        var slash = name.LastIndexOfAny('/', '\\');
        if (slash >= 0)
        {
            name = name[(slash + 1)..];
        }

        var dot = name.LastIndexOf('.');
        if (dot <= 0 || dot == name.Length - 1 || name.Length - dot > 24)
        {
            return null;
        }

        return name[(dot + 1)..].ToString().ToLowerInvariant();
    }

    /// <summary>The file kind its content shows; <see cref="FileKind.Unknown"/> or <see cref="FileKind.Text"/> when it has no signature.</summary>
    public static FileKind Sniff(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2)
        {
            return FileKind.Unknown;
        }

        if (data.StartsWith("MZ"u8))
        {
            return FileKind.PeExecutable;
        }

        if (data.StartsWith("PK\u0003\u0004"u8) || data.StartsWith("PK\u0005\u0006"u8) || data.StartsWith("PK\u0007\u0008"u8))
        {
            return FileKind.Zip;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            return FileKind.Ole;
        }

        if (data.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(data) == 0x223E9F78)
        {
            return FileKind.Tnef;
        }

        if (data[..Math.Min(data.Length, 1024)].IndexOf("%PDF-"u8) >= 0)
        {
            return FileKind.Pdf;
        }

        if (data.StartsWith("{\\rt"u8))
        {
            return FileKind.Rtf;
        }

        if (data.StartsWith("\u007FELF"u8))
        {
            return FileKind.Elf;
        }

        if (data.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(data) is 0xFEEDFACE or 0xFEEDFACF or 0xCEFAEDFE or 0xCFFAEDFE or 0xCAFEBABE)
        {
            return data.StartsWith((ReadOnlySpan<byte>)[0xCA, 0xFE, 0xBA, 0xBE]) && data.Length >= 8 && BinaryPrimitives.ReadUInt16BigEndian(data[6..]) > 40 ? FileKind.Unknown : FileKind.MachO;
        }

        if (data.StartsWith("7z"u8) && data.Length >= 6 && data[2] == 0xBC && data[3] == 0xAF && data[4] == 0x27 && data[5] == 0x1C)
        {
            return FileKind.SevenZip;
        }

        if (data.StartsWith("Rar!\u001A\u0007"u8))
        {
            return FileKind.Rar;
        }

        if (data[0] == 0x1F && data[1] == 0x8B)
        {
            return FileKind.Gzip;
        }

        if (data.StartsWith("BZh"u8))
        {
            return FileKind.Bzip2;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]))
        {
            return FileKind.Xz;
        }

        if (data.StartsWith("MSCF"u8))
        {
            return FileKind.Cab;
        }

        if (data.Length >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(data) == 0x4C && data[4..20].SequenceEqual(LnkClsid))
        {
            return FileKind.Lnk;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D]))
        {
            return FileKind.OneNote;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]))
        {
            return FileKind.Png;
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return FileKind.Jpeg;
        }

        if (data.StartsWith("GIF8"u8))
        {
            return FileKind.Gif;
        }

        if (data.StartsWith("BM"u8) && data.Length >= 14 && BinaryPrimitives.ReadUInt32LittleEndian(data[2..]) == (uint)data.Length)
        {
            return FileKind.Bmp;
        }

        if (data.StartsWith("conectix"u8) || data.StartsWith("vhdxfile"u8))
        {
            return FileKind.Vhd;
        }

        if (IsIso(data))
        {
            return FileKind.Iso;
        }

        return SniffText(data);
    }

    /// <summary>ISO 9660 (<c>CD001</c> at 0x8001, or in a later volume descriptor) or UDF (<c>NSR0</c>).</summary>
    public static bool IsIso(ReadOnlySpan<byte> data)
    {
        for (var offset = 0x8001; offset + 5 <= data.Length && offset < 0x8001 + (16 * 2048); offset += 2048)
        {
            var id = data.Slice(offset, 5);
            if (id.SequenceEqual("CD001"u8) || id.SequenceEqual("NSR02"u8) || id.SequenceEqual("NSR03"u8) || id.SequenceEqual("BEA01"u8))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The kind a file-name extension promises, or null when it promises nothing checkable.</summary>
    public static FileKind? KindOfExtension(string? extension) => extension switch
    {
        "pdf" => FileKind.Pdf,
        "zip" or "zipx" => FileKind.Zip,
        "docx" or "dotx" => FileKind.Docx,
        "xlsx" or "xltx" => FileKind.Xlsx,
        "pptx" or "potx" or "ppsx" => FileKind.Pptx,
        "docm" or "dotm" => FileKind.Docm,
        "xlsm" or "xltm" or "xlam" => FileKind.Xlsm,
        "pptm" or "potm" or "ppsm" => FileKind.Pptm,
        "jar" => FileKind.Jar,
        "doc" or "dot" => FileKind.Doc,
        "xls" or "xlt" or "xla" => FileKind.Xls,
        "ppt" or "pps" or "pot" => FileKind.Ppt,
        "msi" => FileKind.Msi,
        "msg" => FileKind.OutlookMessage,
        "dat" => null,
        "rtf" => FileKind.Rtf,
        "exe" or "dll" or "scr" or "cpl" or "sys" or "ocx" or "drv" => FileKind.PeExecutable,
        "htm" or "html" or "xhtml" or "shtml" => FileKind.Html,
        "svg" => FileKind.Svg,
        "iso" => FileKind.Iso,
        "vhd" or "vhdx" => FileKind.Vhd,
        "7z" => FileKind.SevenZip,
        "rar" => FileKind.Rar,
        "gz" or "tgz" => FileKind.Gzip,
        "bz2" => FileKind.Bzip2,
        "xz" => FileKind.Xz,
        "cab" => FileKind.Cab,
        "lnk" => FileKind.Lnk,
        "one" => FileKind.OneNote,
        "png" => FileKind.Png,
        "jpg" or "jpeg" or "jpe" or "jfif" => FileKind.Jpeg,
        "gif" => FileKind.Gif,
        "bmp" => FileKind.Bmp,
        "eml" => FileKind.Eml,
        "txt" or "csv" or "log" => FileKind.Text,
        _ => null,
    };

    /// <summary>The kind a declared MIME type promises, or null for generic and unknown types.</summary>
    public static FileKind? KindOfMimeType(string mimeType) => mimeType switch
    {
        "application/pdf" or "application/x-pdf" => FileKind.Pdf,
        "application/zip" or "application/x-zip-compressed" or "application/x-zip" => FileKind.Zip,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => FileKind.Docx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => FileKind.Xlsx,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => FileKind.Pptx,
        "application/vnd.ms-word.document.macroenabled.12" => FileKind.Docm,
        "application/vnd.ms-excel.sheet.macroenabled.12" => FileKind.Xlsm,
        "application/msword" => FileKind.Doc,
        "application/vnd.ms-excel" => FileKind.Xls,
        "application/vnd.ms-powerpoint" => FileKind.Ppt,
        "application/vnd.ms-outlook" => FileKind.OutlookMessage,
        "application/ms-tnef" or "application/vnd.ms-tnef" => FileKind.Tnef,
        "application/rtf" or "text/rtf" => FileKind.Rtf,
        "application/x-msdownload" or "application/x-msdos-program" or "application/x-dosexec" or "application/vnd.microsoft.portable-executable" => FileKind.PeExecutable,
        "text/html" => FileKind.Html,
        "image/svg+xml" => FileKind.Svg,
        "application/x-iso9660-image" => FileKind.Iso,
        "application/x-7z-compressed" => FileKind.SevenZip,
        "application/x-rar-compressed" or "application/vnd.rar" => FileKind.Rar,
        "application/gzip" or "application/x-gzip" => FileKind.Gzip,
        "image/png" => FileKind.Png,
        "image/jpeg" or "image/jpg" or "image/pjpeg" => FileKind.Jpeg,
        "image/gif" => FileKind.Gif,
        _ => null,
    };

    /// <summary>Whether content of kind <paramref name="actual"/> is what a name or type promising <paramref name="promised"/> may hold.</summary>
    public static bool Compatible(FileKind promised, FileKind actual)
    {
        if (promised == actual || actual is FileKind.Unknown)
        {
            return true;
        }

        return promised switch
        {
            // An OOXML document is a zip; a .zip holding a document, a plain zip listing, and the like all agree.
            FileKind.Zip => actual is FileKind.Docx or FileKind.Xlsx or FileKind.Pptx or FileKind.Docm or FileKind.Xlsm or FileKind.Pptm or FileKind.Jar,
            FileKind.Docx or FileKind.Xlsx or FileKind.Pptx => actual is FileKind.Zip,
            FileKind.Jar => actual is FileKind.Zip,
            FileKind.Doc or FileKind.Xls or FileKind.Ppt or FileKind.Msi or FileKind.OutlookMessage => actual is FileKind.Ole,
            FileKind.Html => actual is FileKind.Text or FileKind.Svg,
            FileKind.Svg => actual is FileKind.Text or FileKind.Html,
            FileKind.Text => actual is FileKind.Html or FileKind.Svg,
            FileKind.Eml => actual is FileKind.Text or FileKind.Eml,
            FileKind.Iso => actual is FileKind.Vhd,
            _ => false,
        };
    }

    /// <summary>Runs by itself when opened (a program, installer, shortcut or Java archive).</summary>
    public static bool IsExecutable(FileKind kind) => kind is FileKind.PeExecutable or FileKind.Elf or FileKind.MachO or FileKind.Msi or FileKind.Lnk or FileKind.Jar;

    private static ReadOnlySpan<byte> LnkClsid => [0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46];

    private static FileKind SniffText(ReadOnlySpan<byte> data)
    {
        var head = data[..Math.Min(data.Length, 4096)];
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }

        if (head.IndexOf((byte)0) >= 0)
        {
            return FileKind.Unknown;
        }

        var trimmed = head.TrimStart(" \t\r\n"u8);
        if (StartsWithIgnoreCase(trimmed, "<svg"u8) || (StartsWithIgnoreCase(trimmed, "<?xml"u8) && ContainsIgnoreCase(head, "<svg"u8)))
        {
            return FileKind.Svg;
        }

        if (StartsWithIgnoreCase(trimmed, "<!doctype html"u8) || StartsWithIgnoreCase(trimmed, "<html"u8) || StartsWithIgnoreCase(trimmed, "<head"u8)
            || StartsWithIgnoreCase(trimmed, "<script"u8) || StartsWithIgnoreCase(trimmed, "<body"u8)
            || ContainsIgnoreCase(head, "<html"u8) || ContainsIgnoreCase(head, "<script"u8) || ContainsIgnoreCase(head, "<form"u8))
        {
            return FileKind.Html;
        }

        if (LooksLikeMessage(trimmed))
        {
            return FileKind.Eml;
        }

        return FileKind.Text;
    }

    private static bool LooksLikeMessage(ReadOnlySpan<byte> head)
    {
        // Two or more RFC 5322 header fields a message has, at the start of lines in the first block.
        var text = Encoding.Latin1.GetString(head[..Math.Min(head.Length, 2048)]);
        var fields = 0;
        foreach (var name in (string[])["From:", "To:", "Subject:", "Date:", "Message-ID:", "Received:", "Return-Path:", "MIME-Version:"])
        {
            if (text.StartsWith(name, StringComparison.OrdinalIgnoreCase) || text.Contains("\n" + name, StringComparison.OrdinalIgnoreCase))
            {
                fields++;
            }
        }

        return fields >= 3;
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> data, ReadOnlySpan<byte> ascii) =>
        data.Length >= ascii.Length && Ascii.EqualsIgnoreCase(data[..ascii.Length], ascii);

    private static bool ContainsIgnoreCase(ReadOnlySpan<byte> data, ReadOnlySpan<byte> ascii)
    {
        var first = ascii[0];
        var upper = (byte)char.ToUpperInvariant((char)first);
        for (var i = data.IndexOfAny(first, upper); i >= 0 && i + ascii.Length <= data.Length;)
        {
            if (Ascii.EqualsIgnoreCase(data.Slice(i, ascii.Length), ascii))
            {
                return true;
            }

            var next = data[(i + 1)..].IndexOfAny(first, upper);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }
}
