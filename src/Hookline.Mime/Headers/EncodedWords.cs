using System.Buffers;
using System.Text;

namespace Hookline.Mime.Headers;

/// <summary>
/// RFC 2047 encoded words (<c>=?charset?B|Q?text?=</c>, RFC 2231 section 5 language suffix allowed)
/// decoded inside header text, tolerant the way real mail needs:
/// <list type="bullet">
/// <item>white space between adjacent encoded words is dropped (RFC 2047 section 6.2);</item>
/// <item>adjacent words in the same charset are joined as bytes before decoding, so a multi-byte
/// character split across two words comes out whole;</item>
/// <item>words are found inside other words (<c>foo=?utf-8?q?x?=bar</c>) and inside quoted strings;</item>
/// <item>a malformed word is left as literal text; an unknown charset decodes as UTF-8 or Windows-1252;</item>
/// <item>line breaks are removed (unfolding, RFC 5322 section 2.2.3); raw 8-bit text is UTF-8 when valid,
/// Windows-1252 otherwise.</item>
/// </list>
/// Each byte is looked at a bounded number of times: decoding is linear in the input.
/// </summary>
internal static class EncodedWords
{
    /// <summary>Longest charset label (with language) accepted in a word.</summary>
    private const int MaxCharsetLength = 64;

    /// <summary>Where one well-formed encoded word sits in the raw bytes.</summary>
    private readonly struct Word
    {
        public Word(int charsetStart, int charsetLength, byte encoding, int textStart, int textLength, int end)
        {
            CharsetStart = charsetStart;
            CharsetLength = charsetLength;
            Encoding = encoding;
            TextStart = textStart;
            TextLength = textLength;
            End = end;
        }

        public int CharsetStart { get; }

        public int CharsetLength { get; }

        public byte Encoding { get; }

        public int TextStart { get; }

        public int TextLength { get; }

        public int End { get; }
    }

    /// <summary>True when the value may hold an encoded word.</summary>
    public static bool MayContain(ReadOnlySpan<byte> raw) => raw.IndexOf("=?"u8) >= 0;

    /// <summary>The index just after a well-formed encoded word starting at <paramref name="start"/>, or -1.</summary>
    public static int WordEnd(ReadOnlySpan<byte> raw, int start) =>
        start + 1 < raw.Length && raw[start] == (byte)'=' && raw[start + 1] == (byte)'?' && TryParse(raw, start, out var word) ? word.End : -1;

    /// <summary>Unfolds and decodes <paramref name="raw"/> into <paramref name="output"/>.</summary>
    public static void Decode(ReadOnlySpan<byte> raw, ref CharBuilder output)
    {
        var kind = CharBuilder.Classify(raw);
        byte[]? pending = null;
        var pendingLength = 0;
        var pendingCharset = default(ReadOnlySpan<byte>);
        var pendingActive = false;
        var textStart = 0;
        var i = 0;
        var base64 = default(Base64State);
        try
        {
            while (i < raw.Length)
            {
                var rel = raw[i..].IndexOf("=?"u8);
                if (rel < 0)
                {
                    break;
                }

                var p = i + rel;
                if (!TryParse(raw, p, out var word))
                {
                    i = p + 1;
                    continue;
                }

                var between = raw[textStart..p];
                var charset = CharsetOf(raw.Slice(word.CharsetStart, word.CharsetLength));
                var continuesRun = false;
                if (pendingActive && IsLinearWhiteSpace(between))
                {
                    continuesRun = Ascii.EqualsIgnoreCase(charset, pendingCharset);
                    if (!continuesRun)
                    {
                        output.AppendCharset(pending.AsSpan(0, pendingLength), pendingCharset);
                        pendingLength = 0;
                        pendingCharset = charset;
                    }
                }
                else
                {
                    if (pendingActive)
                    {
                        output.AppendCharset(pending.AsSpan(0, pendingLength), pendingCharset);
                        pendingLength = 0;
                    }

                    AppendUnfolded(between, kind, ref output);
                    pendingCharset = charset;
                    pendingActive = true;
                }

                pending ??= ArrayPool<byte>.Shared.Rent(raw.Length);
                var text = raw.Slice(word.TextStart, word.TextLength);
                if (word.Encoding is (byte)'B' or (byte)'b')
                {
                    // A word that ends mid-quantum, followed in the same run by one that completes the
                    // quantum, is one base64 text split in two (some mailers split at any character).
                    if (!continuesRun || base64.BitCount == 0 || (base64.Chars + CountBase64Chars(text)) % 4 != 0)
                    {
                        base64 = default;
                    }

                    pendingLength += DecodeB(text, pending.AsSpan(pendingLength), ref base64);
                }
                else
                {
                    base64 = default;
                    pendingLength += DecodeQ(text, pending.AsSpan(pendingLength));
                }
                i = textStart = word.End;
            }

            if (pendingActive)
            {
                output.AppendCharset(pending.AsSpan(0, pendingLength), pendingCharset);
            }

            AppendUnfolded(raw[textStart..], kind, ref output);
        }
        finally
        {
            if (pending is not null)
            {
                ArrayPool<byte>.Shared.Return(pending);
            }
        }
    }

    /// <summary>Appends raw text with its line breaks removed (the white space after a fold stays).</summary>
    public static void AppendUnfolded(ReadOnlySpan<byte> raw, RawTextKind kind, ref CharBuilder output)
    {
        while (!raw.IsEmpty)
        {
            var brk = raw.IndexOfAny((byte)'\r', (byte)'\n');
            if (brk < 0)
            {
                output.AppendRaw(raw, kind);
                return;
            }

            output.AppendRaw(raw[..brk], kind);
            raw = raw[(brk + 1)..];
        }
    }

    /// <summary>Recognises an encoded word starting at <paramref name="start"/> (which holds "=?").</summary>
    private static bool TryParse(ReadOnlySpan<byte> raw, int start, out Word word)
    {
        word = default;
        var charsetStart = start + 2;
        var j = charsetStart;
        while (j < raw.Length && raw[j] != (byte)'?')
        {
            if (j - charsetStart >= MaxCharsetLength || !IsCharsetByte(raw[j]))
            {
                return false;
            }

            j++;
        }

        var charsetLength = j - charsetStart;
        if (charsetLength == 0 || j + 2 >= raw.Length || raw[j + 2] != (byte)'?')
        {
            return false;
        }

        var encoding = raw[j + 1];
        if (encoding is not ((byte)'B' or (byte)'b' or (byte)'Q' or (byte)'q'))
        {
            return false;
        }

        var textStart = j + 3;
        var k = textStart;
        while (k < raw.Length && raw[k] != (byte)'?')
        {
            if (raw[k] is (byte)'\r' or (byte)'\n')
            {
                return false;
            }

            k++;
        }

        if (k + 1 >= raw.Length || raw[k + 1] != (byte)'=')
        {
            return false;
        }

        word = new Word(charsetStart, charsetLength, encoding, textStart, k - textStart, k + 2);
        return true;
    }

    private static bool IsCharsetByte(byte b) =>
        b > 0x20 && b < 0x7F && b is not ((byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'@'
            or (byte)',' or (byte)';' or (byte)'"' or (byte)'/' or (byte)'[' or (byte)']' or (byte)'=');

    /// <summary>The charset without an RFC 2231 language suffix ("utf-8*en" gives "utf-8").</summary>
    private static ReadOnlySpan<byte> CharsetOf(ReadOnlySpan<byte> label)
    {
        var star = label.IndexOf((byte)'*');
        return star < 0 ? label : label[..star];
    }

    private static bool IsLinearWhiteSpace(ReadOnlySpan<byte> span)
    {
        foreach (var b in span)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The "Q" encoding: "_" is a space, "=XX" a byte; a stray "=" is kept as written.</summary>
    internal static int DecodeQ(ReadOnlySpan<byte> text, Span<byte> output)
    {
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)'_')
            {
                output[n++] = (byte)' ';
            }
            else if (b == (byte)'=' && i + 2 < text.Length && HexValue(text[i + 1]) >= 0 && HexValue(text[i + 2]) >= 0)
            {
                output[n++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                i += 2;
            }
            else
            {
                output[n++] = b;
            }
        }

        return n;
    }

    /// <summary>Base64 decoding carried from one word to the next: pending bits and the count of characters read (mod 4).</summary>
    internal struct Base64State
    {
        public int Bits;
        public int BitCount;
        public int Chars;
    }

    /// <summary>The "B" encoding (base64), lenient: characters outside the alphabet are skipped, padding may be missing.</summary>
    internal static int DecodeB(ReadOnlySpan<byte> text, Span<byte> output)
    {
        var state = default(Base64State);
        return DecodeB(text, output, ref state);
    }

    private static int CountBase64Chars(ReadOnlySpan<byte> text)
    {
        var count = 0;
        foreach (var b in text)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'/' or (byte)'-' or (byte)'_' or (byte)'=')
            {
                count++;
            }
        }

        return count;
    }

    internal static int DecodeB(ReadOnlySpan<byte> text, Span<byte> output, ref Base64State state)
    {
        var n = 0;
        var bits = state.Bits;
        var bitCount = state.BitCount;
        var chars = state.Chars;
        foreach (var b in text)
        {
            int v;
            if (b >= (byte)'A' && b <= (byte)'Z')
            {
                v = b - 'A';
            }
            else if (b >= (byte)'a' && b <= (byte)'z')
            {
                v = b - 'a' + 26;
            }
            else if (b >= (byte)'0' && b <= (byte)'9')
            {
                v = b - '0' + 52;
            }
            else if (b is (byte)'+' or (byte)'-')
            {
                v = 62;
            }
            else if (b is (byte)'/' or (byte)'_')
            {
                v = 63;
            }
            else
            {
                if (b == (byte)'=')
                {
                    // Padding ends a quantum; anything after it starts afresh.
                    bits = 0;
                    bitCount = 0;
                    chars++;
                }

                continue;
            }

            chars++;
            bits = (bits << 6) | v;
            bitCount += 6;
            if (bitCount >= 8)
            {
                bitCount -= 8;
                output[n++] = (byte)(bits >> bitCount);
                bits &= (1 << bitCount) - 1;
            }
        }

        state.Bits = bits;
        state.BitCount = bitCount;
        state.Chars = chars & 3;
        return n;
    }

    internal static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => -1,
    };
}
