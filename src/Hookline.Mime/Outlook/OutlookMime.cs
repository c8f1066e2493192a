using System.Globalization;
using System.Text;
using Hookline.Mime.Reading;

namespace Hookline.Mime.Outlook;

/// <summary>
/// Writes a MIME message (RFC 5322 / RFC 2045, CRLF lines) from a message read out of .msg or TNEF,
/// then parses it with the MIME parser so both formats give the one message model.
/// </summary>
/// <remarks>
/// The transport headers, when present, are used as written except their Content-* and
/// MIME-Version fields (the structure is rebuilt); otherwise From, Sender, To, Cc, Subject, Date,
/// Message-ID, In-Reply-To and References are synthesized from properties. Every message carries
/// X-Hookline-Source naming the format it was synthesized from (a field of that name in the
/// transport headers is dropped so it cannot be spoofed). Bodies and attachments are base64 with
/// 76-character lines; embedded messages become message/rfc822 parts, synthesized the same way.
/// </remarks>
internal sealed class OutlookMime
{
    private const string SourceHeader = "X-Hookline-Source";
    private static readonly System.Buffers.SearchValues<char> AddressSpecials = System.Buffers.SearchValues.Create(" <>\",;()[]\\");
    private readonly MimeLimits _limits;
    private readonly List<MimeWarning> _warnings;
    private readonly string _source;
    private int _boundaries;

    private OutlookMime(string source, MimeLimits limits, List<MimeWarning> warnings)
    {
        _source = source;
        _limits = limits;
        _warnings = warnings;
    }

    /// <summary>
    /// Synthesizes and parses. Reading warnings are prefixed with the format tag and come first in the
    /// message's warnings; a null message (unreadable input) gives an empty message with a warning.
    /// </summary>
    internal static MimeMessage Build(MapiMessage? message, string source, string tag, MimeLimits limits, List<MimeWarning> readWarnings)
    {
        var warnings = new List<MimeWarning>(readWarnings.Count + 4);
        byte[] mime = [];
        if (message is null)
        {
            readWarnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 0, $"The input could not be read as {source}; the message is empty."));
        }
        else
        {
            var writer = new OutlookMime(source, limits, readWarnings);
            mime = OutlookSafety.Run(() => writer.WriteMessage(message, 0), readWarnings, tag) ?? [];
        }

        foreach (var warning in readWarnings)
        {
            warnings.Add(warning with { Message = $"[{tag}] {warning.Message}" });
        }

        return MimeParser.Parse(new ParseContext(mime, limits, warnings), depth: 0);
    }

    internal byte[] WriteMessage(MapiMessage message, int depth)
    {
        var props = message.Properties;
        var head = new StringBuilder();
        head.Append(SourceHeader).Append(": ").Append(_source).Append("\r\n");
        var transport = props.GetString(PropertyId.TransportMessageHeaders);
        if (!string.IsNullOrWhiteSpace(transport) && AppendTransportHeaders(head, transport))
        {
            // The transport headers stand for the message's envelope fields.
        }
        else
        {
            AppendSynthesizedHeaders(head, message);
        }

        head.Append("MIME-Version: 1.0\r\n");
        var body = BuildBody(message, depth);
        var output = new MemoryStream();
        Write(output, Encoding.UTF8.GetBytes(head.ToString()));
        WriteEntity(output, body);
        return output.ToArray();
    }

    private static bool AppendTransportHeaders(StringBuilder head, string transport)
    {
        var lines = transport.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var keep = false;
        var any = false;
        foreach (var raw in lines)
        {
            var line = raw.Replace('\0', ' ');
            if (line.Length == 0)
            {
                if (any)
                {
                    break; // a blank line ends a header block
                }

                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (keep)
                {
                    head.Append(line).Append("\r\n");
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon > 0 ? line[..colon].Trim() : string.Empty;
            keep = !(name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
                || name.Equals("MIME-Version", StringComparison.OrdinalIgnoreCase)
                || name.Equals(SourceHeader, StringComparison.OrdinalIgnoreCase));
            if (keep)
            {
                head.Append(line).Append("\r\n");
                any = true;
            }
        }

        return any;
    }

    private static void AppendSynthesizedHeaders(StringBuilder head, MapiMessage message)
    {
        var props = message.Properties;
        var from = FormatAddress(
            props.GetString(PropertyId.SentRepresentingName),
            PickAddress(props.GetString(PropertyId.SentRepresentingSmtpAddress), props.GetString(PropertyId.SentRepresentingEmailAddress)));
        var sender = FormatAddress(
            props.GetString(PropertyId.SenderName),
            PickAddress(props.GetString(PropertyId.SenderSmtpAddress), props.GetString(PropertyId.SenderEmailAddress)));
        if (from is null)
        {
            from = sender;
            sender = null;
        }

        if (from is not null)
        {
            head.Append("From: ").Append(from).Append("\r\n");
        }

        if (sender is not null && !string.Equals(sender, from, StringComparison.OrdinalIgnoreCase))
        {
            head.Append("Sender: ").Append(sender).Append("\r\n");
        }

        var to = new List<string>();
        var cc = new List<string>();
        var bcc = new List<string>();
        foreach (var recipient in message.Recipients)
        {
            var address = FormatAddress(
                recipient.GetString(PropertyId.DisplayName),
                PickAddress(recipient.GetString(PropertyId.SmtpAddress), recipient.GetString(PropertyId.EmailAddress)));
            if (address is null)
            {
                continue;
            }

            var list = ((recipient.GetInt32(PropertyId.RecipientType) ?? 1) & 0xFF) switch
            {
                2 => cc,
                3 => bcc,
                _ => to,
            };
            list.Add(address);
        }

        AppendAddressList(head, "To", to);
        AppendAddressList(head, "Cc", cc);
        AppendAddressList(head, "Bcc", bcc);

        var subject = props.GetString(PropertyId.Subject);
        if (subject is not null)
        {
            head.Append("Subject: ").Append(EncodeText(Sanitize(subject), "Subject: ".Length)).Append("\r\n");
        }

        var date = props.GetTime(PropertyId.ClientSubmitTime) ?? props.GetTime(PropertyId.MessageDeliveryTime);
        if (date is { } d)
        {
            head.Append("Date: ").Append(d.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture)).Append("\r\n");
        }

        AppendId(head, "Message-ID", props.GetString(PropertyId.InternetMessageId));
        AppendId(head, "In-Reply-To", props.GetString(PropertyId.InReplyToId));
        var references = props.GetString(PropertyId.InternetReferences);
        if (!string.IsNullOrWhiteSpace(references))
        {
            head.Append("References: ").Append(Sanitize(references)).Append("\r\n");
        }
    }

    private static void AppendId(StringBuilder head, string name, string? value)
    {
        var id = value is null ? string.Empty : Sanitize(value);
        if (id.Length == 0)
        {
            return;
        }

        if (!id.StartsWith('<'))
        {
            id = "<" + id + ">";
        }

        head.Append(name).Append(": ").Append(id).Append("\r\n");
    }

    private static void AppendAddressList(StringBuilder head, string name, List<string> addresses)
    {
        if (addresses.Count > 0)
        {
            head.Append(name).Append(": ").Append(string.Join(",\r\n ", addresses)).Append("\r\n");
        }
    }

    /// <summary>The SMTP address when there is one, else the e-mail address when it looks like an addr-spec.</summary>
    private static string? PickAddress(string? smtp, string? email)
    {
        foreach (var candidate in new[] { smtp, email })
        {
            if (candidate is null)
            {
                continue;
            }

            var trimmed = Sanitize(candidate);
            if (trimmed.StartsWith("SMTP:", StringComparison.OrdinalIgnoreCase))
            {
                trimmed = trimmed[5..];
            }

            var at = trimmed.LastIndexOf('@');
            if (at > 0 && at < trimmed.Length - 1 && trimmed.AsSpan().IndexOfAny(AddressSpecials) < 0)
            {
                return trimmed;
            }
        }

        return null;
    }

    private static string? FormatAddress(string? name, string? address)
    {
        var display = name is null ? string.Empty : Sanitize(name);
        if (display.Length == 0)
        {
            return address;
        }

        if (string.Equals(display, address, StringComparison.OrdinalIgnoreCase))
        {
            display = string.Empty;
        }

        var phrase = display.Length == 0 ? string.Empty : EncodePhrase(display) + " ";
        return phrase + "<" + (address ?? string.Empty) + ">";
    }

    /// <summary>Header text cannot carry line breaks or control characters: they become spaces.</summary>
    internal static string Sanitize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            sb.Append(char.IsControl(c) ? ' ' : c);
        }

        return sb.ToString().Trim();
    }

    private static string EncodePhrase(string text)
    {
        if (IsPrintableAscii(text) && !text.Contains("=?", StringComparison.Ordinal))
        {
            return "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        }

        return EncodedWords(text);
    }

    /// <summary>Unstructured text: as is when printable ASCII and short, else RFC 2047 encoded words folded onto lines.</summary>
    private static string EncodeText(string text, int used)
    {
        if (IsPrintableAscii(text) && !text.Contains("=?", StringComparison.Ordinal) && text.Length + used <= 998)
        {
            return text;
        }

        return EncodedWords(text);
    }

    private static bool IsPrintableAscii(string text)
    {
        foreach (var c in text)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>RFC 2047 "B" words of UTF-8, each at most 60 characters, split on character boundaries and folded.</summary>
    private static string EncodedWords(string text)
    {
        var words = new List<string>();
        var chunk = new StringBuilder();
        var bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var piece = text.Substring(i, length);
            var count = Encoding.UTF8.GetByteCount(piece);
            if (bytes + count > 36)
            {
                words.Add(Word(chunk.ToString()));
                chunk.Clear();
                bytes = 0;
            }

            chunk.Append(piece);
            bytes += count;
            i += length - 1;
        }

        if (chunk.Length > 0)
        {
            words.Add(Word(chunk.ToString()));
        }

        return string.Join("\r\n ", words);

        static string Word(string s) => "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) + "?=";
    }

    private Entity BuildBody(MapiMessage message, int depth)
    {
        var props = message.Properties;
        var alternatives = new List<Entity>();
        var text = props.GetString(PropertyId.Body);
        if (text is not null)
        {
            alternatives.Add(Leaf("text/plain; charset=utf-8", null, Encoding.UTF8.GetBytes(text)));
        }

        var html = props.Get(PropertyId.Html);
        if (html is not null)
        {
            if (html.Type == PropertyType.Unicode)
            {
                alternatives.Add(Leaf("text/html; charset=utf-8", null, Encoding.UTF8.GetBytes(props.GetString(PropertyId.Html) ?? string.Empty)));
            }
            else
            {
                var cpid = props.GetInt32(PropertyId.InternetCodepage);
                var encoding = cpid is { } cp ? OutlookText.GetEncoding(cp) : null;
                var type = encoding is null ? "text/html" : "text/html; charset=" + encoding.WebName;
                alternatives.Add(Leaf(type, null, html.Value));
            }
        }

        var rtf = props.GetBinary(PropertyId.RtfCompressed);
        if (rtf is not null)
        {
            var decompressed = CompressedRtf.Decompress(rtf, _limits.MaxDecodedBytes, _warnings);
            if (decompressed.Length > 0)
            {
                alternatives.Add(Leaf("text/rtf", null, decompressed));
            }
        }

        var body = alternatives.Count switch
        {
            0 => Leaf("text/plain; charset=utf-8", null, []),
            1 => alternatives[0],
            _ => Multi("alternative", alternatives),
        };

        if (message.Attachments.Count == 0)
        {
            return body;
        }

        var parts = new List<Entity> { body };
        foreach (var attachment in message.Attachments)
        {
            if (BuildAttachment(attachment, depth) is { } part)
            {
                parts.Add(part);
            }
        }

        return Multi("mixed", parts);
    }

    private Entity? BuildAttachment(MapiAttachment attachment, int depth)
    {
        var props = attachment.Properties;
        var method = props.GetInt32(PropertyId.AttachMethod) ?? (attachment.EmbeddedMessage is null ? AttachMethod.ByValue : AttachMethod.EmbeddedMessage);
        var name = props.GetString(PropertyId.AttachLongFilename);
        if (string.IsNullOrWhiteSpace(name))
        {
            name = props.GetString(PropertyId.AttachFilename);
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            name = props.GetString(PropertyId.DisplayName);
        }

        name = string.IsNullOrWhiteSpace(name) ? null : Sanitize(name);
        var extra = new StringBuilder();
        var contentId = props.GetString(PropertyId.AttachContentId);
        if (!string.IsNullOrWhiteSpace(contentId))
        {
            AppendId(extra, "Content-ID", contentId);
        }

        if (attachment.EmbeddedMessage is { } embedded)
        {
            if (depth + 1 >= _limits.MaxDepth)
            {
                _warnings.Add(new MimeWarning(MimeWarningCode.TooDeeplyNested, 0, $"Embedded message nested deeper than {_limits.MaxDepth}; left out."));
                return null;
            }

            var inner = WriteMessage(embedded, depth + 1);
            if (name is not null)
            {
                extra.Append("Content-Disposition: attachment").Append(FileNameParameter("filename", name)).Append("\r\n");
            }

            if (!Ascii.IsValid(inner))
            {
                extra.Append("Content-Transfer-Encoding: 8bit\r\n");
            }

            return new Entity("Content-Type: message/rfc822\r\n" + extra, inner);
        }

        var data = props.GetBinary(PropertyId.AttachDataBinary);
        if (method == AttachMethod.EmbeddedMessage)
        {
            _warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 0, $"Embedded message attachment '{name}' could not be read; kept as an empty part."));
            data = null;
        }
        else if (method is not AttachMethod.ByValue && data is null)
        {
            _warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 0, $"Attachment '{name}' uses method {method} (by reference, OLE storage or web reference); its data is not in the file and the part is empty."));
        }

        var mimeType = MediaType(props.GetString(PropertyId.AttachMimeTag));
        var type = mimeType + (name is null ? string.Empty : FileNameParameter("name", name));
        extra.Append("Content-Disposition: attachment").Append(name is null ? string.Empty : FileNameParameter("filename", name)).Append("\r\n");
        return Leaf(type, extra.ToString(), data ?? []);
    }

    /// <summary>A media type from PidTagAttachMimeTag when it is a plain type/subtype token pair, else application/octet-stream.</summary>
    private static string MediaType(string? tag)
    {
        var value = tag?.Trim().ToLowerInvariant();
        if (value is null)
        {
            return "application/octet-stream";
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == value.Length - 1 || value.IndexOf('/', slash + 1) >= 0)
        {
            return "application/octet-stream";
        }

        foreach (var c in value)
        {
            if (c != '/' && !(char.IsAsciiLetterOrDigit(c) || "!#$&-^_.+".Contains(c, StringComparison.Ordinal)))
            {
                return "application/octet-stream";
            }
        }

        return value.StartsWith("multipart/", StringComparison.Ordinal) || value.StartsWith("message/", StringComparison.Ordinal) ? "application/octet-stream" : value;
    }

    /// <summary>"; name=value": quoted for printable ASCII, RFC 2231 (UTF-8, percent-encoded, continued past 50 characters) otherwise.</summary>
    internal static string FileNameParameter(string parameter, string value)
    {
        if (IsPrintableAscii(value) && value.Length <= 200)
        {
            return "; " + parameter + "=\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        }

        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b < 0x80 && (char.IsAsciiLetterOrDigit((char)b) || "!#$&+-.^_`|~".Contains((char)b, StringComparison.Ordinal)))
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        var text = encoded.ToString();
        if (text.Length <= 50)
        {
            return ";\r\n " + parameter + "*=utf-8''" + text;
        }

        var sb = new StringBuilder();
        var section = 0;
        for (var i = 0; i < text.Length;)
        {
            var take = Math.Min(50, text.Length - i);

            // Never split a %XX escape.
            if (i + take < text.Length && text[i + take - 1] == '%')
            {
                take -= 1;
            }
            else if (i + take < text.Length && take >= 2 && text[i + take - 2] == '%')
            {
                take -= 2;
            }

            sb.Append(";\r\n ").Append(parameter).Append('*').Append(section.ToString(CultureInfo.InvariantCulture)).Append("*=");
            if (section == 0)
            {
                sb.Append("utf-8''");
            }

            sb.Append(text, i, take);
            i += take;
            section++;
        }

        return sb.ToString();
    }

    private static Entity Leaf(string contentType, string? extraHeaders, byte[] data)
    {
        var headers = "Content-Type: " + contentType + "\r\n" + (extraHeaders ?? string.Empty) + "Content-Transfer-Encoding: base64\r\n";
        return new Entity(headers, Base64Lines(data));
    }

    private static byte[] Base64Lines(byte[] data)
    {
        var encoded = Convert.ToBase64String(data);
        var lines = (encoded.Length + 75) / 76;
        var output = new byte[encoded.Length + (lines * 2)];
        var at = 0;
        for (var i = 0; i < encoded.Length; i += 76)
        {
            var take = Math.Min(76, encoded.Length - i);
            at += Encoding.ASCII.GetBytes(encoded.AsSpan(i, take), output.AsSpan(at));
            output[at++] = (byte)'\r';
            output[at++] = (byte)'\n';
        }

        return output;
    }

    private Entity Multi(string subtype, List<Entity> parts)
    {
        string boundary;
        do
        {
            boundary = "=_hookline_" + (++_boundaries).ToString(CultureInfo.InvariantCulture) + "_" + subtype;
        }
        while (parts.Exists(p => Contains(p, boundary)));

        var output = new MemoryStream();
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary + "\r\n");
        foreach (var part in parts)
        {
            Write(output, delimiter);
            WriteEntity(output, part);
            Write(output, "\r\n"u8);
        }

        Write(output, Encoding.ASCII.GetBytes("--" + boundary + "--\r\n"));
        return new Entity("Content-Type: multipart/" + subtype + "; boundary=\"" + boundary + "\"\r\n", output.ToArray());
    }

    private static bool Contains(Entity entity, string boundary)
    {
        var needle = Encoding.ASCII.GetBytes(boundary);
        return entity.Headers.Contains(boundary, StringComparison.Ordinal) || entity.Body.AsSpan().IndexOf(needle) >= 0;
    }

    private static void WriteEntity(MemoryStream output, Entity entity)
    {
        Write(output, Encoding.UTF8.GetBytes(entity.Headers));
        Write(output, "\r\n"u8);
        Write(output, entity.Body);
    }

    private static void Write(MemoryStream output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    /// <summary>An entity under construction: its header lines (each ending CRLF) and its body.</summary>
    private sealed record Entity(string Headers, byte[] Body);
}

/// <summary>The last line of defence of the public entry points: a bug met on hostile input becomes a warning, not an exception.</summary>
internal static class OutlookSafety
{
    public static T? Run<T>(Func<T?> action, List<MimeWarning> warnings, string tag)
        where T : class
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException or FormatException or InvalidCastException or NullReferenceException or DecoderFallbackException)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.OutlookFormat, 0, $"Internal error while reading {tag} ({e.GetType().Name}: {e.Message}); the result is partial."));
            return null;
        }
    }
}
