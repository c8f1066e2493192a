using Hookline.Mime;
using Hookline.Reports.Recognition;
using Hookline.Testing.Outlook;
using static Hookline.Reports.Tests.Recognition.ReportFixtures;

namespace Hookline.Reports.Tests.Recognition;

/// <summary>Originals carried as Outlook .msg or inside TNEF (winmail.dat), built with the test writers.</summary>
public sealed class OutlookOriginalTests
{
    private const string Nmid = "49871234-6dc6-43e8-abcd-08d797f20abe";

    private static string TransportHeaders => Crlf(
        "Received: from mx.evil.example (203.0.113.9) by mx.contoso.com; Sun, 15 Nov 2026 22:01:10 +0000\n" +
        "Authentication-Results: spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=evil.example; dkim=none; dmarc=fail header.from=evil.example;compauth=fail reason=000\n" +
        "From: IT Desk <it@evil.example>\n" +
        "To: Avery Adams <avery@contoso.com>\n" +
        "Subject: Your mailbox is full\n" +
        "Date: Sun, 15 Nov 2026 22:01:09 +0000\n" +
        "Message-ID: <abc@mail.evil.example>\n" +
        $"X-MS-Exchange-Organization-Network-Message-Id: {Nmid}\n\n");

    private static OutlookMessageSpec Phish() => new()
    {
        Subject = "Your mailbox is full",
        SenderName = "IT Desk",
        SenderEmail = "it@evil.example",
        SenderSmtp = "it@evil.example",
        TransportHeaders = TransportHeaders,
        Body = "Your mailbox is 99% full. Sign in: https://login.evil.example/owa",
        MessageId = "<abc@mail.evil.example>",
        SubmitTime = new DateTime(2026, 11, 15, 22, 1, 9, DateTimeKind.Utc),
    };

    private static (string, byte[]) Attachment(string headers, byte[] data) => (headers + "Content-Transfer-Encoding: base64\n", Ascii(Base64Lines(data)));

    [Fact]
    public void Read_WhenMsgAttachedAsVndMsOutlook_KeepsMsgFileBytes()
    {
        var msg = OutlookMessageWriter.Write(Phish());
        var bytes = Envelope("FW: Your mailbox is full", [TextPart("See attached."), Attachment("Content-Type: application/vnd.ms-outlook; name=\"Your mailbox is full.msg\"\nContent-Disposition: attachment; filename=\"Your mailbox is full.msg\"\n", msg)]);

        var report = Read(bytes)!;

        Assert.Equal(ReportFormat.Forward, report.Format);
        Assert.Equal("avery@contoso.com", report.Reporter!.Address);
        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
        Assert.True(report.VerdictAssumed);
        Assert.Equal(Nmid, report.NetworkMessageId);
        var original = Assert.Single(report.Originals);
        Assert.Equal(OriginalSource.MsgAttachment, original.Source);
        Assert.Equal(MailFormat.OutlookMessage, original.Format);
        Assert.Equal(msg, original.Bytes.ToArray());
        Assert.Equal("Your mailbox is full", original.Message.Subject);
        Assert.Equal("Your mailbox is full.msg", original.FileName);
    }

    [Fact]
    public void Read_WhenMsgAttachedAsOctetStreamWithMsgName_DetectsByContent()
    {
        var msg = OutlookMessageWriter.Write(Phish());
        var bytes = Envelope("3|Your mailbox is full", [Attachment("Content-Type: application/octet-stream; name=\"mail.msg\"\n", msg)]);

        var report = Read(bytes)!;

        Assert.Equal(ReportFormat.ThirdParty, report.Format);
        var original = Assert.Single(report.Originals);
        Assert.Equal(OriginalSource.MsgAttachment, original.Source);
        Assert.Equal(msg, original.Bytes.ToArray());
    }

    [Fact]
    public void Read_WhenCompoundFileNamedAsDocument_IsNotAnOriginal()
    {
        var msg = OutlookMessageWriter.Write(Phish());
        var bytes = Envelope("Minutes", [TextPart("Minutes attached."), Attachment("Content-Type: application/octet-stream; name=\"minutes.doc\"\n", msg)]);

        Assert.Null(Read(bytes));
    }

    [Fact]
    public void Read_WhenMsgNameButRfc822Content_ReadsItAsEmlAndWarns()
    {
        var eml = Bytes("original-phish.eml");
        var bytes = Envelope("FW: x", [Attachment("Content-Type: application/vnd.ms-outlook; name=\"x.msg\"\n", eml)]);

        var report = Read(bytes)!;

        var original = Assert.Single(report.Originals);
        Assert.Equal(OriginalSource.EmlAttachment, original.Source);
        Assert.Equal(eml, original.Bytes.ToArray());
        Assert.Contains(report.Warnings, w => w.Contains("read as .eml", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenTnefBodyEmbedsTheOriginal_TakesTheEmbeddedMessage()
    {
        // Outlook sent the user's forward as rich text: Exchange wrapped it, with the original
        // attached as an embedded message, in winmail.dat.
        var forward = new OutlookMessageSpec { Subject = "FW: Your mailbox is full", Body = "Is this real?", SenderName = "Avery Adams", SenderSmtp = "avery@contoso.com" };
        forward.Attachments.Add(new AttachmentSpec { DisplayName = "Your mailbox is full", Embedded = Phish() });
        var tnef = TnefWriter.Write(forward);
        var bytes = Envelope("FW: Your mailbox is full", [TextPart("Is this real?"), Attachment("Content-Type: application/ms-tnef; name=\"winmail.dat\"\nContent-Disposition: attachment; filename=\"winmail.dat\"\n", tnef)]);

        var report = Read(bytes)!;

        Assert.Equal(ReportFormat.Forward, report.Format);
        var original = Assert.Single(report.Originals);
        Assert.Equal(OriginalSource.TnefAttachment, original.Source);
        Assert.Equal("Your mailbox is full", original.Message.Subject);
        Assert.Equal(original.Message.ToArray(), original.Bytes.ToArray());
        Assert.Equal(Nmid, report.NetworkMessageId);
        Assert.Contains(report.Warnings, w => w.Contains("TNEF", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenTnefHoldsADeliveredMessage_TakesTheTnefAsTheOriginal()
    {
        var tnef = TnefWriter.Write(Phish());
        var bytes = Envelope("Phishing: suspicious", [Attachment("Content-Type: application/ms-tnef; name=\"winmail.dat\"\n", tnef)]);

        var report = Read(bytes)!;

        var original = Assert.Single(report.Originals);
        Assert.Equal(OriginalSource.TnefAttachment, original.Source);
        Assert.Equal(MailFormat.Tnef, original.Format);
        Assert.Equal(tnef, original.Bytes.ToArray());
        Assert.Equal("Your mailbox is full", original.Message.Subject);
    }

    [Fact]
    public void Read_WhenTnefBodyIsAnInlineForward_RecoversTheQuotedOriginal()
    {
        var forward = new OutlookMessageSpec
        {
            Subject = "FW: Invoice overdue",
            Body = Crlf("Is this real?\n\n-----Original Message-----\nFrom: Accounts <billing@evil.example>\nSent: Sunday, November 15, 2026 10:01 PM\nTo: Avery Adams <avery@contoso.com>\nSubject: Invoice overdue\n\nPay now: https://pay.evil.example/\n"),
        };
        var tnef = TnefWriter.Write(forward);
        var bytes = Envelope("FW: Invoice overdue", [TextPart("Is this real?"), Attachment("Content-Type: application/ms-tnef; name=\"winmail.dat\"\n", tnef)]);

        var report = Read(bytes)!;

        Assert.Equal(ReportFormat.InlineForward, report.Format);
        var original = Assert.Single(report.Originals);
        Assert.Equal(OriginalSource.InlineForward, original.Source);
        Assert.Equal("Invoice overdue", original.Message.Subject);
    }

    [Fact]
    public void Read_WhenEnvelopeItselfIsMsgWithEmbeddedOriginal_WarnsThatBytesAreSynthesized()
    {
        var forward = new OutlookMessageSpec { Subject = "Phishing: look", SenderName = "Avery Adams", SenderSmtp = "avery@contoso.com", Body = "x" };
        forward.Attachments.Add(new AttachmentSpec { DisplayName = "orig", Embedded = Phish() });
        var msg = OutlookMessageWriter.Write(forward);

        var report = Read(msg)!;

        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
        Assert.False(report.VerdictAssumed);
        var original = Assert.Single(report.Originals);
        Assert.Equal("Your mailbox is full", original.Message.Subject);
        Assert.Contains(report.Warnings, w => w.Contains("synthesized MIME", StringComparison.Ordinal));
    }
}
