using System.Text;
using Hookline.Mime.Diagnostics;
using Hookline.Mime.Tests.Support;
using Hookline.Testing.Outlook;

namespace Hookline.Mime.Tests.Fixtures;

/// <summary>
/// Outlook .msg and TNEF fixtures under TestData/Outlook, built by the test-only writers from the
/// descriptions below (HOOKLINE_UPDATE_GOLDEN=1 rebuilds the files and their golden summaries).
/// Each committed file must read into the structure its golden summary pins.
/// </summary>
public class OutlookFixtureTests
{
    private static readonly DateTime Sent = new(2026, 11, 15, 22, 1, 9, DateTimeKind.Utc);

    private static readonly Dictionary<string, Func<byte[]>> Builders = new(StringComparer.Ordinal)
    {
        ["phish-with-transport-headers.msg"] = () => OutlookMessageWriter.Write(PhishWithTransportHeaders()),
        ["synthesized-headers-codepage.msg"] = () => OutlookMessageWriter.Write(SynthesizedHeadersCodePage()),
        ["embedded-two-levels.msg"] = () => OutlookMessageWriter.Write(EmbeddedTwoLevels()),
        ["winmail.dat"] = () => TnefWriter.Write(Winmail()),
    };

    public static TheoryData<string> Files() => new(Builders.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Files))]
    public void Read_WhenOutlookFixture_MatchesGoldenSummary(string name)
    {
        var path = Path.Combine(TestFiles.DataDirectory, "Outlook", name);
        if (TestFiles.UpdateGolden)
        {
            File.WriteAllBytes(path, Builders[name]());
        }

        var bytes = File.ReadAllBytes(path);
        var message = MailFile.Read(bytes);

        Assert.NotEqual(MailFormat.Mime, MailFile.Detect(bytes));
        TestFiles.AssertGolden(path + "-summary.txt", $"format: {MailFile.Detect(bytes)}\n" + MimeStructure.Describe(message));
    }

    private static OutlookMessageSpec PhishWithTransportHeaders()
    {
        var spec = new OutlookMessageSpec
        {
            Subject = "Your mailbox is full",
            SenderName = "IT Desk",
            SenderSmtp = "it-desk@evil.example",
            SubmitTime = Sent,
            MessageId = "<abc@mail.evil.example>",
            TransportHeaders = string.Join(
                "\r\n",
                "Received: from mx.evil.example (203.0.113.9) by AM0PR01MB1234.eurprd01.prod.outlook.com",
                " with Microsoft SMTP Server; Sun, 15 Nov 2026 22:01:10 +0000",
                "Authentication-Results: spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=evil.example;",
                " dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine",
                " header.from=evil.example;compauth=fail reason=000",
                "From: IT Desk <it-desk@evil.example>",
                "To: Avery Adams <avery@contoso.com>",
                "Subject: Your mailbox is full",
                "Date: Sun, 15 Nov 2026 22:01:09 +0000",
                "Message-ID: <abc@mail.evil.example>",
                "X-MS-Exchange-Organization-Network-Message-Id: 49871234-6dc6-43e8-abcd-08d797f20abe",
                "Content-Type: multipart/alternative; boundary=\"lost-in-msg\"",
                "MIME-Version: 1.0",
                string.Empty,
                string.Empty),
            Body = "Your mailbox is full. Sign in to keep receiving mail.",
            Html = Encoding.UTF8.GetBytes("<html><body><a href=\"https://login.evil.example/owa\">https://outlook.office.com</a></body></html>"),
            InternetCodePage = 65001,
            Recipients = { new RecipientSpec("Avery Adams", "avery@contoso.com") },
        };
        spec.Attachments.Add(new AttachmentSpec { LongFileName = "invoice.pdf", FileName = "invoice.pdf", MimeType = "application/pdf", Data = Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n") });
        return spec;
    }

    private static OutlookMessageSpec SynthesizedHeadersCodePage() => new()
    {
        Subject = "Счёт на оплату",
        SenderName = "Бухгалтерия",
        SenderSmtp = "buh@example.test",
        SubmitTime = Sent,
        Unicode = false,
        MessageCodePage = 1251,
        Body = "Оплатите счёт до пятницы.",
        RtfCompressed = RtfCompressor.CompressLiteral(Encoding.ASCII.GetBytes("{\\rtf1\\ansi\\ansicpg1251 Pay the invoice.}")),
        Recipients = { new RecipientSpec("Accounts", "ap@contoso.com"), new RecipientSpec("Audit", "audit@contoso.com", 2) },
    };

    private static OutlookMessageSpec EmbeddedTwoLevels()
    {
        var original = new OutlookMessageSpec { Subject = "Account limited", SenderName = "PayPal", SenderSmtp = "service@paypa1.example", SubmitTime = Sent, Body = "Restore your account." };
        original.Attachments.Add(new AttachmentSpec { LongFileName = "restore.html", MimeType = "text/html", Data = Encoding.ASCII.GetBytes("<form action=\"http://paypa1.example/p\"><input type=password></form>") });
        var forward = new OutlookMessageSpec { Subject = "FW: Account limited", SenderName = "Blake", SenderSmtp = "blake@contoso.com", SubmitTime = Sent, Body = "Forwarding this." };
        forward.Attachments.Add(new AttachmentSpec { DisplayName = "Account limited", Embedded = original });
        var report = new OutlookMessageSpec { Subject = "Phishing: FW: Account limited", SenderName = "Avery Adams", SenderSmtp = "avery@contoso.com", SubmitTime = Sent, Body = "I think this email is malicious." };
        report.Attachments.Add(new AttachmentSpec { DisplayName = "FW: Account limited", Embedded = forward });
        return report;
    }

    private static OutlookMessageSpec Winmail()
    {
        var spec = new OutlookMessageSpec { Subject = "Quarterly numbers", SenderName = "Dana", SenderSmtp = "dana@vendor.example", SubmitTime = Sent, Body = "Numbers attached.", Recipients = { new RecipientSpec("Avery Adams", "avery@contoso.com") } };
        spec.Attachments.Add(new AttachmentSpec { FileName = "Q3~1.XLS", LongFileName = "Q3 results.xlsm", MimeType = "application/vnd.ms-excel.sheet.macroEnabled.12", Data = Encoding.ASCII.GetBytes("PK\u0003\u0004 macro workbook") });
        var inner = new OutlookMessageSpec { Subject = "Earlier thread", SenderSmtp = "dana@vendor.example", Body = "earlier" };
        spec.Attachments.Add(new AttachmentSpec { DisplayName = "Earlier thread", Embedded = inner });
        return spec;
    }
}
