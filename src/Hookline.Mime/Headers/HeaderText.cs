using System.Buffers;
using Hookline.Mime.Text;

namespace Hookline.Mime.Headers;

/// <summary>
/// Turns raw header values into text: unfolds them (RFC 5322 section 2.2.3), decodes RFC 2047
/// encoded words (see <see cref="EncodedWords"/>) and reads raw 8-bit bytes as UTF-8 (RFC 6532)
/// when valid, Windows-1252 otherwise. Never throws; linear in the input.
/// </summary>
public static class HeaderText
{
    /// <summary>Decodes an unstructured value (Subject, Comments, ...), trimmed. Never throws.</summary>
    public static string DecodeUnstructured(ReadOnlySpan<byte> rawValue)
    {
        var raw = TrimWhiteSpace(rawValue);
        if (raw.IsEmpty)
        {
            return string.Empty;
        }

        if (raw.IndexOfAny((byte)'\r', (byte)'\n') < 0 && !EncodedWords.MayContain(raw))
        {
            // The common case: one line, no encoded word.
            return Charsets.DecodeUnlabelled(raw);
        }

        var output = new CharBuilder(stackalloc char[256]);
        try
        {
            EncodedWords.Decode(raw, ref output);
            return output.AsSpan().Trim().ToString();
        }
        finally
        {
            output.Dispose();
        }
    }

    /// <summary>
    /// Decodes a phrase (a display name): quoted strings lose their quotes and quoted-pairs are
    /// unescaped, and encoded words are decoded, also inside quotes as Outlook writes them.
    /// Parentheses are kept as text: callers that parse structure remove comments first.
    /// </summary>
    public static string DecodePhrase(ReadOnlySpan<byte> rawValue)
    {
        var raw = TrimWhiteSpace(rawValue);
        if (raw.IndexOfAny((byte)'"', (byte)'\\') < 0)
        {
            return DecodeUnstructured(raw);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var n = 0;
            var inQuote = false;
            for (var i = 0; i < raw.Length; i++)
            {
                var b = raw[i];
                if (b == (byte)'"')
                {
                    inQuote = !inQuote;
                }
                else if (b == (byte)'\\' && inQuote && i + 1 < raw.Length)
                {
                    buffer[n++] = raw[++i];
                }
                else
                {
                    buffer[n++] = b;
                }
            }

            return DecodeUnstructured(buffer.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes the inside of a comment (without its parentheses): quoted-pairs unescaped, encoded words decoded.</summary>
    public static string DecodeComment(ReadOnlySpan<byte> rawValue)
    {
        var raw = TrimWhiteSpace(rawValue);
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return DecodeUnstructured(raw);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var n = 0;
            for (var i = 0; i < raw.Length; i++)
            {
                buffer[n++] = raw[i] == (byte)'\\' && i + 1 < raw.Length ? raw[++i] : raw[i];
            }

            return DecodeUnstructured(buffer.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes text that was already turned into chars (a parameter value), decoding any encoded words in it.</summary>
    internal static string DecodeEncodedWordsIn(string text)
    {
        if (text.IndexOf("=?", StringComparison.Ordinal) < 0)
        {
            return text;
        }

        // UTF-8 of any string is valid UTF-8, so the text outside the words comes back unchanged.
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        return DecodeUnstructured(bytes);
    }

    /// <summary>RFC 5322 3.2.2: a line break followed by white space is unfolded by removing the break.</summary>
    public static string Unfold(string text)
    {
        if (text.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            return text;
        }

        return text.Replace("\r\n", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
    }

    internal static ReadOnlySpan<byte> TrimWhiteSpace(ReadOnlySpan<byte> raw)
    {
        var start = 0;
        while (start < raw.Length && IsWhiteSpace(raw[start]))
        {
            start++;
        }

        var end = raw.Length;
        while (end > start && IsWhiteSpace(raw[end - 1]))
        {
            end--;
        }

        return raw[start..end];
    }

    internal static bool IsWhiteSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
}
