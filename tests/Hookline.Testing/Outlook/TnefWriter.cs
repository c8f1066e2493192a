using System.Buffers.Binary;
using System.Text;

namespace Hookline.Testing.Outlook;

/// <summary>Builds a TNEF stream attribute by attribute (MS-OXTNEF 2.1.3), with correct or chosen checksums.</summary>
public sealed class TnefBuilder : IDisposable
{
    public const byte Message = 0x01;
    public const byte Attachment = 0x02;

    public const uint AttFrom = 0x00008000;
    public const uint AttSubject = 0x00018004;
    public const uint AttDateSent = 0x00038005;
    public const uint AttMessageClass = 0x00078008;
    public const uint AttBody = 0x0002800C;
    public const uint AttAttachData = 0x0006800F;
    public const uint AttAttachTitle = 0x00018010;
    public const uint AttAttachRendData = 0x00069002;
    public const uint AttMsgProps = 0x00069003;
    public const uint AttRecipTable = 0x00069004;
    public const uint AttAttachment = 0x00069005;
    public const uint AttTnefVersion = 0x00089006;
    public const uint AttOemCodepage = 0x00069007;

    private readonly MemoryStream _stream = new();

    public void Dispose() => _stream.Dispose();

    public TnefBuilder(ushort key = 0x0102)
    {
        U32(0x223E9F78);
        Span<byte> k = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(k, key);
        _stream.Write(k);
    }

    public static ushort Checksum(byte[] data) => (ushort)data.Aggregate(0u, (sum, b) => sum + b);

    /// <summary>Level, id, length, data, checksum (the correct one unless given).</summary>
    public TnefBuilder Attribute(byte level, uint id, byte[] data, ushort? checksum = null, uint? declaredLength = null)
    {
        _stream.WriteByte(level);
        U32(id);
        U32(declaredLength ?? (uint)data.Length);
        _stream.Write(data);
        Span<byte> c = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(c, checksum ?? Checksum(data));
        _stream.Write(c);
        return this;
    }

    public TnefBuilder Raw(byte[] bytes)
    {
        _stream.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _stream.ToArray();

    private void U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        _stream.Write(b);
    }
}

/// <summary>Writes TNEF streams from an <see cref="OutlookMessageSpec"/>: legacy attributes plus attMsgProps, attRecipTable and per-attachment attributes; embedded messages nest a TNEF stream in PidTagAttachDataObject.</summary>
public static class TnefWriter
{
    /// <summary>IID_IMessage {00020307-0000-0000-C000-000000000046}.</summary>
    public static readonly byte[] IidMessage = new Guid("00020307-0000-0000-C000-000000000046").ToByteArray();

    public static byte[] Write(OutlookMessageSpec spec)
    {
        var encoding = spec.String8Encoding();
        var builder = new TnefBuilder();
        builder.Attribute(TnefBuilder.Message, TnefBuilder.AttTnefVersion, OutlookMessageSpec.Int32(0x00010000));
        builder.Attribute(TnefBuilder.Message, TnefBuilder.AttOemCodepage, [.. OutlookMessageSpec.Int32(spec.MessageCodePage ?? 1252), .. OutlookMessageSpec.Int32(0)]);
        builder.Attribute(TnefBuilder.Message, TnefBuilder.AttMessageClass, Terminated(encoding.GetBytes(spec.MessageClass)));
        builder.Attribute(TnefBuilder.Message, TnefBuilder.AttMsgProps, PropertyList(spec.MessageProperties()));
        if (spec.Recipients.Count > 0)
        {
            var table = new MemoryStream();
            table.Write(OutlookMessageSpec.Int32(spec.Recipients.Count));
            foreach (var recipient in spec.Recipients)
            {
                table.Write(PropertyList(spec.RecipientProperties(recipient)));
            }

            builder.Attribute(TnefBuilder.Message, TnefBuilder.AttRecipTable, table.ToArray());
        }

        foreach (var attachment in spec.Attachments)
        {
            builder.Attribute(TnefBuilder.Attachment, TnefBuilder.AttAttachRendData, RendData((ushort)(attachment.Embedded is null ? 1 : 2)));
            if (attachment.FileName is not null)
            {
                builder.Attribute(TnefBuilder.Attachment, TnefBuilder.AttAttachTitle, Terminated(encoding.GetBytes(attachment.FileName)));
            }

            var properties = spec.AttachmentProperties(attachment);
            if (attachment.Data is not null)
            {
                builder.Attribute(TnefBuilder.Attachment, TnefBuilder.AttAttachData, attachment.Data);
                properties.RemoveAll(p => p.Id == 0x3701);
            }

            if (attachment.Embedded is { } embedded)
            {
                properties.Add((0x3701, 0x000D, [.. IidMessage, .. Write(embedded)]));
            }

            builder.Attribute(TnefBuilder.Attachment, TnefBuilder.AttAttachment, PropertyList(properties));
        }

        return builder.ToArray();
    }

    /// <summary>A MsgPropertyList (MS-OXTNEF 2.1.3.4): count, then tag and value(s) with 4-byte padding. Strings get a terminator.</summary>
    public static byte[] PropertyList(IEnumerable<(ushort Id, ushort Type, byte[] Value)> properties)
    {
        var list = properties.ToList();
        var stream = new MemoryStream();
        stream.Write(OutlookMessageSpec.Int32(list.Count));
        foreach (var (id, type, value) in list)
        {
            stream.Write(OutlookMessageSpec.Int32((id << 16) | type));
            switch (type)
            {
                case 0x001E:
                case 0x001F:
                case 0x0102:
                case 0x000D:
                    var data = type switch
                    {
                        0x001E => Terminated(value),
                        0x001F => [.. value, 0, 0],
                        _ => value,
                    };
                    stream.Write(OutlookMessageSpec.Int32(1));
                    stream.Write(OutlookMessageSpec.Int32(data.Length));
                    stream.Write(data);
                    stream.Write(new byte[((data.Length + 3) & ~3) - data.Length]);
                    break;
                default:
                    var padded = new byte[(value.Length + 3) & ~3];
                    value.CopyTo(padded, 0);
                    stream.Write(padded);
                    break;
            }
        }

        return stream.ToArray();
    }

    public static byte[] Terminated(byte[] bytes) => [.. bytes, 0];

    /// <summary>attAttachRendData: type (1 file, 2 OLE), position -1, width, height, flags.</summary>
    public static byte[] RendData(ushort type)
    {
        var data = new byte[14];
        BinaryPrimitives.WriteUInt16LittleEndian(data, type);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(2), -1);
        return data;
    }

    /// <summary>atpDate value for attDateSent.</summary>
    public static byte[] Date(DateTime time)
    {
        var data = new byte[14];
        ushort[] parts = [(ushort)time.Year, (ushort)time.Month, (ushort)time.Day, (ushort)time.Hour, (ushort)time.Minute, (ushort)time.Second, (ushort)time.DayOfWeek];
        for (var i = 0; i < parts.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(i * 2), parts[i]);
        }

        return data;
    }

    /// <summary>attFrom: TRP header, display name, "SMTP:address", each NUL-terminated, then an empty TRP.</summary>
    public static byte[] From(string name, string address)
    {
        var n = Terminated(Encoding.ASCII.GetBytes(name));
        var a = Terminated(Encoding.ASCII.GetBytes("SMTP:" + address));
        var data = new byte[8 + n.Length + a.Length + 8];
        BinaryPrimitives.WriteUInt16LittleEndian(data, 0x0004);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), (ushort)(8 + n.Length + a.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(4), (ushort)n.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(6), (ushort)a.Length);
        n.CopyTo(data, 8);
        a.CopyTo(data, 8 + n.Length);
        return data;
    }
}
