using System.Buffers;
using System.Text;
using Hookline.Mime.Text;

namespace Hookline.Mime.Headers;

/// <summary>How the raw (unlabelled) bytes of one header value are to be read: decided once per value.</summary>
internal enum RawTextKind
{
    Ascii,
    Utf8,
    Windows1252,
}

/// <summary>A growable char buffer that starts on the stack and falls back to pooled arrays.</summary>
internal ref struct CharBuilder
{
    private char[]? _rented;
    private Span<char> _chars;
    private int _length;

    public CharBuilder(Span<char> initial)
    {
        _rented = null;
        _chars = initial;
        _length = 0;
    }

    public readonly int Length => _length;

    public readonly ReadOnlySpan<char> AsSpan() => _chars[.._length];

    public void Append(char c)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = c;
    }

    public void Append(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(_chars[_length..]);
        _length += text.Length;
    }

    /// <summary>Appends bytes read as the given raw kind (no line breaks are removed here).</summary>
    public void AppendRaw(ReadOnlySpan<byte> bytes, RawTextKind kind)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        switch (kind)
        {
            case RawTextKind.Ascii:
                EnsureRoom(bytes.Length);
                Ascii.ToUtf16(bytes, _chars[_length..], out var written);
                _length += written;
                break;
            case RawTextKind.Utf8:
                AppendEncoded(bytes, Charsets.Utf8);
                break;
            default:
                AppendEncoded(bytes, Charsets.Windows1252);
                break;
        }
    }

    /// <summary>Appends bytes decoded with an encoding (replacement fallback: never throws).</summary>
    public void AppendEncoded(ReadOnlySpan<byte> bytes, Encoding encoding)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        var count = encoding.GetCharCount(bytes);
        EnsureRoom(count);
        _length += encoding.GetChars(bytes, _chars[_length..]);
    }

    /// <summary>Appends bytes in a labelled charset, with the fallbacks of <see cref="Charsets.Decode"/>.</summary>
    public void AppendCharset(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> charset)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (IsUnlabelledLike(charset))
        {
            AppendRaw(bytes, Classify(bytes));
            return;
        }

        var encoding = Hookline.Mime.Text.Charsets.GetEncoding(Encoding.ASCII.GetString(charset));
        if (encoding is null || encoding.CodePage is 20127 or 65001)
        {
            AppendRaw(bytes, Classify(bytes));
            return;
        }

        AppendEncoded(bytes, encoding);
    }

    public override readonly string ToString() => _chars[.._length].ToString();

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
            _rented = null;
        }
    }

    /// <summary>The kind that decodes these unlabelled bytes: ASCII, else UTF-8 if valid, else Windows-1252.</summary>
    public static RawTextKind Classify(ReadOnlySpan<byte> bytes)
    {
        if (Ascii.IsValid(bytes))
        {
            return RawTextKind.Ascii;
        }

        return System.Text.Unicode.Utf8.IsValid(bytes) ? RawTextKind.Utf8 : RawTextKind.Windows1252;
    }

    private static bool IsUnlabelledLike(ReadOnlySpan<byte> charset) =>
        charset.IsEmpty
        || Ascii.EqualsIgnoreCase(charset, "utf-8"u8)
        || Ascii.EqualsIgnoreCase(charset, "utf8"u8)
        || Ascii.EqualsIgnoreCase(charset, "us-ascii"u8);

    private void EnsureRoom(int extra)
    {
        if (_length + extra > _chars.Length)
        {
            Grow(extra);
        }
    }

    private void Grow(int extra)
    {
        var size = Math.Max(_chars.Length * 2, _length + extra);
        size = Math.Max(size, 64);
        var next = ArrayPool<char>.Shared.Rent(size);
        _chars[.._length].CopyTo(next);
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
        }

        _rented = next;
        _chars = next;
    }
}
