using System.Text;

namespace Hookline.Testing.Generation;

/// <summary>A growable byte buffer with the few appends mail writing needs (ASCII, UTF-8, CRLF).</summary>
public sealed class ByteSink
{
    private byte[] _buffer;

    public ByteSink(int capacity = 4096) => _buffer = new byte[Math.Max(16, capacity)];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Truncate(int length) => Length = Math.Min(Length, Math.Max(0, length));

    public ByteSink Append(byte value)
    {
        Ensure(1);
        _buffer[Length++] = value;
        return this;
    }

    public ByteSink Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(Length));
        Length += bytes.Length;
        return this;
    }

    /// <summary>Appends text as UTF-8 (ASCII text gives the same bytes).</summary>
    public ByteSink Append(string text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        Length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(Length));
        return this;
    }

    public ByteSink Append(string text, Encoding encoding)
    {
        var bytes = encoding.GetBytes(text);
        return Append(bytes);
    }

    public ByteSink Crlf() => Append((byte)'\r').Append((byte)'\n');

    public ByteSink Line(string text) => Append(text).Crlf();

    public ByteSink Repeat(ReadOnlySpan<byte> bytes, int count)
    {
        Ensure(checked(bytes.Length * count));
        for (var i = 0; i < count; i++)
        {
            bytes.CopyTo(_buffer.AsSpan(Length));
            Length += bytes.Length;
        }

        return this;
    }

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    private void Ensure(int extra)
    {
        var needed = (long)Length + extra;
        if (needed <= _buffer.Length)
        {
            return;
        }

        var size = Math.Max(needed, Math.Min((long)_buffer.Length * 2, Array.MaxLength));
        if (size > Array.MaxLength)
        {
            throw new InvalidOperationException("ByteSink cannot grow past the largest array.");
        }

        Array.Resize(ref _buffer, (int)size);
    }
}
