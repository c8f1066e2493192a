namespace Hookline.Mime.Headers;

/// <summary>Small lexical helpers shared by the structured-header parsers (RFC 5322 section 3.2).</summary>
internal static class HeaderSyntax
{
    /// <summary>
    /// Skips folding white space and comments (nested, with quoted-pairs). An unterminated comment
    /// runs to the end. Returns the index of the next other character.
    /// </summary>
    public static int SkipCfws(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                i++;
            }
            else if (c == '(')
            {
                i = SkipComment(text, i);
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>From an opening "(", the index after its matching ")" (or the end).</summary>
    public static int SkipComment(ReadOnlySpan<char> text, int i)
    {
        var depth = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                return i + 1;
            }

            i++;
        }

        return text.Length;
    }

    /// <summary>Byte version of <see cref="SkipCfws(ReadOnlySpan{char}, int)"/>.</summary>
    public static int SkipCfws(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length)
        {
            var c = text[i];
            if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                i++;
            }
            else if (c == (byte)'(')
            {
                i = SkipComment(text, i, out _);
            }
            else
            {
                break;
            }
        }

        return i;
    }

    /// <summary>From an opening "(", the index after its matching ")"; <paramref name="terminated"/> is false when the input ran out first.</summary>
    public static int SkipComment(ReadOnlySpan<byte> text, int i, out bool terminated)
    {
        var depth = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == (byte)'\\')
            {
                i += 2;
                continue;
            }

            if (c == (byte)'(')
            {
                depth++;
            }
            else if (c == (byte)')' && --depth == 0)
            {
                terminated = true;
                return i + 1;
            }

            i++;
        }

        terminated = false;
        return text.Length;
    }

    /// <summary>RFC 2045 token characters: printable ASCII except space and tspecials.</summary>
    public static bool IsTokenChar(char c) =>
        c > ' ' && c < '\x7F' && c is not ('(' or ')' or '<' or '>' or '@' or ',' or ';' or ':' or '\\' or '"' or '/' or '[' or ']' or '?' or '=');
}
