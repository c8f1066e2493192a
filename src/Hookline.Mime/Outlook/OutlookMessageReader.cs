using System.Buffers.Binary;
using System.Globalization;

namespace Hookline.Mime.Outlook;

/// <summary>
/// Reads Outlook .msg files (MS-OXMSG over MS-CFB) into the common message model: the properties,
/// recipients, attachments and embedded messages are read and a MIME message is synthesized from
/// them (see <see cref="OutlookMime"/>), then parsed. The caller keeps the .msg bytes as the source
/// of truth; the returned message's <see cref="MimeMessage.Source"/> is the synthesized MIME.
/// Never throws on content: damage becomes warnings (code <see cref="MimeWarningCode.OutlookFormat"/>
/// and friends, offsets in the .msg file, messages prefixed "[msg]").
/// </summary>
public static class OutlookMessageReader
{
    private const string PropertiesStream = "__properties_version1.0";
    private const string RecipientPrefix = "__recip_version1.0_#";
    private const string AttachmentPrefix = "__attach_version1.0_#";
    private const string SubstgPrefix = "__substg1.0_";
    private const string EmbeddedStorage = "__substg1.0_3701000D";

    /// <summary>True when the bytes start with the compound file signature (an .msg is one; so are .doc and .xls).</summary>
    public static bool IsCompoundFile(ReadOnlySpan<byte> data) => CompoundFile.HasSignature(data);

    /// <summary>Reads an .msg file and returns the synthesized MIME message. Never throws on content.</summary>
    public static MimeMessage Read(ReadOnlyMemory<byte> msg, MimeLimits? limits = null)
    {
        limits ??= MimeLimits.Default;
        var warnings = new List<MimeWarning>();
        var message = OutlookSafety.Run(() => Load(msg, limits, warnings), warnings, "msg");
        return OutlookMime.Build(message, "outlook-msg", "msg", limits, warnings);
    }

    internal static MapiMessage? Load(ReadOnlyMemory<byte> data, MimeLimits limits, List<MimeWarning> warnings)
    {
        var file = CompoundFile.Open(data, warnings);
        if (file is null)
        {
            return null;
        }

        var state = new State(file, limits, warnings, Math.Min(data.Length, limits.MaxDecodedBytes));
        return ReadMessage(state, file.Root, headerSize: 32, depth: 0, inheritedCodePage: 1252);
    }

    private static MapiMessage ReadMessage(State state, CfbEntry storage, int headerSize, int depth, int inheritedCodePage)
    {
        var message = new MapiMessage();
        ReadProperties(state, storage, headerSize, message.Properties, required: true);
        message.Properties.CodePage = OutlookText.StringCodePage(message.Properties, inheritedCodePage);

        var recipients = new List<CfbEntry>();
        var attachments = new List<CfbEntry>();
        foreach (var child in storage.Children)
        {
            if (!child.IsStorage)
            {
                continue;
            }

            if (child.Name.StartsWith(RecipientPrefix, StringComparison.OrdinalIgnoreCase))
            {
                recipients.Add(child);
            }
            else if (child.Name.StartsWith(AttachmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                attachments.Add(child);
            }
        }

        recipients.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        attachments.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        foreach (var child in recipients)
        {
            if (!state.TakePart())
            {
                break;
            }

            var bag = new MapiPropertyBag { CodePage = message.Properties.CodePage };
            ReadProperties(state, child, 8, bag, required: false);
            message.Recipients.Add(bag);
        }

        foreach (var child in attachments)
        {
            if (!state.TakePart())
            {
                break;
            }

            var attachment = new MapiAttachment();
            attachment.Properties.CodePage = message.Properties.CodePage;
            ReadProperties(state, child, 8, attachment.Properties, required: false);
            var embedded = child.Find(EmbeddedStorage);
            var method = attachment.Properties.GetInt32(PropertyId.AttachMethod);
            if (embedded is { IsStorage: true } && method is not (null or AttachMethod.EmbeddedMessage))
            {
                // Method 6 keeps an OLE object (not a message) in the same storage name.
                state.Warn(MimeWarningCode.OutlookFormat, 0, $"Attachment '{child.Name}' holds an OLE storage (method {method}); its content is not extracted.");
            }
            else if (embedded is { IsStorage: true })
            {
                if (depth + 1 >= state.Limits.MaxDepth)
                {
                    state.Warn(MimeWarningCode.TooDeeplyNested, 0, $"Embedded message in '{child.Name}' is nested deeper than {state.Limits.MaxDepth}; not read.");
                }
                else
                {
                    attachment.EmbeddedMessage = ReadMessage(state, embedded, 24, depth + 1, message.Properties.CodePage);
                }
            }

            message.Attachments.Add(attachment);
        }

        return message;
    }

    /// <summary>Reads the fixed-size values from the property stream and the wanted variable-size values from their streams.</summary>
    private static void ReadProperties(State state, CfbEntry storage, int headerSize, MapiPropertyBag bag, bool required)
    {
        var stream = storage.Find(PropertiesStream);
        if (stream is null || !stream.IsStream)
        {
            if (required)
            {
                state.Warn(MimeWarningCode.OutlookFormat, 0, $"Storage '{storage.Name}' has no {PropertiesStream} stream; fixed-size properties are missing.");
            }
        }
        else
        {
            var bytes = state.File.ReadStream(stream, state.MaxStreamBytes);
            if (bytes.Length < headerSize)
            {
                state.Warn(MimeWarningCode.OutlookFormat, 0, $"Property stream of '{storage.Name}' is {bytes.Length} bytes, shorter than its {headerSize}-byte header.");
            }
            else
            {
                if ((bytes.Length - headerSize) % 16 != 0)
                {
                    state.Warn(MimeWarningCode.OutlookFormat, 0, $"Property stream of '{storage.Name}' does not hold whole 16-byte entries; the partial entry is ignored.");
                }

                for (var offset = headerSize; offset + 16 <= bytes.Length; offset += 16)
                {
                    var tag = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset));
                    var type = (ushort)(tag & 0xFFFF);
                    var id = (ushort)(tag >> 16);
                    var size = PropertyType.FixedSize(type);
                    if (size is > 0 and <= 8)
                    {
                        bag.Set(new MapiProperty(id, type, bytes.AsSpan(offset + 8, 8).ToArray()));
                    }
                }
            }
        }

        foreach (var child in storage.Children)
        {
            if (!child.IsStream || child.Name.Length != SubstgPrefix.Length + 8 || !child.Name.StartsWith(SubstgPrefix, StringComparison.OrdinalIgnoreCase)
                || !uint.TryParse(child.Name.AsSpan(SubstgPrefix.Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var tag))
            {
                continue;
            }

            var type = (ushort)(tag & 0xFFFF);
            var id = (ushort)(tag >> 16);
            if (type is PropertyType.String8 or PropertyType.Unicode or PropertyType.Binary && PropertyId.IsWanted(id))
            {
                bag.Set(new MapiProperty(id, type, state.File.ReadStream(child, state.MaxStreamBytes)));
            }
        }
    }

    private sealed class State(CompoundFile file, MimeLimits limits, List<MimeWarning> warnings, long maxStreamBytes)
        : OutlookReadState(limits, warnings)
    {
        public CompoundFile File { get; } = file;

        public long MaxStreamBytes { get; } = maxStreamBytes;
    }
}
