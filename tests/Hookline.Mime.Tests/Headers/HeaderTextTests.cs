using System.Diagnostics;
using System.Text;
using Hookline.Mime.Headers;

namespace Hookline.Mime.Tests.HeadersTests;

public class HeaderTextTests
{
    private static string Decode(string raw) => HeaderText.DecodeUnstructured(Encoding.UTF8.GetBytes(raw));

    [Theory]
    // RFC 2047 section 8: white space between adjacent encoded words is dropped, other white space kept.
    [InlineData("(=?ISO-8859-1?Q?a?=)", "(a)")]
    [InlineData("(=?ISO-8859-1?Q?a?= b)", "(a b)")]
    [InlineData("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)")]
    [InlineData("(=?ISO-8859-1?Q?a_b?=)", "(a b)")]
    [InlineData("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)")]
    [InlineData("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=", "Keld Jørn Simonsen")]
    [InlineData("=?ISO-8859-1?Q?Andr=E9?= Pirard", "André Pirard")]
    [InlineData("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=", "If you can read this you understand the example.")]
    public void DecodeUnstructured_WhenRfc2047Examples_DecodesAsRfcSays(string raw, string expected) =>
        Assert.Equal(expected, Decode(raw));

    [Theory]
    [InlineData(" Hello world", "Hello world")]
    [InlineData(" Re: your invoice\r\n\tof March", "Re: your invoice\tof March")]
    [InlineData(" folded\r\n more\r\n  lines ", "folded more  lines")]
    [InlineData(" bare\n LF", "bare LF")]
    [InlineData("", "")]
    [InlineData("   \r\n ", "")]
    public void DecodeUnstructured_WhenPlainText_UnfoldsAndTrims(string raw, string expected) =>
        Assert.Equal(expected, Decode(raw));

    [Theory]
    // Gmail: UTF-8 B words folded at 75 characters.
    [InlineData("=?UTF-8?B?0J/RgNC40LLQtdGCLCDQvNC40YA=?=", "Привет, мир")]
    [InlineData("=?utf-8?B?UmVjaG51bmcgZsO8ciBTaWU=?=", "Rechnung für Sie")]
    // Outlook: Q words, lower-case hex.
    [InlineData("=?utf-8?q?Rechnung_f=c3=bcr_Sie?=", "Rechnung für Sie")]
    // Japanese ISO-2022-JP, as old Japanese mailers write.
    [InlineData("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "日本語")]
    // RFC 2231 section 5 language suffix.
    [InlineData("=?utf-8*en?Q?Hello_there?=", "Hello there")]
    [InlineData("=?US-ASCII*EN?Q?Keith_Moore?=", "Keith Moore")]
    // Mixed text and words.
    [InlineData("Re: =?utf-8?q?caf=C3=A9?= tomorrow", "Re: café tomorrow")]
    // Empty encoded word.
    [InlineData("a =?utf-8?q??= b", "a  b")]
    public void DecodeUnstructured_WhenRealWorldEncodedWords_Decodes(string raw, string expected) =>
        Assert.Equal(expected, Decode(raw));

    [Fact]
    public void DecodeUnstructured_WhenMultiByteCharacterSplitAcrossWords_JoinsBytesFirst()
    {
        // "€" is E2 82 AC: the first word carries E2 82, the second AC.
        Assert.Equal("Price: €5", Decode("Price: =?utf-8?B?4oI=?= =?utf-8?B?rA==?=5"));
        Assert.Equal("€", Decode("=?UTF-8?Q?=E2=82?=\r\n =?utf-8?Q?=AC?="));
    }

    [Theory]
    // "YWJjZA==" ("abcd") split inside a quantum.
    [InlineData("=?utf-8?B?YW?= =?utf-8?B?JjZA==?=", "abcd")]
    [InlineData("=?utf-8?B?YWJjZ?=\r\n =?utf-8?B?A==?=", "abcd")]
    // "€" (4oKs) split after one character.
    [InlineData("=?utf-8?B?4?= =?utf-8?B?oKs?=", "€")]
    // Missing padding followed by a separate whole word stays two texts.
    [InlineData("=?utf-8?B?YWI?= =?utf-8?B?YWJj?=", "ababc")]
    // Not the same run (text between): never joined.
    [InlineData("=?utf-8?B?YW?= x =?utf-8?B?Jj?=", "a x &")]
    public void DecodeUnstructured_WhenBase64SplitMidQuantum_JoinsTheText(string raw, string expected) =>
        Assert.Equal(expected, Decode(raw));

    [Fact]
    public void DecodeUnstructured_WhenSplitWordsInDifferentCharsets_DecodesEachRun()
    {
        Assert.Equal("éé", Decode("=?iso-8859-1?q?=E9?= =?utf-8?q?=C3=A9?="));
    }

    [Theory]
    [InlineData("foo=?utf-8?q?x?=bar", "fooxbar")]
    [InlineData("\"=?utf-8?q?Jos=C3=A9?=\"", "\"José\"")]
    [InlineData("[=?utf-8?q?SPAM?=]", "[SPAM]")]
    public void DecodeUnstructured_WhenWordInsideOtherText_StillDecodes(string raw, string expected) =>
        Assert.Equal(expected, Decode(raw));

    [Theory]
    [InlineData("=?utf-8?X?abc?=")]
    [InlineData("=?utf-8?q?abc")]
    [InlineData("=??q?abc?=")]
    [InlineData("=?utf-8?q")]
    [InlineData("=?")]
    [InlineData("what =? is this ?=")]
    [InlineData("=?utf-8?q?line\r\n break?=")]
    public void DecodeUnstructured_WhenMalformedWord_KeepsItAsLiteralText(string raw)
    {
        var expected = raw.Replace("\r\n", string.Empty, StringComparison.Ordinal);
        Assert.Equal(expected, Decode(raw));
    }

    [Fact]
    public void DecodeUnstructured_WhenUnknownCharset_FallsBackToUtf8OrWindows1252()
    {
        Assert.Equal("café", Decode("=?x-unknown-charset?q?caf=C3=A9?="));
        Assert.Equal("café", Decode("=?x-unknown-charset?q?caf=E9?="));
    }

    [Theory]
    [InlineData("utf-7")]
    [InlineData("UTF7")]
    [InlineData("cp65000")]
    public void DecodeUnstructured_WhenCharsetLookupThrows_FallsBackWithoutThrowing(string label)
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("café", Decode($"=?{label}?q?caf=C3=A9?="));
        }
    }

    [Fact]
    public void DecodeUnstructured_WhenWordLabelledUtf8HoldsLatin1_FallsBackToWindows1252()
    {
        Assert.Equal("café", Decode("=?utf-8?q?caf=E9?="));
    }

    [Fact]
    public void DecodeUnstructured_WhenBase64LacksPaddingOrHasJunk_DecodesWhatIsThere()
    {
        Assert.Equal("abc", Decode("=?utf-8?B?YWJj?="));
        Assert.Equal("ab", Decode("=?utf-8?B?YWI?="));
        Assert.Equal("ab", Decode("=?utf-8?B?Y W*I=?="));
    }

    [Fact]
    public void DecodeUnstructured_WhenQHasStrayEquals_KeepsIt()
    {
        Assert.Equal("a=b=", Decode("=?utf-8?q?a=b=?="));
        Assert.Equal("a=zz", Decode("=?utf-8?q?a=zz?="));
    }

    [Fact]
    public void DecodeUnstructured_WhenRawUtf8_DecodesAsUtf8()
    {
        Assert.Equal("Grüße aus Köln", HeaderText.DecodeUnstructured(Encoding.UTF8.GetBytes(" Grüße aus Köln")));
    }

    [Fact]
    public void DecodeUnstructured_WhenRawLatin1Bytes_DecodesAsWindows1252()
    {
        byte[] raw = [(byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)' ', 0x80];
        Assert.Equal("café €", HeaderText.DecodeUnstructured(raw));
    }

    [Fact]
    public void DecodeUnstructured_WhenRawBytesAndEncodedWords_DecodesBoth()
    {
        var raw = Encoding.UTF8.GetBytes("Grüße =?utf-8?q?aus_K=C3=B6ln?=");
        Assert.Equal("Grüße aus Köln", HeaderText.DecodeUnstructured(raw));
    }

    [Fact]
    public void DecodeUnstructured_WhenHundredThousandWords_DecodesInLinearTime()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            sb.Append("=?utf-8?q?a?=\r\n ");
        }

        var raw = Encoding.ASCII.GetBytes(sb.ToString());
        Assert.True(raw.Length > 1_000_000);
        var watch = Stopwatch.StartNew();
        var text = HeaderText.DecodeUnstructured(raw);
        watch.Stop();
        Assert.Equal(new string('a', 100_000), text);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void DecodeUnstructured_WhenHugeRunOfWordOpeners_IsLinearAndLiteral()
    {
        var raw = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("=?a?q", 200_000)));
        var watch = Stopwatch.StartNew();
        var text = HeaderText.DecodeUnstructured(raw);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(raw.Length, text.Length);
    }

    [Fact]
    public void DecodeUnstructured_WhenAlternatingCharsets_DecodesEveryWord()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            sb.Append(i % 2 == 0 ? "=?iso-8859-1?q?=E9?= " : "=?utf-8?q?=C3=A9?= ");
        }

        Assert.Equal(new string('é', 10_000), Decode(sb.ToString()));
    }

    [Theory]
    [InlineData("\"John \\\"Johnny\\\" Smith\"", "John \"Johnny\" Smith")]
    [InlineData("\"=?utf-8?B?0J/RgNC40LLQtdGCLCDQvNC40YA=?=\"", "Привет, мир")]
    [InlineData("=?utf-8?q?Jos=C3=A9?= \"Smith\"", "José Smith")]
    [InlineData("Plain Name", "Plain Name")]
    [InlineData("\"unterminated", "unterminated")]
    public void DecodePhrase_WhenQuotedOrEncoded_RemovesQuotesAndDecodes(string raw, string expected) =>
        Assert.Equal(expected, HeaderText.DecodePhrase(Encoding.UTF8.GetBytes(raw)));

    [Fact]
    public void Value_WhenHeaderParsedFromMessage_IsDecoded()
    {
        var bytes = Encoding.ASCII.GetBytes("Subject: =?utf-8?q?Your_account_is?=\r\n =?utf-8?q?_suspended_=E2=9A=A0?=\r\n\r\nbody");
        var message = MimeMessage.Parse(bytes);
        Assert.Equal("Your account is suspended ⚠", message.Subject);
    }
}
