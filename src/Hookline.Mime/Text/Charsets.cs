using System.Collections.Concurrent;
using System.Text;

namespace Hookline.Mime.Text;

/// <summary>
/// Charset names as mail writes them, mapped to .NET encodings (with the code-pages provider
/// registered), and text decoding with a safe fallback: a label that .NET does not know, or no
/// label, decodes as UTF-8 when the bytes are valid UTF-8 and as Windows-1252 otherwise.
/// </summary>
public static class Charsets
{
    private const int MaxCachedLabels = 1024;

    private static readonly ConcurrentDictionary<string, Encoding?> Cache = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Windows-1252: what mislabelled 8-bit Western mail almost always is.</summary>
    public static Encoding Windows1252 { get; }

    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    static Charsets()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252);
    }

    /// <summary>The encoding a charset label names, or null when .NET cannot decode it.</summary>
    public static Encoding? GetEncoding(string? charset)
    {
        if (string.IsNullOrWhiteSpace(charset))
        {
            return null;
        }

        var label = charset.Trim();
        if (Cache.TryGetValue(label, out var cached))
        {
            return cached;
        }

        // Labels are chosen by whoever wrote the mail: remember a bounded number of them.
        var encoding = Lookup(label);
        if (Cache.Count < MaxCachedLabels)
        {
            Cache.TryAdd(label, encoding);
        }

        return encoding;
    }

    /// <summary>Decodes text in the labelled charset, falling back as the type's summary says. Never throws.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string? charset)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        var encoding = GetEncoding(charset);
        if (encoding is null || encoding.CodePage is 20127 or 65001)
        {
            // Unlabelled, unknown, US-ASCII or UTF-8: in real mail 8-bit bytes under these labels are
            // UTF-8 or, failing that, Windows-1252.
            return DecodeUnlabelled(bytes);
        }

        return encoding.GetString(bytes);
    }

    /// <summary>UTF-8 when the bytes are valid UTF-8 (ASCII included), Windows-1252 otherwise.</summary>
    public static string DecodeUnlabelled(ReadOnlySpan<byte> bytes)
    {
        if (Ascii.IsValid(bytes))
        {
            return Encoding.ASCII.GetString(bytes);
        }

        return System.Text.Unicode.Utf8.IsValid(bytes) ? Utf8.GetString(bytes) : Windows1252.GetString(bytes);
    }

    private static Encoding? Lookup(string name)
    {
        var normalized = Normalize(name);
        try
        {
            return Encoding.GetEncoding(normalized);
        }
        catch (ArgumentException)
        {
        }
        catch (NotSupportedException)
        {
            // UTF-7 (code page 65000) is known to .NET but refused: treat it as unknown.
            return null;
        }

        // "cp850", "ibm437", "windows-874": a code page number .NET knows by number only.
        var digits = normalized.AsSpan().TrimStart("abcdefghijklmnopqrstuvwxyz-_");
        if (digits.Length is > 2 and < 6 && int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var page))
        {
            try
            {
                return Encoding.GetEncoding(page);
            }
            catch (ArgumentException)
            {
            }
            catch (NotSupportedException)
            {
            }
        }

        return null;
    }

    private static string Normalize(string name)
    {
        // Labels seen in real mail that .NET's registry spells differently.
        var lower = name.Trim().Trim('"', '\'').ToLowerInvariant();
        return lower switch
        {
            "utf8" or "utf-8" or "x-utf-8" or "unicode-1-1-utf-8" => "utf-8",
            "latin1" or "latin-1" or "iso8859-1" or "iso_8859-1" or "iso-8859-1" or "8859-1" => "iso-8859-1",
            "cp1252" or "win-1252" or "windows1252" or "x-cp1252" => "windows-1252",
            "ascii" or "us_ascii" or "ansi_x3.4-1968" or "iso646-us" or "us" => "us-ascii",
            "iso-8859-8-i" => "iso-8859-8",
            "ks_c_5601-1987" or "ks_c_5601" or "x-windows-949" or "cp949" => "ks_c_5601-1987",
            "gb2312-80" or "x-gbk" or "cp936" => "gb2312",
            "x-sjis" or "shift-jis" or "sjis" or "cp932" or "windows-31j" => "shift_jis",
            "x-mac-roman" or "macintosh" or "mac" => "macintosh",
            _ when lower.StartsWith("iso8859-", StringComparison.Ordinal) => "iso-8859-" + lower[8..],
            _ when lower.StartsWith("iso_8859-", StringComparison.Ordinal) => "iso-8859-" + lower[9..],
            _ => lower,
        };
    }
}
