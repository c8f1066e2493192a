using System.Buffers.Binary;
using System.Text;
using Hookline.Mime.Text;

namespace Hookline.Testing.Outlook;

/// <summary>A simple description of an Outlook message, written as .msg or TNEF by the test writers.</summary>
public sealed class OutlookMessageSpec
{
    public string? Subject { get; set; }

    public string? SenderName { get; set; }

    public string? SenderEmail { get; set; }

    public string? SenderSmtp { get; set; }

    public string? SentRepresentingName { get; set; }

    public string? SentRepresentingSmtp { get; set; }

    public string? TransportHeaders { get; set; }

    public string? Body { get; set; }

    /// <summary>PidTagHtml as binary (bytes in <see cref="InternetCodePage"/>).</summary>
    public byte[]? Html { get; set; }

    /// <summary>PidTagRtfCompressed, already compressed (see <see cref="RtfCompressor"/>).</summary>
    public byte[]? RtfCompressed { get; set; }

    public string? MessageId { get; set; }

    public string MessageClass { get; set; } = "IPM.Note";

    public DateTime? SubmitTime { get; set; }

    /// <summary>True: strings are PtypString (UTF-16LE); false: PtypString8 in <see cref="MessageCodePage"/> (1252 when unset).</summary>
    public bool Unicode { get; set; } = true;

    public int? MessageCodePage { get; set; }

    public int? InternetCodePage { get; set; }

    public List<RecipientSpec> Recipients { get; } = [];

    public List<AttachmentSpec> Attachments { get; } = [];

    /// <summary>Message properties in writing order: (id, type, value bytes; strings without terminator).</summary>
    public List<(ushort Id, ushort Type, byte[] Value)> MessageProperties()
    {
        var list = new List<(ushort, ushort, byte[])>();
        AddString(list, 0x001A, MessageClass);
        AddString(list, 0x0037, Subject);
        AddString(list, 0x0C1A, SenderName);
        AddString(list, 0x0C1F, SenderEmail);
        AddString(list, 0x5D01, SenderSmtp);
        AddString(list, 0x0042, SentRepresentingName);
        AddString(list, 0x5D02, SentRepresentingSmtp);
        AddString(list, 0x007D, TransportHeaders);
        AddString(list, 0x1000, Body);
        AddString(list, 0x1035, MessageId);
        if (Html is not null)
        {
            list.Add((0x1013, 0x0102, Html));
        }

        if (RtfCompressed is not null)
        {
            list.Add((0x1009, 0x0102, RtfCompressed));
        }

        if (SubmitTime is { } time)
        {
            list.Add((0x0039, 0x0040, Int64(time.ToFileTimeUtc())));
        }

        if (MessageCodePage is { } cp)
        {
            list.Add((0x3FFD, 0x0003, Int32(cp)));
        }

        if (InternetCodePage is { } icp)
        {
            list.Add((0x3FDE, 0x0003, Int32(icp)));
        }

        return list;
    }

    public List<(ushort Id, ushort Type, byte[] Value)> RecipientProperties(RecipientSpec recipient)
    {
        var list = new List<(ushort, ushort, byte[])>();
        AddString(list, 0x3001, recipient.Name);
        AddString(list, 0x3002, "SMTP");
        AddString(list, 0x3003, recipient.Email);
        list.Add((0x0C15, 0x0003, Int32(recipient.Type)));
        return list;
    }

    public List<(ushort Id, ushort Type, byte[] Value)> AttachmentProperties(AttachmentSpec attachment)
    {
        var list = new List<(ushort, ushort, byte[])>();
        list.Add((0x3705, 0x0003, Int32(attachment.Method ?? (attachment.Embedded is null ? 1 : 5))));
        AddString(list, 0x3704, attachment.FileName);
        AddString(list, 0x3707, attachment.LongFileName);
        AddString(list, 0x370E, attachment.MimeType);
        AddString(list, 0x3712, attachment.ContentId);
        AddString(list, 0x3001, attachment.DisplayName);
        if (attachment.Data is not null)
        {
            list.Add((0x3701, 0x0102, attachment.Data));
        }

        return list;
    }

    public Encoding String8Encoding()
    {
        _ = Charsets.Windows1252;
        return Encoding.GetEncoding(MessageCodePage ?? 1252);
    }

    private void AddString(List<(ushort, ushort, byte[])> list, ushort id, string? value)
    {
        if (value is null)
        {
            return;
        }

        list.Add(Unicode ? (id, (ushort)0x001F, Encoding.Unicode.GetBytes(value)) : (id, (ushort)0x001E, String8Encoding().GetBytes(value)));
    }

    internal static byte[] Int32(int value)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(b, value);
        return b;
    }

    internal static byte[] Int64(long value)
    {
        var b = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(b, value);
        return b;
    }
}

/// <summary>A recipient: type 1 To, 2 Cc, 3 Bcc.</summary>
public sealed record RecipientSpec(string? Name, string? Email, int Type = 1);

public sealed class AttachmentSpec
{
    public string? FileName { get; set; }

    public string? LongFileName { get; set; }

    public string? DisplayName { get; set; }

    public string? MimeType { get; set; }

    public string? ContentId { get; set; }

    public byte[]? Data { get; set; }

    /// <summary>An embedded message (attach method 5).</summary>
    public OutlookMessageSpec? Embedded { get; set; }

    /// <summary>PidTagAttachMethod; 1 (by value) or 5 (embedded) when unset.</summary>
    public int? Method { get; set; }
}

/// <summary>Produces PidTagRtfCompressed values (MS-OXRTFCP) for tests: literal-only LZFu or the uncompressed MELA form.</summary>
public static class RtfCompressor
{
    /// <summary>LZFu with every byte a literal, then the end-of-stream reference (offset = write position).</summary>
    public static byte[] CompressLiteral(byte[] raw)
    {
        var body = new List<byte>();
        var write = 207;
        var i = 0;
        var done = false;
        while (!done)
        {
            var controlAt = body.Count;
            body.Add(0);
            byte control = 0;
            for (var bit = 0; bit < 8; bit++)
            {
                if (i < raw.Length)
                {
                    body.Add(raw[i++]);
                    write = (write + 1) % 4096;
                    continue;
                }

                control |= (byte)(1 << bit);
                var token = write << 4;
                body.Add((byte)(token >> 8));
                body.Add((byte)token);
                done = true;
                break;
            }

            body[controlAt] = control;
        }

        return WithHeader(body.ToArray(), raw.Length, 0x75465A4C, Crc(body.ToArray()));
    }

    public static byte[] Uncompressed(byte[] raw) => WithHeader(raw, raw.Length, 0x414C454D, 0);

    /// <summary>Header (COMPSIZE, RAWSIZE, COMPTYPE, CRC) followed by the contents.</summary>
    public static byte[] WithHeader(byte[] contents, int rawSize, uint type, uint crc)
    {
        var result = new byte[16 + contents.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)(contents.Length + 12));
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), (uint)rawSize);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), type);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(12), crc);
        contents.CopyTo(result, 16);
        return result;
    }

    /// <summary>CRC-32 (reflected, polynomial 0xEDB88320) started at 0 with no final inversion, as MS-OXRTFCP uses.</summary>
    public static uint Crc(byte[] data)
    {
        uint crc = 0;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc;
    }
}
