using System.Collections;
using System.Text;
using Hookline.Mime.Text;

namespace Hookline.Mime.Headers;

/// <summary>One decoded parameter of a structured header (Content-Type, Content-Disposition).</summary>
public sealed record Parameter(string Name, string Value);

/// <summary>
/// The parameters of a Content-Type or Content-Disposition value, decoded: RFC 2045 tokens and
/// quoted-strings, comments ignored, RFC 2231 continuations and charset/language values, RFC 2047
/// encoded words inside values (as Outlook writes them), and the broken forms real mail has
/// (missing "=", unquoted values with spaces, unterminated quotes, doubled ";"). A name written
/// twice keeps its first value, except that an RFC 2231 value wins over a plain one. Never throws;
/// the number of parameters and sections read is bounded.
/// </summary>
public sealed class ParameterList : IReadOnlyList<Parameter>
{
    /// <summary>Most name=value items read from one header; the rest is dropped with a warning.</summary>
    public const int MaxParameters = 256;

    /// <summary>Highest RFC 2231 section number accepted ("name*999").</summary>
    public const int MaxSectionIndex = 999;

    public static ParameterList Empty { get; } = new([]);

    private readonly List<Parameter> _items;

    public ParameterList(List<Parameter> items) => _items = items;

    public int Count => _items.Count;

    public Parameter this[int index] => _items[index];

    /// <summary>The value of the first parameter with this name (case-insensitive), or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var p in _items)
            {
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return p.Value;
                }
            }

            return null;
        }
    }

    public IEnumerator<Parameter> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One name=value as written, before RFC 2231 sections are joined.</summary>
    private readonly record struct RawParameter(string Name, int Section, bool Extended, string Value, long Offset);

    /// <summary>Parses "; name=value; name2="quoted"" (the text after the type or disposition token).</summary>
    public static ParameterList Parse(ReadOnlySpan<char> text, List<MimeWarning>? warnings = null, long offset = 0)
    {
        var sink = new WarningSink(warnings);
        List<RawParameter>? raws = null;
        var i = 0;
        while (i < text.Length)
        {
            i = HeaderSyntax.SkipCfws(text, i);
            if (i >= text.Length)
            {
                break;
            }

            if (text[i] == ';')
            {
                i++;
                continue;
            }

            var nameStart = i;
            while (i < text.Length && !IsNameStop(text[i]))
            {
                i++;
            }

            var name = text[nameStart..i];
            i = HeaderSyntax.SkipCfws(text, i);
            if (name.IsEmpty || i >= text.Length || text[i] != '=')
            {
                sink.Warn(offset + nameStart, $"Parameter without '=': \"{Shorten(text[nameStart..Math.Min(text.Length, Math.Max(i, nameStart + 1))])}\".");
                i = SkipToSemicolon(text, Math.Max(i, nameStart + 1));
                continue;
            }

            i = HeaderSyntax.SkipCfws(text, i + 1);
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var quoteAt = i;
                value = ReadQuoted(text, ref i, out var terminated);
                if (!terminated)
                {
                    sink.Warn(offset + quoteAt, $"Unterminated quoted value of parameter \"{Shorten(name)}\".");
                }

                i = SkipToSemicolon(text, i);
            }
            else
            {
                value = ReadUnquoted(text, ref i);
                i = SkipToSemicolon(text, i);
            }

            raws ??= [];
            if (raws.Count >= MaxParameters)
            {
                sink.Warn(offset + nameStart, $"More than {MaxParameters} parameters; the rest are ignored.");
                break;
            }

            if (!TrySplitName(name, out var baseName, out var section, out var extended))
            {
                sink.Warn(offset + nameStart, $"Parameter section number out of range: \"{Shorten(name)}\".");
                continue;
            }

            raws.Add(new RawParameter(InternName(baseName), section, extended, value, offset + nameStart));
        }

        return raws is null ? Empty : Assemble(raws, sink);
    }

    /// <summary>Parses parameters from raw header bytes (ASCII widened without allocation, 8-bit read as UTF-8 or Windows-1252).</summary>
    public static ParameterList Parse(ReadOnlySpan<byte> raw, List<MimeWarning>? warnings = null, long offset = 0)
    {
        if (raw.Length <= 512 && Ascii.IsValid(raw))
        {
            Span<char> chars = stackalloc char[raw.Length];
            Ascii.ToUtf16(raw, chars, out _);
            return Parse(chars, warnings, offset);
        }

        return Parse(Charsets.DecodeUnlabelled(raw).AsSpan(), warnings, offset);
    }

    private static ParameterList Assemble(List<RawParameter> raws, WarningSink sink)
    {
        var items = new List<Parameter>(raws.Count);
        Span<bool> used = raws.Count <= 64 ? stackalloc bool[raws.Count] : new bool[raws.Count];
        for (var r = 0; r < raws.Count; r++)
        {
            if (used[r])
            {
                continue;
            }

            var name = raws[r].Name;
            var plain = -1;
            var extended = -1;
            var sectionCount = 0;
            for (var k = r; k < raws.Count; k++)
            {
                if (used[k] || !string.Equals(raws[k].Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                used[k] = true;
                var raw = raws[k];
                if (raw.Section >= 0)
                {
                    sectionCount++;
                }
                else if (raw.Extended)
                {
                    if (extended < 0)
                    {
                        extended = k;
                    }
                    else
                    {
                        sink.Warn(raw.Offset, $"Parameter \"{name}\" written twice; the first is kept.");
                    }
                }
                else if (plain < 0)
                {
                    plain = k;
                }
                else
                {
                    sink.Warn(raw.Offset, $"Parameter \"{name}\" written twice; the first is kept.");
                }
            }

            string value;
            if (sectionCount > 0)
            {
                value = JoinSections(raws, r, name, sectionCount, sink);
            }
            else if (extended >= 0)
            {
                value = DecodeExtended(raws[extended].Value, null, isFirst: true, out _);
            }
            else
            {
                value = HeaderText.DecodeEncodedWordsIn(raws[plain].Value);
            }

            items.Add(new Parameter(name, value));
        }

        return new ParameterList(items);
    }

    /// <summary>RFC 2231 section 3/4: sections joined in number order; the first may carry charset'language'.</summary>
    private static string JoinSections(List<RawParameter> raws, int from, string name, int count, WarningSink sink)
    {
        var sections = new List<RawParameter>(count);
        var anyExtended = false;
        for (var k = from; k < raws.Count; k++)
        {
            var raw = raws[k];
            if (raw.Section >= 0 && string.Equals(raw.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                sections.Add(raw);
                anyExtended |= raw.Extended;
            }
        }

        // Stable sort by section number, so a repeated section keeps its first value.
        var ordered = new RawParameter[sections.Count];
        sections.CopyTo(ordered);
        var keys = new long[ordered.Length];
        for (var k = 0; k < ordered.Length; k++)
        {
            keys[k] = ((long)ordered[k].Section << 32) | (uint)k;
        }

        Array.Sort(keys, ordered);
        var expected = 0;
        var kept = new List<RawParameter>(ordered.Length);
        foreach (var section in ordered)
        {
            if (section.Section < expected)
            {
                sink.Warn(section.Offset, $"Section {section.Section} of parameter \"{name}\" written twice; the first is kept.");
                continue;
            }

            if (section.Section > expected)
            {
                sink.Warn(section.Offset, $"Parameter \"{name}\" is missing section {expected}.");
            }

            kept.Add(section);
            expected = section.Section + 1;
        }

        if (!anyExtended)
        {
            var joined = new StringBuilder();
            foreach (var section in kept)
            {
                joined.Append(section.Value);
            }

            return HeaderText.DecodeEncodedWordsIn(joined.ToString());
        }

        // Charset from the first section when it is extended; bytes of every section, then decoded once.
        string? charset = null;
        var bytes = new List<byte>();
        for (var k = 0; k < kept.Count; k++)
        {
            var section = kept[k];
            if (section.Extended)
            {
                AppendPercentDecoded(section.Value, k == 0 && section.Section == 0, ref charset, bytes);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(section.Value));
            }
        }

        return Text.Charsets.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes), charset);
    }

    private static string DecodeExtended(string value, string? charset, bool isFirst, out string? foundCharset)
    {
        var bytes = new List<byte>(value.Length);
        AppendPercentDecoded(value, isFirst, ref charset, bytes);
        foundCharset = charset;
        return Text.Charsets.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes), charset);
    }

    /// <summary>Percent-decodes an RFC 2231 extended value, taking "charset'language'" off the first one.</summary>
    private static void AppendPercentDecoded(string value, bool isFirst, ref string? charset, List<byte> bytes)
    {
        var text = value.AsSpan();
        if (isFirst)
        {
            var q1 = text.IndexOf('\'');
            var q2 = q1 < 0 ? -1 : text[(q1 + 1)..].IndexOf('\'');
            if (q2 >= 0)
            {
                var label = text[..q1].Trim();
                charset = label.IsEmpty ? null : label.ToString();
                text = text[(q1 + 1 + q2 + 1)..];
            }
        }

        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                bytes.Add((byte)((EncodedWords.HexValue((byte)text[i + 1]) << 4) | EncodedWords.HexValue((byte)text[i + 2])));
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes.Add((byte)c);
            }
            else
            {
                var n = new Rune(char.IsSurrogate(c) ? '\uFFFD' : c).EncodeToUtf8(utf8);
                for (var k = 0; k < n; k++)
                {
                    bytes.Add(utf8[k]);
                }
            }
        }
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    /// <summary>"name", "name*", "name*3", "name*3*" into base name, section (-1 for none) and extended flag.</summary>
    private static bool TrySplitName(ReadOnlySpan<char> name, out ReadOnlySpan<char> baseName, out int section, out bool extended)
    {
        baseName = name;
        section = -1;
        extended = false;
        var star = name.IndexOf('*');
        if (star <= 0)
        {
            return true;
        }

        var rest = name[(star + 1)..];
        if (rest.IsEmpty)
        {
            baseName = name[..star];
            extended = true;
            return true;
        }

        var digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }

        var tail = rest[digits..];
        if (digits == 0 || !(tail.IsEmpty || tail is "*"))
        {
            // Not RFC 2231 syntax: keep the name as written.
            return true;
        }

        baseName = name[..star];
        extended = !tail.IsEmpty;
        if (digits > 4)
        {
            return false;
        }

        var number = 0;
        foreach (var d in rest[..digits])
        {
            number = (number * 10) + (d - '0');
        }

        section = number;
        return number <= MaxSectionIndex;
    }

    private static string InternName(ReadOnlySpan<char> name) => name switch
    {
        "charset" => "charset",
        "boundary" => "boundary",
        "name" => "name",
        "filename" => "filename",
        "format" => "format",
        "delsp" => "delsp",
        "type" => "type",
        "size" => "size",
        "reply-type" => "reply-type",
        "method" => "method",
        _ => name.ToString(),
    };

    private static bool IsNameStop(char c) => c is '=' or ';' or ' ' or '\t' or '\r' or '\n' or '(' or '"';

    /// <summary>A quoted-string from the opening quote: quoted-pairs unescaped, line breaks removed.</summary>
    private static string ReadQuoted(ReadOnlySpan<char> text, ref int i, out bool terminated)
    {
        var start = i + 1;
        var j = start;
        var simple = true;
        while (j < text.Length && text[j] != '"')
        {
            if (text[j] is '\\' or '\r' or '\n')
            {
                simple = false;
                if (text[j] == '\\')
                {
                    j++;
                }
            }

            j++;
        }

        terminated = j < text.Length;
        var end = Math.Min(j, text.Length);
        i = terminated ? j + 1 : text.Length;
        var body = text[start..end];
        if (simple)
        {
            return body.ToString();
        }

        var sb = new StringBuilder(body.Length);
        for (var k = 0; k < body.Length; k++)
        {
            var c = body[k];
            if (c == '\\' && k + 1 < body.Length)
            {
                sb.Append(body[++k]);
            }
            else if (c is not ('\r' or '\n'))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>An unquoted value: up to ";" (spaces and "/" allowed), cut before a comment, trimmed, unfolded.</summary>
    private static string ReadUnquoted(ReadOnlySpan<char> text, ref int i)
    {
        var start = i;
        var j = i;
        var hasBreak = false;
        while (j < text.Length && text[j] != ';')
        {
            if (text[j] == '(' && (j == start || char.IsWhiteSpace(text[j - 1])))
            {
                break;
            }

            hasBreak |= text[j] is '\r' or '\n';
            j++;
        }

        i = j;
        var value = text[start..j].TrimEnd();
        if (!hasBreak)
        {
            return value.ToString();
        }

        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is not ('\r' or '\n'))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>The index after the next ";" outside quotes and comments (or the end).</summary>
    private static int SkipToSemicolon(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c == ';')
            {
                return i + 1;
            }

            if (c == '"')
            {
                var close = i + 1;
                while (close < text.Length && text[close] != '"')
                {
                    close += text[close] == '\\' ? 2 : 1;
                }

                if (close >= text.Length)
                {
                    // An unterminated quote: the rest is not split further.
                    return text.Length;
                }

                i = close + 1;
                continue;
            }

            if (c == '(')
            {
                i = HeaderSyntax.SkipCfws(text, i);
                continue;
            }

            i++;
        }

        return i;
    }

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "...");

    /// <summary>Adds InvalidParameter warnings, at most a few per header, so hostile input cannot flood the list.</summary>
    private sealed class WarningSink(List<MimeWarning>? warnings)
    {
        private const int MaxWarnings = 16;
        private int _count;

        public void Warn(long offset, string message)
        {
            if (warnings is not null && _count++ < MaxWarnings)
            {
                warnings.Add(new MimeWarning(MimeWarningCode.InvalidParameter, offset, message));
            }
        }
    }
}
