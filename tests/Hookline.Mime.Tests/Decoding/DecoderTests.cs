using System.Text;
using Hookline.Mime.Decoding;

namespace Hookline.Mime.Tests.Decoding;

public class DecoderTests
{
    private static string Base64(string encoded, out List<MimeWarning> warnings)
    {
        warnings = [];
        return Encoding.ASCII.GetString(Base64Decoder.Decode(Encoding.ASCII.GetBytes(encoded), long.MaxValue, warnings, 0));
    }

    private static string QuotedPrintable(string encoded, out List<MimeWarning> warnings)
    {
        warnings = [];
        return Encoding.Latin1.GetString(QuotedPrintableDecoder.Decode(Encoding.ASCII.GetBytes(encoded), long.MaxValue, warnings, 0));
    }

    [Theory]
    [InlineData("SGVsbG8=", "Hello")]
    [InlineData("SGVs\r\nbG8=\r\n", "Hello")]
    [InlineData("SGVs\nbG8=", "Hello")]
    [InlineData("  SGVs bG8=\t", "Hello")]
    [InlineData("", "")]
    public void Base64_WhenWellFormed_DecodesWithoutWarnings(string encoded, string expected)
    {
        Assert.Equal(expected, Base64(encoded, out var warnings));
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("SGVsbG8", "Hello")] // missing padding
    [InlineData("SGVsbA==SGVsbA==", "HellHell")] // concatenated blocks
    [InlineData("SGV*sbG8=", "Hello")] // garbage inside
    public void Base64_WhenDamaged_DecodesWhatItCan(string encoded, string expected)
    {
        Assert.Equal(expected, Base64(encoded, out _));
    }

    [Fact]
    public void Base64_WhenTextFollowsThePadding_KeepsTheDecodedStartAndWarns()
    {
        var decoded = Base64("SGVsbG8=\r\n--not base64 at all--", out var warnings);

        Assert.StartsWith("Hello", decoded, StringComparison.Ordinal);
        Assert.Equal(MimeWarningCode.InvalidBase64, Assert.Single(warnings).Code);
    }

    [Fact]
    public void Base64_WhenGarbageInside_WarnsOnceWithItsOffset()
    {
        Base64("SGVsbG8s*IHdvcmxk", out var warnings);

        var warning = Assert.Single(warnings);
        Assert.Equal(MimeWarningCode.InvalidBase64, warning.Code);
        Assert.Equal(8, warning.Offset);
    }

    [Fact]
    public void Base64_WhenLarge_MatchesTheFrameworkDecoder()
    {
        var data = new byte[1_000_003];
        new Random(7).NextBytes(data);
        var encoded = Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks);

        Assert.Equal(data, Base64Decoder.Decode(Encoding.ASCII.GetBytes(encoded), long.MaxValue, null, 0));
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a=3Db", "a=b")]
    [InlineData("a=3db", "a=b")] // lower-case hex
    [InlineData("soft=\r\nbreak", "softbreak")]
    [InlineData("soft=\nbreak", "softbreak")]
    [InlineData("soft=  \r\nbreak", "softbreak")] // transport padding after the '='
    [InlineData("end=", "end")]
    [InlineData("Gr=FC=DFe", "Grüße")]
    [InlineData("line\r\nline", "line\r\nline")]
    public void QuotedPrintable_WhenWellFormed_Decodes(string encoded, string expected)
    {
        Assert.Equal(expected, QuotedPrintable(encoded, out var warnings));
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("a=ZZb", "a=ZZb")]
    [InlineData("a=4", "a=4")]
    [InlineData("100=%", "100=%")]
    public void QuotedPrintable_WhenEscapeIsMalformed_KeepsItLiterallyWithAWarning(string encoded, string expected)
    {
        Assert.Equal(expected, QuotedPrintable(encoded, out var warnings));
        Assert.Equal(MimeWarningCode.InvalidQuotedPrintable, Assert.Single(warnings).Code);
    }

    [Theory]
    [InlineData("begin 644 cat.txt\n#0V%T\n`\nend\n", "Cat")]
    [InlineData("begin 644 hi.txt\r\n,:&5L;&\\L(\'=O<FQD\r\n`\r\nend\r\n", "hello, world")]
    [InlineData("#0V%T\n`\nend\n", "Cat")] // no begin line
    public void DecodeContent_WhenUuencoded_Decodes(string encoded, string expected)
    {
        var message = MimeMessage.Parse(Encoding.ASCII.GetBytes("Content-Transfer-Encoding: x-uuencode\r\n\r\n" + encoded));

        Assert.Equal(expected, Encoding.ASCII.GetString(((MimePart)message.Body).DecodeContent()));
        Assert.Empty(message.Warnings);
    }

    [Fact]
    public void DecodeContent_WhenUuencodedLineIsShort_DecodesWhatThereIsWithAWarning()
    {
        var message = MimeMessage.Parse(Encoding.ASCII.GetBytes("Content-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 a\r\nM0V%T\r\nend\r\n"));

        Assert.StartsWith("Cat", Encoding.ASCII.GetString(((MimePart)message.Body).DecodeContent()), StringComparison.Ordinal);
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.InvalidUuencode);
    }

    [Fact]
    public void DecodeContent_WhenTransferEncodingUnknown_KeepsContentWithAWarning()
    {
        var message = MimeMessage.Parse(Encoding.ASCII.GetBytes("Content-Transfer-Encoding: x-custom\r\n\r\nbegin 644 a\r\n"));

        var content = ((MimePart)message.Body).DecodeContent();

        Assert.Equal("begin 644 a\r\n", Encoding.ASCII.GetString(content));
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.UnknownTransferEncoding);
    }

    [Theory]
    [InlineData("BASE64", "base64")]
    [InlineData(" Quoted-Printable ", "quoted-printable")]
    [InlineData("8bit (comment)", "8bit")]
    [InlineData("", "7bit")]
    public void Parse_WhenTransferEncodingWrittenOddly_Normalizes(string written, string expected)
    {
        var message = MimeMessage.Parse(Encoding.ASCII.GetBytes($"Content-Transfer-Encoding: {written}\r\n\r\n"));

        Assert.Equal(expected, message.Body.TransferEncoding);
    }

    [Fact]
    public void DecodeContent_WhenCalledTwice_ReportsItsProblemsOnce()
    {
        var message = MimeMessage.Parse(Encoding.ASCII.GetBytes("Content-Transfer-Encoding: base64\r\n\r\nSGV*sbG8="));
        var part = (MimePart)message.Body;

        part.DecodeContent();
        part.DecodeContent();

        Assert.Single(message.Warnings);
    }

    [Fact]
    public void GetText_WhenCharsetUnknown_WarnsOnceAndFallsBack()
    {
        var message = MimeMessage.Parse(Encoding.UTF8.GetBytes("Content-Type: text/plain; charset=x-martian\r\n\r\ncafé"));
        var part = (MimePart)message.Body;

        Assert.Equal("café", part.GetText());
        Assert.Equal("café", part.GetText());
        Assert.Equal(MimeWarningCode.UnknownCharset, Assert.Single(message.Warnings).Code);
    }

    [Theory]
    [InlineData("base64")]
    [InlineData("quoted-printable")]
    [InlineData("8bit")]
    public void DecodeContentPrefix_WhenContentIsLarge_EqualsTheStartOfTheFullDecodeWithoutWarnings(string encoding)
    {
        var data = new byte[100_000];
        new Random(11).NextBytes(data);
        if (encoding != "base64")
        {
            data = data.Select(b => (byte)('a' + (b % 26))).ToArray();
        }

        var body = encoding == "base64" ? Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks) : Encoding.ASCII.GetString(data);
        var message = MimeMessage.Parse(Encoding.ASCII.GetBytes($"Content-Transfer-Encoding: {encoding}\r\n\r\n{body}"));
        var part = (MimePart)message.Body;

        var prefix = part.DecodeContentPrefix(4096);

        Assert.Equal(data.AsSpan(0, 4096).ToArray(), prefix);
        Assert.Empty(message.Warnings);
    }
}
