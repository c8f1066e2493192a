using System.Buffers.Binary;
using System.Text;

namespace Hookline.Mime.Outlook;

/// <summary>
/// Reads TNEF streams (MS-OXTNEF; winmail.dat, application/ms-tnef) into the common message model
/// and returns the synthesized MIME message (see <see cref="OutlookMime"/>). Attribute checksums are
/// verified (a mismatch is a warning; the data is still used), lengths are checked against what is
/// left, property counts against the bytes that could hold them, and embedded messages (a nested
/// TNEF stream in an attachment's PidTagAttachDataObject) are read to a bounded depth.
/// Never throws on content: warnings are prefixed "[tnef]", offsets are in the TNEF stream.
/// </summary>
public static class TnefReader
{
    /// <summary>TNEF_SIGNATURE, stored little-endian (78 9F 3E 22).</summary>
    public const uint Signature = 0x223E9F78;

    private const byte LevelMessage = 0x01;
    private const byte LevelAttachment = 0x02;

    // Attribute identifiers (MS-OXTNEF 2.1.3.3): the low word names the attribute, the high word its legacy type.
    private const ushort AttFrom = 0x8000;
    private const ushort AttSubject = 0x8004;
    private const ushort AttDateSent = 0x8005;
    private const ushort AttDateReceived = 0x8006;
    private const ushort AttMessageClass = 0x8008;
    private const ushort AttBody = 0x800C;
    private const ushort AttAttachData = 0x800F;
    private const ushort AttAttachTitle = 0x8010;
    private const ushort AttAttachRendData = 0x9002;
    private const ushort AttMsgProps = 0x9003;
    private const ushort AttRecipTable = 0x9004;
    private const ushort AttAttachment = 0x9005;
    private const ushort AttOemCodepage = 0x9007;

    /// <summary>True when the bytes start with the TNEF signature.</summary>
    public static bool IsTnef(ReadOnlySpan<byte> data) => data.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(data) == Signature;

    /// <summary>Reads a TNEF stream and returns the synthesized MIME message. Never throws on content.</summary>
    public static MimeMessage Read(ReadOnlyMemory<byte> tnef, MimeLimits? limits = null)
    {
        limits ??= MimeLimits.Default;
        var warnings = new List<MimeWarning>();
        var message = OutlookSafety.Run(() => Load(tnef, limits, warnings), warnings, "tnef");
        return OutlookMime.Build(message, "tnef", "tnef", limits, warnings);
    }

    internal static MapiMessage? Load(ReadOnlyMemory<byte> data, MimeLimits limits, List<MimeWarning> warnings)
    {
        if (!IsTnef(data.Span))
        {
            warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 0, "Not a TNEF stream (signature 78 9F 3E 22 missing)."));
            return null;
        }

        var state = new OutlookReadState(limits, warnings);
        return ReadMessage(state, data, 0, depth: 0, inheritedCodePage: 1252);
    }

    private static MapiMessage ReadMessage(OutlookReadState state, ReadOnlyMemory<byte> memory, long baseOffset, int depth, int inheritedCodePage)
    {
        var span = memory.Span;
        var message = new MapiMessage();
        var legacy = new MapiPropertyBag();
        MapiAttachment? current = null;
        MapiPropertyBag? currentLegacy = null;
        var attachmentLegacy = new List<(MapiAttachment Attachment, MapiPropertyBag Legacy)>();
        var oemCodePage = inheritedCodePage;
        if (span.Length < 6)
        {
            state.Warn(MimeWarningCode.Truncated, baseOffset + span.Length, "TNEF stream ends inside its 6-byte signature and key.");
        }

        var pos = 6;
        while (pos < span.Length)
        {
            var at = baseOffset + pos;
            if (span.Length - pos < 11)
            {
                state.Warn(MimeWarningCode.Truncated, at, $"TNEF stream has {span.Length - pos} bytes left, too few for an attribute (11 at least).");
                break;
            }

            var level = span[pos];
            var id = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 1)..]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 5)..]);
            var dataStart = pos + 9;
            var available = span.Length - dataStart;
            bool truncated = false;
            int dataLength;
            if (length > available - 2)
            {
                truncated = true;
                dataLength = Math.Max(0, Math.Min(available, (int)Math.Min(length, int.MaxValue)));
                state.Warn(MimeWarningCode.Truncated, at, $"TNEF attribute 0x{id:X8} declares {length} bytes but only {available} remain; the rest of the stream is lost.");
            }
            else
            {
                dataLength = (int)length;
                var expected = BinaryPrimitives.ReadUInt16LittleEndian(span[(dataStart + dataLength)..]);
                var actual = Checksum(span.Slice(dataStart, dataLength));
                if (expected != actual)
                {
                    state.Warn(MimeWarningCode.OutlookFormat, at, $"TNEF attribute 0x{id:X8} checksum is 0x{expected:X4} but its data sums to 0x{actual:X4}; data used anyway.");
                }
            }

            var data = memory.Slice(dataStart, dataLength);
            var dataOffset = baseOffset + dataStart;
            if (level is not (LevelMessage or LevelAttachment))
            {
                state.Warn(MimeWarningCode.OutlookFormat, at, $"TNEF attribute 0x{id:X8} has level {level}, neither message (1) nor attachment (2); skipped.");
            }
            else if (level == LevelMessage)
            {
                switch ((ushort)id)
                {
                    case AttMsgProps:
                        ReadPropertyList(state, data, dataOffset, message.Properties, depth, oemCodePage);
                        break;
                    case AttRecipTable:
                        ReadRecipients(state, data, dataOffset, message, depth, oemCodePage);
                        break;
                    case AttOemCodepage when data.Length >= 4:
                        var cp = BinaryPrimitives.ReadInt32LittleEndian(data.Span);
                        if (OutlookText.GetEncoding(cp) is not null)
                        {
                            oemCodePage = cp;
                        }

                        break;
                    case AttSubject:
                        legacy.Set(new MapiProperty(PropertyId.Subject, PropertyType.String8, data.ToArray()));
                        break;
                    case AttMessageClass:
                        legacy.Set(new MapiProperty(PropertyId.MessageClass, PropertyType.String8, data.ToArray()));
                        break;
                    case AttBody:
                        legacy.Set(new MapiProperty(PropertyId.Body, PropertyType.String8, data.ToArray()));
                        break;
                    case AttDateSent:
                        SetDate(legacy, PropertyId.ClientSubmitTime, data.Span);
                        break;
                    case AttDateReceived:
                        SetDate(legacy, PropertyId.MessageDeliveryTime, data.Span);
                        break;
                    case AttFrom:
                        ReadFrom(legacy, data.Span);
                        break;
                }
            }
            else
            {
                var attribute = (ushort)id;
                if (attribute == AttAttachRendData || current is null)
                {
                    if (!state.TakePart())
                    {
                        break;
                    }

                    current = new MapiAttachment();
                    currentLegacy = new MapiPropertyBag();
                    message.Attachments.Add(current);
                    attachmentLegacy.Add((current, currentLegacy));
                }

                switch (attribute)
                {
                    case AttAttachData:
                        currentLegacy!.Set(new MapiProperty(PropertyId.AttachDataBinary, PropertyType.Binary, data.ToArray()));
                        break;
                    case AttAttachTitle:
                        currentLegacy!.Set(new MapiProperty(PropertyId.AttachFilename, PropertyType.String8, data.ToArray()));
                        break;
                    case AttAttachment:
                        ReadPropertyList(state, data, dataOffset, current.Properties, depth, oemCodePage, current);
                        break;
                }
            }

            if (truncated)
            {
                break;
            }

            pos = dataStart + dataLength + 2;
        }

        // MAPI properties win over the legacy attributes that duplicate them.
        var codePage = OutlookText.StringCodePage(message.Properties, oemCodePage);
        message.Properties.CodePage = codePage;
        Merge(message.Properties, legacy);
        foreach (var recipient in message.Recipients)
        {
            recipient.CodePage = codePage;
        }

        foreach (var (attachment, extra) in attachmentLegacy)
        {
            attachment.Properties.CodePage = codePage;
            Merge(attachment.Properties, extra);
        }

        return message;
    }

    private static void Merge(MapiPropertyBag target, MapiPropertyBag legacy)
    {
        foreach (var property in legacy.Items)
        {
            if (!target.Contains(property.Id))
            {
                target.Set(property);
            }
        }
    }

    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        foreach (var b in data)
        {
            sum += b;
        }

        return (ushort)sum;
    }

    /// <summary>atpDate: year, month, day, hour, minute, second, day of week as 16-bit values.</summary>
    private static void SetDate(MapiPropertyBag bag, ushort id, ReadOnlySpan<byte> data)
    {
        if (data.Length < 12)
        {
            return;
        }

        var part = new int[6];
        for (var i = 0; i < 6; i++)
        {
            part[i] = BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]);
        }

        var (year, month, day, hour, minute, second) = (part[0], part[1], part[2], part[3], part[4], part[5]);
        if (year is < 1601 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return;
        }

        var value = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(value, new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).ToFileTimeUtc());
        bag.Set(new MapiProperty(id, PropertyType.Time, value));
    }

    /// <summary>attFrom (atpTriples): a TRP header (id, size, name length, address length), the name, then "TYPE:address".</summary>
    private static void ReadFrom(MapiPropertyBag bag, ReadOnlySpan<byte> data)
    {
        if (data.Length < 8)
        {
            return;
        }

        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
        var addressLength = BinaryPrimitives.ReadUInt16LittleEndian(data[6..]);
        var rest = data[8..];
        var name = rest[..Math.Min(nameLength, rest.Length)];
        rest = rest[name.Length..];
        var address = rest[..Math.Min(addressLength, rest.Length)];
        bag.Set(new MapiProperty(PropertyId.SenderName, PropertyType.String8, name.ToArray()));
        var text = Encoding.ASCII.GetString(address).TrimEnd('\0');
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            text = text[(colon + 1)..];
        }

        bag.Set(new MapiProperty(PropertyId.SenderEmailAddress, PropertyType.String8, Encoding.ASCII.GetBytes(text)));
    }

    private static void ReadRecipients(OutlookReadState state, ReadOnlyMemory<byte> data, long offset, MapiMessage message, int depth, int codePage)
    {
        var span = data.Span;
        if (span.Length < 4)
        {
            state.Warn(MimeWarningCode.Truncated, offset, "attRecipTable is too short for its row count.");
            return;
        }

        var rows = BinaryPrimitives.ReadUInt32LittleEndian(span);
        var pos = 4;
        for (var i = 0u; i < rows && pos < span.Length; i++)
        {
            if (!state.TakePart())
            {
                return;
            }

            var bag = new MapiPropertyBag();
            var used = ReadPropertyList(state, data[pos..], offset + pos, bag, depth, codePage);
            message.Recipients.Add(bag);
            if (used < 0)
            {
                return;
            }

            pos += used;
        }

        if (pos >= span.Length && message.Recipients.Count < rows && rows != 0)
        {
            state.Warn(MimeWarningCode.Truncated, offset + span.Length, $"attRecipTable declares {rows} rows but holds {message.Recipients.Count}.");
        }
    }

    /// <summary>
    /// Reads a MsgPropertyList (MS-OXTNEF 2.1.3.4) into <paramref name="bag"/>; returns the bytes consumed, or -1 when the list is damaged.
    /// Named properties and multi-valued properties are skipped (their bytes are still walked);
    /// an attachment's PidTagAttachDataObject holding a nested TNEF message is read as the embedded message.
    /// </summary>
    private static int ReadPropertyList(OutlookReadState state, ReadOnlyMemory<byte> memory, long offset, MapiPropertyBag bag, int depth, int codePage, MapiAttachment? attachment = null)
    {
        var span = memory.Span;
        if (span.Length < 4)
        {
            state.Warn(MimeWarningCode.Truncated, offset, "TNEF property list is too short for its count.");
            return span.Length;
        }

        var count = BinaryPrimitives.ReadUInt32LittleEndian(span);
        var pos = 4;
        for (var n = 0u; n < count; n++)
        {
            if (span.Length - pos < 4)
            {
                state.Warn(MimeWarningCode.Truncated, offset + pos, $"TNEF property list declares {count} properties but ends after {n}.");
                return span.Length;
            }

            var type = BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]);
            var id = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 2)..]);
            var tagAt = pos;
            pos += 4;
            if (id >= 0x8000)
            {
                // NamedPropSpec: GUID, kind, then an id or a counted UTF-16 name padded to 4 bytes.
                if (span.Length - pos < 24)
                {
                    return Fail(state, offset + pos, "named property name");
                }

                var kind = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 16)..]);
                pos += 20;
                if (kind == 1)
                {
                    var nameLength = BinaryPrimitives.ReadUInt32LittleEndian(span[pos..]);
                    pos += 4;
                    if (nameLength > span.Length - pos)
                    {
                        return Fail(state, offset + pos, "named property name");
                    }

                    pos += Pad((int)nameLength);
                    if (pos > span.Length)
                    {
                        return span.Length;
                    }
                }
                else
                {
                    pos += 4;
                }
            }

            var multi = (type & PropertyType.MultipleFlag) != 0;
            var baseType = (ushort)(type & ~PropertyType.MultipleFlag);
            var variable = PropertyType.IsVariable(baseType);
            var fixedSize = PropertyType.FixedSize(baseType);
            if (!variable && fixedSize == 0)
            {
                state.Warn(MimeWarningCode.OutlookFormat, offset + tagAt, $"TNEF property 0x{id:X4} has type 0x{type:X4}, whose size is unknown; the rest of the list is skipped.");
                return span.Length;
            }

            var valueCount = 1u;
            if (multi || variable)
            {
                if (span.Length - pos < 4)
                {
                    return Fail(state, offset + pos, "value count");
                }

                valueCount = BinaryPrimitives.ReadUInt32LittleEndian(span[pos..]);
                pos += 4;
                if (valueCount > (span.Length - pos) / 4 + 1)
                {
                    return Fail(state, offset + pos, $"{valueCount} values");
                }
            }

            for (var v = 0u; v < valueCount; v++)
            {
                int valueStart, valueLength;
                if (variable)
                {
                    if (span.Length - pos < 4)
                    {
                        return Fail(state, offset + pos, "value size");
                    }

                    var size = BinaryPrimitives.ReadUInt32LittleEndian(span[pos..]);
                    pos += 4;
                    if (size > span.Length - pos)
                    {
                        return Fail(state, offset + pos, $"a {size}-byte value");
                    }

                    valueStart = pos;
                    valueLength = (int)size;
                    pos += Pad(valueLength);
                }
                else
                {
                    valueLength = fixedSize;
                    valueStart = pos;
                    pos += Pad(fixedSize);
                }

                if (pos > span.Length || valueStart + valueLength > span.Length)
                {
                    return Fail(state, offset + valueStart, "a value");
                }

                if (multi || v > 0 || id >= 0x8000)
                {
                    continue;
                }

                if (baseType == PropertyType.Object)
                {
                    if (id == PropertyId.AttachDataBinary && attachment is not null && valueLength > 16)
                    {
                        ReadEmbedded(state, memory.Slice(valueStart + 16, valueLength - 16), offset + valueStart + 16, depth, codePage, attachment);
                    }

                    continue;
                }

                if (variable && !PropertyId.IsWanted(id))
                {
                    continue;
                }

                bag.Set(new MapiProperty(id, baseType, span.Slice(valueStart, valueLength).ToArray()));
            }
        }

        return Math.Min(pos, span.Length);
    }

    private static void ReadEmbedded(OutlookReadState state, ReadOnlyMemory<byte> data, long offset, int depth, int codePage, MapiAttachment attachment)
    {
        if (!IsTnef(data.Span))
        {
            state.Warn(MimeWarningCode.OutlookFormat, offset, "Attachment object is not a nested TNEF message; not read.");
            return;
        }

        if (depth + 1 >= state.Limits.MaxDepth)
        {
            state.Warn(MimeWarningCode.TooDeeplyNested, offset, $"Embedded TNEF message nested deeper than {state.Limits.MaxDepth}; not read.");
            return;
        }

        attachment.EmbeddedMessage = ReadMessage(state, data, offset, depth + 1, codePage);
    }

    private static int Pad(int length) => (length + 3) & ~3;

    private static int Fail(OutlookReadState state, long offset, string what)
    {
        state.Warn(MimeWarningCode.Truncated, offset, $"TNEF property list ends inside {what}; the rest of the list is skipped.");
        return -1;
    }
}
