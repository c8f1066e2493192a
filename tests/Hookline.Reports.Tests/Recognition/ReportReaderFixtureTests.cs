using Hookline.Mime;
using Hookline.Reports.Recognition;
using static Hookline.Reports.Tests.Recognition.ReportFixtures;

namespace Hookline.Reports.Tests.Recognition;

/// <summary>One test per fixture under TestData/Reports: format, reporter, verdict, Network Message ID and originals.</summary>
public sealed class ReportReaderFixtureTests
{
    private const string Nmid = "49871234-6dc6-43e8-abcd-08d797f20abe";
    private const string Nmid2 = "7c0f5a2e-1b3d-4e6f-9a8b-08de2c1f4a77";

    [Fact]
    public void Read_WhenMicrosoftCurrentLayout_ExtractsEverything()
    {
        var report = Read("microsoft-phishing.eml")!;

        Assert.Equal(ReportFormat.Microsoft, report.Format);
        Assert.Equal(new Reporter("Avery Adams", "avery@contoso.com"), report.Reporter);
        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
        Assert.False(report.VerdictAssumed);
        Assert.Equal(Nmid, report.NetworkMessageId);
        Assert.Equal("203.0.113.9", report.SubjectSenderIp);
        Assert.Equal("it@evil.example", report.SubjectSenderAddress);
        Assert.Equal("Your mailbox is full", report.SubjectOriginalSubject);
        Assert.Equal(new DateTimeOffset(2026, 11, 16, 9, 12, 44, TimeSpan.Zero), report.ReportedAt);
        var original = Assert.Single(report.Originals);
        AssertOriginal(original, OriginalSource.MessagePart, "original-phish.eml", "Your mailbox is full");
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Read_WhenCurrentLayoutWithoutSpaceAndSubjectHoldsBarsAndParentheses_TakesWholeGroup()
    {
        var report = Read("microsoft-junk-pipes.eml")!;

        Assert.Equal(ReportFormat.Microsoft, report.Format);
        Assert.Equal(UserVerdict.Junk, report.UserVerdict);
        Assert.False(report.VerdictAssumed);
        Assert.Equal(Nmid2, report.NetworkMessageId);
        Assert.Equal("198.51.100.23", report.SubjectSenderIp);
        Assert.Equal("billing@evil.example", report.SubjectSenderAddress);
        Assert.Equal("Invoice | pay now (final) | due (today", report.SubjectOriginalSubject);
        AssertOriginal(Assert.Single(report.Originals), OriginalSource.MessagePart, "original-invoice.eml", "Invoice | pay now (final) | due (today");
    }

    [Fact]
    public void Read_WhenLegacyLayout_ExtractsSubjectFields()
    {
        var report = Read("legacy-phishing.eml")!;

        Assert.Equal(ReportFormat.Legacy, report.Format);
        Assert.Equal("avery@contoso.com", report.Reporter!.Address);
        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
        Assert.False(report.VerdictAssumed);
        Assert.Equal(Nmid, report.NetworkMessageId);
        Assert.Equal("167.220.232.101", report.SubjectSenderIp);
        Assert.Equal("test@contoso.com", report.SubjectSenderAddress);
        Assert.Equal("test phish submission", report.SubjectOriginalSubject);
        AssertOriginal(Assert.Single(report.Originals), OriginalSource.MessagePart, "original-phish.eml", "Your mailbox is full");
    }

    [Fact]
    public void Read_WhenThirdPartyNumericPrefixWithOctetStreamEml_ReadsJunkAndDecodedOriginal()
    {
        var report = Read("thirdparty-junk-octet.eml")!;

        Assert.Equal(ReportFormat.ThirdParty, report.Format);
        Assert.Equal("avery@contoso.com", report.Reporter!.Address);
        Assert.Equal(UserVerdict.Junk, report.UserVerdict);
        Assert.False(report.VerdictAssumed);
        Assert.Null(report.NetworkMessageId);
        Assert.Equal("Weekly deals: 50% off", report.SubjectOriginalSubject);
        var original = Assert.Single(report.Originals);
        AssertOriginal(original, OriginalSource.EmlAttachment, "original-deals.eml", "Weekly deals: 50% off");
        Assert.Equal("Weekly deals.eml", original.FileName);
    }

    [Fact]
    public void Read_WhenNotJunkWithOddCaseAndBase64MessagePart_ReadsDecodedOriginalAndHeaderNmid()
    {
        var report = Read("thirdparty-notjunk-base64.eml")!;

        Assert.Equal(ReportFormat.ThirdParty, report.Format);
        Assert.Equal(UserVerdict.NotJunk, report.UserVerdict);
        Assert.False(report.VerdictAssumed);
        Assert.Equal("0b5e8c11-3f2a-4d7e-8c9b-08de11aa22bb", report.NetworkMessageId);
        var original = Assert.Single(report.Originals);
        AssertOriginal(original, OriginalSource.MessagePart, "original-quarterly.eml", "Quarterly report");
        Assert.Equal("Quarterly report.eml", original.FileName);
    }

    [Fact]
    public void Read_WhenNumericPrefixTwo_ReadsNotJunk()
    {
        var report = Read("thirdparty-2-notjunk.eml")!;

        Assert.Equal(ReportFormat.ThirdParty, report.Format);
        Assert.Equal(UserVerdict.NotJunk, report.UserVerdict);
        Assert.False(report.VerdictAssumed);
        Assert.Equal("0b5e8c11-3f2a-4d7e-8c9b-08de11aa22bb", report.NetworkMessageId);
        AssertOriginal(Assert.Single(report.Originals), OriginalSource.MessagePart, "original-quarterly.eml", "Quarterly report");
    }

    [Fact]
    public void Read_WhenUpperCasePhishingPrefixWithoutFields_IsThirdPartyWithNmidFromOriginal()
    {
        var report = Read("thirdparty-phishing-upper.eml")!;

        Assert.Equal(ReportFormat.ThirdParty, report.Format);
        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
        Assert.False(report.VerdictAssumed);
        Assert.Equal(Nmid, report.NetworkMessageId);
        Assert.Equal("Your mailbox is full", report.SubjectOriginalSubject);
        AssertOriginal(Assert.Single(report.Originals), OriginalSource.MessagePart, "original-phish.eml", "Your mailbox is full");
    }

    [Fact]
    public void Read_WhenGmailForwardWithAttachedOriginal_IsForwardWithAssumedPhishing()
    {
        var report = Read("forward-gmail-attached.eml")!;

        Assert.Equal(ReportFormat.Forward, report.Format);
        Assert.Equal(new Reporter("Avery Adams", "avery.adams@gmail.example"), report.Reporter);
        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
        Assert.True(report.VerdictAssumed);
        Assert.Contains(report.Warnings, w => w.Contains("phishing was assumed", StringComparison.Ordinal));
        Assert.Equal(Nmid, report.NetworkMessageId);
        var original = Assert.Single(report.Originals);
        AssertOriginal(original, OriginalSource.MessagePart, "original-phish.eml", "Your mailbox is full");
        Assert.Equal("Your mailbox is full.eml", original.FileName);
    }

    [Fact]
    public void Read_WhenUnformattedReportWithAttachment_AssumesPhishing()
    {
        var report = Read("unformatted-attached.eml")!;

        Assert.Equal(ReportFormat.Forward, report.Format);
        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
        Assert.True(report.VerdictAssumed);
        Assert.Equal("0b5e8c11-3f2a-4d7e-8c9b-08de11aa22bb", report.NetworkMessageId);
        AssertOriginal(Assert.Single(report.Originals), OriginalSource.MessagePart, "original-quarterly.eml", "Quarterly report");
    }

    [Fact]
    public void Read_WhenOnlyMicrosoftCommentStatesVerdict_TakesVerdictFromComment()
    {
        var report = Read("microsoft-comment-only.eml")!;

        Assert.Equal(ReportFormat.Microsoft, report.Format);
        Assert.Equal(UserVerdict.Junk, report.UserVerdict);
        Assert.False(report.VerdictAssumed);
        Assert.Null(report.NetworkMessageId);
        AssertOriginal(Assert.Single(report.Originals), OriginalSource.MessagePart, "original-deals.eml", "Weekly deals: 50% off");
    }

    [Fact]
    public void Read_WhenSeveralOriginals_KeepsAllInDocumentOrderAndWarns()
    {
        var report = Read("several-originals.eml")!;

        Assert.Equal(ReportFormat.ThirdParty, report.Format);
        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
        Assert.False(report.VerdictAssumed);
        Assert.True(report.HasSeveralOriginals);
        Assert.Equal(3, report.Originals.Count);
        AssertOriginal(report.Originals[0], OriginalSource.MessagePart, "original-phish.eml", "Your mailbox is full");
        AssertOriginal(report.Originals[1], OriginalSource.EmlAttachment, "original-deals.eml", "Weekly deals: 50% off");
        AssertOriginal(report.Originals[2], OriginalSource.MessagePart, "original-invoice.eml", "Invoice | pay now (final) | due (today");
        Assert.Equal(Nmid, report.NetworkMessageId);
        Assert.Contains(report.Warnings, w => w.Contains("3 attached messages", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenPrefixButNoOriginal_IsReportWithoutOriginalsAndWarns()
    {
        var report = Read("prefix-no-original.eml")!;

        Assert.Equal(ReportFormat.ThirdParty, report.Format);
        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
        Assert.False(report.VerdictAssumed);
        Assert.Null(report.NetworkMessageId);
        Assert.Empty(report.Originals);
        Assert.Contains(report.Warnings, w => w.Contains("no original message", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenGmailInlineForward_RecoversQuotedHeadersAndIgnoresCommentInQuotedText()
    {
        var report = Read("inline-gmail.eml")!;

        Assert.Equal(ReportFormat.InlineForward, report.Format);
        Assert.Equal("avery.adams@gmail.example", report.Reporter!.Address);
        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
        Assert.True(report.VerdictAssumed);
        Assert.Null(report.NetworkMessageId);
        var original = Assert.Single(report.Originals);
        Assert.Equal(OriginalSource.InlineForward, original.Source);
        Assert.True(original.IsRecoveredFromForward);
        Assert.Equal("Your mailbox is full", original.Message.Subject);
        Assert.Equal("it@evil.example", Assert.IsType<Hookline.Mime.Addresses.MailboxAddress>(Assert.Single(original.Message.From)).Address);
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 23, 1, 0, TimeSpan.Zero), original.Message.Date);
        Assert.Equal(original.Bytes.ToArray(), original.Message.ToArray());
        Assert.Contains("https://login.evil.example/owa", BodyText(original.Message), StringComparison.Ordinal);
        Assert.Contains(report.Warnings, w => w.Contains("recovered from the headers quoted in an inline forward", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenOutlookOriginalMessageBlock_RecoversMailtoSenderAndSentDate()
    {
        var report = Read("inline-outlook.eml")!;

        Assert.Equal(ReportFormat.InlineForward, report.Format);
        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
        Assert.True(report.VerdictAssumed);
        var original = Assert.Single(report.Originals);
        Assert.Equal(OriginalSource.InlineForward, original.Source);
        Assert.Equal("Invoice overdue", original.Message.Subject);
        var from = Assert.IsType<Hookline.Mime.Addresses.MailboxAddress>(Assert.Single(original.Message.From));
        Assert.Equal("billing@evil.example", from.Address);
        Assert.Equal("Accounts", from.Name);
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 22, 1, 0, TimeSpan.Zero), original.Message.Date);
        Assert.Equal("avery@contoso.com", Assert.IsType<Hookline.Mime.Addresses.MailboxAddress>(Assert.Single(original.Message.To)).Address);
    }

    [Fact]
    public void Read_WhenHtmlOnlyOutlookFromSentBlock_RecoversFromHtmlText()
    {
        var report = Read("inline-outlook-block.eml")!;

        Assert.Equal(ReportFormat.InlineForward, report.Format);
        var original = Assert.Single(report.Originals);
        Assert.Equal("Password expiry", original.Message.Subject);
        Assert.Equal("helpdesk@evil.example", Assert.IsType<Hookline.Mime.Addresses.MailboxAddress>(Assert.Single(original.Message.From)).Address);
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 21, 30, 0, TimeSpan.Zero), original.Message.Date);
    }

    [Fact]
    public void Read_WhenAppleMailForward_RecoversDateWithZone()
    {
        var report = Read("inline-apple.eml")!;

        Assert.Equal(ReportFormat.InlineForward, report.Format);
        Assert.Equal("avery@me.example", report.Reporter!.Address);
        var original = Assert.Single(report.Originals);
        Assert.Equal("Parcel on hold", original.Message.Subject);
        Assert.Equal("track@evil.example", Assert.IsType<Hookline.Mime.Addresses.MailboxAddress>(Assert.Single(original.Message.From)).Address);
        Assert.Equal(new DateTimeOffset(2026, 11, 15, 20, 15, 30, TimeSpan.FromHours(1)), original.Message.Date);
    }

    [Theory]
    [InlineData("newsletter.eml")]
    [InlineData("reply-quoting.eml")]
    [InlineData("delivery-report.eml")]
    [InlineData("original-phish.eml")]
    public void Read_WhenNoReportMarkersAndNoOriginal_ReturnsNull(string name)
    {
        Assert.Null(Read(name));
    }

    internal static void AssertOriginal(OriginalMessage original, OriginalSource source, string file, string subject)
    {
        Assert.Equal(source, original.Source);
        Assert.Equal(MailFormat.Mime, original.Format);
        Assert.Equal(Bytes(file), original.Bytes.ToArray());
        Assert.Equal(subject, original.Message.Subject);
    }

    internal static string BodyText(MimeMessage message)
    {
        foreach (var entity in message.Entities())
        {
            if (entity is MimePart { IsText: true } part)
            {
                return part.GetText();
            }
        }

        return string.Empty;
    }
}
