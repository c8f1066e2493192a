using System.Text;
using Hookline.Reports.Analysis.Attachments;
using Hookline.Reports.Analysis.Text;
using Hookline.Reports.Tests.UrlTests;

namespace Hookline.Reports.Tests.AttachmentTests;

/// <summary>The words of an Office attachment's main parts, read for lures like a PDF's.</summary>
public sealed class OfficeTextTests
{
    private const string WordNamespace = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    private static byte[] Docx(string body) =>
        TestFiles.Zip(
            ("[Content_Types].xml", TestFiles.Ascii("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")),
            ("word/document.xml", Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {WordNamespace}><w:body>{body}</w:body></w:document>")));

    [Fact]
    public void Words_WhenAWordIsSplitAcrossRuns_JoinsItAndBreaksLinesAtParagraphs()
    {
        var xml = $"<w:document {WordNamespace}><w:body><w:p><w:r><w:t>Your sub</w:t></w:r><w:r><w:t xml:space=\"preserve\">scription was renewed</w:t></w:r></w:p>"
            + "<w:p><w:r><w:t>Call &amp; cancel</w:t><w:tab/><w:t>1-888-555-0100</w:t></w:r></w:p></w:body></w:document>";

        var words = OfficeDocuments.Words(Encoding.UTF8.GetBytes(xml), 1000);

        Assert.Equal("Your subscription was renewed\nCall & cancel\n1-888-555-0100\n", words);
    }

    [Fact]
    public void Words_WhenThePartIsLong_StopsAtTheLimit()
    {
        var xml = "<sst>" + string.Concat(Enumerable.Repeat("<si><t>0123456789</t></si>", 10_000)) + "</sst>";

        var words = OfficeDocuments.Words(Encoding.UTF8.GetBytes(xml), AttachmentFinding.MaxTextChars);

        Assert.Equal(AttachmentFinding.MaxTextChars, words.Length);
    }

    [Fact]
    public void Analyze_WhenAnAttachedDocxCarriesACallbackLure_TheLexiconReadsIt()
    {
        var docx = Docx("<w:p><w:r><w:t>Your subscription was renewed for $499.99. If you did not authorize this charge, call our billing department at 1-888-555-0100 within 24 hours to cancel and get a refund.</w:t></w:r></w:p>");

        var result = ContentMessages.RunAll([new AttachmentAnalyzer(), new MessageTextReader(), new IntentAnalyzer()], ContentMessages.WithAttachment("Receipt.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx, "Please see the attached receipt."));

        Assert.Equal(FileKind.Docx, result.Attachments[0].Kind);
        Assert.Contains("intent.callback", result.Signals());
    }

    [Fact]
    public void Analyze_WhenTheDocxIsOrdinary_AddsNoLure()
    {
        var docx = Docx("<w:p><w:r><w:t>Minutes of the project meeting. Next steps: finish the test plan and review the budget on Friday.</w:t></w:r></w:p>");

        var result = ContentMessages.RunAll([new AttachmentAnalyzer(), new MessageTextReader(), new IntentAnalyzer()], ContentMessages.WithAttachment("Minutes.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx, "Minutes attached."));

        Assert.DoesNotContain(result.Signals(), s => s.StartsWith("intent.", StringComparison.Ordinal));
    }
}
