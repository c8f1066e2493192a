using System.Globalization;
using System.Text;

namespace Hookline.Reports.Analysis.Attachments;

/// <summary>
/// Markup an HTML page's script writes from an encoded string literal: <c>document.write(unescape("%3Cform…"))</c>,
/// <c>decodeURIComponent("…")</c>, <c>atob("PGZvcm0…")</c>. Phishing pages attached to mail hide their
/// form and links this way so that a scanner of the file's text finds nothing; a page that means no
/// harm has no reason to. <see cref="Find"/> decodes such literals (percent escapes, <c>%uXXXX</c>,
/// base64) and keeps those that decode to markup, so the attachment stage can read them as a page of
/// their own. Bounded: literals are read up to <see cref="MaxLiteralChars"/>, at most
/// <see cref="MaxLiterals"/> per page, and decoding never grows the text.
/// </summary>
internal static class ScriptedMarkup
{
    /// <summary>Literals shorter than this are not read (a hidden mailto address, a short word).</summary>
    public const int MinLiteralChars = 64;

    /// <summary>The longest literal read; a longer one is read up to this length.</summary>
    public const int MaxLiteralChars = 4 * 1024 * 1024;

    /// <summary>Literals decoded at most per page.</summary>
    public const int MaxLiterals = 16;

    /// <summary>Decoding calls looked at most per page (a page of a million <c>atob(</c> costs no more than this many).</summary>
    public const int MaxCalls = 256;

    private static readonly (string Call, bool Base64)[] Decoders =
    [
        ("unescape(", false),
        ("decodeURIComponent(", false),
        ("decodeURI(", false),
        ("atob(", true),
    ];

    private static readonly string[] MarkupTags = ["<form", "<input", "<script", "<iframe", "<meta", "<a ", "<html", "<body", "<div", "<img", "<svg"];

    /// <summary>The decoded markup of each encoded literal in <paramref name="html"/>, with the call that decoded it ("unescape").</summary>
    public static IReadOnlyList<(string Call, string Markup)> Find(string html)
    {
        var found = new List<(string, string)>();
        var calls = 0;
        foreach (var (call, base64) in Decoders)
        {
            var from = 0;
            while (found.Count < MaxLiterals && calls < MaxCalls && from < html.Length)
            {
                var at = html.IndexOf(call, from, StringComparison.Ordinal);
                if (at < 0)
                {
                    break;
                }

                calls++;
                from = at + call.Length;
                if (ReadLiteral(html, from, out var end) is not { } literal)
                {
                    continue;
                }

                from = end;
                if (literal.Length < MinLiteralChars)
                {
                    continue;
                }

                var decoded = base64 ? FromBase64(literal) : FromPercent(literal);
                if (decoded is not null && IsMarkup(decoded))
                {
                    found.Add((call.TrimEnd('('), decoded));
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The string literal that starts at <paramref name="start"/> (after white space), without its quotes
    /// and with backslash escapes kept, and where it ends; null when none.
    /// </summary>
    internal static string? ReadLiteral(string text, int start, out int end)
    {
        end = start;
        var position = start;
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }

        if (position >= text.Length || text[position] is not ('"' or '\'' or '`'))
        {
            return null;
        }

        var quote = text[position];
        var begin = position + 1;
        end = begin;
        var limit = Math.Min(text.Length, begin + MaxLiteralChars);
        while (end < limit && text[end] != quote)
        {
            end += text[end] == '\\' ? 2 : 1;
        }

        end = Math.Min(end, limit);
        return text[begin..end];
    }

    /// <summary>Percent escapes (<c>%3C</c>, and <c>%u003C</c> as <c>unescape</c> reads them) decoded; bytes as UTF-8 where they form it.</summary>
    internal static string? FromPercent(string literal)
    {
        if (!literal.Contains('%', StringComparison.Ordinal))
        {
            return null;
        }

        var text = new StringBuilder(literal.Length);
        var bytes = new List<byte>();
        for (var i = 0; i < literal.Length; i++)
        {
            if (literal[i] == '%' && i + 5 < literal.Length && literal[i + 1] is 'u' or 'U'
                && int.TryParse(literal.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var unit))
            {
                Flush(bytes, text);
                text.Append((char)unit);
                i += 5;
            }
            else if (literal[i] == '%' && i + 2 < literal.Length
                && byte.TryParse(literal.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value))
            {
                bytes.Add(value);
                i += 2;
            }
            else
            {
                Flush(bytes, text);
                text.Append(literal[i]);
            }
        }

        Flush(bytes, text);
        return text.ToString();
    }

    /// <summary>Base64 (white space and backslash line continuations dropped) decoded as UTF-8; null when it is not base64.</summary>
    internal static string? FromBase64(string literal)
    {
        var clean = new StringBuilder(literal.Length);
        foreach (var c in literal)
        {
            if (!char.IsWhiteSpace(c) && c != '\\')
            {
                clean.Append(c);
            }
        }

        var bytes = new byte[(clean.Length / 4 * 3) + 3];
        return Convert.TryFromBase64String(clean.ToString(), bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : null;
    }

    private static bool IsMarkup(string text)
    {
        foreach (var tag in MarkupTags)
        {
            if (text.Contains(tag, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static void Flush(List<byte> bytes, StringBuilder text)
    {
        if (bytes.Count > 0)
        {
            text.Append(Encoding.UTF8.GetString(bytes.ToArray()));
            bytes.Clear();
        }
    }
}
