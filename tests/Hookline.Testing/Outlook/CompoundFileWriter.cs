using System.Buffers.Binary;
using System.Text;

namespace Hookline.Testing.Outlook;

/// <summary>A storage to write into a compound file: named streams and sub-storages.</summary>
public sealed class CfbStorage(string name)
{
    public string Name { get; } = name;

    public List<CfbStorage> Storages { get; } = [];

    public List<KeyValuePair<string, byte[]>> Streams { get; } = [];

    public CfbStorage AddStorage(string name)
    {
        var storage = new CfbStorage(name);
        Storages.Add(storage);
        return storage;
    }

    public CfbStorage AddStream(string name, byte[] data)
    {
        Streams.Add(new(name, data));
        return this;
    }
}

/// <summary>Where the writer put an entry: its directory index, first sector (mini sector for small streams) and size.</summary>
public sealed record CfbEntryInfo(int Index, uint StartSector, long Size, bool InMiniStream);

/// <summary>A written compound file and its layout, so tests can damage precise places.</summary>
public sealed record CompoundFileImage(
    byte[] Bytes,
    int FatStart,
    int FatSectorCount,
    int DirectoryStart,
    int MiniFatStart,
    int MiniStreamStart,
    IReadOnlyDictionary<string, CfbEntryInfo> Entries)
{
    public const int SectorSize = 512;

    public static int SectorOffset(long sector) => (int)((sector + 1) * SectorSize);

    /// <summary>Byte offset of a directory entry (the directory is written in consecutive sectors).</summary>
    public int EntryOffset(int index) => SectorOffset(DirectoryStart) + (index * 128);

    /// <summary>Byte offset of a sector's FAT entry (FAT sectors are consecutive).</summary>
    public int FatEntryOffset(long sector) => SectorOffset(FatStart) + (int)(sector * 4);
}

/// <summary>
/// Writes version 3 compound files (MS-CFB): 512-byte sectors, FAT (no DIFAT sectors, so up to 109
/// FAT sectors), MiniFAT and mini stream for streams under 4096 bytes, and a directory whose sibling
/// trees are balanced and all black. Test support only.
/// </summary>
public static class CompoundFileWriter
{
    private const uint EndOfChain = 0xFFFFFFFE;
    private const uint FreeSector = 0xFFFFFFFF;
    private const uint FatSector = 0xFFFFFFFD;
    private const uint NoStream = 0xFFFFFFFF;
    private const int Sector = 512;

    public static CompoundFileImage Write(CfbStorage root)
    {
        // Directory order: root first, then breadth first.
        var nodes = new List<Node> { new(root.Name, 5, null, root, null) };
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Storage is not { } storage)
            {
                continue;
            }

            var path = nodes[i].Path;
            foreach (var child in storage.Storages)
            {
                nodes.Add(new Node(child.Name, 1, null, child, Join(path, child.Name)) { Parent = storage });
            }

            foreach (var stream in storage.Streams)
            {
                nodes.Add(new Node(stream.Key, 2, stream.Value, null, Join(path, stream.Key)) { Parent = storage });
            }
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            nodes[i].Index = i;
        }

        // Sibling trees.
        foreach (var node in nodes.Where(n => n.Storage is not null).ToList())
        {
            var children = nodes.Where(n => n.Parent == node.Storage).ToList();
            children.Sort(CompareNames);
            node.Child = Balance(children, 0, children.Count);
        }

        // Mini stream content.
        var mini = new MemoryStream();
        var miniFat = new List<uint>();
        var bigStreams = new List<Node>();
        foreach (var node in nodes.Where(n => n.Type == 2))
        {
            var data = node.Data!;
            if (data.Length >= 4096)
            {
                bigStreams.Add(node);
                continue;
            }

            if (data.Length == 0)
            {
                node.Start = EndOfChain;
                continue;
            }

            var first = (uint)miniFat.Count;
            var count = (data.Length + 63) / 64;
            for (var i = 0; i < count; i++)
            {
                miniFat.Add(i == count - 1 ? EndOfChain : first + (uint)i + 1);
            }

            mini.Write(data);
            mini.Write(new byte[(count * 64) - data.Length]);
            node.Start = first;
            node.InMini = true;
        }

        var directorySectors = ((nodes.Count * 128) + Sector - 1) / Sector;
        var miniFatSectors = ((miniFat.Count * 4) + Sector - 1) / Sector;
        var miniStreamSectors = (int)((mini.Length + Sector - 1) / Sector);
        var bigSectors = bigStreams.Sum(n => (n.Data!.Length + Sector - 1) / Sector);
        var other = directorySectors + miniFatSectors + miniStreamSectors + bigSectors;
        var fatSectors = 1;
        while (fatSectors * (Sector / 4) < other + fatSectors)
        {
            fatSectors++;
        }

        if (fatSectors > 109)
        {
            throw new InvalidOperationException("Test writer supports at most 109 FAT sectors.");
        }

        var total = fatSectors + other;
        var fat = Enumerable.Repeat(FreeSector, fatSectors * (Sector / 4)).ToArray();
        var next = 0;
        for (var i = 0; i < fatSectors; i++)
        {
            fat[next++] = FatSector;
        }

        int Chain(int count)
        {
            var first = next;
            for (var i = 0; i < count; i++)
            {
                fat[next] = i == count - 1 ? EndOfChain : (uint)(next + 1);
                next++;
            }

            return count == 0 ? -1 : first;
        }

        var directoryStart = Chain(directorySectors);
        var miniFatStart = Chain(miniFatSectors);
        var miniStreamStart = Chain(miniStreamSectors);
        foreach (var node in bigStreams)
        {
            node.Start = (uint)Chain((node.Data!.Length + Sector - 1) / Sector);
        }

        var bytes = new byte[(total + 1) * Sector];
        var header = bytes.AsSpan(0, Sector);
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[24..], 0x003E);
        BinaryPrimitives.WriteUInt16LittleEndian(header[26..], 3);
        BinaryPrimitives.WriteUInt16LittleEndian(header[28..], 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header[30..], 9);
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], 6);
        BinaryPrimitives.WriteUInt32LittleEndian(header[44..], (uint)fatSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(header[48..], (uint)directoryStart);
        BinaryPrimitives.WriteUInt32LittleEndian(header[56..], 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(header[60..], miniFatSectors == 0 ? EndOfChain : (uint)miniFatStart);
        BinaryPrimitives.WriteUInt32LittleEndian(header[64..], (uint)miniFatSectors);
        BinaryPrimitives.WriteUInt32LittleEndian(header[68..], EndOfChain);
        BinaryPrimitives.WriteUInt32LittleEndian(header[72..], 0);
        for (var i = 0; i < 109; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[(76 + (i * 4))..], i < fatSectors ? (uint)i : FreeSector);
        }

        for (var i = 0; i < fat.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(Sector + (i * 4)), fat[i]);
        }

        // Directory.
        var directory = bytes.AsSpan(CompoundFileImage.SectorOffset(directoryStart), directorySectors * Sector);
        for (var i = 0; i < directorySectors * 4; i++)
        {
            var entry = directory.Slice(i * 128, 128);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[68..], NoStream);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[72..], NoStream);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[76..], NoStream);
        }

        foreach (var node in nodes)
        {
            var entry = directory.Slice(node.Index * 128, 128);
            var name = Encoding.Unicode.GetBytes(node.Name);
            name.AsSpan(0, Math.Min(name.Length, 62)).CopyTo(entry);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[64..], (ushort)(Math.Min(name.Length, 62) + 2));
            entry[66] = node.Type;
            entry[67] = 1; // black
            BinaryPrimitives.WriteUInt32LittleEndian(entry[68..], node.Left?.IndexU ?? NoStream);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[72..], node.Right?.IndexU ?? NoStream);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[76..], node.Child?.IndexU ?? NoStream);
            if (node.Type == 5)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry[116..], mini.Length == 0 ? EndOfChain : (uint)miniStreamStart);
                BinaryPrimitives.WriteUInt64LittleEndian(entry[120..], (ulong)mini.Length);
            }
            else if (node.Type == 2)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry[116..], node.Start);
                BinaryPrimitives.WriteUInt64LittleEndian(entry[120..], (ulong)node.Data!.Length);
            }
        }

        for (var i = 0; i < miniFat.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(CompoundFileImage.SectorOffset(miniFatStart) + (i * 4)), miniFat[i]);
        }

        if (miniFatSectors > 0)
        {
            for (var i = miniFat.Count; i < miniFatSectors * 128; i++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(CompoundFileImage.SectorOffset(miniFatStart) + (i * 4)), FreeSector);
            }
        }

        if (mini.Length > 0)
        {
            mini.ToArray().CopyTo(bytes, CompoundFileImage.SectorOffset(miniStreamStart));
        }

        foreach (var node in bigStreams)
        {
            node.Data!.CopyTo(bytes, CompoundFileImage.SectorOffset(node.Start));
        }

        var entries = new Dictionary<string, CfbEntryInfo>(StringComparer.Ordinal);
        foreach (var node in nodes.Skip(1))
        {
            entries[node.Path!] = new CfbEntryInfo(node.Index, node.Start, node.Data?.Length ?? 0, node.InMini);
        }

        return new CompoundFileImage(bytes, 0, fatSectors, directoryStart, miniFatStart, miniStreamStart, entries);
    }

    private static string Join(string? path, string name) => path is null ? name : path + "/" + name;

    /// <summary>MS-CFB 2.6.4: shorter names first, then upper-cased ordinal order.</summary>
    private static int CompareNames(Node a, Node b)
    {
        var byLength = a.Name.Length.CompareTo(b.Name.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(a.Name.ToUpperInvariant(), b.Name.ToUpperInvariant());
    }

    private static Node? Balance(List<Node> sorted, int from, int to)
    {
        if (from >= to)
        {
            return null;
        }

        var middle = (from + to) / 2;
        var node = sorted[middle];
        node.Left = Balance(sorted, from, middle);
        node.Right = Balance(sorted, middle + 1, to);
        return node;
    }

    private sealed class Node(string name, byte type, byte[]? data, CfbStorage? storage, string? path)
    {
        public string Name { get; } = name;

        public byte Type { get; } = type;

        public byte[]? Data { get; } = data;

        public CfbStorage? Storage { get; } = storage;

        public string? Path { get; } = path;

        public CfbStorage? Parent { get; set; }

        public int Index { get; set; }

        public uint IndexU => (uint)Index;

        public Node? Left { get; set; }

        public Node? Right { get; set; }

        public Node? Child { get; set; }

        public uint Start { get; set; } = EndOfChain;

        public bool InMini { get; set; }
    }
}
