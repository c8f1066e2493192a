using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Tests.UrlTests;

public class UrlTextScannerTests
{
    [Theory]
    [InlineData("Log in at https://login.evil.test/owa. Thanks", "https://login.evil.test/owa")]
    [InlineData("(see https://evil.test/a_(b))", "https://evil.test/a_(b)")]
    [InlineData("(see https://evil.test/path)", "https://evil.test/path")]
    [InlineData("go to www.evil.test/x, now", "http://www.evil.test/x")]
    [InlineData("<https://evil.test/q?a=1&b=2>", "https://evil.test/q?a=1&b=2")]
    [InlineData("\"ftp://files.evil.test/a.zip\"", "ftp://files.evil.test/a.zip")]
    [InlineData("HTTPS://Evil.test/Path!", "https://Evil.test/Path")]
    public void Scan_WhenUrlInProse_TrimsPunctuationAndBrackets(string text, string expected)
    {
        var found = UrlTextScanner.Scan(text);

        Assert.Equal(expected, Assert.Single(found).Url);
    }

    [Theory]
    [InlineData("IOC: hxxps://evil[.]test/login", "https://evil.test/login")]
    [InlineData("IOC: hxxp://198[.]51[.]100[.]7/x", "http://198.51.100.7/x")]
    [InlineData("IOC: hXXps[:]//evil[dot]test/", "https://evil.test/")]
    public void Scan_WhenDefanged_RefangsAndFlags(string text, string expected)
    {
        var found = Assert.Single(UrlTextScanner.Scan(text));

        Assert.Equal(expected, found.Url);
        Assert.True(found.Defanged);
    }

    [Theory]
    [InlineData("no links here, just // comments and a: colon")]
    [InlineData("mailto:someone@example.test")]
    [InlineData("awww.not a url")]
    [InlineData("javascript://comment")]
    public void Scan_WhenNoWebUrl_FindsNothing(string text)
    {
        Assert.Empty(UrlTextScanner.Scan(text));
    }

    [Fact]
    public void Scan_WhenManyUrls_StopsAtMax()
    {
        var text = string.Concat(Enumerable.Range(0, 1000).Select(i => $"https://host{i}.evil.test/ "));

        Assert.Equal(10, UrlTextScanner.Scan(text, 10).Count);
    }

    [Fact]
    public void Scan_WhenUrlIsEnormous_CutsIt()
    {
        var text = "https://evil.test/" + new string('a', 100_000);

        Assert.True(Assert.Single(UrlTextScanner.Scan(text)).Url.Length <= UrlTextScanner.MaxUrlLength);
    }
}
