using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Hookline.Intake.Sources.Folder;

/// <summary>
/// Reads one file put in a drop folder the way a hostile folder requires: only a regular file with one
/// name is read; a symbolic link (to a 0600 file, to <c>hookline.yaml</c>), a second name of a file kept
/// elsewhere (a hard link), a FIFO, a device or a socket is refused without being opened or followed.
/// The file is opened without blocking (a FIFO swapped in after the check cannot stall the source),
/// checked again through the open handle (the same file as checked, still regular), and read up to a
/// byte limit whatever its size claims. A file whose size or modification time changed while it was
/// read is still being written: it is left for a later pass. A file owned by an account the folder does
/// not take files from (by default any but the one Hookline runs as, and root) is refused unread.
/// On Linux this uses <c>statx</c> and <c>open</c> (glibc); elsewhere the checks .NET offers (links
/// refused, the limit enforced on the bytes read).
/// </summary>
internal static class DropFile
{
    /// <summary>What reading a dropped file gave.</summary>
    internal abstract record Outcome
    {
        private Outcome()
        {
        }

        /// <summary>The file's bytes, and when it was last written.</summary>
        public sealed record Read(byte[] Bytes, DateTime LastWriteUtc) : Outcome;

        /// <summary>Not a file the folder takes (a link, a device, over the limit): moved to <c>failed/</c> with the reason.</summary>
        public sealed record Refused(string Reason) : Outcome;

        /// <summary>Changing while it was read, or gone: left where it is for a later pass.</summary>
        public sealed record NotYet : Outcome;
    }

    /// <summary>
    /// Reads <paramref name="path"/> if it is a regular file of at most <paramref name="maxBytes"/> bytes
    /// owned by one of <paramref name="owners"/> (null: the account this process runs as) or root.
    /// </summary>
    public static Outcome Read(string path, long maxBytes, IReadOnlyList<uint>? owners = null) =>
        Posix.Available ? ReadPosix(path, maxBytes, owners ?? [Posix.EffectiveUser]) : ReadPortable(path, maxBytes);

    private static Outcome ReadPosix(string path, long maxBytes, IReadOnlyList<uint> owners)
    {
        if (Posix.Stat(path, followLinks: false) is not { } named)
        {
            return new Outcome.NotYet();
        }

        if ((Refusal(named) ?? OwnerRefusal(named, owners)) is { } refusal)
        {
            return new Outcome.Refused(refusal);
        }

        if (named.Size > maxBytes)
        {
            return TooLarge(maxBytes, named.Size);
        }

        using var handle = Posix.OpenForReading(path);
        if (handle is null)
        {
            return new Outcome.NotYet();
        }

        if (Posix.Stat(handle) is not { } opened || opened.Device != named.Device || opened.Inode != named.Inode)
        {
            return new Outcome.Refused("replaced by another file while it was being opened: not read");
        }

        if ((Refusal(opened) ?? OwnerRefusal(opened, owners)) is { } openedRefusal)
        {
            return new Outcome.Refused(openedRefusal);
        }

        var bytes = ReadBounded(handle, maxBytes, out var over);
        if (over)
        {
            return TooLarge(maxBytes, Math.Max(opened.Size, maxBytes + 1));
        }

        return Posix.Stat(handle) is { } after && after.Size == opened.Size && after.ModifiedTicks == opened.ModifiedTicks && after.Size == bytes.Length
            ? new Outcome.Read(bytes, DateTime.UnixEpoch.AddTicks(opened.ModifiedTicks))
            : new Outcome.NotYet();
    }

    private static Outcome ReadPortable(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return new Outcome.NotYet();
        }

        if (info.LinkTarget is not null || info.Attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return new Outcome.Refused("a symbolic link: links are not followed");
        }

        if (info.Length > maxBytes)
        {
            return TooLarge(maxBytes, info.Length);
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var bytes = ReadBounded(handle, maxBytes, out var over);
        return over ? TooLarge(maxBytes, maxBytes + 1) : new Outcome.Read(bytes, info.LastWriteTimeUtc);
    }

    private static Outcome.Refused TooLarge(long maxBytes, long size) =>
        new($"larger than the limit of {maxBytes} bytes ({size} bytes)");

    /// <summary>Why a file of this kind is not taken, or null for a regular file with one name.</summary>
    private static string? Refusal(Posix.Status status) => status.Type switch
    {
        Posix.FileType.Regular when status.Links > 1 => $"has {status.Links} names (a hard link to a file kept elsewhere): not read",
        Posix.FileType.Regular => null,
        Posix.FileType.SymbolicLink => "a symbolic link: links are not followed",
        Posix.FileType.Fifo => "a FIFO (named pipe), not a regular file: not read",
        Posix.FileType.CharacterDevice or Posix.FileType.BlockDevice => "a device, not a regular file: not read",
        Posix.FileType.Socket => "a socket, not a regular file: not read",
        Posix.FileType.Directory => "a folder: only files at the top level are taken",
        _ => "not a regular file: not read",
    };

    /// <summary>Why a file of this owner is not taken, or null when root or one of <paramref name="owners"/> owns it.</summary>
    private static string? OwnerRefusal(Posix.Status status, IReadOnlyList<uint> owners) =>
        status.Owner == 0 || owners.Contains(status.Owner)
            ? null
            : $"owned by user id {status.Owner}, not by an account this folder takes files from ({string.Join(", ", owners)}; the source's owners): not read";

    /// <summary>Reads from the start up to <paramref name="maxBytes"/>; <paramref name="over"/> when there was more.</summary>
    private static byte[] ReadBounded(SafeFileHandle handle, long maxBytes, out bool over)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        long offset = 0;
        while (true)
        {
            var wanted = (int)Math.Min(chunk.Length, maxBytes + 1 - offset);
            var read = RandomAccess.Read(handle, chunk.AsSpan(0, wanted), offset);
            if (read == 0)
            {
                over = false;
                return buffer.ToArray();
            }

            offset += read;
            if (offset > maxBytes)
            {
                over = true;
                return [];
            }

            buffer.Write(chunk, 0, read);
        }
    }

    /// <summary>The few Linux calls the checks need: <c>statx</c> (whose layout is the same on every architecture) and a non-blocking <c>open</c>.</summary>
    internal static class Posix
    {
        private const int AtFdCwd = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const int AtEmptyPath = 0x1000;
        private const uint StatxBasicStats = 0x7ff;
        private const int StatxSize = 256;
        private const int OpenReadOnly = 0;
        private const int OpenNonBlocking = 0x800;
        private const int OpenCloseOnExec = 0x80000;

        public static readonly bool Available = Probe();

        internal enum FileType
        {
            Other,
            Fifo,
            CharacterDevice,
            Directory,
            BlockDevice,
            Regular,
            SymbolicLink,
            Socket,
        }

        internal readonly record struct Status(FileType Type, uint Links, long Size, ulong Device, ulong Inode, long ModifiedTicks, uint Owner);

        /// <summary>The user id this process acts as.</summary>
        public static uint EffectiveUser => GetEffectiveUser();

        /// <summary>The status of the path itself (a link's own, unless <paramref name="followLinks"/>); null when it is gone.</summary>
        public static Status? Stat(string path, bool followLinks)
        {
            var buffer = new byte[StatxSize];
            return StatX(AtFdCwd, path, followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer) == 0 ? Parse(buffer) : null;
        }

        /// <summary>The status of an open file.</summary>
        public static Status? Stat(SafeFileHandle handle)
        {
            var buffer = new byte[StatxSize];
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return StatX((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath, StatxBasicStats, buffer) == 0 ? Parse(buffer) : null;
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        /// <summary>Opens for reading without blocking (a FIFO does not wait for a writer); null when it is gone.</summary>
        public static SafeFileHandle? OpenForReading(string path)
        {
            var descriptor = Open(path, OpenReadOnly | OpenNonBlocking | OpenCloseOnExec);
            return descriptor < 0 ? null : new SafeFileHandle(descriptor, ownsHandle: true);
        }

        private static Status Parse(ReadOnlySpan<byte> statx)
        {
            // struct statx: stx_nlink at 16, stx_uid at 20, stx_mode (u16) at 28, stx_ino at 32, stx_size at 40,
            // stx_mtime (tv_sec i64, tv_nsec u32) at 112, stx_dev_major/minor (u32) at 136/140.
            var mode = BinaryPrimitives.ReadUInt16LittleEndian(statx[28..]);
            var type = (mode & 0xF000) switch
            {
                0x1000 => FileType.Fifo,
                0x2000 => FileType.CharacterDevice,
                0x4000 => FileType.Directory,
                0x6000 => FileType.BlockDevice,
                0x8000 => FileType.Regular,
                0xA000 => FileType.SymbolicLink,
                0xC000 => FileType.Socket,
                _ => FileType.Other,
            };
            var seconds = BinaryPrimitives.ReadInt64LittleEndian(statx[112..]);
            var nanoseconds = BinaryPrimitives.ReadUInt32LittleEndian(statx[120..]);
            var device = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(statx[136..]) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(statx[140..]);
            return new Status(
                type,
                BinaryPrimitives.ReadUInt32LittleEndian(statx[16..]),
                BinaryPrimitives.ReadInt64LittleEndian(statx[40..]),
                device,
                BinaryPrimitives.ReadUInt64LittleEndian(statx[32..]),
                (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100),
                BinaryPrimitives.ReadUInt32LittleEndian(statx[20..]));
        }

        private static bool Probe()
        {
            if (!OperatingSystem.IsLinux() || !BitConverter.IsLittleEndian)
            {
                return false;
            }

            try
            {
                return Stat("/", followLinks: false) is { Type: FileType.Directory };
            }
            catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int StatX(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

        [DllImport("libc", EntryPoint = "geteuid")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern uint GetEffectiveUser();

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);
    }
}
