using System.Buffers.Binary;
using System.Text;
using Hookline.Mime.Text;

namespace Hookline.Mime.Outlook;

/// <summary>Property types (MS-OXCDATA 2.11.1) that the readers handle.</summary>
internal static class PropertyType
{
    public const ushort Integer16 = 0x0002;
    public const ushort Integer32 = 0x0003;
    public const ushort Floating32 = 0x0004;
    public const ushort Floating64 = 0x0005;
    public const ushort Currency = 0x0006;
    public const ushort FloatingTime = 0x0007;
    public const ushort ErrorCode = 0x000A;
    public const ushort Boolean = 0x000B;
    public const ushort Object = 0x000D;
    public const ushort Integer64 = 0x0014;
    public const ushort String8 = 0x001E;
    public const ushort Unicode = 0x001F;
    public const ushort Time = 0x0040;
    public const ushort Guid = 0x0048;
    public const ushort Binary = 0x0102;
    public const ushort MultipleFlag = 0x1000;

    /// <summary>Size of a fixed-size single value, or 0 for variable-size and unknown types.</summary>
    public static int FixedSize(ushort type) => type switch
    {
        Integer16 or Boolean => 2,
        Integer32 or Floating32 or ErrorCode => 4,
        Floating64 or Currency or FloatingTime or Integer64 or Time => 8,
        Guid => 16,
        _ => 0,
    };

    public static bool IsVariable(ushort type) => type is String8 or Unicode or Binary or Object;
}

/// <summary>Property identifiers (MS-OXPROPS) the readers use.</summary>
internal static class PropertyId
{
    public const ushort MessageClass = 0x001A;            // PidTagMessageClass
    public const ushort Subject = 0x0037;                 // PidTagSubject
    public const ushort ClientSubmitTime = 0x0039;        // PidTagClientSubmitTime
    public const ushort SentRepresentingName = 0x0042;    // PidTagSentRepresentingName
    public const ushort SentRepresentingAddressType = 0x0064;
    public const ushort SentRepresentingEmailAddress = 0x0065;
    public const ushort TransportMessageHeaders = 0x007D; // PidTagTransportMessageHeaders
    public const ushort RecipientType = 0x0C15;           // PidTagRecipientType
    public const ushort SenderName = 0x0C1A;              // PidTagSenderName
    public const ushort SenderAddressType = 0x0C1E;
    public const ushort SenderEmailAddress = 0x0C1F;      // PidTagSenderEmailAddress
    public const ushort MessageDeliveryTime = 0x0E06;     // PidTagMessageDeliveryTime
    public const ushort Body = 0x1000;                    // PidTagBody
    public const ushort RtfCompressed = 0x1009;           // PidTagRtfCompressed
    public const ushort Html = 0x1013;                    // PidTagHtml / PidTagBodyHtml
    public const ushort InternetMessageId = 0x1035;       // PidTagInternetMessageId
    public const ushort InternetReferences = 0x1039;      // PidTagInternetReferences
    public const ushort InReplyToId = 0x1042;             // PidTagInReplyToId
    public const ushort DisplayName = 0x3001;             // PidTagDisplayName
    public const ushort AddressType = 0x3002;             // PidTagAddressType
    public const ushort EmailAddress = 0x3003;            // PidTagEmailAddress
    public const ushort AttachDataBinary = 0x3701;        // PidTagAttachDataBinary / PidTagAttachDataObject
    public const ushort AttachExtension = 0x3703;         // PidTagAttachExtension
    public const ushort AttachFilename = 0x3704;          // PidTagAttachFilename
    public const ushort AttachMethod = 0x3705;            // PidTagAttachMethod
    public const ushort AttachLongFilename = 0x3707;      // PidTagAttachLongFilename
    public const ushort AttachMimeTag = 0x370E;           // PidTagAttachMimeTag
    public const ushort AttachContentId = 0x3712;         // PidTagAttachContentId
    public const ushort SmtpAddress = 0x39FE;             // PidTagSmtpAddress
    public const ushort InternetCodepage = 0x3FDE;        // PidTagInternetCodepage
    public const ushort MessageCodepage = 0x3FFD;         // PidTagMessageCodepage
    public const ushort SenderSmtpAddress = 0x5D01;       // PidTagSenderSmtpAddress
    public const ushort SentRepresentingSmtpAddress = 0x5D02; // PidTagSentRepresentingSmtpAddress

    /// <summary>Variable-size properties worth reading; others are skipped so hostile files cannot make the reader copy every stream.</summary>
    public static bool IsWanted(ushort id) => id is MessageClass or Subject or SentRepresentingName or SentRepresentingAddressType
        or SentRepresentingEmailAddress or TransportMessageHeaders or SenderName or SenderAddressType or SenderEmailAddress
        or Body or RtfCompressed or Html or InternetMessageId or InternetReferences or InReplyToId or DisplayName or AddressType
        or EmailAddress or AttachDataBinary or AttachExtension or AttachFilename or AttachLongFilename or AttachMimeTag
        or AttachContentId or SmtpAddress or SenderSmtpAddress or SentRepresentingSmtpAddress;
}

/// <summary>Attachment methods (PidTagAttachMethod, MS-OXCMSG 2.2.2.9).</summary>
internal static class AttachMethod
{
    public const int None = 0;
    public const int ByValue = 1;
    public const int ByReference = 2;
    public const int ByReferenceOnly = 4;
    public const int EmbeddedMessage = 5;
    public const int Storage = 6;
    public const int ByWebReference = 7;
}

/// <summary>One property value as read: type and raw little-endian bytes (for strings, without terminator handling yet).</summary>
internal sealed record MapiProperty(ushort Id, ushort Type, byte[] Value);

/// <summary>The properties of a message, recipient or attachment; strings decode with the owner's code page.</summary>
internal sealed class MapiPropertyBag
{
    private readonly Dictionary<ushort, MapiProperty> _items = [];

    /// <summary>Code page of PtypString8 values (from PidTagMessageCodepage, PidTagInternetCodepage or the container).</summary>
    public int CodePage { get; set; } = 1252;

    public int Count => _items.Count;

    public IEnumerable<MapiProperty> Items => _items.Values;

    /// <summary>Adds a property; a Unicode string is preferred over an 8-bit one with the same id.</summary>
    public void Set(MapiProperty property)
    {
        if (_items.TryGetValue(property.Id, out var existing) && existing.Type == PropertyType.Unicode && property.Type == PropertyType.String8)
        {
            return;
        }

        _items[property.Id] = property;
    }

    public bool Contains(ushort id) => _items.ContainsKey(id);

    public MapiProperty? Get(ushort id) => _items.GetValueOrDefault(id);

    public string? GetString(ushort id)
    {
        if (!_items.TryGetValue(id, out var p))
        {
            return null;
        }

        return p.Type switch
        {
            PropertyType.Unicode => TrimNul(Encoding.Unicode.GetString(p.Value, 0, p.Value.Length & ~1)),
            PropertyType.String8 => TrimNul(OutlookText.Decode(p.Value, CodePage)),
            _ => null,
        };
    }

    public byte[]? GetBinary(ushort id) =>
        _items.TryGetValue(id, out var p) && p.Type is PropertyType.Binary or PropertyType.String8 or PropertyType.Object ? p.Value : null;

    public int? GetInt32(ushort id)
    {
        if (!_items.TryGetValue(id, out var p))
        {
            return null;
        }

        return p.Type switch
        {
            PropertyType.Integer32 or PropertyType.ErrorCode when p.Value.Length >= 4 => BinaryPrimitives.ReadInt32LittleEndian(p.Value),
            PropertyType.Integer16 or PropertyType.Boolean when p.Value.Length >= 2 => BinaryPrimitives.ReadInt16LittleEndian(p.Value),
            _ => null,
        };
    }

    public bool? GetBoolean(ushort id) => GetInt32(id) is { } value ? value != 0 : null;

    public DateTimeOffset? GetTime(ushort id)
    {
        if (!_items.TryGetValue(id, out var p) || p.Type != PropertyType.Time || p.Value.Length < 8)
        {
            return null;
        }

        return OutlookText.FromFileTime(BinaryPrimitives.ReadInt64LittleEndian(p.Value));
    }

    private static string TrimNul(string text)
    {
        var end = text.Length;
        while (end > 0 && text[end - 1] == '\0')
        {
            end--;
        }

        return end == text.Length ? text : text[..end];
    }
}

/// <summary>A message read from .msg or TNEF: its properties, recipients and attachments.</summary>
internal sealed class MapiMessage
{
    public MapiPropertyBag Properties { get; } = new();

    public List<MapiPropertyBag> Recipients { get; } = [];

    public List<MapiAttachment> Attachments { get; } = [];
}

internal sealed class MapiAttachment
{
    public MapiPropertyBag Properties { get; } = new();

    /// <summary>For an embedded message attachment (method 5): the message, when it could be read.</summary>
    public MapiMessage? EmbeddedMessage { get; set; }
}

/// <summary>Code pages and times as MAPI stores them.</summary>
internal static class OutlookText
{
    // 1601-01-01 to 9999-12-31 in 100 ns ticks: the range DateTime.FromFileTimeUtc accepts.
    private const long MaxFileTime = 2650467743999999999;

    /// <summary>The encoding of a Windows code page, or null for unknown pages and the UTF-16/32 pages (not valid for 8-bit strings).</summary>
    public static Encoding? GetEncoding(int codePage)
    {
        _ = Charsets.Windows1252; // registers the code-pages provider
        if (codePage <= 0 || codePage is 1200 or 1201 or 12000 or 12001 or 65000)
        {
            return null;
        }

        try
        {
            return Encoding.GetEncoding(codePage);
        }
        catch (ArgumentException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    public static string Decode(ReadOnlySpan<byte> bytes, int codePage) =>
        (GetEncoding(codePage) ?? Charsets.Windows1252).GetString(bytes);

    public static DateTimeOffset? FromFileTime(long fileTime) =>
        fileTime is <= 0 or > MaxFileTime ? null : new DateTimeOffset(DateTime.FromFileTimeUtc(fileTime));

    /// <summary>The code page for 8-bit strings of a message: PidTagMessageCodepage, else PidTagInternetCodepage, else the fallback.</summary>
    public static int StringCodePage(MapiPropertyBag properties, int fallback)
    {
        foreach (var id in new[] { PropertyId.MessageCodepage, PropertyId.InternetCodepage })
        {
            if (properties.GetInt32(id) is { } cp && GetEncoding(cp) is not null)
            {
                return cp;
            }
        }

        return fallback;
    }
}
