using System.IO.Compression;
using System.Text;
using Hookline.Reports.Analysis.Attachments;
using Hookline.Reports.Analysis.Text;
using Hookline.Reports.Tests.UrlTests;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Hookline.Reports.Tests.AttachmentTests;

/// <summary>The words of a PDF attachment's first page, read for lures, and the checks that keep hostile PDFs from the parser.</summary>
public sealed class PdfTextTests
{
    private static byte[] TextPdf(params string[] lines)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
        var y = 760.0;
        foreach (var line in lines)
        {
            page.AddText(line, 12, new PdfPoint(40, y), font);
            y -= 20;
        }

        return builder.Build();
    }

    private static byte[] PdfWithStream(byte[] data, string filter) =>
        [.. Encoding.Latin1.GetBytes($"%PDF-1.7\n1 0 obj\n<< /Length {data.Length} /Filter /{filter} >>\nstream\n"), .. data, .. Encoding.Latin1.GetBytes("\nendstream\nendobj\ntrailer\n<< /Root 2 0 R >>\n%%EOF\n")];

    private static byte[] Deflate(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return compressed.ToArray();
    }

    [Fact]
    public void Extract_WhenThePageHasText_ReturnsItsWords()
    {
        var pdf = TextPdf("Your subscription was renewed for $499.99.", "If you did not authorize this, call 1-888-555-0100.");

        var text = PdfText.Extract(pdf);

        Assert.NotNull(text);
        Assert.Contains("renewed for $499.99.", text, StringComparison.Ordinal);
        Assert.Contains("If you did not authorize this, call", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Extract_WhenAStreamIsADeflateBomb_RefusesTheFileBeforeParsing()
    {
        var bomb = PdfWithStream(Deflate(new byte[PdfText.InflateBudget + (1 << 20)]), "FlateDecode");

        Assert.True(bomb.Length < PdfText.MaxBytes);
        Assert.False(PdfText.IsSafe(bomb));
        Assert.Null(PdfText.Extract(bomb));
    }

    [Fact]
    public void IsSafe_WhenObjectsNestDeep_RefusesTheFile()
    {
        var deep = TestFiles.Pdf(new string('[', 100_000));

        Assert.False(PdfText.IsSafe(deep));
    }

    [Fact]
    public void IsSafe_WhenTheNestingHidesInACompressedObjectStream_RefusesTheFile()
    {
        var deep = TestFiles.PdfWithObjectStream("1 0 " + new string('[', 10_000));

        Assert.False(PdfText.IsSafe(deep));
    }

    [Theory]
    [InlineData("LZWDecode")]
    [InlineData("RunLengthDecode")]
    public void IsSafe_WhenAStreamUsesAnotherExpandingFilter_RefusesTheFile(string filter)
    {
        Assert.False(PdfText.IsSafe(PdfWithStream(Encoding.ASCII.GetBytes("0123456789"), filter)));
    }

    [Fact]
    public void IsSafe_WhenTheFileIsOrdinary_AcceptsIt()
    {
        Assert.True(PdfText.IsSafe(TextPdf("Quarterly report")));
    }

    [Fact]
    public void Analyze_WhenAnAttachedPdfCarriesACallbackLure_TheLexiconReadsIt()
    {
        var pdf = TextPdf("Order confirmation", "Your account has been charged $399.99.", "If you did not authorize this transaction, call us at +1 808 555 0147.");

        var result = ContentMessages.RunAll([new AttachmentAnalyzer(), new MessageTextReader(), new IntentAnalyzer()], ContentMessages.WithAttachment("Invoice.pdf", "application/pdf", pdf, "Please see the attached invoice."));

        Assert.Contains("intent.callback", result.Signals());
    }

    /// <summary>A one-page PDF under the standard security handler whose /U entry no empty password matches: it needs a user password.</summary>
    private static byte[] PasswordPdf() => Encoding.Latin1.GetBytes(
        "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        + "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n"
        + $"4 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <{string.Concat(Enumerable.Repeat("a1", 32))}> /U <{string.Concat(Enumerable.Repeat("b2", 32))}> /P -4 >>\nendobj\n"
        + "trailer\n<< /Size 5 /Root 1 0 R /Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] >>\n%%EOF\n");

    [Fact]
    public void NeedsPassword_WhenTheFileOpensOnlyWithAUserPassword_SaysSo()
    {
        Assert.True(PdfText.NeedsPassword(PasswordPdf()));
        Assert.False(PdfText.NeedsPassword(TextPdf("Quarterly report")));
        // "/Encrypt" named, but no encryption dictionary to refuse the empty password with: not known to need one.
        Assert.False(PdfText.NeedsPassword(TestFiles.Pdf("<< /Type /Catalog /Note (/Encrypt) >>")));
    }

    [Fact]
    public void Analyze_WhenAnAttachedPdfNeedsAPassword_FlagsIt()
    {
        var result = ContentMessages.RunAll([new AttachmentAnalyzer()], ContentMessages.WithAttachment("Statement.pdf", "application/pdf", PasswordPdf(), "Your statement is attached. Password: 4471"));

        Assert.Contains("attachment.pdf-password", result.Signals());
    }

    [Fact]
    public void IsSafe_TellsWhetherThePdfNamesAFont()
    {
        Assert.True(PdfText.IsSafe(TextPdf("Your invoice is attached."), out var text));
        Assert.True(text);
        Assert.True(PdfText.IsSafe(TestFiles.Pdf("<< /Type /XObject /Subtype /Image /Width 1 /Height 1 >>"), out var image));
        Assert.False(image);
        Assert.True(PdfText.IsSafe(TestFiles.Pdf("<< /Type /F#6Fnt >>"), out var escaped));
        Assert.True(escaped);
    }
}
