using System.Text;

namespace Hookline.Imap;

/// <summary>
/// The modified UTF-7 encoding of mailbox names (RFC 3501 section 5.1.3): printable US-ASCII stands for
/// itself except <c>&amp;</c>, written <c>&amp;-</c>; anything else is UTF-16 in modified BASE64
/// (<c>,</c> for <c>/</c>, no padding) between <c>&amp;</c> and <c>-</c>.
/// </summary>
public static class ImapUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    /// <summary>Encodes a mailbox name.</summary>
    public static string Encode(string name)
    {
        var output = new StringBuilder(name.Length + 8);
        var run = -1;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c is >= ' ' and <= '~')
            {
                if (run >= 0)
                {
                    AppendBase64(output, name.AsSpan(run, i - run));
                    run = -1;
                }

                output.Append(c);
                if (c == '&')
                {
                    output.Append('-');
                }
            }
            else if (run < 0)
            {
                run = i;
            }
        }

        if (run >= 0)
        {
            AppendBase64(output, name.AsSpan(run));
        }

        return output.ToString();
    }

    /// <summary>Decodes a mailbox name; throws <see cref="FormatException"/> when it is not modified UTF-7.</summary>
    public static string Decode(string encoded)
    {
        return TryDecode(encoded, out var name, out var error) ? name : throw new FormatException(error);
    }

    /// <summary>Decodes a mailbox name; false (with the reason) when it is not modified UTF-7.</summary>
    public static bool TryDecode(string encoded, out string name, out string error)
    {
        var output = new StringBuilder(encoded.Length);
        name = "";
        for (var i = 0; i < encoded.Length; i++)
        {
            var c = encoded[i];
            if (c is < ' ' or > '~')
            {
                error = $"character U+{(int)c:X4} at {i} is not printable US-ASCII";
                return false;
            }

            if (c != '&')
            {
                output.Append(c);
                continue;
            }

            var end = encoded.IndexOf('-', i + 1);
            if (end < 0)
            {
                error = $"the shift at {i} is not closed by '-'";
                return false;
            }

            if (end == i + 1)
            {
                output.Append('&');
                i = end;
                continue;
            }

            if (!AppendDecoded(output, encoded.AsSpan(i + 1, end - i - 1)))
            {
                error = $"the shifted run at {i} is not modified BASE64 of UTF-16";
                return false;
            }

            i = end;
        }

        name = output.ToString();
        error = "";
        return true;
    }

    private static void AppendBase64(StringBuilder output, ReadOnlySpan<char> utf16)
    {
        output.Append('&');
        int bits = 0, buffer = 0;
        foreach (var c in utf16)
        {
            buffer = (buffer << 16) | c;
            bits += 16;
            while (bits >= 6)
            {
                bits -= 6;
                output.Append(Alphabet[(buffer >> bits) & 0x3F]);
            }

            buffer &= (1 << bits) - 1;
        }

        if (bits > 0)
        {
            output.Append(Alphabet[(buffer << (6 - bits)) & 0x3F]);
        }

        output.Append('-');
    }

    private static bool AppendDecoded(StringBuilder output, ReadOnlySpan<char> run)
    {
        int bits = 0, buffer = 0;
        var start = output.Length;
        foreach (var c in run)
        {
            var value = c switch
            {
                >= 'A' and <= 'Z' => c - 'A',
                >= 'a' and <= 'z' => c - 'a' + 26,
                >= '0' and <= '9' => c - '0' + 52,
                '+' => 62,
                ',' => 63,
                _ => -1,
            };
            if (value < 0)
            {
                return false;
            }

            buffer = (buffer << 6) | value;
            bits += 6;
            if (bits >= 16)
            {
                bits -= 16;
                output.Append((char)((buffer >> bits) & 0xFFFF));
                buffer &= (1 << bits) - 1;
            }
        }

        // Leftover bits are padding: fewer than 6 and all zero.
        if (bits >= 6 || buffer != 0)
        {
            return false;
        }

        // A shifted run that decodes to printable ASCII is not the canonical form, but harmless; an empty one is wrong.
        return output.Length > start;
    }
}
