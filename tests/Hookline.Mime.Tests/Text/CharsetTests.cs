using System.Text;
using Hookline.Mime.Tests.Support;
using Hookline.Mime.Text;

namespace Hookline.Mime.Tests.Text;

public class CharsetTests
{
    [Theory]
    [InlineData("utf8", 65001)]
    [InlineData("UTF-8", 65001)]
    [InlineData("latin1", 28591)]
    [InlineData("cp1252", 1252)]
    [InlineData("windows-1251", 1251)]
    [InlineData("koi8-r", 20866)]
    [InlineData("shift_jis", 932)]
    [InlineData("x-sjis", 932)]
    [InlineData("gb2312", 936)]
    [InlineData("iso-2022-jp", 50220)]
    [InlineData("ks_c_5601-1987", 949)]
    [InlineData("\"iso-8859-2\"", 28592)]
    [InlineData("iso8859-15", 28605)]
    [InlineData("cp850", 850)]
    public void GetEncoding_WhenLabelIsAnAliasSeenInMail_FindsTheCodePage(string label, int codePage)
    {
        Assert.Equal(codePage, Charsets.GetEncoding(label)?.CodePage);
    }

    [Theory]
    [InlineData("x-unknown")]
    [InlineData("utf-7")]
    [InlineData("")]
    [InlineData(null)]
    public void GetEncoding_WhenLabelUnknown_ReturnsNull(string? label)
    {
        Assert.Null(Charsets.GetEncoding(label));
    }

    [Fact]
    public void Decode_WhenUnlabelledBytesAreNotUtf8_FallsBackToWindows1252()
    {
        var bytes = new byte[] { 0x93, 0x71, 0x94, 0x20, 0x80 };

        Assert.Equal("\u201cq\u201d \u20ac", Charsets.Decode(bytes, null));
        Assert.Equal("\u201cq\u201d \u20ac", Charsets.Decode(bytes, "us-ascii"));
        Assert.Equal("\u201cq\u201d \u20ac", Charsets.Decode(bytes, "x-no-such-charset"));
    }

    [Fact]
    public void Decode_WhenLabelledAsciiButUtf8_DecodesUtf8()
    {
        Assert.Equal("café", Charsets.Decode(Encoding.UTF8.GetBytes("café"), "us-ascii"));
    }

    [Fact]
    public void GetText_WhenCharsetsFixture_DecodesEachPartInItsCharset()
    {
        var message = MimeMessage.Load(Path.Combine(TestFiles.DataDirectory, "Mime", "charsets.eml"));

        var texts = message.Entities().OfType<MimePart>().Select(p => p.GetText().TrimEnd()).ToList();

        Assert.Equal(
            ["Grüße", "\u201cquoted\u201d \u20ac5", "Привет", "こんにちは", "你好", "été 😀", "café", "mislabelled café"],
            texts);
    }
}
