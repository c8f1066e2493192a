namespace Hookline.Reports.Analysis.Urls;

/// <summary>A URL found in text: the normalized URL, and whether it was written defanged.</summary>
public readonly record struct ScannedUrl(string Url, bool Defanged);

/// <summary>
/// Finds URLs in free text: <c>http://</c>, <c>https://</c>, <c>ftp://</c>, bare <c>www.</c>, and the
/// defanged forms analysts and attackers write (<c>hxxp://</c>, <c>hxxps[:]//</c>, <c>evil[.]com</c>).
/// Trailing punctuation and unbalanced closing brackets are trimmed. Linear in the text; never throws.
/// </summary>
public static class UrlTextScanner
{
    /// <summary>Longest URL kept; longer ones are cut (attackers pad URLs to hide the host from previews).</summary>
    public const int MaxUrlLength = 4096;

    // Vectorized, where string.IndexOf(OrdinalIgnoreCase) compares character by character.
    private static readonly System.Buffers.SearchValues<string> Www = System.Buffers.SearchValues.Create(["www."], StringComparison.OrdinalIgnoreCase);

    /// <summary>Scans <paramref name="text"/>; stops after <paramref name="max"/> URLs.</summary>
    public static List<ScannedUrl> Scan(ReadOnlySpan<char> text, int max = int.MaxValue)
    {
        var found = new List<ScannedUrl>();
        Scan(text, found, max);
        return found;
    }

    /// <summary>Scans <paramref name="text"/> into <paramref name="found"/>; returns false when it stopped at <paramref name="max"/>.</summary>
    public static bool Scan(ReadOnlySpan<char> text, List<ScannedUrl> found, int max)
    {
        var added = 0;
        var position = 0;
        var nextScheme = -2;
        var nextWww = -2;
        while (position < text.Length)
        {
            if (nextScheme != -1 && nextScheme < position)
            {
                nextScheme = IndexFrom(text, position, "//");
            }

            if (nextWww != -1 && nextWww < position)
            {
                nextWww = IndexOfWww(text, position);
            }

            if (nextScheme < 0 && nextWww < 0)
            {
                break;
            }

            int start;
            int afterPrefix;
            var defanged = false;
            if (nextScheme >= 0 && (nextWww < 0 || nextScheme < nextWww))
            {
                var slashes = nextScheme;
                position = slashes + 2;
                if (!TryScheme(text, slashes, out start, out defanged))
                {
                    continue;
                }

                afterPrefix = slashes + 2;
            }
            else
            {
                start = nextWww;
                position = start + 4;
                if (start > 0 && (char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '.' or '/' or '@' or '-'))
                {
                    continue;
                }

                afterPrefix = start + 4;
            }

            var end = afterPrefix;
            while (end < text.Length && end - start < MaxUrlLength && IsUrlChar(text[end]))
            {
                end++;
            }

            end = TrimEnd(text, start, end);
            position = Math.Max(position, end);
            if (end <= afterPrefix)
            {
                continue;
            }

            var url = Normalize(text[start..end], ref defanged);
            if (UrlParser.TryParse(url, out var parts) && (parts.Host.Contains('.', StringComparison.Ordinal) || parts.IsIpLiteral))
            {
                found.Add(new ScannedUrl(url, defanged));
                if (++added >= max)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static int IndexFrom(ReadOnlySpan<char> text, int from, string value)
    {
        var index = text[from..].IndexOf(value, StringComparison.Ordinal);
        return index < 0 ? -1 : index + from;
    }

    private static int IndexOfWww(ReadOnlySpan<char> text, int from)
    {
        var index = text[from..].IndexOfAny(Www);
        return index < 0 ? -1 : index + from;
    }

    /// <summary>Reads the scheme before "//" (allowing "[:]" and "[://]"-style defanging); false when it is not one we collect.</summary>
    private static bool TryScheme(ReadOnlySpan<char> text, int slashes, out int start, out bool defanged)
    {
        start = 0;
        defanged = false;
        var colonEnd = slashes;
        if (colonEnd >= 3 && text[(colonEnd - 3)..colonEnd] is "[:]" or "(:)")
        {
            defanged = true;
            colonEnd -= 3;
        }
        else if (colonEnd >= 1 && text[colonEnd - 1] == ':')
        {
            colonEnd--;
        }
        else
        {
            return false;
        }

        var schemeStart = colonEnd;
        while (schemeStart > 0 && colonEnd - schemeStart < 6 && char.IsAsciiLetter(text[schemeStart - 1]))
        {
            schemeStart--;
        }

        var scheme = text[schemeStart..colonEnd];
        if (scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase) || scheme.Equals("ftp", StringComparison.OrdinalIgnoreCase))
        {
            start = schemeStart;
            return true;
        }

        if (scheme.Length is 4 or 5 && (scheme[0] | 0x20) == 'h' && (scheme[3] | 0x20) == 'p' && (scheme.Length == 4 || (scheme[4] | 0x20) == 's')
            && IsFangChar(scheme[1]) && IsFangChar(scheme[2]))
        {
            start = schemeStart;
            defanged = true;
            return true;
        }

        if (scheme.Equals("fxp", StringComparison.OrdinalIgnoreCase))
        {
            start = schemeStart;
            defanged = true;
            return true;
        }

        return false;
    }

    private static bool IsFangChar(char c) => (c | 0x20) is 'x' or 't' || c == '*';

    private static bool IsUrlChar(char c) =>
        c > ' ' && c != '\u007F' && c is not ('"' or '<' or '>' or '`' or '\\' or '^' or '{' or '}' or '|')
        && !char.IsWhiteSpace(c) && !char.IsControl(c);

    private static int TrimEnd(ReadOnlySpan<char> text, int start, int end)
    {
        while (end > start)
        {
            var c = text[end - 1];
            if (c is '.' or ',' or ';' or ':' or '!' or '?' or '\'' or '*')
            {
                end--;
                continue;
            }

            if (c is ')' or ']' && !Balanced(text[start..end], c == ')' ? '(' : '[', c))
            {
                end--;
                continue;
            }

            break;
        }

        return end;
    }

    private static bool Balanced(ReadOnlySpan<char> url, char open, char close)
    {
        var depth = 0;
        foreach (var c in url)
        {
            if (c == open)
            {
                depth++;
            }
            else if (c == close)
            {
                depth--;
            }
        }

        return depth >= 0;
    }

    private static string Normalize(ReadOnlySpan<char> raw, ref bool defanged)
    {
        var url = raw.ToString();
        if (url.Contains('[', StringComparison.Ordinal) || url.Contains('(', StringComparison.Ordinal))
        {
            var refanged = url.Replace("[.]", ".", StringComparison.Ordinal).Replace("(.)", ".", StringComparison.Ordinal)
                .Replace("[dot]", ".", StringComparison.OrdinalIgnoreCase).Replace("[:]", ":", StringComparison.Ordinal)
                .Replace("(:)", ":", StringComparison.Ordinal);
            if (!string.Equals(refanged, url, StringComparison.Ordinal))
            {
                defanged = true;
                url = refanged;
            }
        }

        var separator = url.IndexOf("://", StringComparison.Ordinal);
        if (separator > 0)
        {
            var written = url[..separator];
            var scheme = written.ToLowerInvariant() switch
            {
                "http" => "http",
                "https" => "https",
                "ftp" => "ftp",
                "fxp" => "ftp",
                _ when separator == 4 => "http",
                _ => "https",
            };
            if (!string.Equals(scheme, written, StringComparison.OrdinalIgnoreCase))
            {
                defanged = true;
            }

            if (!string.Equals(scheme, written, StringComparison.Ordinal))
            {
                url = scheme + url[separator..];
            }
        }

        if (url.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            url = "http://" + url;
        }

        return url;
    }
}
