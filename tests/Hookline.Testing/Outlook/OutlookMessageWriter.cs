using System.Buffers.Binary;
using System.Globalization;

namespace Hookline.Testing.Outlook;

/// <summary>
/// Writes .msg files (MS-OXMSG) from an <see cref="OutlookMessageSpec"/>: property streams with the
/// right header sizes, __substg1.0_ streams for variable-size values, recipient and attachment
/// storages, and embedded messages in __substg1.0_3701000D storages. Test support only.
/// </summary>
public static class OutlookMessageWriter
{
    public static byte[] Write(OutlookMessageSpec spec) => WriteImage(spec).Bytes;

    public static CompoundFileImage WriteImage(OutlookMessageSpec spec)
    {
        var root = new CfbStorage("Root Entry");
        Fill(root, spec, headerSize: 32);
        return CompoundFileWriter.Write(root);
    }

    private static void Fill(CfbStorage storage, OutlookMessageSpec spec, int headerSize)
    {
        var header = new byte[headerSize];
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), spec.Recipients.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), spec.Attachments.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), spec.Recipients.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(20), spec.Attachments.Count);
        WriteProperties(storage, header, spec.MessageProperties());

        for (var i = 0; i < spec.Recipients.Count; i++)
        {
            var recipient = storage.AddStorage("__recip_version1.0_#" + i.ToString("X8", CultureInfo.InvariantCulture));
            WriteProperties(recipient, new byte[8], spec.RecipientProperties(spec.Recipients[i]));
        }

        for (var i = 0; i < spec.Attachments.Count; i++)
        {
            var attachment = spec.Attachments[i];
            var child = storage.AddStorage("__attach_version1.0_#" + i.ToString("X8", CultureInfo.InvariantCulture));
            var properties = spec.AttachmentProperties(attachment);
            if (attachment.Embedded is { } embedded)
            {
                properties.Add((0x3701, 0x000D, []));
                Fill(child.AddStorage("__substg1.0_3701000D"), embedded, headerSize: 24);
            }

            WriteProperties(child, new byte[8], properties);
        }
    }

    private static void WriteProperties(CfbStorage storage, byte[] header, List<(ushort Id, ushort Type, byte[] Value)> properties)
    {
        var stream = new MemoryStream();
        stream.Write(header);
        foreach (var (id, type, value) in properties)
        {
            var entry = new byte[16];
            BinaryPrimitives.WriteUInt32LittleEndian(entry, ((uint)id << 16) | type);
            BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(4), 0x00000006);
            switch (type)
            {
                case 0x001F:
                case 0x001E:
                case 0x0102:
                    var size = value.Length + (type == 0x001F ? 2 : type == 0x001E ? 1 : 0);
                    BinaryPrimitives.WriteInt32LittleEndian(entry.AsSpan(8), size);
                    storage.AddStream("__substg1.0_" + id.ToString("X4", CultureInfo.InvariantCulture) + type.ToString("X4", CultureInfo.InvariantCulture), value);
                    break;
                case 0x000D:
                    BinaryPrimitives.WriteUInt32LittleEndian(entry.AsSpan(8), 0xFFFFFFFF);
                    break;
                default:
                    value.AsSpan(0, Math.Min(8, value.Length)).CopyTo(entry.AsSpan(8));
                    break;
            }

            stream.Write(entry);
        }

        storage.AddStream("__properties_version1.0", stream.ToArray());
    }
}
