using System.Text;
using Hookline.Reports.Analysis.Structure;

namespace Hookline.Reports.Tests.StructureTests;

/// <summary>The cheap scan of bytes the parser left unparsed: part headers naming risky files, with no MIME structure to go by.</summary>
public class HiddenFilesTests
{
    private static List<HiddenFile> Scan(string raw, int max = 10) => HiddenFiles.ScanRaw(Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")), max);

    [Theory]
    [InlineData("Content-Type: application/octet-stream; name=\"invoice.exe\"\n\nTVqQ\n", "invoice.exe")]
    [InlineData("Content-Disposition: attachment;\n filename=\"Remittance Advice.html\"\nContent-Type: text/html\n\n<html>", "Remittance Advice.html")]
    [InlineData("content-disposition: attachment; filename*=utf-8''%E2%80%AEfdp.scr\n\nx\n", "\u202Efdp.scr")]
    [InlineData("Content-Type: application/x-javascript; name=\"=?utf-8?B?cGF5bWVudC5qcw==?=\"\n\nvar x;\n", "payment.js")]
    [InlineData("Content-Type: application/octet-stream; name=\"disk.iso\"\r\nContent-Disposition: attachment\n\n", "disk.iso")]
    [InlineData("Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"Scan 0042.pdf.lnk\"", "Scan 0042.pdf.lnk")]
    public void ScanRaw_WhenPartHeadersNameARiskyFile_FindsIt(string raw, string name)
    {
        var file = Assert.Single(Scan("--b\n" + raw + "\n--b--\n"));

        Assert.Equal(name, file.FileName);
    }

    [Fact]
    public void ScanRaw_WhenOnlyTheTypeSaysProgram_FindsAPartOfThatType()
    {
        var file = Assert.Single(Scan("--b\nContent-Type: application/x-msdownload\nContent-Transfer-Encoding: base64\n\nTVqQAAMAAAAEAAAA\n--b--\n"));

        Assert.Null(file.FileName);
        Assert.Equal("a part of type application/x-msdownload", file.Label);
    }

    [Fact]
    public void ScanRaw_WhenFilesAreOrdinary_FindsNothing()
    {
        var raw = "--b\nContent-Type: application/pdf; name=\"invoice.pdf\"\n\n%PDF\n--b\nContent-Type: image/png; name=\"logo.png\"\n\n"
            + "--b\nContent-Type: text/plain\n\nThe file invoice.exe is mentioned here, and Content-Type: in the text.\n--b--\n";

        Assert.Empty(Scan(raw));
    }

    [Fact]
    public void ScanRaw_WhenTheSameFileIsNamedTwiceAndManyAreNamed_ReportsEachOnceAndStopsAtTheMaximum()
    {
        var raw = string.Concat(Enumerable.Range(0, 30).Select(i => $"--b\nContent-Type: application/octet-stream; name=\"f{i % 15}.exe\"\n\nx\n"));

        Assert.Equal(["f0.exe", "f1.exe", "f2.exe"], Scan(raw, 3).Select(f => f.FileName));
        Assert.Equal(15, Scan(raw, 100).Count);
    }

    [Fact]
    public void ScanRaw_WhenAnAttachedMessageIsBase64_DecodesItAndScansInside()
    {
        var inner = "Content-Type: multipart/mixed; boundary=i\r\n\r\n--i\r\nContent-Type: application/hta\r\nContent-Disposition: attachment; filename=\"update.hta\"\r\n\r\n<hta>\r\n--i--\r\n";
        var raw = "--b\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n" + Convert.ToBase64String(Encoding.ASCII.GetBytes(inner), Base64FormattingOptions.InsertLineBreaks) + "\n--b--\n";

        Assert.Equal("update.hta", Assert.Single(Scan(raw)).FileName);
    }

    [Theory]
    [InlineData("report.pdf", null, null)]
    [InlineData("notes.txt", "application/x-msdownload", "declared application/x-msdownload: a Windows program")]
    [InlineData("setup.exe", null, ".exe: a program")]
    [InlineData("run.ps1", null, ".ps1: a script")]
    [InlineData("page.htm", "text/html", ".htm: opens in a browser")]
    [InlineData("invoice.pdf.exe", null, ".pdf before .exe")]
    public void Risk_SaysWhatMakesAFileRisky(string name, string? type, string? expected)
    {
        Assert.Equal(expected, HiddenFiles.Risk(name, type));
    }
}
