using System.Text;
using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Attachments;
using Hookline.Reports.Analysis.QrCodes;
using Hookline.Reports.Analysis.Senders;
using Hookline.Reports.Analysis.Urls;
using Hookline.Reports.Tests.UrlTests;

namespace Hookline.Reports.Tests.QrCodeTests;

/// <summary>Links in PDF, Office, HTML and SVG attachments, and QR codes in the images of PDF and Office attachments, as URL findings.</summary>
public class AttachmentLinkTests
{
    private const string Lure = "https://docs-share.evil.example/signin?u=bob";

    private static MessageAnalysis Analyze(string fileName, string contentType, byte[] content, AnalysisSettings? settings = null) =>
        ContentMessages.RunAll([new SenderAnalyzer(), new UrlAnalyzer(), new QrCodeAnalyzer(), new AttachmentAnalyzer()], ContentMessages.WithAttachment(fileName, contentType, content), settings);

    [Fact]
    public void Analyze_WhenPdfPageIsADeflatedGreyQrImage_FindsTheLink()
    {
        var result = Analyze("Invoice_2291.pdf", "application/pdf", QrImages.PdfWithGrayImage(Lure));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
        Assert.Contains(result.Findings, f => f.Signal == UrlSignals.QrCode && f.Detail == $"a QR code in Invoice_2291.pdf (image 1) leads to {Lure}");
        Assert.Contains(UrlSignals.QrCodeLogin, result.Signals());
    }

    [Fact]
    public void Analyze_WhenPdfImageUsesThePngPredictor_UndoesIt()
    {
        var result = Analyze("scan.pdf", "application/pdf", QrImages.PdfWithGrayImage(Lure, predictor: true));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
    }

    [Fact]
    public void Analyze_WhenPdfImageIsAOneBitStencilMask_FindsTheLink()
    {
        var result = Analyze("scan.pdf", "application/pdf", QrImages.PdfWithImageMask(Lure));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
    }

    [Fact]
    public void Analyze_WhenPdfImageIsRgbInAnIndirectIccColourSpace_FindsTheLink()
    {
        var result = Analyze("scan.pdf", "application/pdf", QrImages.PdfWithIccRgbImage(Lure));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
    }

    [Fact]
    public void Analyze_WhenPdfImageIsAJpeg_FindsTheLink()
    {
        var result = Analyze("scan.pdf", "application/pdf", QrImages.PdfWithJpegImage(Lure));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
    }

    [Fact]
    public void Analyze_WhenPdfImageClaimsAHugeSize_SkipsItWithABudgetFinding()
    {
        var pdf = QrImages.Pdf("/Type /XObject /Subtype /Image /Width 30000 /Height 30000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);

        var result = Analyze("big.pdf", "application/pdf", pdf);

        Assert.Contains(result.Findings, f => f.Signal == UrlSignals.QrBudget && f.Detail == "big.pdf (image 1) was not searched for a QR code: 30000×30000 pixels, over the 16-megapixel limit");
    }

    [Fact]
    public void Analyze_WhenPdfImageStreamIsDamaged_ReportsUnreadable()
    {
        var pdf = QrImages.Pdf("/Type /XObject /Subtype /Image /Width 200 /Height 200 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", Encoding.ASCII.GetBytes("not deflate data at all, but long enough to be read as a header"));

        var result = Analyze("broken.pdf", "application/pdf", pdf);

        Assert.Contains(result.Findings, f => f.Signal == UrlSignals.QrUnreadable && f.Detail.StartsWith("broken.pdf (image 1): the image is damaged", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenPdfHasHundredsOfImages_StopsAtTheBudget()
    {
        var builder = new StringBuilder("%PDF-1.7\n");
        var stream = new string('\xFF', 64 * 64);
        for (var i = 1; i <= 300; i++)
        {
            builder.Append(i).Append(" 0 obj\n<< /Type /XObject /Subtype /Image /Width 64 /Height 64 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4096 >>\nstream\n")
                .Append(stream).Append("\nendstream\nendobj\n");
        }

        builder.Append("trailer\n<< >>\n%%EOF\n");

        var result = Analyze("album.pdf", "application/pdf", Encoding.Latin1.GetBytes(builder.ToString()));

        var budget = Assert.Single(result.Findings, f => f.Signal == UrlSignals.QrBudget);
        Assert.Contains($"{PdfImages.MaxImages - 8} image(s) not searched (album.pdf (image 9)", budget.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenDocxShowsAQrPicture_FindsTheLink()
    {
        var docx = QrImages.Docx([("image1.png", QrImages.Png(Lure))]);

        var result = Analyze("Shared_document.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx);

        Assert.Equal(FileKind.Docx, result.Attachments[0].Kind);
        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
        Assert.Contains(result.Findings, f => f.Signal == UrlSignals.QrCode && f.Detail == $"a QR code in Shared_document.docx: word/media/image1.png leads to {Lure}");
    }

    [Fact]
    public void Analyze_WhenDocxHasExternalHyperlinks_AddsThemAsOfficeUrlsWithTheirFlags()
    {
        var docx = QrImages.Docx([], "http://198.51.100.20/invoice.php?id=1&amp=2", "https://bit.ly/3xYz");

        var result = Analyze("invoice.docx", "application/octet-stream", docx);

        Assert.Contains(result.Urls, u => u.Source == UrlSource.Office && u.Url == "http://198.51.100.20/invoice.php?id=1&amp=2");
        Assert.Contains(result.Urls, u => u.Source == UrlSource.Office && u.Url == "https://bit.ly/3xYz");
        Assert.Contains(UrlSignals.IpLiteral, result.Signals());
        Assert.Contains(UrlSignals.Shortener, result.Signals());
        Assert.DoesNotContain(result.Urls, u => u.Url.Contains("media/", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenXlsxHasAQrPictureAndALink_FindsBoth()
    {
        var xlsx = QrImages.Xlsx([("image1.gif", QrImages.Gif(Lure))], "https://payroll.evil.example/");

        var result = Analyze("Salaries.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx);

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
        Assert.Contains(result.Urls, u => u.Source == UrlSource.Office && u.Url == "https://payroll.evil.example/");
    }

    [Fact]
    public void ExternalTargets_WhenRelationshipsAreWrittenAnyWay_ReadsOnlyExternalOnes()
    {
        var xml = "\uFEFF<?xml version=\"1.0\"?><Relationships xmlns=\"x\">"
            + "<Relationship TargetMode='External' Id='rId1' Target='https://a.example/?x=1&amp;y=&#50;' Type='t/hyperlink'/>"
            + "<Relationship Id=\"rId2\" Type=\"t/image\" Target=\"media/image1.png\"/>"
            + "<Relationship\r\n Id=\"rId3\"\r\n Type=\"t/attachedTemplate\"\r\n Target=\"https://templates.evil.example/t.dotm\"\r\n TargetMode=\"External\" />"
            + "</Relationships>";

        var targets = OfficeDocuments.ExternalTargets(Encoding.UTF8.GetBytes(xml));

        Assert.Equal(["https://a.example/?x=1&y=2", "https://templates.evil.example/t.dotm"], targets);
    }

    [Fact]
    public void Analyze_WhenHtmlAttachmentRedirectsByScript_AddsTheScriptsUrl()
    {
        var html = "<html><head><script>setTimeout(function(){ window.location.href = \"https://landing.evil.example/o365/?id=77\"; }, 100);</script></head><body>Loading…</body></html>";

        var result = Analyze("Remittance.html", "text/html", Encoding.UTF8.GetBytes(html));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.HtmlAttachment && u.Url == "https://landing.evil.example/o365/?id=77");
        Assert.Contains(AttachmentSignals.HtmlRedirect, result.Signals());
    }

    [Fact]
    public void Analyze_WhenSvgAttachmentLinksAndRedirects_AddsBothUrls()
    {
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="400" height="200">
              <a xlink:href="https://svg-link.evil.example/open"><text x="10" y="40">View voicemail</text></a>
              <script type="text/javascript"><![CDATA[ location.replace('https://svg-redirect.evil.example/#bob@contoso.com'); ]]></script>
            </svg>
            """;

        var result = Analyze("Voicemail.svg", "image/svg+xml", Encoding.UTF8.GetBytes(svg));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.HtmlAttachment && u.Url == "https://svg-link.evil.example/open");
        Assert.Contains(result.Urls, u => u.Source == UrlSource.HtmlAttachment && u.Url.StartsWith("https://svg-redirect.evil.example/", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenHtmlAttachmentShowsADataUriQrCode_FindsIt()
    {
        var html = $"<html><body><h1>Scan to listen</h1><img src=\"data:image/png;base64,{Convert.ToBase64String(QrImages.Png(Lure))}\"></body></html>";

        var result = Analyze("Voicemail.html", "text/html", Encoding.UTF8.GetBytes(html));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
        Assert.Contains(result.Findings, f => f.Signal == UrlSignals.QrCode && f.Detail.StartsWith("a QR code in Voicemail.html (data:image/png #1)", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenPdfAndInlineImagesTogetherExceedTheBudget_InlineOnesComeFirst()
    {
        var settings = AnalysisSettings.Default with { QrCodes = new QrCodeLimits { MaxImages = 1 } };
        var inline = QrImages.WithInlineImage(QrImages.Png("https://inline.evil.example/"));
        var pdf = Convert.ToBase64String(QrImages.PdfWithGrayImage(Lure), Base64FormattingOptions.InsertLineBreaks);
        var mime = Encoding.ASCII.GetString(inline).Replace("--rel--\r\n", $"--rel\r\nContent-Type: application/pdf; name=\"doc.pdf\"\r\nContent-Disposition: attachment; filename=\"doc.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n--rel--\r\n", StringComparison.Ordinal);

        var result = ContentMessages.RunAll([new UrlAnalyzer(), new QrCodeAnalyzer(), new AttachmentAnalyzer()], Encoding.ASCII.GetBytes(mime), settings);

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == "https://inline.evil.example/");
        Assert.DoesNotContain(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
        Assert.Contains(result.Findings, f => f.Signal == UrlSignals.QrBudget && f.Detail.Contains("doc.pdf (image 1)", StringComparison.Ordinal));
    }

    [Fact]
    public void Find_WhenColourSpaceIsAnIndirectIccProfile_TakesTheComponentsFromIt()
    {
        var image = Assert.Single(PdfImages.Find(QrImages.PdfWithIccRgbImage(Lure)));

        Assert.Equal(3, image.Components);
        Assert.Equal(PdfImageFilter.Flate, image.Filter);
    }

    [Fact]
    public void Find_WhenNamesAreEscapedAndLengthIsIndirect_StillFindsTheImage()
    {
        var pdf = Encoding.Latin1.GetBytes("%PDF-1.4\n7 0 obj\n<</Type/XObject/Subtype/#49mage/Width 50/Height 60/ColorSpace[/Indexed/DeviceRGB 1<000000FFFFFF>]/BitsPerComponent 1/Length 8 0 R>>stream\n"
            + new string('\x55', 7 * 60) + "\nendstream\nendobj\n8 0 obj 420 endobj\ntrailer<<>>\n");

        var image = Assert.Single(PdfImages.Find(pdf));

        Assert.Equal((50, 60, 1, PdfImageFilter.None), (image.Width, image.Height, image.BitsPerComponent, image.Filter));
        Assert.Equal([0, 0, 0, 255, 255, 255], image.Palette);
        Assert.Equal(7 * 60, image.DataLength);
    }

    [Fact]
    public void Find_WhenPdfIsEncrypted_ReadsNoImages()
    {
        var pdf = QrImages.PdfWithGrayImage(Lure);
        var encrypted = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(pdf).Replace("<< /Root 1 0 R >>", "<< /Root 1 0 R /Encrypt 9 0 R >>", StringComparison.Ordinal));

        Assert.Empty(PdfImages.Find(encrypted));
    }
}
