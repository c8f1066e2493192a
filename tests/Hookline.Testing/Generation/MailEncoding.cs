using System.Globalization;
using System.Text;

namespace Hookline.Testing.Generation;

/// <summary>The encoders a mail writer needs: base64 in lines, quoted-printable, RFC 2047 words, RFC 2231 values, folding.</summary>
public static class MailEncoding
{
    private const string Hex = "0123456789ABCDEF";

    static MailEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The .NET encoding for a charset label used by the generator.</summary>
    public static Encoding GetEncoding(string charset) => Encoding.GetEncoding(charset);

    /// <summary>Base64 in lines of <paramref name="lineLength"/> characters, each ended by CRLF.</summary>
    public static void Base64Lines(ReadOnlySpan<byte> data, ByteSink sink, int lineLength = 76)
    {
        var bytesPerLine = lineLength / 4 * 3;
        Span<byte> line = stackalloc byte[lineLength + 4];
        for (var i = 0; i < data.Length; i += bytesPerLine)
        {
            var chunk = data.Slice(i, Math.Min(bytesPerLine, data.Length - i));
            System.Buffers.Text.Base64.EncodeToUtf8(chunk, line, out _, out var written);
            sink.Append(line[..written]).Crlf();
        }
    }

    /// <summary>Quoted-printable (RFC 2045 6.7) with soft breaks so no line passes 76 characters; CRLF in the data stays a hard break.</summary>
    public static void QuotedPrintable(ReadOnlySpan<byte> data, ByteSink sink)
    {
        var column = 0;
        for (var i = 0; i < data.Length; i++)
        {
            var b = data[i];
            if (b == (byte)'\r' && i + 1 < data.Length && data[i + 1] == (byte)'\n')
            {
                sink.Crlf();
                column = 0;
                i++;
                continue;
            }

            var atLineEnd = i + 1 == data.Length || data[i + 1] == (byte)'\r';
            var literal = b is >= 33 and <= 126 && b != (byte)'=' || (b is (byte)' ' or (byte)'\t' && !atLineEnd);
            var width = literal ? 1 : 3;
            if (column + width > 75)
            {
                sink.Append((byte)'=').Crlf();
                column = 0;
            }

            if (literal)
            {
                sink.Append(b);
            }
            else
            {
                sink.Append((byte)'=').Append((byte)Hex[b >> 4]).Append((byte)Hex[b & 15]);
            }

            column += width;
        }
    }

    /// <summary>
    /// RFC 2047 encoded words for <paramref name="text"/>, space separated, each at most 75 characters.
    /// Words are cut between characters so each decodes on its own (ISO-2022-JP words each end in ASCII mode).
    /// </summary>
    public static string EncodedWords(string text, string charset, char encoding)
    {
        var enc = GetEncoding(charset);
        var overhead = charset.Length + 7;
        var budget = 75 - overhead;
        var result = new StringBuilder();
        var start = 0;
        while (start < text.Length)
        {
            var end = start;
            string? best = null;
            var bestEnd = start;
            while (end < text.Length)
            {
                var next = end + (char.IsHighSurrogate(text[end]) && end + 1 < text.Length ? 2 : 1);
                var candidate = EncodePayload(enc.GetBytes(text[start..next]), encoding);
                if (candidate.Length > budget && best is not null)
                {
                    break;
                }

                best = candidate;
                bestEnd = next;
                end = next;
            }

            if (result.Length > 0)
            {
                result.Append(' ');
            }

            result.Append("=?").Append(charset).Append('?').Append(encoding).Append('?').Append(best).Append("?=");
            start = bestEnd;
        }

        return result.ToString();
    }

    /// <summary>The RFC 2231 extended value charset''percent-encoded (without the charset part when <paramref name="withCharset"/> is false).</summary>
    public static string Rfc2231Value(ReadOnlySpan<byte> bytes, string charset, bool withCharset = true)
    {
        var sb = new StringBuilder();
        if (withCharset)
        {
            sb.Append(charset).Append("''");
        }

        foreach (var b in bytes)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'.' or (byte)'-' or (byte)'_')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 15]);
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// "Name: value" folded at white space so lines stay near <paramref name="width"/> characters,
    /// continuation lines starting with <paramref name="indent"/>. Long runs with no white space are
    /// cut hard (as DKIM signers do with base64), which is only safe where white space is ignored.
    /// </summary>
    public static void Header(ByteSink sink, string name, string value, int width = 78, string indent = " ", bool hardCut = false)
    {
        var line = name.Length + 2;
        sink.Append(name).Append(": "u8);
        var i = 0;
        while (i < value.Length)
        {
            var space = value.IndexOf(' ', i + 1);
            var wordEnd = space < 0 ? value.Length : space;
            var word = value.AsSpan(i, wordEnd - i);
            if (line + word.Length > width && line > indent.Length + 1 && word.Length > 0 && word[0] == ' ')
            {
                sink.Crlf().Append(indent);
                line = indent.Length;
                word = word[1..];
            }

            if (hardCut)
            {
                while (line + word.Length > width && width - line > 8)
                {
                    var take = width - line;
                    sink.Append(word[..take].ToString()).Crlf().Append(indent);
                    line = indent.Length;
                    word = word[take..];
                }
            }

            sink.Append(word.ToString());
            line += word.Length;
            i = wordEnd;
        }

        sink.Crlf();
    }

    public static string Q(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string EncodePayload(byte[] bytes, char encoding)
    {
        if (encoding is 'B' or 'b')
        {
            return Convert.ToBase64String(bytes);
        }

        var sb = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            if (b == (byte)' ')
            {
                sb.Append('_');
            }
            else if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'!' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'/')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('=').Append(Hex[b >> 4]).Append(Hex[b & 15]);
            }
        }

        return sb.ToString();
    }
}
