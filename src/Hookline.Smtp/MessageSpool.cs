namespace Hookline.Smtp;

/// <summary>
/// The text of one message as it arrives in DATA: kept in memory up to a threshold, then in a spool
/// file (created 0600, deleted when the spool is disposed, or by the system when the process dies), so
/// a session's memory does not grow with the message however slowly it is sent. Past the size limit
/// bytes are counted, not kept. <see cref="ToArray"/> gives the message in one array of its exact size
/// (no doubling buffers), only when it is handed over.
/// </summary>
internal sealed class MessageSpool(long limit, int memoryThreshold, string directory) : IDisposable
{
    private byte[] _memory = new byte[(int)Math.Min(Math.Min(limit, memoryThreshold), 64 * 1024)];
    private FileStream? _file;

    /// <summary>Octets written, kept or not.</summary>
    public long Length { get; private set; }

    public bool Overflowed => Length > limit;

    /// <summary>Whether the text went past the memory threshold into a file.</summary>
    public bool Spooled => _file is not null;

    public void Write(byte b) => Write([b]);

    public void Write(ReadOnlySpan<byte> span)
    {
        var newLength = Length + span.Length;
        if (newLength > limit)
        {
            if (!Overflowed)
            {
                Discard();
            }

            Length = newLength;
            return;
        }

        if (_file is not null)
        {
            _file.Write(span);
        }
        else if (newLength <= memoryThreshold)
        {
            if (newLength > _memory.Length)
            {
                Array.Resize(ref _memory, (int)Math.Min(memoryThreshold, Math.Max(newLength, (long)_memory.Length * 2)));
            }

            span.CopyTo(_memory.AsSpan((int)Length));
        }
        else
        {
            _file = CreateFile();
            _file.Write(_memory, 0, (int)Length);
            _file.Write(span);
            _memory = [];
        }

        Length = newLength;
    }

    /// <summary>The kept text; empty when it overflowed.</summary>
    public byte[] ToArray()
    {
        if (Overflowed)
        {
            return [];
        }

        if (_file is null)
        {
            return _memory.AsSpan(0, (int)Length).ToArray();
        }

        _file.Flush();
        var bytes = GC.AllocateUninitializedArray<byte>((int)Length);
        _file.Position = 0;
        _file.ReadExactly(bytes);
        return bytes;
    }

    public void Dispose() => Discard();

    private void Discard()
    {
        _memory = [];
        _file?.Dispose();
        _file = null;
    }

    private FileStream CreateFile()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            // Spooled mail is a report in the making: the folder is the owner's alone, like the data folder.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var path = Path.Combine(directory, $"smtp-{Guid.NewGuid():N}.spool");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose,
            BufferSize = 64 * 1024,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }
}
