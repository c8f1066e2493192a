using System.Text;

namespace Hookline.Imap.Protocol;

/// <summary>Buffers small writes to the server; large literals go straight to the stream.</summary>
internal sealed class ImapWriter
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private Stream _stream;
    private int _length;

    public ImapWriter(Stream stream)
    {
        _stream = stream;
    }

    public void SetStream(Stream stream)
    {
        _stream = stream;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.Length <= _buffer.Length - _length)
        {
            data.Span.CopyTo(_buffer.AsSpan(_length));
            _length += data.Length;
            return ValueTask.CompletedTask;
        }

        return WriteSlowAsync(data, cancellationToken);
    }

    public ValueTask WriteTextAsync(string text, CancellationToken cancellationToken)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        if (count <= _buffer.Length - _length)
        {
            _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
            return ValueTask.CompletedTask;
        }

        return WriteSlowAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            var length = _length;
            _length = 0;
            await _stream.WriteAsync(_buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }

        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteSlowAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (data.Length <= _buffer.Length / 2)
        {
            data.Span.CopyTo(_buffer);
            _length = data.Length;
        }
        else
        {
            await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        }
    }
}
