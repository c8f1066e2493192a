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
