using System.Globalization;

namespace Hookline.Imap.Protocol;

/// <summary>
/// Reads whole responses from the server: a line, and when it ends with a literal announcement
/// (<c>{n}</c>) the n bytes and the rest of the response, until a line ends without one. Each literal is
/// read straight into one array of its announced size. Lines are bounded by <c>maxLineLength</c>
/// (counted over all of a response's lines), literals by <c>maxLiteralSize</c>.
/// </summary>
internal sealed class ImapResponseReader
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly int _maxLineLength;
    private readonly long _maxLiteralSize;
    private readonly List<byte[]> _literals = [];
    private Stream _stream;
    private byte[] _line = new byte[4096];
    private int _lineLength;
    private int _start;
    private int _end;

    public ImapResponseReader(Stream stream, int maxLineLength, long maxLiteralSize)
    {
        _stream = stream;
        _maxLineLength = maxLineLength;
        _maxLiteralSize = Math.Min(maxLiteralSize, Array.MaxLength);
    }

    /// <summary>Stands in for a literal that was read and dropped (see <see cref="Allowance"/>); the parser gives it as <see cref="ImapValue.DroppedLiteral"/>.</summary>
    internal static readonly byte[] Dropped = new byte[1]; // its own instance (an empty literal is Array.Empty): only its identity matters

    /// <summary>
    /// While set (for one command), each literal is counted against it on its real size, as it arrives;
    /// one that does not fit is read and dropped, never held, whatever the server said of its size before.
    /// </summary>
    public LiteralAllowance? Allowance { get; set; }

    /// <summary>Bytes received but not yet read as a response.</summary>
    public int BufferedCount => _end - _start;

    /// <summary>Replaces the stream (after STARTTLS). Only when nothing is buffered.</summary>
    public void SetStream(Stream stream)
    {
        _stream = stream;
    }

    public async ValueTask<ImapResponse> ReadAsync(CancellationToken cancellationToken)
    {
        _lineLength = 0;
        _literals.Clear();
        while (true)
        {
            var segmentStart = _lineLength;
            await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var size = LiteralAtEnd(_line.AsSpan(segmentStart, _lineLength - segmentStart));
            if (size < 0)
            {
                break;
            }

            if (Allowance is { } allowance && !allowance.TryTake(size))
            {
                await SkipAsync(size, cancellationToken).ConfigureAwait(false);
                _literals.Add(Dropped);
                continue;
            }

            if (size > _maxLiteralSize)
            {
                throw new ImapProtocolException(
                    $"The server announced a literal of {size.ToString(CultureInfo.InvariantCulture)} bytes; the limit is {_maxLiteralSize.ToString(CultureInfo.InvariantCulture)}.");
            }

            var literal = size == 0 ? [] : GC.AllocateUninitializedArray<byte>((int)size);
            await ReadExactlyAsync(literal, cancellationToken).ConfigureAwait(false);
            _literals.Add(literal);
        }

        return ImapResponseParser.Parse(_line.AsSpan(0, _lineLength), _literals);
    }

    /// <summary>The size announced by a <c>{n}</c> or <c>{n+}</c> at the end of a line, or -1.</summary>
    internal static long LiteralAtEnd(ReadOnlySpan<byte> line)
    {
        var end = line.Length;
        if (end > 0 && line[end - 1] == '\n')
        {
            end--;
        }

        if (end > 0 && line[end - 1] == '\r')
        {
            end--;
        }

        if (end < 3 || line[end - 1] != '}')
        {
            return -1;
        }

        var i = end - 2;
        if (line[i] == '+')
        {
            i--;
        }

        var digitsEnd = i + 1;
        while (i >= 0 && char.IsAsciiDigit((char)line[i]))
        {
            i--;
        }

        if (i < 0 || line[i] != '{' || i + 1 == digitsEnd)
        {
            return -1;
        }

        var digits = line[(i + 1)..digitsEnd];
        if (digits.Length > 15)
        {
            throw new ImapProtocolException("The server announced a literal with an absurd size.");
        }

        long size = 0;
        foreach (var d in digits)
        {
            size = (size * 10) + (d - '0');
        }

        return size;
    }

    private async ValueTask ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var lf = available.IndexOf((byte)'\n');
            var take = lf >= 0 ? lf + 1 : available.Length;
            if (_lineLength + take > _maxLineLength)
            {
                throw new ImapProtocolException(
                    $"The server sent a response line longer than {_maxLineLength.ToString(CultureInfo.InvariantCulture)} bytes.");
            }

            if (_lineLength + take > _line.Length)
            {
                Array.Resize(ref _line, Math.Min(Math.Max(_line.Length * 2, _lineLength + take), _maxLineLength));
            }

            available[..take].CopyTo(_line.AsSpan(_lineLength));
            _lineLength += take;
            _start += take;
            if (lf >= 0)
            {
                return;
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new ImapException("The server closed the connection.");
        }

        _end += read;
    }

    /// <summary>Reads <paramref name="count"/> bytes and throws them away (through the 64 KB buffer: nothing grows).</summary>
    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    private async ValueTask ReadExactlyAsync(byte[] target, CancellationToken cancellationToken)
    {
        var fromBuffer = Math.Min(target.Length, _end - _start);
        Buffer.BlockCopy(_buffer, _start, target, 0, fromBuffer);
        _start += fromBuffer;
        var done = fromBuffer;
        while (done < target.Length)
        {
            var read = await _stream.ReadAsync(target.AsMemory(done), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new ImapException("The server closed the connection in the middle of a literal.");
            }

            done += read;
        }
    }
}

/// <summary>
/// The literal bytes one command may bring: each literal at most <paramref name="perLiteral"/>, and all
/// together at most <paramref name="total"/> (the first one that fits the first limit is always taken,
/// so a batch always makes progress). Counted on the literals' real sizes, not on what the server
/// said earlier (RFC822.SIZE).
/// </summary>
public sealed class LiteralAllowance(long perLiteral, long total)
{
    private long _taken;
    private int _count;

    public long PerLiteral { get; } = perLiteral;

    /// <summary>Counts a literal of <paramref name="size"/> bytes if it fits; false (nothing counted) if it does not.</summary>
    public bool TryTake(long size)
    {
        if (size > PerLiteral || (_count > 0 && _taken + size > total))
        {
            return false;
        }

        _taken += size;
        _count++;
        return true;
    }
}
