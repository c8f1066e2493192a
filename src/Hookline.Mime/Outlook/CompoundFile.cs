using System.Buffers.Binary;
using System.Text;

namespace Hookline.Mime.Outlook;

/// <summary>One directory entry of a compound file (MS-CFB 2.6): a storage or a stream.</summary>
internal sealed class CfbEntry
{
    private Dictionary<string, CfbEntry>? _byName;

    public CfbEntry(int index, string name, byte type, uint startSector, long size)
    {
        Index = index;
        Name = name;
        Type = type;
        StartSector = startSector;
        Size = size;
    }

    public int Index { get; }

    public string Name { get; }

    /// <summary>1 storage, 2 stream, 5 root storage.</summary>
    public byte Type { get; }

    public uint StartSector { get; }

    public long Size { get; }

    public bool IsStorage => Type is 1 or 5;

    public bool IsStream => Type == 2;

    public List<CfbEntry> Children { get; } = [];

    /// <summary>A child by name; CFB compares names case-blind (MS-CFB 2.6.4). The first of duplicates wins.</summary>
    public CfbEntry? Find(string name)
    {
        if (_byName is null)
        {
            _byName = new Dictionary<string, CfbEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var child in Children)
            {
                _byName.TryAdd(child.Name, child);
            }
        }

        return _byName.GetValueOrDefault(name);
    }

    public override string ToString() => $"{Name} ({(IsStorage ? "storage" : "stream")}, {Size} bytes)";
}

/// <summary>
/// A reader of compound files (MS-CFB): header, DIFAT, FAT, MiniFAT, mini stream and the directory
/// tree. Built for hostile input: every chain walk is bounded (cycles are detected and cut), sector
/// numbers are range-checked, stream sizes are capped by the file size, and the total number of bytes
/// handed out is budgeted so a file cannot make many entries share one large chain. Damage becomes
/// warnings (offsets are in the compound file) and partial results; nothing throws.
/// </summary>
internal sealed class CompoundFile
{
    private const uint MaxRegularSector = 0xFFFFFFFA;
    private const uint EndOfChain = 0xFFFFFFFE;
    private const uint FreeSector = 0xFFFFFFFF;
    private const uint NoStream = 0xFFFFFFFF;
    private const int MiniSectorSize = 64;
    private const int MiniStreamCutoff = 4096;
    private const int HeaderDifatEntries = 109;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly List<MimeWarning> _warnings;
    private readonly int _sectorSize;
    private readonly bool _isVersion3;
    private readonly long _sectorCount;
    private uint[] _fat = [];
    private uint[] _miniFat = [];
    private byte[] _miniStream = [];
    private long _budget;
    private bool _budgetWarned;

    private CompoundFile(ReadOnlyMemory<byte> data, List<MimeWarning> warnings, int sectorSize, bool isVersion3)
    {
        _data = data;
        _warnings = warnings;
        _sectorSize = sectorSize;
        _isVersion3 = isVersion3;
        _sectorCount = data.Length <= sectorSize ? 0 : (data.Length - sectorSize + sectorSize - 1) / sectorSize;
        _budget = (2L * data.Length) + (64 * 1024);
        Root = new CfbEntry(0, "Root Entry", 5, EndOfChain, 0);
    }

    public static ReadOnlySpan<byte> Signature => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    public CfbEntry Root { get; private set; }

    public int SectorSize => _sectorSize;

    public static bool HasSignature(ReadOnlySpan<byte> data) => data.Length >= 8 && data[..8].SequenceEqual(Signature);

    /// <summary>Opens a compound file; null (with a warning) when the header is unusable. Never throws.</summary>
    public static CompoundFile? Open(ReadOnlyMemory<byte> data, List<MimeWarning> warnings)
    {
        var span = data.Span;
        if (!HasSignature(span))
        {
            warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 0, "Not a compound file (MS-CFB signature D0 CF 11 E0 A1 B1 1A E1 missing)."));
            return null;
        }

        if (span.Length < 512)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.Truncated, span.Length, $"Compound file is {span.Length} bytes, shorter than its 512-byte header."));
            return null;
        }

        var major = BinaryPrimitives.ReadUInt16LittleEndian(span[26..]);
        var byteOrder = BinaryPrimitives.ReadUInt16LittleEndian(span[28..]);
        var sectorShift = BinaryPrimitives.ReadUInt16LittleEndian(span[30..]);
        var miniShift = BinaryPrimitives.ReadUInt16LittleEndian(span[32..]);
        if (byteOrder != 0xFFFE)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 28, $"Compound file byte order mark is 0x{byteOrder:X4}, not 0xFFFE; read as little-endian."));
        }

        int sectorSize;
        if (major == 3 && sectorShift == 9)
        {
            sectorSize = 512;
        }
        else if (major == 4 && sectorShift == 12)
        {
            sectorSize = 4096;
        }
        else
        {
            sectorSize = sectorShift == 12 || (sectorShift != 9 && major == 4) ? 4096 : 512;
            warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 26, $"Compound file version {major} with sector shift {sectorShift} is inconsistent; using {sectorSize}-byte sectors."));
        }

        if (miniShift != 6)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 32, $"Mini sector shift is {miniShift}, not 6; using 64-byte mini sectors."));
        }

        var file = new CompoundFile(data, warnings, sectorSize, sectorSize == 512);
        file.Load();
        return file;
    }

    private void Warn(MimeWarningCode code, long offset, string message) => _warnings.Add(new MimeWarning(code, offset, message));

    private void Load()
    {
        var header = _data.Span[..512];
        var fatCount = BinaryPrimitives.ReadUInt32LittleEndian(header[44..]);
        var firstDirectory = BinaryPrimitives.ReadUInt32LittleEndian(header[48..]);
        var cutoff = BinaryPrimitives.ReadUInt32LittleEndian(header[56..]);
        var firstMiniFat = BinaryPrimitives.ReadUInt32LittleEndian(header[60..]);
        var miniFatCount = BinaryPrimitives.ReadUInt32LittleEndian(header[64..]);
        var firstDifat = BinaryPrimitives.ReadUInt32LittleEndian(header[68..]);
        var difatCount = BinaryPrimitives.ReadUInt32LittleEndian(header[72..]);
        if (cutoff != MiniStreamCutoff)
        {
            Warn(MimeWarningCode.OutlookFormat, 56, $"Mini stream cutoff is {cutoff}, not 4096; using 4096.");
        }

        if ((_data.Length - _sectorSize) % _sectorSize != 0)
        {
            Warn(MimeWarningCode.Truncated, _data.Length, $"Compound file length {_data.Length} is not a whole number of {_sectorSize}-byte sectors; the last sector is partial.");
        }

        LoadFat(header, fatCount, firstDifat, difatCount);
        LoadDirectory(firstDirectory);
        LoadMini(firstMiniFat, miniFatCount);
    }

    private long SectorOffset(uint sector) => ((long)sector + 1) * _sectorSize;

    private bool IsSectorInFile(uint sector) => sector <= MaxRegularSector && sector < _sectorCount;

    /// <summary>A sector's bytes; a partial last sector is padded with zeros.</summary>
    private void CopySector(uint sector, Span<byte> destination)
    {
        var offset = SectorOffset(sector);
        var available = (int)Math.Max(0, Math.Min(_sectorSize, _data.Length - offset));
        _data.Span.Slice((int)offset, available).CopyTo(destination);
        destination[available..].Clear();
    }

    private void LoadFat(ReadOnlySpan<byte> header, uint fatCount, uint firstDifat, uint difatCount)
    {
        // The FAT cannot need more sectors than the file has; a larger count is damage.
        var wanted = fatCount;
        if (wanted > _sectorCount)
        {
            Warn(MimeWarningCode.OutlookFormat, 44, $"Header claims {fatCount} FAT sectors but the file has {_sectorCount} sectors.");
            wanted = (uint)_sectorCount;
        }

        var fatSectors = new List<uint>();
        for (var i = 0; i < HeaderDifatEntries && fatSectors.Count < wanted; i++)
        {
            fatSectors.Add(BinaryPrimitives.ReadUInt32LittleEndian(header[(76 + (i * 4))..]));
        }

        // DIFAT sectors: (sectorSize/4 - 1) FAT sector numbers, then the next DIFAT sector.
        var perDifat = (_sectorSize / 4) - 1;
        var next = firstDifat;
        var visited = new HashSet<uint>();
        var buffer = new byte[_sectorSize];
        var difatRead = 0u;
        while (fatSectors.Count < wanted && next != EndOfChain && next != FreeSector)
        {
            if (!IsSectorInFile(next))
            {
                Warn(MimeWarningCode.OutlookFormat, 68, $"DIFAT sector {next} is outside the file ({_sectorCount} sectors); FAT sectors past it are missing.");
                break;
            }

            if (!visited.Add(next) || difatRead >= _sectorCount)
            {
                Warn(MimeWarningCode.OutlookFormat, SectorOffset(next), $"DIFAT chain loops at sector {next}; stopped.");
                break;
            }

            difatRead++;
            CopySector(next, buffer);
            for (var i = 0; i < perDifat && fatSectors.Count < wanted; i++)
            {
                fatSectors.Add(BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i * 4)));
            }

            next = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(perDifat * 4));
        }

        if (difatRead != difatCount && fatSectors.Count >= wanted && difatCount <= _sectorCount && difatRead < difatCount)
        {
            Warn(MimeWarningCode.OutlookFormat, 72, $"Header claims {difatCount} DIFAT sectors; {difatRead} were needed.");
        }

        if (fatSectors.Count < wanted)
        {
            Warn(MimeWarningCode.OutlookFormat, 44, $"Only {fatSectors.Count} of {wanted} FAT sector locations could be read.");
        }

        var perFat = _sectorSize / 4;
        _fat = new uint[fatSectors.Count * perFat];
        var seenFat = new HashSet<uint>();
        var bad = 0;
        for (var f = 0; f < fatSectors.Count; f++)
        {
            var sector = fatSectors[f];
            if (!IsSectorInFile(sector) || !seenFat.Add(sector))
            {
                if (bad++ == 0)
                {
                    Warn(MimeWarningCode.OutlookFormat, 76, $"FAT sector #{f} at {sector} is outside the file or repeated; its entries are treated as free.");
                }

                _fat.AsSpan(f * perFat, perFat).Fill(FreeSector);
                continue;
            }

            CopySector(sector, buffer);
            for (var i = 0; i < perFat; i++)
            {
                _fat[(f * perFat) + i] = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i * 4));
            }
        }

        if (bad > 1)
        {
            Warn(MimeWarningCode.OutlookFormat, 76, $"{bad} FAT sector locations in all are outside the file or repeated.");
        }
    }

    /// <summary>Walks a FAT chain until its end, a damaged link or a loop; at most <paramref name="maxSectors"/> sectors.</summary>
    private List<uint> WalkFat(uint start, long maxSectors, string what)
    {
        var sectors = new List<uint>();
        var visited = new HashSet<uint>();
        var current = start;
        while (current != EndOfChain)
        {
            if (sectors.Count >= maxSectors)
            {
                break;
            }

            if (!IsSectorInFile(current))
            {
                Warn(MimeWarningCode.OutlookFormat, 0, $"{what}: sector {current} is outside the file ({_sectorCount} sectors); chain cut.");
                break;
            }

            if (!visited.Add(current))
            {
                Warn(MimeWarningCode.OutlookFormat, SectorOffset(current), $"{what}: FAT chain loops back to sector {current}; chain cut.");
                break;
            }

            sectors.Add(current);
            if (current >= _fat.Length)
            {
                Warn(MimeWarningCode.OutlookFormat, SectorOffset(current), $"{what}: sector {current} has no FAT entry; chain cut.");
                break;
            }

            current = _fat[current];
        }

        return sectors;
    }

    private byte[] ReadFatChain(uint start, long size, string what)
    {
        var count = (size + _sectorSize - 1) / _sectorSize;
        return ReadSectors(WalkFat(start, count, what), size, what);
    }

    private byte[] ReadSectors(List<uint> sectors, long size, string what)
    {
        var result = new byte[size];
        var buffer = new byte[_sectorSize];
        long written = 0;
        foreach (var sector in sectors)
        {
            CopySector(sector, buffer);
            var take = (int)Math.Min(_sectorSize, size - written);
            buffer.AsSpan(0, take).CopyTo(result.AsSpan((int)written));
            written += take;
        }

        if (written < size)
        {
            Warn(MimeWarningCode.Truncated, 0, $"{what}: chain ended after {written} of {size} bytes.");
            return result[..(int)written];
        }

        return result;
    }

    private void LoadDirectory(uint firstDirectory)
    {
        var sectors = WalkFat(firstDirectory, _sectorCount, "Directory");
        if (sectors.Count == 0)
        {
            Warn(MimeWarningCode.OutlookFormat, 48, "The directory chain is empty or unreadable; the file has no readable entries.");
            return;
        }

        var directory = ReadSectors(sectors, (long)sectors.Count * _sectorSize, "Directory");
        var count = directory.Length / 128;
        var raw = new RawEntry[count];
        var perSector = _sectorSize / 128;
        for (var i = 0; i < count; i++)
        {
            raw[i] = ParseEntry(directory.AsSpan(i * 128, 128), i, SectorOffset(sectors[i / perSector]) + ((i % perSector) * 128L));
        }

        if (count == 0 || raw[0].Type != 5)
        {
            Warn(MimeWarningCode.OutlookFormat, SectorOffset(firstDirectory), "Directory entry 0 is not the root storage.");
            if (count == 0)
            {
                return;
            }
        }

        Root = new CfbEntry(0, raw[0].Name, 5, raw[0].Start, raw[0].Size);
        var visited = new bool[count];
        visited[0] = true;
        var pending = new Queue<(CfbEntry Storage, uint Child)>();
        pending.Enqueue((Root, raw[0].Child));
        var tree = new Stack<uint>();
        while (pending.Count > 0)
        {
            var (storage, child) = pending.Dequeue();
            tree.Clear();
            tree.Push(child);
            while (tree.Count > 0)
            {
                var id = tree.Pop();
                if (id == NoStream)
                {
                    continue;
                }

                if (id >= count)
                {
                    Warn(MimeWarningCode.OutlookFormat, SectorOffset(firstDirectory), $"Directory reference {id} is past the {count} entries; skipped.");
                    continue;
                }

                if (visited[id])
                {
                    Warn(MimeWarningCode.OutlookFormat, raw[id].Offset, $"Directory entry {id} is reached twice (a cycle or shared subtree); skipped the second time.");
                    continue;
                }

                visited[id] = true;
                var entry = raw[id];
                tree.Push(entry.Right);
                tree.Push(entry.Left);
                if (entry.Type is not (1 or 2))
                {
                    Warn(MimeWarningCode.OutlookFormat, raw[id].Offset, $"Directory entry {id} has object type {entry.Type} inside a storage; skipped.");
                    continue;
                }

                var node = new CfbEntry((int)id, entry.Name, entry.Type, entry.Start, entry.Size);
                storage.Children.Add(node);
                if (node.IsStorage)
                {
                    pending.Enqueue((node, entry.Child));
                }
            }
        }
    }

    private RawEntry ParseEntry(ReadOnlySpan<byte> bytes, int index, long offset)
    {
        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[64..]);
        var nameBytes = Math.Clamp(nameLength - 2, 0, 62) & ~1;
        var name = Encoding.Unicode.GetString(bytes[..nameBytes]);
        var nul = name.IndexOf('\0', StringComparison.Ordinal);
        if (nul >= 0)
        {
            name = name[..nul];
        }

        var size = BinaryPrimitives.ReadUInt64LittleEndian(bytes[120..]);
        if (_isVersion3)
        {
            // MS-CFB 2.6.3: in version 3 files the high 32 bits may be garbage from old writers; ignore them.
            size &= 0xFFFFFFFF;
        }

        var capped = (long)Math.Min(size, (ulong)_data.Length);
        if (size > (ulong)_data.Length && bytes[66] is 2 or 5)
        {
            Warn(MimeWarningCode.OutlookFormat, offset + 120, $"Directory entry {index} ('{name}') claims {size} bytes, more than the {_data.Length}-byte file; capped.");
        }

        return new RawEntry(
            name,
            bytes[66],
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[68..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[72..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[76..]),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes[116..]),
            capped,
            offset);
    }

    private void LoadMini(uint firstMiniFat, uint miniFatCount)
    {
        if (Root.Size == 0)
        {
            return;
        }

        _miniStream = ReadFatChain(Root.StartSector, Root.Size, "Mini stream");
        if (firstMiniFat == EndOfChain || firstMiniFat == FreeSector)
        {
            Warn(MimeWarningCode.OutlookFormat, 60, "The file has a mini stream but no MiniFAT.");
            return;
        }

        var sectors = WalkFat(firstMiniFat, Math.Min(miniFatCount == 0 ? _sectorCount : miniFatCount, _sectorCount), "MiniFAT");
        var bytes = ReadSectors(sectors, (long)sectors.Count * _sectorSize, "MiniFAT");
        _miniFat = new uint[bytes.Length / 4];
        for (var i = 0; i < _miniFat.Length; i++)
        {
            _miniFat[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4));
        }
    }

    private byte[] ReadMiniChain(uint start, long size, string what)
    {
        var result = new byte[size];
        var visited = new HashSet<uint>();
        var current = start;
        long written = 0;
        var miniCount = _miniStream.Length / MiniSectorSize;
        while (written < size && current != EndOfChain)
        {
            if (current >= miniCount || current > MaxRegularSector)
            {
                Warn(MimeWarningCode.OutlookFormat, 0, $"{what}: mini sector {current} is outside the mini stream ({miniCount} mini sectors); chain cut.");
                break;
            }

            if (!visited.Add(current))
            {
                Warn(MimeWarningCode.OutlookFormat, 0, $"{what}: MiniFAT chain loops back to mini sector {current}; chain cut.");
                break;
            }

            var take = (int)Math.Min(MiniSectorSize, size - written);
            _miniStream.AsSpan((int)current * MiniSectorSize, take).CopyTo(result.AsSpan((int)written));
            written += take;
            if (current >= _miniFat.Length)
            {
                if (written < size)
                {
                    Warn(MimeWarningCode.OutlookFormat, 0, $"{what}: mini sector {current} has no MiniFAT entry; chain cut.");
                }

                break;
            }

            current = _miniFat[current];
        }

        if (written < size)
        {
            Warn(MimeWarningCode.Truncated, 0, $"{what}: mini chain ended after {written} of {size} bytes.");
            return result[..(int)written];
        }

        return result;
    }

    /// <summary>
    /// A stream's content, at most <paramref name="maxBytes"/> bytes (cut with a warning past that).
    /// Empty (with a warning) once the file's read budget is spent.
    /// </summary>
    public byte[] ReadStream(CfbEntry entry, long maxBytes)
    {
        if (!entry.IsStream)
        {
            return [];
        }

        var size = entry.Size;
        if (size > maxBytes)
        {
            Warn(MimeWarningCode.DecodedSizeLimit, 0, $"Stream '{entry.Name}' is {size} bytes; read only the first {maxBytes}.");
            size = maxBytes;
        }

        if (size > _budget)
        {
            if (!_budgetWarned)
            {
                Warn(MimeWarningCode.OutlookFormat, 0, $"Streams in this compound file add up to more than twice its size (entries sharing chains?); stream '{entry.Name}' and later ones are not read.");
                _budgetWarned = true;
            }

            return [];
        }

        _budget -= size;
        return entry.Size < MiniStreamCutoff
            ? ReadMiniChain(entry.StartSector, size, $"Stream '{entry.Name}'")
            : ReadFatChain(entry.StartSector, size, $"Stream '{entry.Name}'");
    }

    private readonly record struct RawEntry(string Name, byte Type, uint Left, uint Right, uint Child, uint Start, long Size, long Offset);
}
