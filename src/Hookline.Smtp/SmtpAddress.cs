using System.Buffers;

namespace Hookline.Smtp;

/// <summary>
/// The path and parameter syntax of MAIL and RCPT (RFC 5321 4.1.2, with RFC 6531 for UTF-8).
/// </summary>
internal static class SmtpAddress
{
    // atext of RFC 5322 3.2.3, the characters of a Dot-string's atoms.
    private static readonly SearchValues<char> Atext =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~");

    /// <summary>
    /// Parses "&lt;path&gt; [params]" (the text after "FROM:" or "TO:", leading spaces allowed).
    /// Returns false on a syntax error. A source route (&lt;@a,@b:user@c&gt;) is accepted and dropped
    /// (RFC 5321 4.1.1.3 and appendix C). <paramref name="address"/> is empty for &lt;&gt;.
    /// </summary>
    public static bool TryParsePath(string text, out string address, out string parameters, out bool nonAscii)
    {
        address = "";
        parameters = "";
        nonAscii = false;
        var s = text.TrimStart(' ');
        if (s.Length < 2 || s[0] != '<')
        {
            return false;
        }

        // Find the closing bracket outside a quoted string.
        var close = -1;
        var quoted = false;
        for (var i = 1; i < s.Length; i++)
        {
            var c = s[i];
            if (quoted && c == '\\')
            {
                i++;
                continue;
            }

            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '>')
            {
                close = i;
                break;
            }
        }

        if (close < 0)
        {
            return false;
        }

        var rest = s[(close + 1)..];
        if (rest.Length > 0 && rest[0] != ' ')
        {
            return false;
        }

        parameters = rest.Trim(' ');
        var path = s[1..close];
        if (path.Length > 0 && path[0] == '@')
        {
            var colon = path.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return false;
            }

            path = path[(colon + 1)..];
        }

        if (path.Length == 0)
        {
            return true;
        }

        if (IsBarePostmaster(path))
        {
            address = path;
            return true;
        }

        if (!IsMailbox(path, out nonAscii))
        {
            return false;
        }

        address = path;
        return true;
    }

    /// <summary>Whether <paramref name="mailbox"/> is Local-part "@" Domain; UTF-8 allowed and reported.</summary>
    public static bool IsMailbox(string mailbox, out bool nonAscii)
    {
        nonAscii = false;
        var at = mailbox.LastIndexOf('@');
        if (at <= 0 || at == mailbox.Length - 1)
        {
            return false;
        }

        var local = mailbox.AsSpan(0, at);
        var domain = mailbox.AsSpan(at + 1);
        if (local.Length > 64 * 4 || mailbox.Length > 254 * 4)
        {
            return false;
        }

        return IsLocalPart(local, ref nonAscii) && IsDomain(domain, ref nonAscii);
    }

    /// <summary>Whether <paramref name="path"/> is the bare reserved name postmaster (RFC 5321 4.1.1.3).</summary>
    public static bool IsBarePostmaster(string path) => string.Equals(path, "postmaster", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The local part with quoting undone ("phish" and phish name the same mailbox, RFC 5321 4.1.2),
    /// for comparison only.
    /// </summary>
    public static string UnquoteLocalPart(string local)
    {
        if (local.Length < 2 || local[0] != '"')
        {
            return local;
        }

        var builder = new System.Text.StringBuilder(local.Length);
        for (var i = 1; i < local.Length - 1; i++)
        {
            if (local[i] == '\\')
            {
                i++;
            }

            builder.Append(local[i]);
        }

        return builder.ToString();
    }

    private static bool IsLocalPart(ReadOnlySpan<char> local, ref bool nonAscii)
    {
        if (local[0] == '"')
        {
            if (local.Length < 2 || local[^1] != '"')
            {
                return false;
            }

            for (var i = 1; i < local.Length - 1; i++)
            {
                var c = local[i];
                if (c == '\\')
                {
                    i++;
                    if (i >= local.Length - 1 || local[i] < ' ' || local[i] == 127)
                    {
                        return false;
                    }
                }
                else if (c == '"' || c < ' ' || c == 127)
                {
                    return false;
                }
                else if (c > 127)
                {
                    nonAscii = true;
                }
            }

            return true;
        }

        var atomLength = 0;
        foreach (var c in local)
        {
            if (c == '.')
            {
                if (atomLength == 0)
                {
                    return false;
                }

                atomLength = 0;
            }
            else if (Atext.Contains(c))
            {
                atomLength++;
            }
            else if (c > 127 && !char.IsControl(c) && !char.IsWhiteSpace(c))
            {
                nonAscii = true;
                atomLength++;
            }
            else
            {
                return false;
            }
        }

        return atomLength > 0;
    }

    private static bool IsDomain(ReadOnlySpan<char> domain, ref bool nonAscii)
    {
        if (domain[0] == '[')
        {
            // An address literal: kept simple, printable ASCII without brackets or backslash.
            if (domain.Length < 3 || domain[^1] != ']')
            {
                return false;
            }

            foreach (var c in domain[1..^1])
            {
                if (c <= ' ' || c > '~' || c == '[' || c == ']' || c == '\\')
                {
                    return false;
                }
            }

            return true;
        }

        if (domain.Length > 255 * 4)
        {
            return false;
        }

        var labelLength = 0;
        var previous = '.';
        foreach (var c in domain)
        {
            if (c == '.')
            {
                if (labelLength == 0 || previous == '-')
                {
                    return false;
                }

                labelLength = 0;
            }
            else if (char.IsAsciiLetterOrDigit(c) || (c == '-' && labelLength > 0))
            {
                labelLength++;
            }
            else if (c > 127 && char.IsLetterOrDigit(c))
            {
                nonAscii = true;
                labelLength++;
            }
            else if (c > 127 && !char.IsControl(c) && !char.IsWhiteSpace(c) && !char.IsPunctuation(c))
            {
                // Combining marks and the like inside U-labels.
                nonAscii = true;
                labelLength++;
            }
            else
            {
                return false;
            }

            previous = c;
        }

        return labelLength > 0 && previous != '-';
    }
}
