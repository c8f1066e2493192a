using System.Buffers.Binary;
using System.Text;
using Hookline.Mime.Outlook;
using Hookline.Testing.Outlook;
using static Hookline.Mime.Tests.Outlook.OutlookTestHelpers;

namespace Hookline.Mime.Tests.Outlook;

public class CompoundFileTests
{
    private const string BigStream = "__attach_version1.0_#00000000/__substg1.0_37010102";

    private static readonly byte[] BigData = Enumerable.Range(0, 10_000).Select(i => (byte)(i % 251)).ToArray();

    private static CompoundFileImage MessageWithBigAttachment(int size = 10_000)
    {
        var spec = new OutlookMessageSpec { Subject = "Still here", Body = "body" };
        spec.Attachments.Add(new AttachmentSpec { LongFileName = "big.bin", Data = size == BigData.Length ? BigData : Enumerable.Range(0, size).Select(i => (byte)(i % 251)).ToArray() });
        return OutlookMessageWriter.WriteImage(spec);
    }

    private static MimePart Attachment(MimeMessage message) => Assert.Single(Leaves(message), p => p.IsAttachment);

    [Fact]
    public void Open_WhenWrittenByTestWriter_ListsStoragesAndReadsStreams()
    {
        var root = new CfbStorage("Root Entry");
        root.AddStream("small", [1, 2, 3]).AddStream("big", BigData);
        root.AddStorage("sub").AddStream("inner", Encoding.ASCII.GetBytes("hello"));
        var image = CompoundFileWriter.Write(root);
        var warnings = new List<MimeWarning>();

        var file = CompoundFile.Open(image.Bytes, warnings)!;

        Assert.Empty(warnings);
        Assert.Equal(["big", "small", "sub"], file.Root.Children.Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal([1, 2, 3], file.ReadStream(file.Root.Find("small")!, long.MaxValue));
        Assert.Equal(BigData, file.ReadStream(file.Root.Find("BIG")!, long.MaxValue));
        Assert.Equal("hello", Encoding.ASCII.GetString(file.ReadStream(file.Root.Find("sub")!.Find("inner")!, long.MaxValue)));
    }

    [Fact]
    public void Open_WhenVersion4With4096ByteSectors_ReadsStreams()
    {
        // A minimal hand-built v4 file: header sector, FAT at sector 0, directory at 1, stream data at 2.
        var bytes = new byte[4096 * 4];
        var h = bytes.AsSpan();
        CompoundFile.Signature.CopyTo(h);
        BinaryPrimitives.WriteUInt16LittleEndian(h[24..], 0x3E);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], 4);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(h[30..], 12);
        BinaryPrimitives.WriteUInt16LittleEndian(h[32..], 6);
        BinaryPrimitives.WriteUInt32LittleEndian(h[40..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(h[44..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(h[48..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(h[56..], 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(h[60..], 0xFFFFFFFE);
        BinaryPrimitives.WriteUInt32LittleEndian(h[68..], 0xFFFFFFFE);
        h[76..512].Fill(0xFF);
        BinaryPrimitives.WriteUInt32LittleEndian(h[76..], 0);
        var fat = h.Slice(4096, 4096);
        fat.Fill(0xFF);
        BinaryPrimitives.WriteUInt32LittleEndian(fat, 0xFFFFFFFD);
        BinaryPrimitives.WriteUInt32LittleEndian(fat[4..], 0xFFFFFFFE);
        BinaryPrimitives.WriteUInt32LittleEndian(fat[8..], 0xFFFFFFFE);
        var dir = h.Slice(8192, 4096);
        for (var i = 0; i < 32; i++)
        {
            dir.Slice((i * 128) + 68, 12).Fill(0xFF);
        }

        WriteEntry(dir[..128], "Root Entry", 5, child: 1, start: 0xFFFFFFFE, size: 0);
        WriteEntry(dir.Slice(128, 128), "data", 2, child: 0xFFFFFFFF, start: 2, size: 4100);
        h.Slice(12288, 4096).Fill(0x41);
        var warnings = new List<MimeWarning>();

        var file = CompoundFile.Open(bytes, warnings)!;

        Assert.Equal(4096, file.SectorSize);
        var data = file.ReadStream(file.Root.Find("data")!, long.MaxValue);
        Assert.Equal(4096, data.Length); // the chain has one sector: a short chain is cut, with a warning
        Assert.Contains(warnings, w => w.Message.Contains("chain ended", StringComparison.Ordinal));
    }

    private static void WriteEntry(Span<byte> entry, string name, byte type, uint child, uint start, long size)
    {
        var n = Encoding.Unicode.GetBytes(name);
        n.CopyTo(entry);
        BinaryPrimitives.WriteUInt16LittleEndian(entry[64..], (ushort)(n.Length + 2));
        entry[66] = type;
        entry[67] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(entry[76..], child);
        BinaryPrimitives.WriteUInt32LittleEndian(entry[116..], start);
        BinaryPrimitives.WriteUInt64LittleEndian(entry[120..], (ulong)size);
    }

    [Fact]
    public void Read_WhenFatChainLoops_CutsTheStreamWithWarning()
    {
        var image = MessageWithBigAttachment();
        var info = image.Entries[BigStream];
        Assert.False(info.InMiniStream);
        BinaryPrimitives.WriteUInt32LittleEndian(image.Bytes.AsSpan(image.FatEntryOffset(info.StartSector + 2)), info.StartSector);

        var message = OutlookMessageReader.Read(image.Bytes);

        NoInternalErrors(message);
        Assert.True(HasWarning(message, "loops back"));
        Assert.Equal("Still here", message.Subject);
        var content = Attachment(message).DecodeContent();
        Assert.Equal(3 * 512, content.Length);
        Assert.Equal(BigData.AsSpan(0, content.Length).ToArray(), content);
    }

    [Fact]
    public void Read_WhenDirectoryTreeHasCycle_SkipsRepeatedEntries()
    {
        var image = MessageWithBigAttachment();
        var subject = image.Entries["__substg1.0_0037001F"];
        var attachment = image.Entries["__attach_version1.0_#00000000"];

        // The subject stream's left sibling points to itself; the attachment storage's child points back up to the root.
        BinaryPrimitives.WriteUInt32LittleEndian(image.Bytes.AsSpan(image.EntryOffset(subject.Index) + 68), (uint)subject.Index);
        var attachmentChild = BinaryPrimitives.ReadUInt32LittleEndian(image.Bytes.AsSpan(image.EntryOffset(attachment.Index) + 76));
        BinaryPrimitives.WriteUInt32LittleEndian(image.Bytes.AsSpan(image.EntryOffset((int)attachmentChild) + 72), 0);

        var message = OutlookMessageReader.Read(image.Bytes);

        NoInternalErrors(message);
        Assert.True(HasWarning(message, "reached twice"));
        Assert.Equal("Still here", message.Subject);
    }

    [Fact]
    public void Read_WhenSectorNumberOutOfRange_WarnsAndDropsTheStream()
    {
        var image = MessageWithBigAttachment();
        var info = image.Entries[BigStream];
        BinaryPrimitives.WriteUInt32LittleEndian(image.Bytes.AsSpan(image.EntryOffset(info.Index) + 116), 0x00FFFFF0);

        var message = OutlookMessageReader.Read(image.Bytes);

        NoInternalErrors(message);
        Assert.True(HasWarning(message, "outside the file"));
        Assert.Equal("Still here", message.Subject);
        Assert.Empty(Attachment(message).DecodeContent());
    }

    [Fact]
    public void Read_WhenStreamSizeLargerThanFile_CapsAndWarns()
    {
        var image = MessageWithBigAttachment();
        var info = image.Entries[BigStream];
        BinaryPrimitives.WriteUInt64LittleEndian(image.Bytes.AsSpan(image.EntryOffset(info.Index) + 120), 0xFFFFFFF0);

        var message = OutlookMessageReader.Read(image.Bytes);

        NoInternalErrors(message);
        Assert.True(HasWarning(message, "more than the"));
        Assert.True(HasWarning(message, "chain ended"));
        var content = Attachment(message).DecodeContent();
        Assert.True(content.Length >= BigData.Length && content.Length <= image.Bytes.Length);
        Assert.Equal(BigData, content[..BigData.Length]);
    }

    [Fact]
    public void Read_WhenFileTruncated_ReturnsPartialResultWithoutThrowing()
    {
        var image = MessageWithBigAttachment();
        for (var length = 0; length < image.Bytes.Length; length += 97)
        {
            var message = OutlookMessageReader.Read(image.Bytes.AsMemory(0, length));
            NoInternalErrors(message);
            if (length < 512)
            {
                Assert.NotEmpty(message.Warnings);
            }
        }

        var half = OutlookMessageReader.Read(image.Bytes.AsMemory(0, image.Bytes.Length - 3000));
        Assert.Contains(half.Warnings, w => w.Code == MimeWarningCode.Truncated);
    }

    [Fact]
    public void Read_WhenDifatChainLoops_StopsAndStillReadsTheFile()
    {
        var image = MessageWithBigAttachment(150_000);
        var sectors = (image.Bytes.Length / 512) - 1;
        var bytes = new byte[image.Bytes.Length + 512];
        image.Bytes.CopyTo(bytes, 0);
        var difat = bytes.AsSpan(image.Bytes.Length, 512);
        difat.Fill(0xFF);
        BinaryPrimitives.WriteUInt32LittleEndian(difat[508..], (uint)sectors);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(44), (uint)sectors); // claims many more FAT sectors
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(68), (uint)sectors);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(72), 1000);

        var message = OutlookMessageReader.Read(bytes);

        NoInternalErrors(message);
        Assert.True(HasWarning(message, "DIFAT chain loops"));
        Assert.Equal("Still here", message.Subject);
        Assert.Equal(150_000, Attachment(message).DecodeContent().Length);
    }

    [Fact]
    public void Read_WhenManyEntriesShareOneLargeChain_StopsAtTheReadBudget()
    {
        // Every attachment's data stream points at the same large chain: reading is budgeted, not repeated without end.
        var spec = new OutlookMessageSpec { Subject = "amplify" };
        for (var i = 0; i < 40; i++)
        {
            spec.Attachments.Add(new AttachmentSpec { FileName = "a" + i, Data = i == 0 ? new byte[60_000] : new byte[4096] });
        }

        var image = OutlookMessageWriter.WriteImage(spec);
        var first = image.Entries[BigStream];
        for (var i = 1; i < 40; i++)
        {
            var info = image.Entries[$"__attach_version1.0_#{i:X8}/__substg1.0_37010102"];
            BinaryPrimitives.WriteUInt32LittleEndian(image.Bytes.AsSpan(image.EntryOffset(info.Index) + 116), first.StartSector);
            BinaryPrimitives.WriteUInt64LittleEndian(image.Bytes.AsSpan(image.EntryOffset(info.Index) + 120), 60_000);
        }

        var message = OutlookMessageReader.Read(image.Bytes);

        NoInternalErrors(message);
        Assert.True(HasWarning(message, "twice its size"));
        var total = Leaves(message).Where(p => p.IsAttachment).Sum(p => (long)p.DecodeContent().Length);
        Assert.True(total <= 2L * image.Bytes.Length + 65536, $"read {total}");
    }

    [Fact]
    public void Read_WhenMiniFatChainLoops_CutsTheSmallStreamWithWarning()
    {
        var spec = new OutlookMessageSpec { Subject = "mini", Body = new string('x', 300) };
        var image = OutlookMessageWriter.WriteImage(spec);
        var body = image.Entries["__substg1.0_1000001F"];
        Assert.True(body.InMiniStream);
        var entry = CompoundFileImage.SectorOffset(image.MiniFatStart) + (int)((body.StartSector + 3) * 4);
        BinaryPrimitives.WriteUInt32LittleEndian(image.Bytes.AsSpan(entry), body.StartSector + 1);

        var message = OutlookMessageReader.Read(image.Bytes);

        NoInternalErrors(message);
        Assert.True(HasWarning(message, "MiniFAT chain loops"));
        Assert.Equal("mini", message.Subject);
        Assert.Equal(new string('x', 128), Assert.IsType<MimePart>(message.Body).GetText());
    }
}
