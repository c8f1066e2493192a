using System.Text;
using Hookline.Mime.Headers;

namespace Hookline.Mime.Tests.HeadersTests;

public class ContentTypeTests
{
    private static ContentType Parse(string raw, List<MimeWarning>? warnings = null) => ContentType.Parse(Encoding.UTF8.GetBytes(raw), warnings, 0);

    [Theory]
    [InlineData(" text/plain; charset=us-ascii", "text/plain")]
    [InlineData(" TEXT/HTML; charset=UTF-8", "text/html")]
    [InlineData(" multipart/alternative;\r\n\tboundary=\"b1\"", "multipart/alternative")]
    [InlineData(" text / html ; charset=x", "text/html")]
    [InlineData(" (comment) text/plain (more)", "text/plain")]
    [InlineData(" application/vnd.openxmlformats-officedocument.wordprocessingml.document; name=\"a.docx\"", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData(" image/svg+xml", "image/svg+xml")]
    public void Parse_WhenValid_LowerCasesTypeAndSubtype(string raw, string expected)
    {
        var warnings = new List<MimeWarning>();
        Assert.Equal(expected, Parse(raw, warnings).MimeType);
        Assert.Empty(warnings);
    }

    [Fact]
    public void Parse_WhenDoubledSemicolon_StillReadsParameters()
    {
        var type = Parse("text/html;;charset=\"utf-8\"");
        Assert.Equal("text/html", type.MimeType);
        Assert.Equal("utf-8", type.Charset);
    }

    [Fact]
    public void Parse_WhenMultipart_ExposesBoundary()
    {
        var type = Parse("multipart/mixed;\r\n boundary=\"----=_Part_0_1234.5678\"");
        Assert.True(type.IsMultipart);
        Assert.Equal("----=_Part_0_1234.5678", type.Boundary);
    }

    [Theory]
    [InlineData("text", "text/plain")]
    [InlineData("text/", "text/plain")]
    [InlineData("text; charset=utf-8", "text/plain")]
    [InlineData("multipart; boundary=x", "multipart/mixed")]
    [InlineData("image", "application/octet-stream")]
    public void Parse_WhenSubtypeMissing_UsesCommonPracticeWithWarning(string raw, string expected)
    {
        var warnings = new List<MimeWarning>();
        Assert.Equal(expected, Parse(raw, warnings).MimeType);
        Assert.Contains(warnings, w => w.Code == MimeWarningCode.InvalidContentType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/html")]
    [InlineData("\u00e9t\u00e9/plain")]
    [InlineData("; charset=utf-8")]
    public void Parse_WhenGarbage_DefaultsToTextPlainWithWarning(string raw)
    {
        var warnings = new List<MimeWarning>();
        var type = Parse(raw, warnings);
        Assert.Equal("text/plain", type.MimeType);
        Assert.Contains(warnings, w => w.Code == MimeWarningCode.InvalidContentType);
    }

    [Fact]
    public void Parse_WhenMissingSemicolonBeforeParameter_ReadsItWithWarning()
    {
        var warnings = new List<MimeWarning>();
        var type = Parse("text/html charset=utf-8", warnings);
        Assert.Equal("text/html", type.MimeType);
        Assert.Equal("utf-8", type.Charset);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void Parse_WhenOutlookEncodedName_DecodesName()
    {
        var type = Parse("application/pdf;\r\n\tname=\"=?utf-8?B?UmVjaG51bmcgZsO8ciBTaWU=?=.pdf\"");
        Assert.Equal("Rechnung für Sie.pdf", type.Name);
    }

    [Fact]
    public void Parse_WhenMessageRfc822_IsEncapsulated()
    {
        Assert.True(Parse("message/rfc822").IsEncapsulatedMessage);
        Assert.True(Parse("Message/Global").IsEncapsulatedMessage);
        Assert.False(Parse("message/delivery-status").IsEncapsulatedMessage);
    }

    [Fact]
    public void Is_WhenWildcardSubtype_Matches()
    {
        var type = Parse("image/png");
        Assert.True(type.Is("image", "*"));
        Assert.True(type.Is("IMAGE", "PNG"));
        Assert.False(type.Is("image", "gif"));
    }

    [Fact]
    public void Parse_WhenHugeValue_IsBounded()
    {
        var raw = "text/plain; " + string.Concat(Enumerable.Repeat("x=\"y\"; ", 50_000));
        var warnings = new List<MimeWarning>();
        var type = Parse(raw, warnings);
        Assert.Equal("text/plain", type.MimeType);
        Assert.Equal("y", type.Parameters["x"]);
        Assert.InRange(warnings.Count, 1, 16);
    }

    [Fact]
    public void Parse_WhenUnterminatedComment_DoesNotThrow()
    {
        Assert.Equal("text/plain", Parse("text/plain (unterminated; charset=utf-8").MimeType);
        Assert.Equal("text/plain", Parse(new string('(', 100_000)).MimeType);
    }
}

public class ContentDispositionTests
{
    private static ContentDisposition Parse(string raw, List<MimeWarning>? warnings = null) => ContentDisposition.Parse(Encoding.UTF8.GetBytes(raw), warnings, 0);

    [Theory]
    [InlineData(" attachment; filename=\"invoice.pdf\"", "attachment", "invoice.pdf")]
    [InlineData(" ATTACHMENT; FILENAME=invoice.pdf", "attachment", "invoice.pdf")]
    [InlineData(" inline", "inline", null)]
    [InlineData(" attachment;\r\n\tfilename*=utf-8''%D0%A1%D1%87%D1%91%D1%82.pdf", "attachment", "Счёт.pdf")]
    [InlineData(" attachment; filename=\"=?UTF-8?B?UmVjaG51bmcgZsO8ciBTaWU=?=.zip\"; size=1234;\r\n\tcreation-date=\"Tue, 05 Aug 2025 10:27:37 GMT\"", "attachment", "Rechnung für Sie.zip")]
    [InlineData(" attachment; filename*0=\"very long \"; filename*1=\"name.txt\"", "attachment", "very long name.txt")]
    public void Parse_WhenRealWorldValues_ReadsDispositionAndFileName(string raw, string disposition, string? fileName)
    {
        var value = Parse(raw);
        Assert.Equal(disposition, value.Disposition);
        Assert.Equal(fileName, value.FileName);
        Assert.Equal(disposition == "attachment", value.IsAttachment);
    }

    [Fact]
    public void Parse_WhenOnlyParameters_GuessesAttachmentWithWarning()
    {
        var warnings = new List<MimeWarning>();
        var value = Parse("filename=\"a.exe\"", warnings);
        Assert.Equal("attachment", value.Disposition);
        Assert.Equal("a.exe", value.FileName);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void FileName_WhenPartParsedFromMessage_ComesFromDisposition()
    {
        var bytes = Encoding.ASCII.GetBytes("Content-Type: application/octet-stream; name=\"x.bin\"\r\nContent-Disposition: attachment;\r\n filename*=utf-8''%E2%82%AC.pdf\r\n\r\ndata");
        var message = MimeMessage.Parse(bytes);
        Assert.Equal("€.pdf", message.Body.FileName);
        Assert.True(message.Body.IsAttachment);
    }
}
