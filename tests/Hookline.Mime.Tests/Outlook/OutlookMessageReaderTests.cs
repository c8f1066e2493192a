using System.Text;
using Hookline.Mime.Outlook;
using Hookline.Testing.Outlook;
using static Hookline.Mime.Tests.Outlook.OutlookTestHelpers;

namespace Hookline.Mime.Tests.Outlook;

public class OutlookMessageReaderTests
{
    private static OutlookMessageSpec Basic() => new()
    {
        Subject = "Quarterly invoice",
        SenderName = "Alice Example",
        SenderSmtp = "alice@example.test",
        Body = "Please pay.\r\nThanks",
        Recipients = { new RecipientSpec("Bob", "bob@example.test"), new RecipientSpec("Carol", "carol@example.test", 2) },
        SubmitTime = new DateTime(2024, 3, 5, 14, 7, 9, DateTimeKind.Utc),
        MessageId = "<abc@example.test>",
    };

    [Fact]
    public void IsCompoundFile_WhenMsgBytes_ReturnsTrue()
    {
        Assert.True(OutlookMessageReader.IsCompoundFile(OutlookMessageWriter.Write(Basic())));
        Assert.False(OutlookMessageReader.IsCompoundFile("From: a@b\r\n\r\n"u8));
    }

    [Fact]
    public void Read_WhenNoTransportHeaders_SynthesizesEnvelopeFromProperties()
    {
        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(Basic()));

        Assert.Empty(message.Warnings);
        Assert.Equal("outlook-msg", message.Headers["X-Hookline-Source"]);
        Assert.Equal("Quarterly invoice", message.Subject);
        Assert.Equal("\"Alice Example\" <alice@example.test>", message.Headers["From"]);
        Assert.Equal("\"Bob\" <bob@example.test>", message.Headers["To"]);
        Assert.Equal("\"Carol\" <carol@example.test>", message.Headers["Cc"]);
        Assert.Equal("Tue, 05 Mar 2024 14:07:09 +0000", message.Headers["Date"]);
        Assert.Equal("<abc@example.test>", message.Headers["Message-ID"]);
        var part = Assert.IsType<MimePart>(message.Body);
        Assert.Equal("text/plain", part.ContentType.MimeType);
        Assert.Equal("Please pay.\r\nThanks", part.GetText());
    }

    [Fact]
    public void Read_WhenTransportHeadersPresent_UsesThemExceptStructureFields()
    {
        var spec = Basic();
        spec.TransportHeaders = "Received: from mx.example.test\r\n\tby mx2; Tue, 5 Mar 2024\r\nFrom: Mallory <mallory@evil.test>\r\nSubject: Real subject\r\nMIME-Version: 1.0\r\nContent-Type: text/plain;\r\n charset=us-ascii\r\nX-Hookline-Source: spoofed\r\nX-Mailer: Test\r\n\r\n";
        spec.Html = Encoding.UTF8.GetBytes("<p>Pay</p>");
        spec.InternetCodePage = 65001;

        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(spec));

        Assert.Empty(message.Warnings);
        Assert.Equal("Real subject", message.Subject);
        Assert.Equal("Mallory <mallory@evil.test>", message.Headers["From"]);
        Assert.Equal("Test", message.Headers["X-Mailer"]);
        Assert.Contains("by mx2", message.Headers["Received"], StringComparison.Ordinal);
        Assert.Equal(["outlook-msg"], message.Headers.FindAll("X-Hookline-Source").Select(h => h.Value));
        Assert.Single(message.Headers.FindAll("MIME-Version"));
        Assert.Equal("multipart/alternative", message.Body.ContentType.MimeType);
        Assert.Equal("Please pay.\r\nThanks", Leaf(message, "text/plain").GetText());
        var html = Leaf(message, "text/html");
        Assert.Equal("utf-8", html.ContentType.Charset);
        Assert.Equal("<p>Pay</p>", html.GetText());
    }

    [Fact]
    public void Read_WhenUnicodeSubjectHasNonAscii_EncodesRfc2047AndDecodesBack()
    {
        var spec = Basic();
        spec.Subject = "Prüfung ✓ — Zahlung fällig für Ihr Konto bei der Bank, bitte sofort bestätigen";
        spec.SenderName = "Zoë \"Z\" Müller";

        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(spec));

        Assert.Contains("=?utf-8?B?", Encoding.ASCII.GetString(message.Headers.Find("Subject")!.RawValue.Span), StringComparison.Ordinal);
        Assert.Equal(spec.Subject, Header(message, "Subject"));
        Assert.Equal("Zoë \"Z\" Müller <alice@example.test>", Header(message, "From"));
        Assert.True(Ascii.IsValid(message.Source.Span));
    }

    [Fact]
    public void Read_WhenString8WithMessageCodePage_DecodesInThatCodePage()
    {
        var spec = Basic();
        spec.Unicode = false;
        spec.MessageCodePage = 1251;
        spec.Subject = "Привет мир";
        spec.Body = "Тело письма";

        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(spec));

        Assert.Equal("Привет мир", Header(message, "Subject"));
        Assert.Equal("Тело письма", Assert.IsType<MimePart>(message.Body).GetText());
    }

    [Fact]
    public void Read_WhenString8WithoutCodePage_FallsBackToWindows1252()
    {
        var spec = Basic();
        spec.Unicode = false;
        spec.Body = "Café – 20 €";

        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(spec));

        Assert.Equal("Café – 20 €", Assert.IsType<MimePart>(message.Body).GetText());
    }

    [Fact]
    public void Read_WhenAttachmentsHaveNonAsciiNames_WritesRfc2231AndKeepsContent()
    {
        var spec = Basic();
        var pdf = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        var longName = "Überweisung-Bestätigung-" + new string('ä', 40) + ".pdf";
        spec.Attachments.Add(new AttachmentSpec { LongFileName = "Rechnung März €.pdf", FileName = "RECHNU~1.PDF", MimeType = "application/pdf", Data = pdf });
        spec.Attachments.Add(new AttachmentSpec { LongFileName = longName, Data = [1, 2, 3] });
        spec.Attachments.Add(new AttachmentSpec { FileName = "logo.png", MimeType = "image/png", ContentId = "logo@x", Data = [0x89, 0x50] });

        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(spec));

        Assert.Empty(message.Warnings);
        Assert.Equal("multipart/mixed", message.Body.ContentType.MimeType);
        var parts = Leaves(message).Where(p => p.IsAttachment).ToList();
        Assert.Equal(3, parts.Count);
        Assert.Equal("Rechnung März €.pdf", FileName(parts[0]));
        Assert.Equal("application/pdf", parts[0].ContentType.MimeType);
        Assert.Equal(pdf, parts[0].DecodeContent());
        Assert.Equal(longName, FileName(parts[1]));
        Assert.Equal("application/octet-stream", parts[1].ContentType.MimeType);
        Assert.Equal([1, 2, 3], parts[1].DecodeContent());
        Assert.Equal("logo.png", FileName(parts[2]));
        Assert.Equal("<logo@x>", parts[2].Headers["Content-ID"]);
        Assert.All(message.Source.ToArray().Select(b => (char)b), c => Assert.True(c < 0x80));
        var longest = Encoding.ASCII.GetString(message.Source.Span).Split("\r\n").Max(l => l.Length);
        Assert.True(longest <= 78, $"longest line {longest}");
    }

    [Fact]
    public void Read_WhenEmbeddedMessagesTwoLevelsDeep_ProducesNestedRfc822Parts()
    {
        var level2 = new OutlookMessageSpec { Subject = "Level 2", Body = "deepest", SenderSmtp = "l2@example.test" };
        level2.Attachments.Add(new AttachmentSpec { LongFileName = "payload.exe", Data = Encoding.ASCII.GetBytes("MZ") });
        var level1 = new OutlookMessageSpec { Subject = "Level 1", Body = "middle", SenderSmtp = "l1@example.test" };
        level1.Attachments.Add(new AttachmentSpec { DisplayName = "Level 2", Embedded = level2 });
        var top = Basic();
        top.Attachments.Add(new AttachmentSpec { DisplayName = "Level 1", Embedded = level1 });

        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(top));

        Assert.Empty(message.Warnings);
        var first = Assert.Single(message.Entities(false).OfType<MessagePart>());
        Assert.Equal("Level 1", first.Message.Subject);
        Assert.Equal("outlook-msg", first.Message.Headers["X-Hookline-Source"]);
        Assert.Equal("l1@example.test", first.Message.Headers["From"]);
        Assert.Equal("middle", Leaves(first.Message).First().GetText());
        var second = Assert.Single(first.Message.Entities(false).OfType<MessagePart>());
        Assert.Equal("Level 2", second.Message.Subject);
        var exe = Assert.Single(Leaves(second.Message), p => p.IsAttachment);
        Assert.Equal("payload.exe", FileName(exe));
        Assert.Equal("MZ", Encoding.ASCII.GetString(exe.DecodeContent()));
    }

    [Fact]
    public void Read_WhenRtfCompressedAndHtmlPresent_BuildsThreeAlternatives()
    {
        var spec = Basic();
        var rtf = Encoding.ASCII.GetBytes("{\\rtf1\\ansi hello rtf}");
        spec.RtfCompressed = RtfCompressor.CompressLiteral(rtf);
        spec.Html = Hookline.Mime.Text.Charsets.Windows1252.GetBytes("<b>caf\u00e9</b>");
        spec.InternetCodePage = 1252;

        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(spec));

        Assert.Empty(message.Warnings);
        var alternative = Assert.IsType<Multipart>(message.Body);
        Assert.Equal(["text/plain", "text/html", "text/rtf"], alternative.Parts.Select(p => p.ContentType.MimeType));
        Assert.Equal(rtf, Leaf(message, "text/rtf").DecodeContent());
        Assert.Equal("windows-1252", Leaf(message, "text/html").ContentType.Charset);
        Assert.Equal("<b>café</b>", Leaf(message, "text/html").GetText());
    }

    [Fact]
    public void Read_WhenInputIsNotACompoundFile_ReturnsEmptyMessageWithWarning()
    {
        var message = OutlookMessageReader.Read(Encoding.ASCII.GetBytes("this is not an Outlook message at all"));

        Assert.Empty(message.Headers);
        Assert.True(HasWarning(message, "could not be read"));
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.OutlookFormat);
    }

    [Fact]
    public void Read_WhenEmptyInput_ReturnsEmptyMessageWithWarning()
    {
        var message = OutlookMessageReader.Read(ReadOnlyMemory<byte>.Empty);

        Assert.Empty(message.Headers);
        Assert.NotEmpty(message.Warnings);
    }

    [Fact]
    public void Read_WhenString8WithOnlyInternetCodePage_UsesIt()
    {
        // The writer encodes 8-bit strings in MessageCodePage; the entry is then renamed so only PidTagInternetCodepage declares 1253.
        var spec = Basic();
        spec.Unicode = false;
        spec.MessageCodePage = 1253;
        spec.InternetCodePage = 1253;
        spec.Body = "Καλημέρα";

        var message = OutlookMessageReader.Read(RemoveProperty(OutlookMessageWriter.Write(spec), 0x3FFD));

        Assert.Equal("Καλημέρα", Assert.IsType<MimePart>(message.Body).GetText());
    }

    [Fact]
    public void Read_WhenSentRepresentingDiffersFromSender_WritesFromAndSender()
    {
        var spec = Basic();
        spec.SentRepresentingName = "CEO";
        spec.SentRepresentingSmtp = "ceo@example.test";

        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(spec));

        Assert.Equal("\"CEO\" <ceo@example.test>", message.Headers["From"]);
        Assert.Equal("\"Alice Example\" <alice@example.test>", message.Headers["Sender"]);
    }

    [Fact]
    public void Read_WhenSubjectContainsLineBreaks_CannotInjectHeaders()
    {
        var spec = Basic();
        spec.Subject = "Hello\r\nBcc: victim@example.test\r\n\r\nbody";

        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(spec));

        Assert.Null(message.Headers.Find("Bcc"));
        Assert.Equal("Hello  Bcc: victim@example.test    body", message.Subject);
        Assert.Equal("Please pay.\r\nThanks", Assert.IsType<MimePart>(message.Body).GetText());
    }

    /// <summary>Rewrites the top-level property stream's entry for a property id to an unused id (0x0001).</summary>
    private static byte[] RemoveProperty(byte[] msg, ushort id)
    {
        var bytes = (byte[])msg.Clone();
        var pattern = BitConverter.GetBytes((uint)((id << 16) | 0x0003));
        var at = bytes.AsSpan().IndexOf(pattern);
        Assert.True(at > 0);
        BitConverter.GetBytes((uint)((0x0001 << 16) | 0x0003)).CopyTo(bytes, at);
        return bytes;
    }

    [Fact]
    public void Read_WhenAttachmentIsOleStorage_DoesNotReadItAsAMessage()
    {
        var spec = Basic();
        spec.Attachments.Add(new AttachmentSpec { DisplayName = "Picture (Device Independent Bitmap)", Method = 6, Embedded = new OutlookMessageSpec { Subject = "not a message" } });

        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(spec));

        Assert.Empty(message.Entities().OfType<MessagePart>());
        Assert.True(HasWarning(message, "OLE storage"));
        var part = Assert.Single(Leaves(message), p => p.IsAttachment);
        Assert.Equal("Picture (Device Independent Bitmap)", FileName(part));
    }

    [Fact]
    public void Read_WhenCompoundFileIsNotAMessage_WarnsAndGivesAnEmptyBody()
    {
        var root = new CfbStorage("Root Entry");
        root.AddStream("WordDocument", new byte[6000]).AddStream("\u0005SummaryInformation", new byte[200]);

        var message = OutlookMessageReader.Read(CompoundFileWriter.Write(root).Bytes);

        NoInternalErrors(message);
        Assert.True(HasWarning(message, "no __properties_version1.0"));
        Assert.Null(message.Subject);
        Assert.Equal("outlook-msg", message.Headers["X-Hookline-Source"]);
        Assert.Empty(Assert.IsType<MimePart>(message.Body).DecodeContent());
    }
}
