using System.Diagnostics;
using System.Text;
using Hookline.Mime.Headers;

namespace Hookline.Mime.Tests.HeadersTests;

public class ParameterListTests
{
    private static ParameterList Parse(string text, List<MimeWarning>? warnings = null) => ParameterList.Parse(text.AsSpan(), warnings);

    [Theory]
    [InlineData("; charset=us-ascii", "charset", "us-ascii")]
    [InlineData("; charset=\"us-ascii\"", "charset", "us-ascii")]
    [InlineData("; CHARSET=UTF-8", "charset", "UTF-8")]
    [InlineData(";charset = utf-8 ", "charset", "utf-8")]
    [InlineData("; charset=us-ascii (Plain text)", "charset", "us-ascii")]
    [InlineData("; (comment) charset=(another)us-ascii", "charset", "us-ascii")]
    [InlineData("; name=\"a \\\"quoted\\\" name.txt\"", "name", "a \"quoted\" name.txt")]
    [InlineData("; boundary=\"----=_NextPart_000_0012_01D2\"", "boundary", "----=_NextPart_000_0012_01D2")]
    [InlineData("; boundary=----=_Part_123_456.789", "boundary", "----=_Part_123_456.789")]
    [InlineData("; filename=my file.pdf", "filename", "my file.pdf")]
    [InlineData("; name=application/pdf", "name", "application/pdf")]
    [InlineData("; filename=\"a;b.txt\"; size=3", "filename", "a;b.txt")]
    [InlineData(";; charset=utf-8", "charset", "utf-8")]
    [InlineData("; name=\"folded\r\n value\"", "name", "folded value")]
    [InlineData("; filename=report(1).pdf", "filename", "report(1).pdf")]
    public void Parse_WhenRfc2045Forms_ReadsValue(string text, string name, string expected) =>
        Assert.Equal(expected, Parse(text)[name]);

    [Fact]
    public void Parse_WhenRfc2231Continuation_JoinsSections()
    {
        var list = Parse("; access-type=URL; URL*0=\"ftp://\"; URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"");
        Assert.Equal("URL", list["access-type"]);
        Assert.Equal("ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar", list["url"]);
        Assert.Equal(2, list.Count);
    }

    [Fact]
    public void Parse_WhenRfc2231CharsetAndLanguage_PercentDecodes()
    {
        Assert.Equal("This is ***fun***", Parse("; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A")["title"]);
    }

    [Fact]
    public void Parse_WhenRfc2231MixedContinuation_JoinsEncodedAndPlainSections()
    {
        var list = Parse("; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"");
        Assert.Equal("This is even more ***fun*** isn't it!", list["title"]);
    }

    [Fact]
    public void Parse_WhenUtf8SplitAcrossSections_DecodesWholeCharacters()
    {
        // Thunderbird: filename*0*=UTF-8''...; filename*1*=... with "€" split between sections.
        var list = Parse("; filename*0*=UTF-8''Rechnung%20%E2%82; filename*1*=%AC.pdf");
        Assert.Equal("Rechnung €.pdf", list["filename"]);
    }

    [Fact]
    public void Parse_WhenSectionsOutOfOrder_SortsThem()
    {
        Assert.Equal("abc", Parse("; n*2=c; n*0=a; n*1=b")["n"]);
    }

    [Fact]
    public void Parse_WhenSectionMissing_JoinsTheRestWithWarning()
    {
        var warnings = new List<MimeWarning>();
        Assert.Equal("ac", Parse("; n*0=a; n*2=c", warnings)["n"]);
        Assert.Contains(warnings, w => w.Code == MimeWarningCode.InvalidParameter);
    }

    [Fact]
    public void Parse_WhenEuroInIso88591Label_UsesTheCharset()
    {
        Assert.Equal("café", Parse("; filename*=iso-8859-1''caf%E9")["filename"]);
    }

    [Fact]
    public void Parse_WhenExtendedValueHasNoCharset_FallsBackToUtf8()
    {
        Assert.Equal("€", Parse("; filename*=%E2%82%AC")["filename"]);
        Assert.Equal("€", Parse("; filename*=''%E2%82%AC")["filename"]);
    }

    [Fact]
    public void Parse_WhenBadPercentEscape_KeepsItLiteral()
    {
        Assert.Equal("100%zz", Parse("; filename*=utf-8''100%zz")["filename"]);
    }

    [Fact]
    public void Parse_WhenUnknownCharset_FallsBack()
    {
        Assert.Equal("é", Parse("; filename*=x-bogus''%C3%A9")["filename"]);
    }

    [Fact]
    public void Parse_WhenUtf7Charset_FallsBackWithoutThrowing()
    {
        Assert.Equal("é.txt", Parse("; filename*=utf-7''%C3%A9.txt")["filename"]);
    }

    [Fact]
    public void Parse_WhenOutlookEncodedWordInQuotes_DecodesIt()
    {
        var list = Parse("; filename=\"=?utf-8?B?0KHRh9GR0YIt0YTQsNC60YLRg9GA0LAg4oSWMTIzLnBkZg==?=\"");
        Assert.Equal("Счёт-фактура №123.pdf", list["filename"]);
    }

    [Fact]
    public void Parse_WhenEncodedWordUnquoted_DecodesIt()
    {
        Assert.Equal("für.pdf", Parse("; name==?utf-8?q?f=C3=BCr.pdf?=")["name"]);
    }

    [Fact]
    public void Parse_WhenPlainAndRfc2231Both_PrefersRfc2231()
    {
        var list = Parse("; filename=\"Rechnung.pdf\"; filename*=utf-8''Rechnung%20%E2%82%AC.pdf");
        Assert.Equal("Rechnung €.pdf", list["filename"]);
        Assert.Single(list);
    }

    [Fact]
    public void Parse_WhenDuplicate_FirstWinsWithWarning()
    {
        var warnings = new List<MimeWarning>();
        var list = Parse("; boundary=first; boundary=second", warnings);
        Assert.Equal("first", list["boundary"]);
        Assert.Single(list);
        Assert.Contains(warnings, w => w.Code == MimeWarningCode.InvalidParameter);
    }

    [Fact]
    public void Parse_WhenMissingEquals_SkipsItWithWarning()
    {
        var warnings = new List<MimeWarning>();
        var list = Parse("; junk; charset=utf-8; other", warnings);
        Assert.Equal("utf-8", list["charset"]);
        Assert.Single(list);
        Assert.Equal(2, warnings.Count);
    }

    [Fact]
    public void Parse_WhenUnterminatedQuote_TakesTheRestWithWarning()
    {
        var warnings = new List<MimeWarning>();
        var list = Parse("; filename=\"invoice.pdf; size=12", warnings);
        Assert.Equal("invoice.pdf; size=12", list["filename"]);
        Assert.Single(warnings);
    }

    [Fact]
    public void Parse_WhenHugeSectionNumber_DropsItWithWarning()
    {
        var warnings = new List<MimeWarning>();
        var list = Parse("; name*0=a; name*99999=b; name*1=c", warnings);
        Assert.Equal("ac", list["name"]);
        Assert.Contains(warnings, w => w.Code == MimeWarningCode.InvalidParameter);
    }

    [Fact]
    public void Parse_WhenTooManyParameters_StopsAtTheLimit()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            sb.Append("; p").Append(i).Append("=v");
        }

        var warnings = new List<MimeWarning>();
        var watch = Stopwatch.StartNew();
        var list = Parse(sb.ToString(), warnings);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(ParameterList.MaxParameters, list.Count);
        Assert.Single(warnings);
    }

    [Fact]
    public void Parse_WhenManySections_IsBounded()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 50_000; i++)
        {
            sb.Append("; name*").Append(i % 1000).Append("*=%41");
        }

        var warnings = new List<MimeWarning>();
        var list = Parse(sb.ToString(), warnings);
        Assert.Equal(ParameterList.MaxParameters, list["name"]!.Length);
        Assert.InRange(warnings.Count, 1, 16);
    }

    [Fact]
    public void Parse_WhenManyJunkItems_AddsBoundedWarnings()
    {
        var warnings = new List<MimeWarning>();
        var list = Parse(string.Concat(Enumerable.Repeat("; junk", 100_000)), warnings);
        Assert.Empty(list);
        Assert.InRange(warnings.Count, 1, 16);
    }

    [Fact]
    public void Parse_WhenBytesWithUtf8InQuotedValue_DecodesUtf8()
    {
        var list = ParameterList.Parse(Encoding.UTF8.GetBytes("; filename=\"Grüße.pdf\""));
        Assert.Equal("Grüße.pdf", list["filename"]);
    }

    [Fact]
    public void Parse_WhenEmpty_ReturnsEmpty()
    {
        Assert.Empty(Parse(string.Empty));
        Assert.Empty(Parse(" ; ; "));
    }
}
