using Hookline.Mime;

namespace Hookline.Reports.Recognition;

/// <summary>
/// Walks an envelope's own entities (not into attached messages) in document order and collects
/// the attached originals, the envelope's body text and, for a TNEF body, that body's text.
/// </summary>
internal sealed class OriginalFinder
{
    /// <summary>Bytes of HTML turned into text when a body has no text/plain alternative.</summary>
    private const int MaxHtmlChars = 1024 * 1024;

    /// <summary>Longest start of an attachment looked at to decide whether it is an RFC 5322 message.</summary>
    private const int SniffBytes = 64 * 1024;

    private static readonly string[] KnownFields =
    [
        "From", "To", "Subject", "Date", "Message-ID", "Received", "Return-Path", "MIME-Version", "Sender", "Reply-To", "Cc",
        "X-MS-Exchange-Organization-Network-Message-Id", "Authentication-Results", "DKIM-Signature",
    ];

    private readonly ReportReaderOptions _options;

    private OriginalFinder(ReportReaderOptions options) => _options = options;

    public List<OriginalMessage> Originals { get; } = [];

    /// <summary>Attached messages (or attachments that may be messages) past <see cref="ReportReaderOptions.MaxOriginals"/>, not read.</summary>
    public int Skipped { get; private set; }

    public List<string> Warnings { get; } = [];

    /// <summary>The envelope's body text: its first text/plain body part, else its first HTML body as text.</summary>
    public string? BodyText { get; private set; }

    /// <summary>Body text of TNEF streams that stood for the envelope itself (Outlook rich text sent through Exchange).</summary>
    public List<string> TnefBodyTexts { get; } = [];

    /// <summary>True when the envelope is a delivery or read report (multipart/report): its attached message is the bounced mail, not a reported one.</summary>
    public bool IsDeliveryReport { get; private set; }

    public static OriginalFinder Scan(MimeMessage envelope, ReportReaderOptions options)
    {
        var finder = new OriginalFinder(options);
        finder.IsDeliveryReport = envelope.Body.ContentType.Is("multipart", "report");
        finder.Walk(envelope, inTnef: false);
        return finder;
    }

    private void Walk(MimeMessage message, bool inTnef)
    {
        string? plain = null;
        MimePart? firstHtml = null;
        foreach (var entity in message.Entities(intoAttachedMessages: false))
        {
            switch (entity)
            {
                case Multipart:
                    continue;
                case MessagePart part:
                    AddMessagePart(part, inTnef);
                    continue;
                case MimePart part:
                    if (part.IsText && !part.IsAttachment)
                    {
                        if (part.ContentType.Is("text", "plain"))
                        {
                            plain ??= Bounded(part.GetText());
                        }
                        else if (part.ContentType.Is("text", "html"))
                        {
                            firstHtml ??= part;
                        }

                        continue;
                    }

                    AddLeaf(part, inTnef);
                    continue;
            }
        }

        // HTML is turned into text only when there is no plain text to prefer (most mail has both).
        var text = plain ?? (firstHtml is null ? null : HtmlText.ToText(Bounded(firstHtml.GetText(), MaxHtmlChars), _options.MaxInlineForwardChars));
        if (inTnef)
        {
            if (text is not null)
            {
                TnefBodyTexts.Add(text);
            }
        }
        else
        {
            BodyText = text;
        }
    }

    private string Bounded(string text, int? max = null)
    {
        var limit = max ?? _options.MaxInlineForwardChars;
        return text.Length <= limit ? text : text[..limit];
    }

    private bool Full()
    {
        if (Originals.Count < _options.MaxOriginals)
        {
            return false;
        }

        Skipped++;
        return true;
    }

    private void AddMessagePart(MessagePart part, bool inTnef)
    {
        if (Full())
        {
            return;
        }

        // Identity-encoded: the part's content range is the original's bytes. Encoded (base64/QP,
        // which RFC 2046 5.2.1 forbids but clients do): the decoded content, which the message was parsed from.
        var bytes = part.IsEncoded ? part.Message.Source : part.Source.Slice(part.BodyRange.Start, part.BodyRange.Length);
        var source = inTnef ? OriginalSource.TnefAttachment : OriginalSource.MessagePart;
        if (inTnef)
        {
            Warnings.Add("An original was an embedded message in the envelope's TNEF (winmail.dat) body; TNEF keeps its properties, not its MIME, so its bytes are Hookline's synthesized MIME.");
        }

        Originals.Add(new OriginalMessage(bytes, MailFormat.Mime, part.Message, source, part.FileName));
    }

    private void AddLeaf(MimePart part, bool inTnef)
    {
        var name = part.FileName;
        var type = part.ContentType;
        var named = (string? ext) => name is not null && ext is not null && name.Trim().EndsWith(ext, StringComparison.OrdinalIgnoreCase);
        var declaredMsg = type.Is("application", "vnd.ms-outlook") || named(".msg");
        var declaredTnef = type.Is("application", "ms-tnef") || type.Is("application", "vnd.ms-tnef") || named("winmail.dat") || named(".tnef");
        var declaredEml = type.IsEncapsulatedMessage || named(".eml");
        var octet = type.Is("application", "octet-stream");
        if (!declaredMsg && !declaredTnef && !declaredEml && !octet)
        {
            return;
        }

        if (Originals.Count >= _options.MaxOriginals)
        {
            // Not decoded: counted when its name or type says it is a message.
            if (declaredMsg || declaredEml || declaredTnef)
            {
                Skipped++;
            }

            return;
        }

        if (!declaredMsg && !declaredTnef && !declaredEml)
        {
            // An undeclared octet-stream (most are PDFs, archives, images): sniff a decoded prefix
            // before decoding all of it.
            var head = part.DecodeContentPrefix(SniffBytes);
            if (MailFile.Detect(head) == MailFormat.Mime && !LooksLikeMessage(head))
            {
                return;
            }
        }

        var bytes = part.DecodeContent();
        switch (MailFile.Detect(bytes))
        {
            case MailFormat.Tnef:
                AddTnef(bytes, name, inTnef);
                return;
            case MailFormat.OutlookMessage:
                // A compound file is also a .doc or .xls: only a declared .msg, or an unnamed octet-stream, is read as one.
                if (declaredMsg || (octet && string.IsNullOrEmpty(name)))
                {
                    var message = MailFile.Read(bytes);
                    if (!declaredMsg && message.Subject is null && message.From.Count == 0)
                    {
                        return;
                    }

                    Originals.Add(new OriginalMessage(bytes, MailFormat.OutlookMessage, message, OriginalSource.MsgAttachment, name));
                }

                return;
            default:
                if (!LooksLikeMessage(bytes))
                {
                    if (declaredMsg || declaredEml || declaredTnef)
                    {
                        Warnings.Add($"The attachment '{name ?? type.MimeType}' is declared as a message but its content is not one; not taken as an original.");
                    }

                    return;
                }

                if (declaredMsg || declaredTnef)
                {
                    Warnings.Add($"The attachment '{name ?? type.MimeType}' is declared as {(declaredMsg ? "an Outlook .msg" : "TNEF")} but holds an RFC 5322 message; read as .eml.");
                }

                var source = type.IsEncapsulatedMessage ? OriginalSource.MessagePart : OriginalSource.EmlAttachment;
                Originals.Add(new OriginalMessage(bytes, MailFormat.Mime, MimeMessage.Parse(bytes), source, name));
                return;
        }
    }

    /// <summary>
    /// A TNEF stream (winmail.dat) carries the properties of the message it is attached to: when
    /// Outlook sends rich text through Exchange, the user's own forward is encapsulated, with the
    /// forwarded original as an embedded message inside and the user's text as its body. So the
    /// TNEF's embedded messages and attachments are searched like the envelope's, and its body is
    /// searched for an inline forward. Only a TNEF whose message has Received headers (transport
    /// headers: a message that was delivered, not one being sent) is taken as the original itself.
    /// </summary>
    private void AddTnef(byte[] bytes, string? name, bool inTnef)
    {
        var message = MailFile.Read(bytes);
        if (message.Headers.Contains("Received"))
        {
            Warnings.Add($"The TNEF attachment '{name ?? "winmail.dat"}' holds a delivered message (it has Received headers); taken as the original.");
            Originals.Add(new OriginalMessage(bytes, MailFormat.Tnef, message, OriginalSource.TnefAttachment, name));
            return;
        }

        if (inTnef)
        {
            Warnings.Add("A TNEF stream inside a TNEF stream was not searched.");
            return;
        }

        Walk(message, inTnef: true);
    }

    /// <summary>True when the bytes start with an RFC 5322 header block naming at least two usual message fields.</summary>
    internal static bool LooksLikeMessage(ReadOnlySpan<byte> bytes)
    {
        var start = bytes;
        if (start.StartsWith("From "u8))
        {
            // An mbox separator line.
            var newline = start.IndexOf((byte)'\n');
            start = newline < 0 ? [] : start[(newline + 1)..];
        }

        // The first line must be a field: printable ASCII name, then a colon.
        var i = 0;
        while (i < start.Length && i < 80 && start[i] > 32 && start[i] < 127 && start[i] != ':')
        {
            i++;
        }

        if (i == 0 || i >= start.Length || start[i] != ':')
        {
            return false;
        }

        var sniff = bytes.Length > SniffBytes ? bytes[..SniffBytes].ToArray() : bytes.ToArray();
        var headers = MimeMessage.ParseHeaders(sniff).Headers;
        var known = 0;
        foreach (var field in KnownFields)
        {
            if (headers.Contains(field) && ++known >= 2)
            {
                return true;
            }
        }

        return false;
    }
}
