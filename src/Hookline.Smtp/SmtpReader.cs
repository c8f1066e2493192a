namespace Hookline.Smtp;

/// <summary>What reading a command line produced.</summary>
internal enum LineStatus
{
    /// <summary>A complete line.</summary>
    Line,

    /// <summary>The line was longer than allowed; it has been read and thrown away up to its end.</summary>
    TooLong,

    /// <summary>The client closed the connection.</summary>
    Closed,
}

/// <summary>What reading message data produced.</summary>
internal enum DataStatus
{
    /// <summary>The data ended with CRLF.CRLF and was kept.</summary>
    Complete,

    /// <summary>The data ended with CRLF.CRLF but was larger than allowed; only its length was counted.</summary>
    TooLarge,

    /// <summary>The data ended with CRLF.CRLF but held a CR or LF that was not part of a CRLF pair.</summary>
    BareLineBreak,

    /// <summary>The client closed the connection before the end of data.</summary>
    Closed,
}

/// <summary>
/// Buffered reading of an SMTP connection: command lines with a length limit, and DATA text up to
/// the one terminator RFC 5321 4.1.1.4 defines, CRLF "." CRLF. The stream can be swapped (STARTTLS),
/// which throws away whatever the client sent ahead.
/// </summary>
internal sealed class SmtpReader(Stream stream)
{
    private const byte CR = (byte)'\r';
    private const byte LF = (byte)'\n';
    private const byte Dot = (byte)'.';

    private readonly byte[] _buffer = new byte[64 * 1024];
    private Stream _stream = stream;
    private int _start;
    private int _end;

    /// <summary>Octets received but not yet consumed.</summary>
    public int Buffered => _end - _start;

    /// <summary>Continues on <paramref name="next"/> and discards everything buffered from the old stream.</summary>
    public void Replace(Stream next)
    {
        _stream = next;
        _start = _end = 0;
    }

    /// <summary>
    /// Reads one line ended by LF (a CR before it is removed). A line longer than
    /// <paramref name="maxLength"/> octets (CRLF included) is consumed to its end and reported as too long.
    /// </summary>
    public async ValueTask<(LineStatus Status, byte[] Line)> ReadLineAsync(int maxLength, CancellationToken cancellationToken)
    {
        var tooLong = false;
        var scanned = 0;
        while (true)
        {
            var window = _buffer.AsSpan(_start + scanned, _end - _start - scanned);
            var lf = window.IndexOf(LF);
            if (lf >= 0)
            {
                var length = scanned + lf;
                var lineEnd = _start + length;
                var line = Array.Empty<byte>();
                if (!tooLong && length + 1 <= maxLength)
                {
                    var contentEnd = length > 0 && _buffer[lineEnd - 1] == CR ? lineEnd - 1 : lineEnd;
                    line = _buffer.AsSpan(_start, contentEnd - _start).ToArray();
                }
                else
                {
                    tooLong = true;
                }

                _start = lineEnd + 1;
                return (tooLong ? LineStatus.TooLong : LineStatus.Line, line);
            }

            scanned += window.Length;
            if (scanned >= maxLength)
            {
                // Too long already: drop what we have (keeping nothing), and look for the end of the line.
                tooLong = true;
                _start = _end = 0;
                scanned = 0;
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return (LineStatus.Closed, []);
            }
        }
    }

    /// <summary>
    /// Reads message text after a 354 reply up to CRLF.CRLF, removing the leading dot of stuffed
    /// lines (RFC 5321 4.5.2). Only a CRLF that is a pair counts as a line end; a lone LF or CR never
    /// ends the data, and its presence is reported so the caller can refuse the message. Text beyond
    /// the spool's limit is counted but not kept. <paramref name="beforeRead"/> runs before each
    /// network read (it re-arms the data timeout).
    /// </summary>
    public async ValueTask<(DataStatus Status, long Size)> ReadDataAsync(MessageSpool output, Action beforeRead, CancellationToken cancellationToken)
    {
        var state = DataState.LineStart;
        var bareLineBreak = false;
        while (true)
        {
            while (_start < _end)
            {
                var b = _buffer[_start];
                switch (state)
                {
                    case DataState.Text:
                        {
                            // The fast path: copy everything up to the next CR or LF.
                            var span = _buffer.AsSpan(_start, _end - _start);
                            var stop = span.IndexOfAny(CR, LF);
                            if (stop < 0)
                            {
                                output.Write(span);
                                _start = _end;
                                continue;
                            }

                            output.Write(span[..stop]);
                            _start += stop;
                            b = _buffer[_start];
                            _start++;
                            output.Write(b);
                            if (b == CR)
                            {
                                state = DataState.AfterCR;
                            }
                            else
                            {
                                bareLineBreak = true;
                            }

                            continue;
                        }

                    case DataState.AfterCR:
                        if (b == LF)
                        {
                            _start++;
                            output.Write(b);
                            state = DataState.LineStart;
                        }
                        else
                        {
                            bareLineBreak = true;
                            state = DataState.Text;
                        }

                        continue;

                    case DataState.LineStart:
                        if (b == Dot)
                        {
                            _start++;
                            state = DataState.DotAtLineStart;
                        }
                        else
                        {
                            state = DataState.Text;
                        }

                        continue;

                    case DataState.DotAtLineStart:
                        if (b == CR)
                        {
                            _start++;
                            state = DataState.DotCR;
                        }
                        else
                        {
                            // A stuffed line: the dot is gone, the rest is text.
                            state = DataState.Text;
                        }

                        continue;

                    case DataState.DotCR:
                        if (b == LF)
                        {
                            _start++;
                            var status = output.Overflowed ? DataStatus.TooLarge : bareLineBreak ? DataStatus.BareLineBreak : DataStatus.Complete;
                            return (status, output.Length);
                        }

                        // "." CR followed by something else: a lone CR after a removed dot.
                        bareLineBreak = true;
                        output.Write(CR);
                        state = DataState.Text;
                        continue;
                }
            }

            beforeRead();
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return (DataStatus.Closed, output.Length);
            }
        }
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
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
        _end += read;
        return read > 0;
    }

    private enum DataState
    {
        LineStart,
        DotAtLineStart,
        DotCR,
        Text,
        AfterCR,
    }
}
