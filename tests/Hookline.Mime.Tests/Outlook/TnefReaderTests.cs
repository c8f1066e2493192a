using System.Buffers.Binary;
using System.Text;
using Hookline.Mime.Outlook;
using Hookline.Testing.Outlook;
using static Hookline.Mime.Tests.Outlook.OutlookTestHelpers;

namespace Hookline.Mime.Tests.Outlook;

public class TnefReaderTests
{
    private static OutlookMessageSpec Spec()
    {
        var spec = new OutlookMessageSpec
        {
            Subject = "Winmail with files",
            SenderName = "Dave",
            SenderSmtp = "dave@example.test",
            Body = "See attached.",
            SubmitTime = new DateTime(2023, 11, 2, 8, 30, 0, DateTimeKind.Utc),
            Recipients = { new RecipientSpec("Erin", "erin@example.test"), new RecipientSpec("Frank", "frank@example.test", 2) },
        };
        spec.Attachments.Add(new AttachmentSpec { FileName = "REPORT~1.DOC", LongFileName = "Report Überblick.docm", MimeType = "application/vnd.ms-word.document.macroEnabled.12", Data = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray() });
        spec.Attachments.Add(new AttachmentSpec { FileName = "notes.txt", Data = Encoding.ASCII.GetBytes("plain notes") });
        return spec;
    }

    [Fact]
    public void IsTnef_WhenSignaturePresent_ReturnsTrue()
    {
        Assert.True(TnefReader.IsTnef(TnefWriter.Write(Spec())));
        Assert.False(TnefReader.IsTnef([0x78, 0x9F, 0x3E]));
        Assert.False(TnefReader.IsTnef(OutlookMessageWriter.Write(Spec())));
    }

    [Fact]
    public void Read_WhenMessageWithAttachments_SynthesizesHeadersAndParts()
    {
        var message = TnefReader.Read(TnefWriter.Write(Spec()));

        Assert.Empty(message.Warnings);
        Assert.Equal("tnef", message.Headers["X-Hookline-Source"]);
        Assert.Equal("Winmail with files", message.Subject);
        Assert.Equal("\"Dave\" <dave@example.test>", message.Headers["From"]);
        Assert.Equal("\"Erin\" <erin@example.test>", message.Headers["To"]);
        Assert.Equal("\"Frank\" <frank@example.test>", message.Headers["Cc"]);
        Assert.Equal("Thu, 02 Nov 2023 08:30:00 +0000", message.Headers["Date"]);
        var leaves = Leaves(message);
        Assert.Equal("See attached.", leaves[0].GetText());
        var files = leaves.Where(p => p.IsAttachment).ToList();
        Assert.Equal(["Report Überblick.docm", "notes.txt"], files.Select(FileName));
        Assert.Equal("application/vnd.ms-word.document.macroenabled.12", files[0].ContentType.MimeType);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray(), files[0].DecodeContent());
        Assert.Equal("plain notes", Encoding.ASCII.GetString(files[1].DecodeContent()));
    }

    [Fact]
    public void Read_WhenAttachmentIsEmbeddedMessage_RecursesIntoNestedTnef()
    {
        var inner = new OutlookMessageSpec { Subject = "Forwarded original", SenderSmtp = "orig@example.test", Body = "original body" };
        inner.Attachments.Add(new AttachmentSpec { LongFileName = "invoice.pdf.exe", Data = Encoding.ASCII.GetBytes("MZ!") });
        var spec = Spec();
        spec.Attachments.Add(new AttachmentSpec { DisplayName = "Forwarded original", Embedded = inner });

        var message = TnefReader.Read(TnefWriter.Write(spec));

        Assert.Empty(message.Warnings);
        var embedded = Assert.Single(message.Entities(false).OfType<MessagePart>());
        Assert.Equal("Forwarded original", embedded.Message.Subject);
        Assert.Equal("tnef", embedded.Message.Headers["X-Hookline-Source"]);
        Assert.Equal("original body", Leaves(embedded.Message)[0].GetText());
        var exe = Assert.Single(Leaves(embedded.Message), p => p.IsAttachment);
        Assert.Equal("invoice.pdf.exe", FileName(exe));
        Assert.Equal("MZ!", Encoding.ASCII.GetString(exe.DecodeContent()));
    }

    [Fact]
    public void Read_WhenOnlyLegacyAttributes_UsesThemWithOemCodePage()
    {
        var cp1251 = Hookline.Mime.Text.Charsets.GetEncoding("windows-1251")!;
        var tnef = new TnefBuilder()
            .Attribute(TnefBuilder.Message, TnefBuilder.AttOemCodepage, [.. BitConverter.GetBytes(1251), 0, 0, 0, 0])
            .Attribute(TnefBuilder.Message, TnefBuilder.AttFrom, TnefWriter.From("Legacy Sender", "legacy@example.test"))
            .Attribute(TnefBuilder.Message, TnefBuilder.AttSubject, TnefWriter.Terminated(cp1251.GetBytes("Счёт")))
            .Attribute(TnefBuilder.Message, TnefBuilder.AttDateSent, TnefWriter.Date(new DateTime(2022, 1, 31, 23, 59, 58)))
            .Attribute(TnefBuilder.Message, TnefBuilder.AttBody, cp1251.GetBytes("Оплатите"))
            .Attribute(TnefBuilder.Attachment, TnefBuilder.AttAttachRendData, TnefWriter.RendData(1))
            .Attribute(TnefBuilder.Attachment, TnefBuilder.AttAttachTitle, TnefWriter.Terminated(Encoding.ASCII.GetBytes("A.TXT")))
            .Attribute(TnefBuilder.Attachment, TnefBuilder.AttAttachData, [1, 2, 3, 4])
            .ToArray();

        var message = TnefReader.Read(tnef);

        Assert.Empty(message.Warnings);
        Assert.Equal("Счёт", Header(message, "Subject"));
        Assert.Equal("\"Legacy Sender\" <legacy@example.test>", message.Headers["From"]);
        Assert.Equal("Mon, 31 Jan 2022 23:59:58 +0000", message.Headers["Date"]);
        Assert.Equal("Оплатите", Leaves(message)[0].GetText());
        var file = Assert.Single(Leaves(message), p => p.IsAttachment);
        Assert.Equal("A.TXT", FileName(file));
        Assert.Equal([1, 2, 3, 4], file.DecodeContent());
    }

    [Fact]
    public void Read_WhenNamedAndMultiValuedPropertiesPresent_SkipsThemAndKeepsTheRest()
    {
        var props = new MemoryStream();
        props.Write(BitConverter.GetBytes(3));

        // A named property (string name) of type PT_LONG.
        props.Write(BitConverter.GetBytes((0x8001 << 16) | 0x0003));
        props.Write(Guid.NewGuid().ToByteArray());
        props.Write(BitConverter.GetBytes(1));
        var name = Encoding.Unicode.GetBytes("Keywords\0");
        props.Write(BitConverter.GetBytes(name.Length));
        props.Write(name);
        props.Write(new byte[((name.Length + 3) & ~3) - name.Length]);
        props.Write(BitConverter.GetBytes(42));

        // A multi-valued PT_MV_UNICODE.
        props.Write(BitConverter.GetBytes((0x0E04 << 16) | 0x101F));
        props.Write(BitConverter.GetBytes(2));
        foreach (var s in new[] { "a\0", "bcd\0" })
        {
            var b = Encoding.Unicode.GetBytes(s);
            props.Write(BitConverter.GetBytes(b.Length));
            props.Write(b);
            props.Write(new byte[((b.Length + 3) & ~3) - b.Length]);
        }

        props.Write(TnefWriter.PropertyList([(0x0037, 0x001F, Encoding.Unicode.GetBytes("After named"))]).AsSpan(4));
        var tnef = new TnefBuilder().Attribute(TnefBuilder.Message, TnefBuilder.AttMsgProps, props.ToArray()).ToArray();

        var message = TnefReader.Read(tnef);

        Assert.Empty(message.Warnings);
        Assert.Equal("After named", message.Subject);
    }

    [Fact]
    public void Read_WhenChecksumIsWrong_WarnsAndUsesTheData()
    {
        var tnef = new TnefBuilder()
            .Attribute(TnefBuilder.Message, TnefBuilder.AttSubject, TnefWriter.Terminated(Encoding.ASCII.GetBytes("Bad sum")), checksum: 0x1234)
            .ToArray();

        var message = TnefReader.Read(tnef);

        Assert.Equal("Bad sum", message.Subject);
        var warning = Assert.Single(message.Warnings);
        Assert.Equal(MimeWarningCode.OutlookFormat, warning.Code);
        Assert.Contains("checksum", warning.Message, StringComparison.Ordinal);
        Assert.StartsWith("[tnef]", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WhenAttributeLengthIsHuge_WarnsTruncatedAndKeepsEarlierAttributes()
    {
        var tnef = new TnefBuilder()
            .Attribute(TnefBuilder.Message, TnefBuilder.AttSubject, TnefWriter.Terminated(Encoding.ASCII.GetBytes("Kept")))
            .Attribute(TnefBuilder.Attachment, TnefBuilder.AttAttachData, [1, 2, 3], declaredLength: 0xFFFFFFF0)
            .ToArray();

        var message = TnefReader.Read(tnef);

        NoInternalErrors(message);
        Assert.Equal("Kept", message.Subject);
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.Truncated && w.Message.Contains("declares 4294967280 bytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenTruncatedAnywhere_NeverThrows()
    {
        var inner = new OutlookMessageSpec { Subject = "inner", Body = "x" };
        var spec = Spec();
        spec.Attachments.Add(new AttachmentSpec { Embedded = inner });
        var full = TnefWriter.Write(spec);

        for (var length = 0; length < full.Length; length += 7)
        {
            var message = TnefReader.Read(full.AsMemory(0, length));
            NoInternalErrors(message);
            if (length < 6)
            {
                Assert.NotEmpty(message.Warnings);
            }
        }

        var cut = TnefReader.Read(full.AsMemory(0, full.Length - 100));
        Assert.Contains(cut.Warnings, w => w.Code == MimeWarningCode.Truncated);
    }

    [Fact]
    public void Read_WhenPropertyCountIsAbsurd_StopsAtTheData()
    {
        var props = new byte[12];
        BinaryPrimitives.WriteUInt32LittleEndian(props, 0x7FFFFFFF);
        BinaryPrimitives.WriteUInt32LittleEndian(props.AsSpan(4), (0x0037u << 16) | 0x001F);
        BinaryPrimitives.WriteUInt32LittleEndian(props.AsSpan(8), 0x7FFFFFFF); // value count
        var tnef = new TnefBuilder().Attribute(TnefBuilder.Message, TnefBuilder.AttMsgProps, props).ToArray();

        var message = TnefReader.Read(tnef);

        NoInternalErrors(message);
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.Truncated);
    }

    [Fact]
    public void Read_WhenEmbeddedMessagesNestPastTheDepthLimit_StopsWithWarning()
    {
        var spec = new OutlookMessageSpec { Subject = "level 0" };
        var current = spec;
        for (var i = 1; i <= 6; i++)
        {
            var next = new OutlookMessageSpec { Subject = "level " + i };
            current.Attachments.Add(new AttachmentSpec { Embedded = next });
            current = next;
        }

        var message = TnefReader.Read(TnefWriter.Write(spec), new MimeLimits { MaxDepth = 4 });

        NoInternalErrors(message);
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.TooDeeplyNested);
    }

    [Fact]
    public void Read_WhenNotTnef_ReturnsEmptyMessageWithWarning()
    {
        var message = TnefReader.Read(Encoding.ASCII.GetBytes("garbage"));

        Assert.Empty(message.Headers);
        Assert.True(HasWarning(message, "Not a TNEF stream"));
    }
}
