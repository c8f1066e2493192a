using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Hookline.Reports.Analysis.Attachments;

/// <summary>One entry of a ZIP central directory, as declared (sizes are the archive's claims, not measured).</summary>
public sealed record ZipEntry(string Name, long CompressedSize, long UncompressedSize, int Method, bool Encrypted, long LocalHeaderOffset)
{
    public bool IsDirectory => Name.EndsWith('/') || Name.EndsWith('\\');

    /// <summary>Declared uncompressed size over compressed size (0 when nothing is compressed).</summary>
    public double Ratio => CompressedSize <= 0 ? (UncompressedSize > 0 ? double.PositiveInfinity : 0) : (double)UncompressedSize / CompressedSize;
}

/// <summary>What a ZIP's directory says: its entries (at most <see cref="ZipReader.MaxEntries"/>), what the end record claims, and damage.</summary>
public sealed class ZipListing
{
    public List<ZipEntry> Entries { get; } = [];

    /// <summary>The entry count the end of central directory record (or its Zip64 form) claims.</summary>
    public ulong ClaimedEntries { get; set; }

    /// <summary>The directory could not be read to its end (truncated, damaged, or past the entry limit).</summary>
    public bool Truncated { get; set; }

    /// <summary>No central directory was found: entries were read from local headers instead.</summary>
    public bool FromLocalHeaders { get; set; }

    /// <summary>Sum of the declared uncompressed sizes (saturating).</summary>
    public long TotalUncompressed { get; set; }

    public List<string> Problems { get; } = [];
}

/// <summary>
/// A bounded reader of ZIP archives (PKWARE APPNOTE 6.3): the end of central directory record (and
/// Zip64's), the central directory, local headers as a fallback; entry data (stored or deflated) only
/// on request and only up to a limit. Never throws on content; never trusts a declared count or size
/// for allocation or looping.
/// </summary>
public static class ZipReader
{
    /// <summary>Entries read at most.</summary>
    public const int MaxEntries = 10_000;

    private const uint LocalSignature = 0x04034B50;
    private const uint CentralSignature = 0x02014B50;
    private const uint EndSignature = 0x06054B50;
    private const uint Zip64EndSignature = 0x06064B50;
    private const uint Zip64LocatorSignature = 0x07064B50;

    /// <summary>Reads the directory; null when the data is not a ZIP at all.</summary>
    public static ZipListing? List(ReadOnlySpan<byte> data)
    {
        var end = FindEnd(data);
        if (end < 0)
        {
            if (data.Length < 4 || BinaryPrimitives.ReadUInt32LittleEndian(data) != LocalSignature)
            {
                return null;
            }

            var fallback = new ZipListing { FromLocalHeaders = true, Truncated = true };
            fallback.Problems.Add("no end of central directory record: entries read from local headers");
            ReadLocalHeaders(data, fallback);
            return fallback;
        }

        var listing = new ZipListing();
        ulong claimed = BinaryPrimitives.ReadUInt16LittleEndian(data[(end + 10)..]);
        ulong directorySize = BinaryPrimitives.ReadUInt32LittleEndian(data[(end + 12)..]);
        ulong directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(data[(end + 16)..]);
        var directoryEnd = (long)end;

        if ((claimed == 0xFFFF || directorySize == 0xFFFFFFFF || directoryOffset == 0xFFFFFFFF) && end >= 20
            && BinaryPrimitives.ReadUInt32LittleEndian(data[(end - 20)..]) == Zip64LocatorSignature)
        {
            var zip64End = BinaryPrimitives.ReadUInt64LittleEndian(data[(end - 20 + 8)..]);
            if (zip64End <= (ulong)(end - 56) && BinaryPrimitives.ReadUInt32LittleEndian(data[(int)zip64End..]) == Zip64EndSignature)
            {
                var record = data[(int)zip64End..];
                claimed = BinaryPrimitives.ReadUInt64LittleEndian(record[32..]);
                directorySize = BinaryPrimitives.ReadUInt64LittleEndian(record[40..]);
                directoryOffset = BinaryPrimitives.ReadUInt64LittleEndian(record[48..]);
                directoryEnd = (long)zip64End;
            }
            else
            {
                listing.Problems.Add("Zip64 locator points nowhere");
            }
        }

        listing.ClaimedEntries = claimed;

        // The directory ends where the end record starts; data prepended to the archive (self-extractors,
        // polyglots) shifts the recorded offset, so trust the position when the offset does not hold a directory.
        var start = directoryOffset;
        if (start >= (ulong)directoryEnd || BinaryPrimitives.ReadUInt32LittleEndian(data[(int)start..]) != CentralSignature)
        {
            var shifted = directorySize <= (ulong)directoryEnd ? (ulong)directoryEnd - directorySize : ulong.MaxValue;
            if (shifted < (ulong)directoryEnd && BinaryPrimitives.ReadUInt32LittleEndian(data[(int)shifted..]) == CentralSignature)
            {
                listing.Problems.Add("central directory is not at its recorded offset (data before the archive)");
                start = shifted;
            }
            else if (claimed > 0)
            {
                listing.Problems.Add("central directory not found at its recorded offset");
                listing.Truncated = true;
                listing.FromLocalHeaders = true;
                ReadLocalHeaders(data, listing);
                return listing;
            }
        }

        ReadCentral(data, (int)start, (int)directoryEnd, listing);
        if ((ulong)listing.Entries.Count < claimed && !listing.Truncated)
        {
            listing.Truncated = true;
            listing.Problems.Add($"directory claims {claimed} entries, {listing.Entries.Count} present");
        }

        return listing;
    }

    /// <summary>
    /// The entry's data, decompressed (stored or deflate only), at most <paramref name="maxBytes"/>
    /// bytes; null when it cannot be read (encrypted, other method, damaged).
    /// </summary>
    public static byte[]? Extract(ReadOnlyMemory<byte> archive, ZipEntry entry, int maxBytes)
    {
        if (entry.Encrypted || !TryFindData(archive.Span, entry, out var dataStart, out var compressedLength))
        {
            return null;
        }

        var compressed = archive.Slice(dataStart, compressedLength);
        try
        {
            switch (entry.Method)
            {
                case 0:
                    return compressed[..Math.Min(compressed.Length, maxBytes)].ToArray();
                case 8:
                    using (var input = new MemoryStream(compressed.ToArray(), writable: false))
                    using (var inflater = new DeflateStream(input, CompressionMode.Decompress))
                    {
                        return ReadBounded(inflater, maxBytes);
                    }

                default:
                    return null;
            }
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The entry's data as stored in the archive (compressed), or empty when its local header cannot be found.</summary>
    public static ReadOnlyMemory<byte> CompressedData(ReadOnlyMemory<byte> archive, ZipEntry entry) =>
        TryFindData(archive.Span, entry, out var start, out var length) ? archive.Slice(start, length) : ReadOnlyMemory<byte>.Empty;

    private static bool TryFindData(ReadOnlySpan<byte> data, ZipEntry entry, out int start, out int length)
    {
        start = length = 0;
        if (entry.LocalHeaderOffset < 0 || entry.LocalHeaderOffset > data.Length - 30
            || BinaryPrimitives.ReadUInt32LittleEndian(data[(int)entry.LocalHeaderOffset..]) != LocalSignature)
        {
            return false;
        }

        var local = data[(int)entry.LocalHeaderOffset..];
        var dataStart = entry.LocalHeaderOffset + 30L + BinaryPrimitives.ReadUInt16LittleEndian(local[26..]) + BinaryPrimitives.ReadUInt16LittleEndian(local[28..]);
        if (dataStart > data.Length)
        {
            return false;
        }

        var available = data.Length - dataStart;
        start = (int)dataStart;
        length = (int)Math.Min(available, entry.CompressedSize > 0 ? entry.CompressedSize : available);
        return true;
    }

    /// <summary>Reads a stream to its end or to <paramref name="maxBytes"/>, whichever comes first.</summary>
    public static byte[] ReadBounded(Stream stream, int maxBytes)
    {
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        while (output.Length < maxBytes)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, maxBytes - output.Length));
            if (read <= 0)
            {
                break;
            }

            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    private static int FindEnd(ReadOnlySpan<byte> data)
    {
        // The end record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
        var lowest = Math.Max(0, data.Length - 22 - 0xFFFF);
        for (var position = data.Length - 22; position >= lowest; position--)
        {
            var found = data[lowest..(position + 4)].LastIndexOf("PK\u0005\u0006"u8);
            if (found < 0)
            {
                return -1;
            }

            position = lowest + found;
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(data[(position + 20)..]);
            if (position + 22 + commentLength <= data.Length)
            {
                return position;
            }
        }

        return -1;
    }

    private static void ReadCentral(ReadOnlySpan<byte> data, int position, int end, ZipListing listing)
    {
        while (position <= end - 46 && BinaryPrimitives.ReadUInt32LittleEndian(data[position..]) == CentralSignature)
        {
            if (listing.Entries.Count >= MaxEntries)
            {
                listing.Truncated = true;
                listing.Problems.Add($"more than {MaxEntries} entries; the rest were not read");
                return;
            }

            var record = data[position..];
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(record[8..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(record[20..]);
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(record[24..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(record[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(record[30..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(record[32..]);
            long localOffset = BinaryPrimitives.ReadUInt32LittleEndian(record[42..]);
            var total = 46 + nameLength + extraLength + commentLength;
            if (position + total > data.Length)
            {
                listing.Truncated = true;
                listing.Problems.Add("central directory record runs past the end of the data");
                return;
            }

            var name = DecodeName(record.Slice(46, nameLength), (flags & 0x800) != 0);
            ReadZip64Extra(record.Slice(46 + nameLength, extraLength), ref uncompressed, ref compressed, ref localOffset);
            Add(listing, new ZipEntry(name, compressed, uncompressed, method, (flags & 1) != 0 || method == 99, localOffset));
            position += total;
        }
    }

    private static void ReadZip64Extra(ReadOnlySpan<byte> extra, ref long uncompressed, ref long compressed, ref long localOffset)
    {
        while (extra.Length >= 4)
        {
            var id = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            var size = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (4 + size > extra.Length)
            {
                return;
            }

            if (id == 0x0001)
            {
                // Only the fields whose 32-bit value is all ones are present, in this order.
                var field = extra.Slice(4, size);
                if (uncompressed == 0xFFFFFFFF && field.Length >= 8)
                {
                    uncompressed = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(field), long.MaxValue);
                    field = field[8..];
                }

                if (compressed == 0xFFFFFFFF && field.Length >= 8)
                {
                    compressed = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(field), long.MaxValue);
                    field = field[8..];
                }

                if (localOffset == 0xFFFFFFFF && field.Length >= 8)
                {
                    localOffset = (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(field), long.MaxValue);
                }

                return;
            }

            extra = extra[(4 + size)..];
        }
    }

    private static void ReadLocalHeaders(ReadOnlySpan<byte> data, ZipListing listing)
    {
        var position = 0;
        while (position <= data.Length - 30 && listing.Entries.Count < MaxEntries)
        {
            var record = data[position..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != LocalSignature)
            {
                var next = record[1..].IndexOf("PK\u0003\u0004"u8);
                if (next < 0)
                {
                    break;
                }

                position += next + 1;
                continue;
            }

            var flags = BinaryPrimitives.ReadUInt16LittleEndian(record[6..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(record[8..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(record[18..]);
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(record[22..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(record[26..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(record[28..]);
            if (30 + nameLength + extraLength > record.Length)
            {
                break;
            }

            var name = DecodeName(record.Slice(30, nameLength), (flags & 0x800) != 0);
            long offset = position;
            ReadZip64Extra(record.Slice(30 + nameLength, extraLength), ref uncompressed, ref compressed, ref offset);
            Add(listing, new ZipEntry(name, compressed, uncompressed, method, (flags & 1) != 0 || method == 99, position));

            // With a data descriptor (bit 3) the sizes are not known here: look for the next header instead.
            var skip = (flags & 8) != 0 ? 0 : compressed;
            var nextPosition = position + 30L + nameLength + extraLength + skip;
            position = nextPosition > position && nextPosition <= data.Length ? (int)nextPosition : position + 1;
        }
    }

    private static void Add(ZipListing listing, ZipEntry entry)
    {
        listing.Entries.Add(entry);
        var size = Math.Max(0, entry.UncompressedSize);
        listing.TotalUncompressed = listing.TotalUncompressed > long.MaxValue - size ? long.MaxValue : listing.TotalUncompressed + size;
    }

    private static string DecodeName(ReadOnlySpan<byte> bytes, bool utf8)
    {
        if (utf8 || Ascii.IsValid(bytes) || System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        // APPNOTE Appendix D: without the UTF-8 flag, names are in IBM code page 437.
        return (Encoding.GetEncoding(437, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback)).GetString(bytes);
    }
}
