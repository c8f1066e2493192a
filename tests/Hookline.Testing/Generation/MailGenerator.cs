using System.Globalization;
using System.Text;
using static Hookline.Testing.Generation.MailEncoding;

namespace Hookline.Testing.Generation;

/// <summary>
/// Writes real-shaped mail (CRLF, as Exchange Online, Gmail, Outlook, Apple Mail, mailing lists and
/// spammers write it), deterministic for a seed. Each call to <see cref="Next()"/> draws a shape, a
/// style and a size (most 2–20 KB, some 50–500 KB, rare 1–3 MB) and returns the bytes with the
/// generator's truth about them.
/// </summary>
public sealed class MailGenerator
{
    private static readonly DateTime BaseDate = new(2024, 1, 8, 8, 0, 0, DateTimeKind.Utc);

    private readonly Random _rng;
    private readonly int _seed;
    private Truth _truth = new();
    private int _messageIndex;

    public MailGenerator(int seed)
    {
        _seed = seed;
        _rng = new Random(seed);
    }

    /// <summary>One message of a random shape, style and size.</summary>
    public GeneratedMessage Next() => Next(PickShape(), PickSize());

    /// <summary>One message of a random shape and style, its size drawn as usual but at most <paramref name="maxBytes"/> (roughly).</summary>
    public GeneratedMessage Next(int maxBytes) => Next(PickShape(), Math.Min(PickSize(), maxBytes));

    /// <summary>A message of the given shape and roughly the given size.</summary>
    public GeneratedMessage Next(MailShape shape, int targetBytes)
    {
        var style = shape == MailShape.Phishing ? (_rng.Next(2) == 0 ? MailStyle.Spammer : MailStyle.ExchangeOnline) : PickStyle();
        return Build(shape, style, targetBytes);
    }

    /// <summary>The message <paramref name="seed"/> gives.</summary>
    public static GeneratedMessage Generate(int seed) => new MailGenerator(seed).Next();

    /// <summary>A mixed corpus: <paramref name="count"/> messages from one seed.</summary>
    public static IReadOnlyList<GeneratedMessage> Corpus(int count, int seed)
    {
        var generator = new MailGenerator(seed);
        var list = new List<GeneratedMessage>(count);
        for (var i = 0; i < count; i++)
        {
            list.Add(generator.Next());
        }

        return list;
    }

    /// <summary>About 50 header fields (Received chain, X-MS-*, authentication) and a short text body: about <paramref name="targetBytes"/> in all.</summary>
    public static byte[] HeaderHeavy(int targetBytes = 4096, int seed = 1) =>
        new MailGenerator(seed).Build(MailShape.HeaderHeavy, MailStyle.ExchangeOnline, targetBytes).Bytes;

    /// <summary>A text+HTML body and several base64 attachments, about <paramref name="targetBytes"/> in all.</summary>
    public static byte[] LargeWithAttachments(int targetBytes, int seed = 1) =>
        new MailGenerator(seed).Build(MailShape.LargeWithAttachments, MailStyle.Outlook, targetBytes).Bytes;

    /// <summary>A size drawn like real mail: most 2–20 KB, some 50–500 KB, rare 1–3 MB.</summary>
    public int PickSize()
    {
        var roll = _rng.Next(100);
        return roll switch
        {
            < 82 => _rng.Next(2_000, 20_000),
            < 98 => _rng.Next(50_000, 500_000),
            _ => _rng.Next(1_000_000, 3_000_000),
        };
    }

    private MailShape PickShape()
    {
        var roll = _rng.Next(100);
        return roll switch
        {
            < 22 => MailShape.PlainText,
            < 45 => MailShape.Alternative,
            < 65 => MailShape.MixedWithAttachments,
            < 75 => MailShape.Related,
            < 85 => MailShape.Forwarded,
            < 90 => MailShape.CalendarInvite,
            _ => MailShape.Phishing,
        };
    }

    private MailStyle PickStyle() => (MailStyle)_rng.Next(6);

    private GeneratedMessage Build(MailShape shape, MailStyle style, int targetBytes)
    {
        _truth = new Truth();
        _messageIndex++;
        var sink = new ByteSink(Math.Max(4096, targetBytes + (targetBytes / 8)));
        var subject = PickSubject(out var encodedSubject);

        if (shape == MailShape.HeaderHeavy)
        {
            WriteHeaderHeavy(sink, targetBytes, encodedSubject);
        }
        else
        {
            WriteReceivedHeaders(sink, style, _rng.Next(3, 11));
            WriteOriginHeaders(sink, style, encodedSubject, shape);
            WriteBody(sink, shape, style, 0, Math.Max(0, targetBytes - sink.Length));
        }

        return new GeneratedMessage(sink.ToArray(), shape, style, _seed, subject, _truth.Entities, _truth.MaxDepth, _truth.AttachedMessages, _truth.FileNames);
    }

    // ---------------------------------------------------------------- bodies

    private void WriteBody(ByteSink sink, MailShape shape, MailStyle style, int depth, int budget)
    {
        switch (shape)
        {
            case MailShape.PlainText:
                WriteTextPart(sink, depth, "plain", PickTextEncoding(), Math.Max(300, budget));
                break;
            case MailShape.Alternative:
                WriteAlternative(sink, depth, budget, phishing: false, style);
                break;
            case MailShape.MixedWithAttachments:
            case MailShape.LargeWithAttachments:
                WriteMixed(sink, depth, budget, style, shape == MailShape.LargeWithAttachments ? _rng.Next(3, 7) : _rng.Next(1, 5));
                break;
            case MailShape.Related:
                WriteMultipart(sink, depth, "related", style, "type=\"multipart/alternative\"", (s, d) =>
                {
                    var images = _rng.Next(1, 4);
                    var text = budget / 3;
                    var imageBytes = (budget - text) * 3 / 4 / images;
                    var ids = new List<string>();
                    for (var i = 0; i < images; i++)
                    {
                        ids.Add($"image{Q(i + 1).PadLeft(3, '0')}.png@01DA{_rng.Next(0x10000000, int.MaxValue):X8}");
                    }

                    Add(s, dd => WriteAlternative(s, dd, text, phishing: false, style, ids));
                    for (var i = 0; i < images; i++)
                    {
                        var id = ids[i];
                        Add(s, dd => WriteAttachment(s, dd, "image/png", id[..id.IndexOf('@', StringComparison.Ordinal)], Png(Math.Max(200, imageBytes)), inline: true, contentId: id));
                    }

                    void Add(ByteSink target, Action<int> child) => NextChild(target, d, child);
                });
                break;
            case MailShape.Forwarded:
                WriteForwarded(sink, depth, budget, style, nestLevels: _rng.Next(4) == 0 ? 2 : 1);
                break;
            case MailShape.CalendarInvite:
                WriteCalendar(sink, depth, budget, style);
                break;
            case MailShape.Phishing:
                if (_rng.Next(3) == 0)
                {
                    WriteMultipart(sink, depth, "mixed", style, null, (s, d) =>
                    {
                        NextChild(s, d, dd => WriteAlternative(s, dd, budget / 2, phishing: true, style));
                        NextChild(s, d, dd => WriteAttachment(s, dd, "text/html", "Secure_Message.htm", Encoding.UTF8.GetBytes(PhishingHtml(budget / 3)), inline: false, contentId: null));
                    });
                }
                else
                {
                    WriteAlternative(sink, depth, budget, phishing: true, style);
                }

                break;
            default:
                WriteTextPart(sink, depth, "plain", "7bit", Math.Max(300, budget));
                break;
        }
    }

    private delegate void ChildWriter(ByteSink sink, int childDepth);

    private void WriteMultipart(ByteSink sink, int depth, string subtype, MailStyle style, string? extraParameters, ChildWriter children)
    {
        Enter(depth);
        var boundary = Boundary(style);
        var parameters = extraParameters is null ? string.Empty : "; " + extraParameters;
        Header(sink, "Content-Type", $"multipart/{subtype}; boundary=\"{boundary}\"{parameters}");
        sink.Crlf();
        if (style is MailStyle.Outlook or MailStyle.Spammer)
        {
            sink.Line("This is a multi-part message in MIME format.");
            sink.Crlf();
        }

        _boundaries.Push(boundary);
        children(sink, depth + 1);
        _boundaries.Pop();
        sink.Append("--").Append(boundary).Append("--").Crlf();
        if (style == MailStyle.MailingList)
        {
            sink.Line("_______________________________________________");
            sink.Line("Example mailing list -- unsubscribe: list-leave@lists.example.org");
        }
    }

    private readonly Stack<string> _boundaries = new();

    private void NextChild(ByteSink sink, int childDepth, Action<int> child)
    {
        sink.Append("--").Append(_boundaries.Peek()).Crlf();
        child(childDepth);
    }

    private void WriteAlternative(ByteSink sink, int depth, int budget, bool phishing, MailStyle style, List<string>? imageIds = null)
    {
        WriteMultipart(sink, depth, "alternative", style, null, (s, d) =>
        {
            var textBudget = Math.Max(200, budget / 3);
            var htmlBudget = Math.Max(400, budget - textBudget);
            var useBase64 = style is MailStyle.Gmail or MailStyle.Spammer && _rng.Next(2) == 0;
            NextChild(s, d, dd => WriteTextPart(s, dd, "plain", useBase64 ? "base64" : "quoted-printable", textBudget));
            var html = phishing ? PhishingHtml(htmlBudget) : Html(htmlBudget, imageIds);
            NextChild(s, d, dd => WriteTextContent(s, dd, "html", useBase64 ? "base64" : "quoted-printable", "utf-8", html));
        });
    }

    private void WriteMixed(ByteSink sink, int depth, int budget, MailStyle style, int attachments)
    {
        WriteMultipart(sink, depth, "mixed", style, null, (s, d) =>
        {
            var bodyBudget = Math.Min(Math.Max(1500, budget / 6), 60_000);
            NextChild(s, d, dd => WriteAlternative(s, dd, bodyBudget, phishing: false, style));
            var exact = attachments >= 3 && budget > 500_000;
            var perAttachment = Math.Max(300, (int)((budget - bodyBudget - (attachments * 400L)) * 57 / 78 / attachments));
            for (var i = 0; i < attachments; i++)
            {
                var name = MailVocabulary.AttachmentNames[_rng.Next(MailVocabulary.AttachmentNames.Length)];
                var size = exact ? perAttachment : Math.Max(200, (int)(perAttachment * (0.6 + (_rng.NextDouble() * 0.8))));
                var extension = Path.GetExtension(name);
                var (type, data) = extension switch
                {
                    ".pdf" => ("application/pdf", Pdf(size)),
                    ".png" => ("image/png", Png(size)),
                    ".zip" => ("application/zip", Zip(size)),
                    _ => ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", Zip(size)),
                };
                NextChild(s, d, dd => WriteAttachment(s, dd, type, name, data, inline: false, contentId: null));
            }
        });
    }

    private void WriteForwarded(ByteSink sink, int depth, int budget, MailStyle style, int nestLevels)
    {
        WriteMultipart(sink, depth, "mixed", style, null, (s, d) =>
        {
            NextChild(s, d, dd => WriteTextPart(s, dd, "plain", "quoted-printable", Math.Min(2000, Math.Max(300, budget / 5))));
            NextChild(s, d, dd =>
            {
                Enter(dd);
                _truth.AttachedMessages++;
                s.Line("Content-Type: message/rfc822");
                if (_rng.Next(2) == 0)
                {
                    s.Line("Content-Disposition: attachment");
                }

                s.Crlf();
                var innerStyle = PickStyle();
                var innerSubject = PickSubject(out var innerEncoded);
                _ = innerSubject;
                WriteReceivedHeaders(s, innerStyle, _rng.Next(1, 4));
                var innerShape = nestLevels > 1 ? MailShape.Forwarded : (_rng.Next(2) == 0 ? MailShape.Alternative : MailShape.MixedWithAttachments);
                WriteOriginHeaders(s, innerStyle, innerEncoded, innerShape);
                if (nestLevels > 1)
                {
                    WriteForwarded(s, dd + 1, budget * 2 / 3, innerStyle, nestLevels - 1);
                }
                else
                {
                    WriteBody(s, innerShape, innerStyle, dd + 1, budget * 2 / 3);
                }
            });
        });
    }

    private void WriteCalendar(ByteSink sink, int depth, int budget, MailStyle style)
    {
        WriteMultipart(sink, depth, "mixed", style, null, (s, d) =>
        {
            NextChild(s, d, dd => WriteMultipart(s, dd, "alternative", style, null, (s2, d2) =>
            {
                NextChild(s2, d2, x => WriteTextPart(s2, x, "plain", "quoted-printable", Math.Max(300, budget / 3)));
                NextChild(s2, d2, x => WriteTextContent(s2, x, "html", "quoted-printable", "utf-8", Html(Math.Max(400, budget / 3), null)));
                NextChild(s2, d2, x =>
                {
                    Enter(x);
                    s2.Line("Content-Type: text/calendar; charset=\"utf-8\"; method=REQUEST");
                    s2.Line("Content-Transfer-Encoding: base64");
                    s2.Crlf();
                    Base64Lines(Encoding.UTF8.GetBytes(Calendar()), s2);
                });
            }));
            NextChild(s, d, dd => WriteAttachment(s, dd, "application/ics", "invite.ics", Encoding.UTF8.GetBytes(Calendar()), inline: false, contentId: null));
        });
    }

    private void WriteTextPart(ByteSink sink, int depth, string subtype, string encoding, int budget)
    {
        var nonAscii = encoding != "7bit";
        var charset = encoding == "7bit" ? "us-ascii" : "utf-8";
        WriteTextContent(sink, depth, subtype, encoding, charset, Paragraphs(budget, nonAscii));
    }

    private void WriteTextContent(ByteSink sink, int depth, string subtype, string encoding, string charset, string text)
    {
        Enter(depth);
        var format = subtype == "plain" && _rng.Next(3) == 0 ? "; format=flowed" : string.Empty;
        sink.Line($"Content-Type: text/{subtype}; charset=\"{charset}\"{format}");
        sink.Line("Content-Transfer-Encoding: " + encoding);
        sink.Crlf();
        var bytes = Encoding.UTF8.GetBytes(text);
        switch (encoding)
        {
            case "base64":
                Base64Lines(bytes, sink);
                break;
            case "quoted-printable":
                QuotedPrintable(bytes, sink);
                sink.Crlf();
                break;
            default:
                sink.Append(bytes).Crlf();
                break;
        }
    }

    private void WriteAttachment(ByteSink sink, int depth, string type, string name, byte[] data, bool inline, string? contentId)
    {
        Enter(depth);
        _truth.FileNames.Add(name);
        var ascii = Ascii(name);
        var mode = ascii ? 0 : 1 + _rng.Next(3);
        switch (mode)
        {
            case 0:
                Header(sink, "Content-Type", $"{type}; name=\"{name}\"");
                Header(sink, "Content-Disposition", $"{(inline ? "inline" : "attachment")}; filename=\"{name}\"; size={Q(data.Length)}");
                break;
            case 1:
                // RFC 2231 in one piece (Thunderbird, Gmail for the disposition); Content-Type name as RFC 2047.
                Header(sink, "Content-Type", $"{type}; name=\"{EncodedWords(name, "utf-8", 'B')}\"");
                Header(sink, "Content-Disposition", $"{(inline ? "inline" : "attachment")}; filename*={Rfc2231Value(Encoding.UTF8.GetBytes(name), "utf-8")}");
                break;
            case 2:
                // RFC 2231 continuations (Apple Mail, Thunderbird with long names).
                var encoded = Rfc2231Value(Encoding.UTF8.GetBytes(name), "utf-8", withCharset: false);
                var sb = new StringBuilder();
                sb.Append(inline ? "inline" : "attachment");
                var index = 0;
                for (var i = 0; i < encoded.Length; index++)
                {
                    var take = Math.Min(30, encoded.Length - i);
                    while (i + take < encoded.Length && take > 0 && (encoded[i + take - 1] == '%' || (take > 1 && encoded[i + take - 2] == '%')))
                    {
                        take--;
                    }

                    sb.Append("; filename*").Append(Q(index)).Append("*=").Append(index == 0 ? "utf-8''" : string.Empty).Append(encoded, i, take);
                    i += take;
                }

                Header(sink, "Content-Type", $"{type}; x-unix-mode=0644; name=\"{EncodedWords(name, "utf-8", 'Q')}\"");
                Header(sink, "Content-Disposition", sb.ToString(), indent: "\t");
                break;
            default:
                // Outlook: RFC 2047 inside quoted parameter values.
                var word = EncodedWords(name, "utf-8", 'B');
                Header(sink, "Content-Type", $"{type}; name=\"{word}\"");
                Header(sink, "Content-Description", word);
                Header(sink, "Content-Disposition", $"{(inline ? "inline" : "attachment")}; filename=\"{word}\"; size={Q(data.Length)}; creation-date=\"{Date(-_rng.Next(100_000))}\"");
                break;
        }

        if (contentId is not null)
        {
            sink.Line($"Content-ID: <{contentId}>");
        }

        sink.Line("Content-Transfer-Encoding: base64");
        sink.Crlf();
        Base64Lines(data, sink);
    }

    // ---------------------------------------------------------------- header blocks

    private void WriteHeaderHeavy(ByteSink sink, int targetBytes, string encodedSubject)
    {
        // What an Exchange Online mailbox shows for a message from outside: a compact but complete set.
        var when = BaseDate.AddSeconds(_rng.Next(0, 3_000_000));
        for (var hop = 5; hop >= 0; hop--)
        {
            Header(sink, "Received", $"from {Pick(MailVocabulary.Hosts)} ({Ipv6()}) by {Pick(MailVocabulary.Hosts)} with Microsoft SMTP Server id 15.20.{_rng.Next(1000, 9999)}.{_rng.Next(10, 99)}; {Date(when.AddSeconds(hop))}", indent: "        ");
        }

        var domain = Pick(MailVocabulary.Domains);
        var networkId = Guid();
        Header(sink, "Authentication-Results", $"spf=pass (sender IP is {Ip()}) smtp.mailfrom={domain}; dkim=pass (signature was verified) header.d={domain};dmarc=pass action=none header.from={domain};compauth=pass reason=100");
        Header(sink, "Received-SPF", $"Pass ({Pick(MailVocabulary.Hosts)}: domain of {domain} designates {Ip()} as permitted sender)");
        Header(sink, "DKIM-Signature", $"v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=selector1; h=From:Date:Subject:Message-ID; bh={Base64Blob(32)}; b={Base64Blob(96)}", indent: "\t", hardCut: true);
        Header(sink, "From", Address(domain, encodedName: _rng.Next(2) == 0));
        Header(sink, "To", Address(Pick(MailVocabulary.Domains), encodedName: false));
        Header(sink, "Subject", encodedSubject);
        sink.Line("Date: " + Date(when));
        sink.Line($"Message-ID: <{Token(24)}@{Pick(MailVocabulary.Hosts)}>");
        sink.Line("Thread-Topic: " + Pick(MailVocabulary.AsciiSubjects));
        sink.Line("Thread-Index: " + Base64Blob(22));
        sink.Line("Accept-Language: en-US");
        sink.Line("Content-Language: en-US");
        sink.Line("X-MS-Has-Attach: ");
        sink.Line("X-MS-TNEF-Correlator: ");
        sink.Line("X-MS-Exchange-Organization-ExpirationStartTime: " + When(when));
        sink.Line("X-MS-Exchange-Organization-ExpirationInterval: 1:00:00:00.0000000");
        sink.Line("X-MS-Exchange-Organization-Network-Message-Id: " + networkId);
        sink.Line("X-MS-Exchange-Organization-MessageDirectionality: Incoming");
        sink.Line("X-MS-Exchange-Organization-AuthAs: Anonymous");
        sink.Line("X-MS-Exchange-Organization-SCL: 1");
        sink.Line("X-MS-PublicTrafficType: Email");
        sink.Line("X-MS-TrafficTypeDiagnostic: " + Token(8) + ":EE_");
        sink.Line("X-MS-Office365-Filtering-Correlation-Id: " + Guid());
        sink.Line("X-Microsoft-Antispam: BCL:0;");
        Header(sink, "X-Microsoft-Antispam-Message-Info", Base64Blob(120), hardCut: true);
        Header(sink, "X-Forefront-Antispam-Report", $"CIP:{Ip()};CTRY:US;LANG:en;SCL:1;SRV:;IPV:NLI;SFV:NSPM;H:{Pick(MailVocabulary.Hosts)};CAT:NONE;SFS:(13230040);DIR:INB;", hardCut: true);
        sink.Line("X-MS-Exchange-CrossTenant-OriginalArrivalTime: " + when.ToString("dd MMM yyyy HH:mm:ss.ffff", CultureInfo.InvariantCulture) + " (UTC)");
        sink.Line("X-MS-Exchange-CrossTenant-Network-Message-Id: " + networkId);
        sink.Line("X-MS-Exchange-CrossTenant-Id: " + Guid());
        sink.Line("X-MS-Exchange-CrossTenant-AuthAs: Anonymous");
        sink.Line("X-MS-Exchange-CrossTenant-FromEntityHeader: Internet");
        sink.Line("X-MS-Exchange-Transport-CrossTenantHeadersStamped: " + Token(16));
        sink.Line("MIME-Version: 1.0");
        var body = Paragraphs(Math.Clamp(targetBytes / 16, 120, 600), nonAscii: false);
        var filler = 0;
        while (sink.Length + body.Length + 140 < targetBytes && filler < 10_000)
        {
            sink.Line($"X-MS-Exchange-AntiSpam-MessageData-{Q(filler++)}: {Token(40)}");
        }

        Enter(0);
        sink.Line("Content-Type: text/plain; charset=\"us-ascii\"");
        sink.Line("Content-Transfer-Encoding: 7bit");
        sink.Crlf();
        sink.Append(body).Crlf();
    }

    private void WriteReceivedHeaders(ByteSink sink, MailStyle style, int hops)
    {
        var when = BaseDate.AddSeconds(_rng.Next(0, 3_000_000) + (_messageIndex * 7));
        var lines = new List<string>();
        for (var hop = 0; hop < hops; hop++)
        {
            var from = Pick(MailVocabulary.Hosts);
            var by = Pick(MailVocabulary.Hosts);
            var t = when.AddSeconds(hop);
            lines.Add(style switch
            {
                MailStyle.Gmail when hop == hops - 1 => $"by 2002:a05:6a10:{_rng.Next(0x1000, 0xffff):x}:b0:{_rng.Next(0x100, 0xfff):x}:{_rng.Next(0x100, 0xfff):x}:{_rng.Next(0x1000, 0xffff):x} with SMTP id {Token(14).ToLowerInvariant()}; {Date(t)}",
                MailStyle.Gmail or MailStyle.MailingList => $"from {from} ({from}. [{Ip()}]) by {by} with ESMTPS id {Token(20)} for <{Mailbox()}> (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256); {Date(t)}",
                MailStyle.Spammer => $"from {Pick(["unknown", "User", "[" + Ip() + "]"])} (HELO {from}) ({Ip()}) by {by} with SMTP; {Date(t)}",
                _ => $"from {from} ({Ipv6()}) by {by} ({Ipv6()}) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.{_rng.Next(1000, 9999)}.{_rng.Next(10, 99)}; {Date(t)}",
            });
        }

        // The newest hop is on top.
        for (var i = lines.Count - 1; i >= 0; i--)
        {
            Header(sink, "Received", lines[i], indent: "        ");
        }

        // The receiving tenant is Exchange Online: it stamps these on every message it delivers.
        var networkId = Guid();
        var domain = Pick(MailVocabulary.Domains);
        Header(sink, "Authentication-Results", $"spf={Pick(["pass", "pass", "fail", "softfail", "none"])} (sender IP is {Ip()}) smtp.mailfrom={domain}; dkim={Pick(["pass", "pass", "fail", "none"])} (signature was verified) header.d={domain};dmarc={Pick(["pass", "pass", "fail", "bestguesspass"])} action=none header.from={domain};compauth={Pick(["pass", "fail", "softpass"])} reason={Pick(["100", "000", "001", "601"])}");
        Header(sink, "Received-SPF", $"Pass ({ByHost()}: domain of {domain} designates {Ip()} as permitted sender) receiver={ByHost()}; client-ip={Ip()}; helo={Pick(MailVocabulary.Hosts)}; pr=C");
        sink.Line("X-MS-Exchange-Organization-ExpirationStartTime: " + When(when));
        sink.Line("X-MS-Exchange-Organization-ExpirationStartTimeReason: OriginalSubmit");
        sink.Line("X-MS-Exchange-Organization-ExpirationInterval: 1:00:00:00.0000000");
        sink.Line("X-MS-Exchange-Organization-ExpirationIntervalReason: OriginalSubmit");
        sink.Line("X-MS-Exchange-Organization-Network-Message-Id: " + networkId);
        sink.Line("X-EOPAttributedMessage: 0");
        sink.Line("X-EOPTenantAttributedMessage: " + Guid() + ":0");
        sink.Line("X-MS-Exchange-Organization-MessageDirectionality: Incoming");
        sink.Line("X-MS-PublicTrafficType: Email");
        sink.Line("X-MS-TrafficTypeDiagnostic: " + Token(8) + ":EE_|" + Token(12) + ":EE_");
        sink.Line("X-MS-Exchange-Organization-AuthSource: " + Pick(MailVocabulary.Hosts));
        sink.Line("X-MS-Exchange-Organization-AuthAs: Anonymous");
        sink.Line("X-MS-Office365-Filtering-Correlation-Id: " + Guid());
        sink.Line("X-MS-Exchange-Organization-SCL: " + Q(_rng.Next(-1, 10)));
        Header(sink, "X-Microsoft-Antispam", "BCL:0;ARA:13230040|376014|1800799024|" + Q(_rng.Next(100000, 999999)) + "|69100299015;");
        Header(sink, "X-Forefront-Antispam-Report", $"CIP:{Ip()};CTRY:{Pick(["US", "DE", "NL", "CN", "RU", "BR"])};LANG:en;SCL:{Q(_rng.Next(0, 9))};SRV:;IPV:NLI;SFV:{Pick(["NSPM", "SPM", "SKN"])};H:{Pick(MailVocabulary.Hosts)};PTR:{Pick(MailVocabulary.Hosts)};CAT:{Pick(["NONE", "PHSH", "SPM", "HPHISH"])};SFS:(13230040)(376014)(1800799024)(69100299015)(8096899003);DIR:INB;", hardCut: true);
        Header(sink, "X-Microsoft-Antispam-Message-Info", Base64Blob(_rng.Next(600, 1600)), hardCut: true);
        sink.Line("X-MS-Exchange-CrossTenant-OriginalArrivalTime: " + when.ToString("dd MMM yyyy HH:mm:ss.ffff", CultureInfo.InvariantCulture) + " (UTC)");
        sink.Line("X-MS-Exchange-CrossTenant-Network-Message-Id: " + networkId);
        sink.Line("X-MS-Exchange-CrossTenant-Id: " + Guid());
        sink.Line("X-MS-Exchange-CrossTenant-AuthSource: " + Pick(MailVocabulary.Hosts));
        sink.Line("X-MS-Exchange-CrossTenant-AuthAs: Anonymous");
        sink.Line("X-MS-Exchange-CrossTenant-FromEntityHeader: Internet");
        sink.Line("X-MS-Exchange-Transport-CrossTenantHeadersStamped: " + Token(16));
        sink.Line("X-MS-Exchange-Transport-EndToEndLatency: 00:00:0" + Q(_rng.Next(1, 9)) + ".8412345");
        sink.Line("X-MS-Exchange-Processed-By-BccFoldering: 15.20.7228.000");

        string ByHost() => Pick(MailVocabulary.Hosts);
    }

    private void WriteOriginHeaders(ByteSink sink, MailStyle style, string encodedSubject, MailShape shape)
    {
        var domain = Pick(MailVocabulary.Domains);
        if (style is MailStyle.Gmail or MailStyle.MailingList or MailStyle.ExchangeOnline || _rng.Next(3) == 0)
        {
            for (var i = 1; i <= (style == MailStyle.MailingList ? 2 : 1); i++)
            {
                Header(sink, "ARC-Seal", $"i={Q(i)}; a=rsa-sha256; s=arcselector10001; d=microsoft.com; cv={(i == 1 ? "none" : "pass")}; b={Base64Blob(256)}", indent: "\t", hardCut: true);
                Header(sink, "ARC-Message-Signature", $"i={Q(i)}; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.com; s=arcselector10001; h=From:Date:Subject:Message-ID:Content-Type:MIME-Version:X-MS-Exchange-AntiSpam-MessageData-ChunkCount:X-MS-Exchange-AntiSpam-MessageData-0:X-MS-Exchange-AntiSpam-MessageData-1; bh={Base64Blob(32)}; b={Base64Blob(256)}", indent: "\t", hardCut: true);
                Header(sink, "ARC-Authentication-Results", $"i={Q(i)}; mx.microsoft.com 1; spf=pass smtp.mailfrom={domain}; dmarc=pass action=none header.from={domain}; dkim=pass header.d={domain}; arc=none", indent: "\t");
            }
        }

        if (style != MailStyle.Spammer || _rng.Next(2) == 0)
        {
            Header(sink, "DKIM-Signature", $"v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=selector{Q(_rng.Next(1, 3))}; h=From:Date:Subject:Message-ID:Content-Type:MIME-Version; bh={Base64Blob(32)}; b={Base64Blob(256)}", indent: "\t", hardCut: true);
        }

        var date = Date(BaseDate.AddSeconds(_rng.Next(0, 3_000_000)));
        var from = Address(domain, style == MailStyle.Spammer || _rng.Next(3) == 0);
        Header(sink, "From", from);
        Header(sink, "To", Address(Pick(MailVocabulary.Domains), _rng.Next(4) == 0) + (_rng.Next(3) == 0 ? ", " + Address(Pick(MailVocabulary.Domains), false) : string.Empty));
        if (_rng.Next(4) == 0)
        {
            Header(sink, "CC", Address(Pick(MailVocabulary.Domains), _rng.Next(2) == 0));
        }

        if (style == MailStyle.Spammer || shape == MailShape.Phishing)
        {
            Header(sink, "Reply-To", $"<{Token(8).ToLowerInvariant()}@{Pick(MailVocabulary.Domains)}>");
            sink.Line("Return-Path: <bounce-" + Token(10).ToLowerInvariant() + "@mta7.bulk-sender.test>");
            sink.Line("X-Priority: 1 (Highest)");
            sink.Line("X-Mailer: " + Pick(["PHPMailer 6.1.4 (https://github.com/PHPMailer/PHPMailer)", "Microsoft Outlook Express 6.00.2900.5512", "The Bat! (v3.62.14)"]));
        }

        Header(sink, "Subject", encodedSubject);
        sink.Line("Date: " + date);
        var messageId = style switch
        {
            MailStyle.Gmail => $"<CA+{Token(40)}@mail.gmail.com>",
            MailStyle.AppleMail => $"<{Guid().ToUpperInvariant()}@{domain}>",
            MailStyle.ExchangeOnline or MailStyle.Outlook => $"<{Token(32)}@{Pick(MailVocabulary.Hosts)}>",
            _ => $"<{Q(_rng.Next())}.{Q(_rng.Next())}.JavaMail.{Token(6).ToLowerInvariant()}@{domain}>",
        };
        sink.Line("Message-ID: " + messageId);
        if (_rng.Next(3) == 0)
        {
            var reference = $"<{Token(20)}@{domain}>";
            sink.Line("In-Reply-To: " + reference);
            Header(sink, "References", $"<{Token(20)}@{domain}> <{Token(20)}@{domain}> {reference}");
        }

        switch (style)
        {
            case MailStyle.ExchangeOnline:
            case MailStyle.Outlook:
                Header(sink, "Thread-Topic", encodedSubject);
                sink.Line("Thread-Index: " + Base64Blob(22));
                sink.Line("Accept-Language: en-US, de-DE");
                sink.Line("Content-Language: en-US");
                sink.Line("X-MS-Has-Attach: " + (shape is MailShape.MixedWithAttachments or MailShape.LargeWithAttachments ? "yes" : string.Empty));
                sink.Line("X-MS-TNEF-Correlator: ");
                sink.Line("X-Originating-IP: [" + Ip() + "]");
                Header(sink, "msip_labels", "MSIP_Label_" + Guid() + "_Enabled=true; MSIP_Label_" + Guid() + "_SetDate=2024-02-12T09:14:02Z; MSIP_Label_" + Guid() + "_Method=Standard");
                break;
            case MailStyle.Gmail:
                sink.Line("X-Gm-Message-State: " + Base64Blob(48));
                Header(sink, "X-Google-Smtp-Source", Base64Blob(72), hardCut: true);
                sink.Line("X-Received: by 2002:a17:906:" + Token(4).ToLowerInvariant() + " with SMTP id " + Token(12).ToLowerInvariant() + "; " + date);
                break;
            case MailStyle.AppleMail:
                sink.Line("X-Mailer: Apple Mail (2.3774.300.61.1.2)");
                break;
            case MailStyle.MailingList:
                sink.Line("List-Id: Example announcements <announce.lists.example.org>");
                Header(sink, "List-Unsubscribe", "<mailto:leave-announce@lists.example.org>, <https://lists.example.org/unsubscribe?u=" + Token(24) + ">");
                sink.Line("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
                sink.Line("Precedence: bulk");
                sink.Line("Feedback-ID: " + Q(_rng.Next(1000, 9999)) + ":" + Q(_rng.Next(1000, 9999)) + ":newsletter:lists");
                break;
        }

        sink.Line(style == MailStyle.AppleMail ? "Mime-Version: 1.0 (Mac OS X Mail 16.0 \\(3774.300.61.1.2\\))" : "MIME-Version: 1.0");
    }

    // ---------------------------------------------------------------- content

    private string Paragraphs(int bytes, bool nonAscii)
    {
        var sb = new StringBuilder(bytes + 100);
        sb.Append(Pick(["Hi team,", "Hello,", "Dear customer,", "Hallo zusammen,", "Bonjour,"])).Append("\r\n\r\n");
        var lineLength = 0;
        var sentence = 0;
        while (sb.Length < bytes)
        {
            var word = nonAscii && _rng.Next(8) == 0 ? Pick(MailVocabulary.NonAsciiWords) : Pick(MailVocabulary.Words);
            if (sentence == 0)
            {
                word = char.ToUpperInvariant(word[0]) + word[1..];
            }

            sb.Append(word);
            lineLength += word.Length + 1;
            sentence++;
            if (sentence > 6 && _rng.Next(6) == 0)
            {
                sb.Append('.');
                sentence = 0;
                if (_rng.Next(5) == 0)
                {
                    sb.Append("\r\n\r\n");
                    lineLength = 0;
                    continue;
                }
            }

            if (lineLength > 66)
            {
                sb.Append("\r\n");
                lineLength = 0;
            }
            else
            {
                sb.Append(' ');
            }
        }

        sb.Append("\r\n\r\nBest regards,\r\n").Append(Pick(MailVocabulary.AsciiNames)).Append("\r\n");
        return sb.ToString();
    }

    private string Html(int bytes, List<string>? imageIds)
    {
        var sb = new StringBuilder(bytes + 400);
        sb.Append("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n");
        sb.Append("<style><!-- p.MsoNormal {margin:0cm; font-size:11.0pt; font-family:\"Calibri\",sans-serif;} --></style></head>\r\n<body lang=\"EN-US\" link=\"#0563C1\">\r\n<div class=\"WordSection1\">\r\n");
        if (imageIds is not null)
        {
            foreach (var id in imageIds)
            {
                sb.Append("<p class=\"MsoNormal\"><img width=\"120\" height=\"40\" src=\"cid:").Append(id).Append("\" alt=\"logo\"></p>\r\n");
            }
        }

        while (sb.Length < bytes)
        {
            sb.Append("<p class=\"MsoNormal\">").Append(Paragraphs(Math.Min(400, Math.Max(80, bytes - sb.Length)), nonAscii: true).Replace("\r\n", "<br>\r\n", StringComparison.Ordinal)).Append("</p>\r\n");
            if (_rng.Next(4) == 0)
            {
                sb.Append("<table border=\"0\" cellpadding=\"0\"><tr><td style=\"padding:6px\">Item</td><td>").Append(Q(_rng.Next(1, 999))).Append(",00 &euro;</td></tr></table>\r\n");
            }
        }

        sb.Append("</div>\r\n</body>\r\n</html>\r\n");
        return sb.ToString();
    }

    private string PhishingHtml(int bytes)
    {
        var host = Pick(["login-micros0ft.example-verify.test", "secure-docusign.example.net", "paypa1-support.test", "xn--mcrosoft-b7a.test"]);
        var sb = new StringBuilder(bytes + 1000);
        sb.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Secure Message</title></head><body style=\"font-family:Segoe UI\">\r\n");
        sb.Append("<div style=\"display:none;font-size:1px;color:#fff\">").Append(Token(40)).Append("</div>\r\n");
        sb.Append("<p>Your mailbox password expires <b>today</b>. To keep your account, verify now:</p>\r\n");
        sb.Append("<p><a href=\"http://").Append(host).Append("/auth/login.php?u=").Append(Token(16)).Append("&amp;r=").Append(Q(_rng.Next())).Append("\">https://login.microsoftonline.com/common/oauth2</a></p>\r\n");
        sb.Append("<p><a href=\"https://").Append(host).Append("/%6c%6f%67%69%6e\" title=\"https://portal.office.com\">Review document (2 pages)</a></p>\r\n");
        sb.Append("<form action=\"http://").Append(host).Append("/collect\" method=\"post\">\r\n<input type=\"email\" name=\"login\" value=\"\">\r\n<input type=\"password\" name=\"passwd\">\r\n<input type=\"hidden\" name=\"tok\" value=\"").Append(Token(32)).Append("\">\r\n<button type=\"submit\">Sign in</button>\r\n</form>\r\n");
        while (sb.Length < bytes)
        {
            sb.Append("<p style=\"color:#777;font-size:8pt\">").Append(Paragraphs(Math.Min(300, Math.Max(60, bytes - sb.Length)), nonAscii: false).Replace("\r\n", " ", StringComparison.Ordinal)).Append("</p>\r\n");
        }

        sb.Append("<img src=\"http://").Append(host).Append("/t.gif?id=").Append(Token(12)).Append("\" width=\"1\" height=\"1\">\r\n</body></html>\r\n");
        return sb.ToString();
    }

    private string Calendar()
    {
        var start = BaseDate.AddHours(_rng.Next(24, 2000));
        return "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nPRODID:Microsoft Exchange Server 2010\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
            + "ORGANIZER;CN=Alice Johnson:mailto:alice@contoso.example\r\n"
            + "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Bob Smith:mailto:bob@fabrikam.example\r\n"
            + "DESCRIPTION;LANGUAGE=en-US:Quarterly review – Agenda attached.\\n\r\n"
            + "UID:" + Token(40) + "\r\nSUMMARY;LANGUAGE=en-US:Q3 Review – Besprechung\r\n"
            + "DTSTART:" + start.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "\r\n"
            + "DTEND:" + start.AddHours(1).ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "\r\n"
            + "LOCATION;LANGUAGE=en-US:Microsoft Teams Meeting\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    }

    private byte[] Pdf(int size)
    {
        var head = Encoding.Latin1.GetBytes("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Length " + Q(size) + " /Filter /FlateDecode >>\nstream\n");
        var tail = "\nendstream\nendobj\nxref\n0 3\ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"u8;
        return Binary(size, head, tail);
    }

    private byte[] Png(int size)
    {
        byte[] head = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 0, 64, 8, 6, 0, 0, 0];
        return Binary(size, head, [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]);
    }

    private byte[] Zip(int size)
    {
        var head = new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00 }.Concat(Encoding.ASCII.GetBytes("[Content_Types].xml")).ToArray();
        return Binary(size, head, [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
    }

    private byte[] Binary(int size, ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail)
    {
        var data = new byte[Math.Max(size, head.Length + tail.Length)];
        _rng.NextBytes(data);
        head.CopyTo(data);
        tail.CopyTo(data.AsSpan(data.Length - tail.Length));
        return data;
    }

    // ---------------------------------------------------------------- small pieces

    private string PickSubject(out string encoded)
    {
        if (_rng.Next(5) < 2)
        {
            var ascii = Pick(MailVocabulary.AsciiSubjects);
            encoded = ascii;
            return ascii;
        }

        var (original, charset) = MailVocabulary.Subjects[_rng.Next(MailVocabulary.Subjects.Length)];
        var enc = GetEncoding(charset);
        var text = enc.GetString(enc.GetBytes(original));
        encoded = EncodedWords(text, charset, charset == "iso-2022-jp" || _rng.Next(2) == 0 ? 'B' : 'Q');
        if (_rng.Next(4) == 0)
        {
            // "RE: " in ASCII before the encoded words, as replies do.
            encoded = "RE: " + encoded;
            return "RE: " + text;
        }

        return text;
    }

    private string Address(string domain, bool encodedName)
    {
        var local = Pick(["alice", "bob", "billing", "no-reply", "it-support", "carol.diaz", "hr"]);
        if (encodedName)
        {
            var (name, charset) = MailVocabulary.DisplayNames[_rng.Next(MailVocabulary.DisplayNames.Length)];
            return $"{EncodedWords(name, charset, _rng.Next(2) == 0 ? 'B' : 'Q')} <{local}@{domain}>";
        }

        var ascii = Pick(MailVocabulary.AsciiNames);
        return ascii.Contains('\'', StringComparison.Ordinal) || _rng.Next(2) == 0 ? $"\"{ascii}\" <{local}@{domain}>" : $"{ascii} <{local}@{domain}>";
    }

    private string Boundary(MailStyle style) => style switch
    {
        MailStyle.ExchangeOnline or MailStyle.Outlook => $"_00{Q(_boundaries.Count)}_{Token(24)}_",
        MailStyle.Gmail => "000000000000" + Hex(16),
        MailStyle.AppleMail => "Apple-Mail=_" + Guid().ToUpperInvariant(),
        MailStyle.Spammer => "----=_NextPart_000_00" + Q(_rng.Next(10, 99)) + "_01DA" + Hex(4).ToUpperInvariant() + "." + Hex(8).ToUpperInvariant(),
        _ => "===============" + Q(_rng.Next(100_000_000, int.MaxValue)) + "==",
    };

    private void Enter(int depth)
    {
        _truth.Entities++;
        _truth.MaxDepth = Math.Max(_truth.MaxDepth, depth);
    }

    private string PickTextEncoding() => _rng.Next(3) switch
    {
        0 => "7bit",
        1 => "8bit",
        _ => "quoted-printable",
    };

    private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];

    private static string Date(DateTime when) => when.ToString("ddd, d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000";

    private static string Date(int secondsOffset) => Date(BaseDate.AddSeconds(secondsOffset));

    private static string When(DateTime when) => when.ToString("M/d/yyyy h:mm:ss tt", CultureInfo.InvariantCulture);

    private string Ip() => Pick(["192.0.2.", "198.51.100.", "203.0.113."]) + Q(_rng.Next(1, 255));

    private string Ipv6() => "2603:10a6:" + Hex(3) + ":" + Hex(2) + "::" + Hex(2);

    private string Mailbox() => Pick(["alice", "bob", "carol", "dan"]) + "@" + Pick(MailVocabulary.Domains);

    private string Guid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _rng.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    private string Hex(int length)
    {
        const string Digits = "0123456789abcdef";
        return string.Create(length, _rng, static (span, rng) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Digits[rng.Next(16)];
            }
        });
    }

    private string Token(int length)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, _rng, static (span, rng) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[rng.Next(Alphabet.Length)];
            }
        });
    }

    private string Base64Blob(int bytes)
    {
        var data = new byte[bytes];
        _rng.NextBytes(data);
        return Convert.ToBase64String(data);
    }

    private static bool Ascii(string text) => System.Text.Ascii.IsValid(text);

    private sealed class Truth
    {
        public int Entities;
        public int MaxDepth;
        public int AttachedMessages;
        public List<string> FileNames { get; } = [];
    }
}
