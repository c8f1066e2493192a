using Hookline.Reports.Recognition;

namespace Hookline.Reports.Tests.Recognition;

public sealed class ReportSubjectTests
{
    private const string Nmid = "49871234-6dc6-43e8-abcd-08d797f20abe";

    [Theory]
    [InlineData("1|x", UserVerdict.Junk)]
    [InlineData("2|x", UserVerdict.NotJunk)]
    [InlineData("3|x", UserVerdict.Phishing)]
    [InlineData("  3 |x", UserVerdict.Phishing)]
    [InlineData("Junk: x", UserVerdict.Junk)]
    [InlineData("JUNK:x", UserVerdict.Junk)]
    [InlineData("Not junk: x", UserVerdict.NotJunk)]
    [InlineData("not\tJunk :x", UserVerdict.NotJunk)]
    [InlineData("Phishing: x", UserVerdict.Phishing)]
    [InlineData("  pHiShInG   :   x  ", UserVerdict.Phishing)]
    public void Parse_WhenPrefixInAnyCaseOrSpacing_ReadsVerdict(string subject, UserVerdict expected)
    {
        var parsed = ReportSubject.Parse(subject);

        Assert.Equal(expected, parsed.Verdict);
        Assert.Equal(SubjectLayout.Prefix, parsed.Layout);
    }

    [Theory]
    [InlineData("Phishing attempt?")]
    [InlineData("Junkmail: x")]
    [InlineData("Notjunk: x")]
    [InlineData("4|x")]
    [InlineData("13|x")]
    [InlineData("RE: Phishing: x")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_WhenNoPrefix_HasNoVerdict(string? subject)
    {
        var parsed = ReportSubject.Parse(subject);

        Assert.Null(parsed.Verdict);
        Assert.Equal(SubjectLayout.None, parsed.Layout);
    }

    [Theory]
    [InlineData("Phishing: " + Nmid + "|203.0.113.9|it@evil.example|(Hello)")]
    [InlineData("Phishing:" + Nmid + "|203.0.113.9|it@evil.example|(Hello)")]
    [InlineData("Phishing: " + Nmid + "|it@evil.example|203.0.113.9|(Hello)")]
    [InlineData("Phishing: 49871234-6DC6-43E8-ABCD-08D797F20ABE|x|203.0.113.9|it@evil.example|(Hello)")]
    public void Parse_WhenCurrentLayoutInAnyFieldOrder_ReadsFields(string subject)
    {
        var parsed = ReportSubject.Parse(subject);

        Assert.Equal(SubjectLayout.Current, parsed.Layout);
        Assert.Equal(Nmid, parsed.NetworkMessageId);
        Assert.Equal("203.0.113.9", parsed.SenderIp);
        Assert.Equal("it@evil.example", parsed.SenderAddress);
        Assert.Equal("Hello", parsed.OriginalSubject);
    }

    [Fact]
    public void Parse_WhenOriginalSubjectHoldsFieldLikeText_ReadsNoFieldFromIt()
    {
        var parsed = ReportSubject.Parse("Junk: " + Nmid + "|(Win | 198.51.100.1 | boss@contoso.com | (prize))");

        Assert.Null(parsed.SenderIp);
        Assert.Null(parsed.SenderAddress);
        Assert.Equal("Win | 198.51.100.1 | boss@contoso.com | (prize)", parsed.OriginalSubject);
    }

    [Fact]
    public void Parse_WhenLegacyLayout_ReadsFields()
    {
        var parsed = ReportSubject.Parse("3|" + Nmid + "|167.220.232.101|test@contoso.com|(test phish submission)");

        Assert.Equal(SubjectLayout.Legacy, parsed.Layout);
        Assert.Equal(UserVerdict.Phishing, parsed.Verdict);
        Assert.Equal(Nmid, parsed.NetworkMessageId);
        Assert.Equal("167.220.232.101", parsed.SenderIp);
        Assert.Equal("test@contoso.com", parsed.SenderAddress);
        Assert.Equal("test phish submission", parsed.OriginalSubject);
    }

    [Fact]
    public void Parse_WhenLegacyLayoutWithIpv6_ReadsAddress()
    {
        var parsed = ReportSubject.Parse("1|" + Nmid + "|2001:db8::7|x@y.example|(s)");

        Assert.Equal(SubjectLayout.Legacy, parsed.Layout);
        Assert.Equal("2001:db8::7", parsed.SenderIp);
    }

    [Theory]
    [InlineData("Phishing: 49871234-6dc6-43e8-abcd-08d797f20abZ|1.2.3.4|(s)")]
    [InlineData("Phishing: 49871234x6dc6-43e8-abcd-08d797f20abe|1.2.3.4|(s)")]
    [InlineData("Phishing: 49871234-6dc6-43e8-abcd-08d797f20a|1.2.3.4|(s)")]
    [InlineData("3|zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz|1.2.3.4|a@b|(s)")]
    public void Parse_WhenGuidIsInvalid_HasNoNetworkMessageIdAndIsPrefixOnly(string subject)
    {
        var parsed = ReportSubject.Parse(subject);

        Assert.Equal(SubjectLayout.Prefix, parsed.Layout);
        Assert.Null(parsed.NetworkMessageId);
        Assert.Null(parsed.SenderIp);
    }

    [Fact]
    public void Parse_WhenGuidShapedButInvalid_Warns()
    {
        var parsed = ReportSubject.Parse("Phishing: 49871234-6dc6-43e8-abcd-08d797f20abZ|(s)");

        Assert.Contains(parsed.Warnings, w => w.Contains("not a valid GUID", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1", "x")]
    [InlineData("1.2.3", "x")]
    [InlineData("0x7f000001", "x")]
    [InlineData("999.1.1.1", "x")]
    public void Parse_WhenIpFieldIsNotAnAddress_LeavesIpEmpty(string ip, string subject)
    {
        var parsed = ReportSubject.Parse("3|" + Nmid + "|" + ip + "|a@b.example|(" + subject + ")");

        Assert.Null(parsed.SenderIp);
        Assert.Equal("a@b.example", parsed.SenderAddress);
    }

    [Fact]
    public void Parse_WhenSubjectGroupWasCut_KeepsWhatThereIs()
    {
        var parsed = ReportSubject.Parse("Phishing: " + Nmid + "|1.2.3.4|(A very long subject that was cu");

        Assert.Equal("A very long subject that was cu", parsed.OriginalSubject);
    }

    [Theory]
    [InlineData("FW: x", true)]
    [InlineData("Fwd: x", true)]
    [InlineData("fwd:x", true)]
    [InlineData("[EXTERNAL] FW: x", true)]
    [InlineData("WG: x", true)]
    [InlineData("TR : x", true)]
    [InlineData("RE: x", false)]
    [InlineData("Forwarding rules", false)]
    public void HasForwardPrefix_WhenSubjectGiven_RecognisesForwards(string subject, bool expected)
    {
        Assert.Equal(expected, ReportSubject.HasForwardPrefix(subject));
    }
}
