using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Hookline.Reports.Tests.AttachmentTests;

/// <summary>Attack-shaped files built in code: programs, archives, documents, PDFs.</summary>
internal static class TestFiles
{
    /// <summary>The start of a PE file: "MZ", a DOS stub, the PE header offset and "PE\0\0".</summary>
    public static byte[] Pe()
    {
        var bytes = new byte[1024];
        bytes[0] = (byte)'M';
        bytes[1] = (byte)'Z';
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(0x3C), 0x80);
        "PE\0\0"u8.CopyTo(bytes.AsSpan(0x80));
        Encoding.ASCII.GetBytes("This program cannot be run in DOS mode.").CopyTo(bytes, 0x4E);
        return bytes;
    }

    /// <summary>An ISO 9660 image: 16 empty sectors, then a primary volume descriptor ("\x01CD001").</summary>
    public static byte[] Iso()
    {
        var bytes = new byte[0x8000 + 4096];
        bytes[0x8000] = 1;
        "CD001"u8.CopyTo(bytes.AsSpan(0x8001));
        return bytes;
    }

    public static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
                using var output = entry.Open();
                output.Write(data);
            }
        }

        return stream.ToArray();
    }

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>A Word document (OOXML); with a VBA project when <paramref name="macros"/>.</summary>
    public static byte[] Word(bool macros)
    {
        var contentTypes = Ascii("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + (macros ? "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.ms-word.document.macroEnabled.main+xml\"/>" : string.Empty) + "</Types>");
        var entries = new List<(string, byte[])>
        {
            ("[Content_Types].xml", contentTypes),
            ("_rels/.rels", Ascii("<Relationships/>")),
            ("word/document.xml", Ascii("<w:document><w:body><w:p><w:r><w:t>Enable content to view the invoice</w:t></w:r></w:p></w:body></w:document>")),
        };
        if (macros)
        {
            entries.Add(("word/vbaProject.bin", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2, 3]));
        }

        return Zip([.. entries]);
    }

    /// <summary>Sets the "encrypted" flag (bit 0) on every local and central header, as a ZipCrypto archive has it.</summary>
    public static byte[] MarkEncrypted(byte[] zip)
    {
        var bytes = (byte[])zip.Clone();
        for (var i = 0; i + 4 <= bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034B50)
            {
                bytes[i + 6] |= 1;
            }
            else if (signature == 0x02014B50)
            {
                bytes[i + 8] |= 1;
            }
        }

        return bytes;
    }

    /// <summary>
    /// A hand-written ZIP of one stored entry whose central directory declares <paramref name="declaredSize"/>
    /// and whose end records claim <paramref name="claimedEntries"/> (Zip64 when above 65,535).
    /// </summary>
    public static byte[] ForgedZip(string name, ulong claimedEntries, long declaredSize, int actualEntries = 1)
    {
        var data = Ascii("payload");
        var nameBytes = Encoding.UTF8.GetBytes(name);
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        var offsets = new List<long>();
        for (var i = 0; i < actualEntries; i++)
        {
            offsets.Add(stream.Position);
            writer.Write(0x04034B50u);
            writer.Write((ushort)20);
            writer.Write((ushort)0);
            writer.Write((ushort)0);
            writer.Write(0u);
            writer.Write(0u);
            writer.Write((uint)data.Length);
            writer.Write((uint)data.Length);
            writer.Write((ushort)nameBytes.Length);
            writer.Write((ushort)0);
            writer.Write(nameBytes);
            writer.Write(data);
        }

        var directoryStart = stream.Position;
        var zip64Size = declaredSize >= 0xFFFFFFFF;
        foreach (var offset in offsets)
        {
            writer.Write(0x02014B50u);
            writer.Write((ushort)45);
            writer.Write((ushort)45);
            writer.Write((ushort)0);
            writer.Write((ushort)8);
            writer.Write(0u);
            writer.Write(0u);
            writer.Write((uint)data.Length);
            writer.Write(zip64Size ? 0xFFFFFFFFu : (uint)declaredSize);
            writer.Write((ushort)nameBytes.Length);
            writer.Write((ushort)(zip64Size ? 12 : 0));
            writer.Write((ushort)0);
            writer.Write((ushort)0);
            writer.Write((ushort)0);
            writer.Write(0u);
            writer.Write((uint)offset);
            writer.Write(nameBytes);
            if (zip64Size)
            {
                writer.Write((ushort)1);
                writer.Write((ushort)8);
                writer.Write((ulong)declaredSize);
            }
        }

        var directorySize = stream.Position - directoryStart;
        var zip64 = claimedEntries > 0xFFFF;
        if (zip64)
        {
            var zip64End = stream.Position;
            writer.Write(0x06064B50u);
            writer.Write(44UL);
            writer.Write((ushort)45);
            writer.Write((ushort)45);
            writer.Write(0u);
            writer.Write(0u);
            writer.Write(claimedEntries);
            writer.Write(claimedEntries);
            writer.Write((ulong)directorySize);
            writer.Write((ulong)directoryStart);
            writer.Write(0x07064B50u);
            writer.Write(0u);
            writer.Write((ulong)zip64End);
            writer.Write(1u);
        }

        writer.Write(0x06054B50u);
        writer.Write((ushort)0);
        writer.Write((ushort)0);
        writer.Write(zip64 ? (ushort)0xFFFF : (ushort)claimedEntries);
        writer.Write(zip64 ? (ushort)0xFFFF : (ushort)claimedEntries);
        writer.Write(zip64 ? 0xFFFFFFFFu : (uint)directorySize);
        writer.Write(zip64 ? 0xFFFFFFFFu : (uint)directoryStart);
        writer.Write((ushort)0);
        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>A PDF with the given objects (as written) in its body.</summary>
    public static byte[] Pdf(params string[] objects)
    {
        var builder = new StringBuilder("%PDF-1.7\n%\u00E2\u00E3\u00CF\u00D3\n");
        for (var i = 0; i < objects.Length; i++)
        {
            builder.Append(i + 1).Append(" 0 obj\n").Append(objects[i]).Append("\nendobj\n");
        }

        builder.Append("trailer\n<< /Root 1 0 R >>\n%%EOF\n");
        return Encoding.Latin1.GetBytes(builder.ToString());
    }

    /// <summary>A PDF whose only link sits in a FlateDecode object stream.</summary>
    public static byte[] PdfWithObjectStream(string hiddenObjects)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(Encoding.Latin1.GetBytes(hiddenObjects));
        }

        var head = Encoding.Latin1.GetBytes($"%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {compressed.Length} >>\nstream\n");
        var tail = Encoding.Latin1.GetBytes("\nendstream\nendobj\ntrailer\n<< /Root 2 0 R >>\n%%EOF\n");
        return [.. head, .. compressed.ToArray(), .. tail];
    }
}
