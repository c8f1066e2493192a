using Hookline.Reports.Recognition;
using static Hookline.Reports.Tests.Recognition.ReportFixtures;

namespace Hookline.Reports.Tests.Recognition;

public sealed class ReporterTests
{
    private static byte[] Original => Bytes("original-phish.eml");

    [Fact]
    public void Read_WhenFromIsTheMailboxItself_TakesSender()
    {
        var bytes = Envelope("Phishing: x", [MessagePart(Original)], from: "Phish Reports <report@contoso.com>", to: "report@contoso.com", extraHeaders: "Sender: Avery Adams <avery@contoso.com>\n");

        var report = Read(bytes)!;

        Assert.Equal(new Reporter("Avery Adams", "avery@contoso.com"), report.Reporter);
        Assert.Contains(report.Warnings, w => w.Contains("reporting mailbox itself", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenFromIsAConfiguredReportingMailbox_TakesSender()
    {
        var bytes = Envelope("Phishing: x", [MessagePart(Original)], from: "report@contoso.com", to: "soc@hookline.example", extraHeaders: "Sender: avery@contoso.com\n");
        var options = new ReportReaderOptions { ReportingMailboxes = ["Report@Contoso.com"] };

        var report = Read(bytes, options)!;

        Assert.Equal("avery@contoso.com", report.Reporter!.Address);
    }

    [Fact]
    public void Read_WhenSenderDiffersButFromIsTheUser_KeepsFrom()
    {
        // Exchange's "on behalf of": From is the user, Sender may be a service account.
        var bytes = Envelope("Phishing: x", [MessagePart(Original)], extraHeaders: "Sender: Reporting Service <svc@contoso.com>\n");

        var report = Read(bytes)!;

        Assert.Equal(new Reporter("Avery Adams", "avery@contoso.com"), report.Reporter);
    }

    [Fact]
    public void Read_WhenFromMissing_FallsBackToSender()
    {
        var bytes = Envelope("Phishing: x", [MessagePart(Original)], from: "", extraHeaders: "Sender: avery@contoso.com\n");

        var report = Read(bytes)!;

        Assert.Equal("avery@contoso.com", report.Reporter!.Address);
    }

    [Fact]
    public void Read_WhenNoFromOrSender_HasNoReporterAndWarns()
    {
        var bytes = Envelope("Phishing: x", [MessagePart(Original)], from: "undisclosed");

        var report = Read(bytes)!;

        Assert.Null(report.Reporter);
        Assert.Contains(report.Warnings, w => w.Contains("reporter is unknown", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenSubjectAndCommentDisagree_UsesSubjectAndWarns()
    {
        var bytes = Envelope("Not junk: x", [TextPart("I think this email is malicious."), MessagePart(Original)]);

        var report = Read(bytes)!;

        Assert.Equal(UserVerdict.NotJunk, report.UserVerdict);
        Assert.Equal(ReportFormat.Microsoft, report.Format);
        Assert.Contains(report.Warnings, w => w.Contains("the subject was used", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenSubjectNmidDiffersFromOriginalHeader_UsesSubjectAndWarns()
    {
        var bytes = Envelope("Phishing: 11111111-2222-3333-4444-555555555555|(x)", [MessagePart(Original)]);

        var report = Read(bytes)!;

        Assert.Equal("11111111-2222-3333-4444-555555555555", report.NetworkMessageId);
        Assert.Contains(report.Warnings, w => w.Contains("differs from the original's header", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenSubjectGuidInvalid_FallsBackToOriginalHeader()
    {
        var bytes = Envelope("Phishing: 49871234-6dc6-43e8-abcd-08d797f2zzzz|1.2.3.4|(x)", [MessagePart(Original)]);

        var report = Read(bytes)!;

        Assert.Equal(ReportFormat.ThirdParty, report.Format);
        Assert.Equal("49871234-6dc6-43e8-abcd-08d797f20abe", report.NetworkMessageId);
        Assert.Contains(report.Warnings, w => w.Contains("not a valid GUID", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenOriginalHeaderNmidInvalid_HasNoNmidAndWarns()
    {
        var original = Ascii("From: a@b.example\nSubject: s\nDate: Sun, 15 Nov 2026 22:01:09 +0000\nX-MS-Exchange-Organization-Network-Message-Id: not-a-guid\n\nbody\n");
        var bytes = Envelope("FW: s", [MessagePart(original)]);

        var report = Read(bytes)!;

        Assert.Null(report.NetworkMessageId);
        Assert.Contains(report.Warnings, w => w.Contains("not a valid GUID", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenOctetStreamIsNotAMessage_IsNotAnOriginal()
    {
        var bytes = Envelope("Invoice", [TextPart("Attached."), ("Content-Type: application/octet-stream; name=\"invoice.pdf\"\nContent-Transfer-Encoding: base64\n", Ascii(Base64Lines("%PDF-1.7\n1 0 obj\n"u8.ToArray())))]);

        Assert.Null(Read(bytes));
    }
}
