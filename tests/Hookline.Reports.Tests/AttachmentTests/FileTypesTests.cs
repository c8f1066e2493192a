using Hookline.Reports.Analysis.Attachments;

namespace Hookline.Reports.Tests.AttachmentTests;

public class FileTypesTests
{
    [Theory]
    [InlineData(new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1 }, FileKind.Elf)]
    [InlineData(new byte[] { (byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C, 0, 4 }, FileKind.SevenZip)]
    [InlineData(new byte[] { (byte)'R', (byte)'a', (byte)'r', (byte)'!', 0x1A, 0x07, 1, 0 }, FileKind.Rar)]
    [InlineData(new byte[] { 0x1F, 0x8B, 8, 0 }, FileKind.Gzip)]
    [InlineData(new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' }, FileKind.Gif)]
    [InlineData(new byte[] { 0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D, 0xAE, 0xB1 }, FileKind.OneNote)]
    public void Sniff_WhenMagic_ReturnsKind(byte[] data, FileKind kind)
    {
        Assert.Equal(kind, FileTypes.Sniff(data));
    }

    [Fact]
    public void Sniff_WhenShellLink_ReturnsLnk()
    {
        byte[] lnk = [0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46, 0, 0, 0, 0];

        Assert.Equal(FileKind.Lnk, FileTypes.Sniff(lnk));
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html><body>x</body></html>", FileKind.Html)]
    [InlineData("  <script>atob('x')</script>", FileKind.Html)]
    [InlineData("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>", FileKind.Svg)]
    [InlineData("From: a@b.test\r\nTo: c@d.test\r\nSubject: hi\r\n\r\nbody", FileKind.Eml)]
    [InlineData("just some notes", FileKind.Text)]
    [InlineData("junk before %PDF-1.7\n1 0 obj", FileKind.Pdf)]
    public void Sniff_WhenText_RecognisesMarkup(string text, FileKind kind)
    {
        Assert.Equal(kind, FileTypes.Sniff(System.Text.Encoding.ASCII.GetBytes(text)));
    }

    [Theory]
    [InlineData("Invoice.PDF", "pdf")]
    [InlineData("a.tar.gz", "gz")]
    [InlineData("noext", null)]
    [InlineData("trailing.exe. ", "exe")]
    [InlineData(".hidden", null)]
    [InlineData(null, null)]
    public void ExtensionOf_WhenName_ReturnsLastExtension(string? name, string? extension)
    {
        Assert.Equal(extension, FileTypes.ExtensionOf(name));
    }
}
