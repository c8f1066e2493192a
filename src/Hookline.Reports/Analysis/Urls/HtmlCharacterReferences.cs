using System.Globalization;
using System.Text;

namespace Hookline.Reports.Analysis.Urls;

/// <summary>
/// HTML character references as the WHATWG tokenizer reads them: named ones (the full table, with the
/// legacy names that also work without a semicolon), decimal and hexadecimal ones (zero, surrogates
/// and values past U+10FFFF become U+FFFD; 0x80–0x9F are read as Windows-1252). In attribute values
/// a legacy name without its semicolon followed by <c>=</c> or a letter or digit stays as written,
/// so <c>?a=1&amp;copy=2</c> keeps its <c>&amp;copy</c>.
/// </summary>
internal static class HtmlCharacterReferences
{
    private const int LongestName = 32;

    private static readonly Lazy<(Dictionary<string, string> Names, HashSet<string> Legacy)> Table = new(Load);

    // The C1 range read as Windows-1252 (WHATWG "numeric character reference end state"); zero: kept.
    private static readonly char[] C1 =
    [
        '\u20AC', '\0', '\u201A', '\u0192', '\u201E', '\u2026', '\u2020', '\u2021', '\u02C6', '\u2030', '\u0160', '\u2039', '\u0152', '\0', '\u017D', '\0',
        '\0', '\u2018', '\u2019', '\u201C', '\u201D', '\u2022', '\u2013', '\u2014', '\u02DC', '\u2122', '\u0161', '\u203A', '\u0153', '\0', '\u017E', '\u0178',
    ];

    /// <summary>The text with its character references decoded (and NUL as U+FFFD in attributes, dropped in text).</summary>
    public static string Decode(ReadOnlySpan<char> raw, bool inAttribute)
    {
        if (raw.IndexOfAny('&', '\0') < 0)
        {
            return raw.ToString();
        }

        var builder = new StringBuilder(raw.Length);
        Decode(raw, inAttribute, builder);
        return builder.ToString();
    }

    /// <summary>Appends the decoded text to <paramref name="output"/>.</summary>
    public static void Decode(ReadOnlySpan<char> raw, bool inAttribute, StringBuilder output)
    {
        var i = 0;
        while (i < raw.Length)
        {
            var special = raw[i..].IndexOfAny('&', '\0');
            if (special < 0)
            {
                output.Append(raw[i..]);
                return;
            }

            output.Append(raw.Slice(i, special));
            i += special;
            if (raw[i] == '\0')
            {
                if (inAttribute)
                {
                    output.Append('\uFFFD');
                }

                i++;
                continue;
            }

            i += 1 + DecodeOne(raw[(i + 1)..], inAttribute, output);
        }
    }

    /// <summary>Reads the reference after an '&amp;' and appends what it stands for; returns the characters consumed after the '&amp;' (0: the '&amp;' was literal, and is appended).</summary>
    private static int DecodeOne(ReadOnlySpan<char> rest, bool inAttribute, StringBuilder output)
    {
        if (rest.IsEmpty)
        {
            output.Append('&');
            return 0;
        }

        if (rest[0] == '#')
        {
            return DecodeNumeric(rest, output);
        }

        if (!char.IsAsciiLetterOrDigit(rest[0]))
        {
            output.Append('&');
            return 0;
        }

        var run = 0;
        while (run < rest.Length && run < LongestName && char.IsAsciiLetterOrDigit(rest[run]))
        {
            run++;
        }

        var (names, legacy) = Table.Value;
        var lookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (run < rest.Length && rest[run] == ';' && lookup.TryGetValue(rest[..run], out var value))
        {
            output.Append(value);
            return run + 1;
        }

        // Without the semicolon only the legacy names count, the longest that prefixes the run.
        var legacyLookup = legacy.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var length = Math.Min(run, 6); length > 0; length--)
        {
            if (!legacyLookup.Contains(rest[..length]))
            {
                continue;
            }

            var next = length < rest.Length ? rest[length] : '\0';
            if (inAttribute && (next == '=' || char.IsAsciiLetterOrDigit(next)))
            {
                break;
            }

            output.Append(names[rest[..length].ToString()]);
            return length;
        }

        output.Append('&');
        return 0;
    }

    private static int DecodeNumeric(ReadOnlySpan<char> rest, StringBuilder output)
    {
        var hex = rest.Length > 1 && rest[1] is 'x' or 'X';
        var start = hex ? 2 : 1;
        var end = start;
        var value = 0L;
        while (end < rest.Length && (hex ? char.IsAsciiHexDigit(rest[end]) : char.IsAsciiDigit(rest[end])))
        {
            var digit = hex ? (long)HexValue(rest[end]) : rest[end] - '0';
            value = Math.Min(value * (hex ? 16 : 10) + digit, 0x110000);
            end++;
        }

        if (end == start)
        {
            // "&#" or "&#x" with no digits is not a reference.
            output.Append('&');
            return 0;
        }

        if (end < rest.Length && rest[end] == ';')
        {
            end++;
        }

        if (value is 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
        {
            output.Append('\uFFFD');
        }
        else if (value is >= 0x80 and <= 0x9F && C1[(int)value - 0x80] != '\0')
        {
            output.Append(C1[(int)value - 0x80]);
        }
        else
        {
            output.Append(char.ConvertFromUtf32((int)value));
        }

        return end;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static (Dictionary<string, string>, HashSet<string>) Load()
    {
        var names = new Dictionary<string, string>(2200, StringComparer.Ordinal);
        var legacy = new HashSet<string>(StringComparer.Ordinal);
        using var stream = typeof(HtmlCharacterReferences).Assembly.GetManifestResourceStream("Hookline.Reports.Analysis.Urls.html-character-references.txt")
            ?? throw new InvalidOperationException("The HTML character reference table is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var fields = line.Split('\t');
            var value = new StringBuilder(2);
            foreach (var codePoint in fields[1].Split(' '))
            {
                value.Append(char.ConvertFromUtf32(int.Parse(codePoint, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }

            names[fields[0]] = value.ToString();
            if (fields.Length > 2 && fields[2] == "legacy")
            {
                legacy.Add(fields[0]);
            }
        }

        return (names, legacy);
    }
}
