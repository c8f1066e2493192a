using System.Diagnostics;
using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Tests.UrlTests;

public class HtmlTokenizerTests
{
    [Theory]
    [InlineData("<a href=https://x.test/?a=1>", "https://x.test/?a=1")]
    [InlineData("<a href='https://x.test/'>", "https://x.test/")]
    [InlineData("<a href=\"https://x.test/\">", "https://x.test/")]
    [InlineData("<a href \t=\n \"https://x.test/\">", "https://x.test/")]
    [InlineData("<A HREF=\"https://x.test/\">", "https://x.test/")]
    [InlineData("<a/href=\"https://x.test/\">", "https://x.test/")]
    [InlineData("<a title=\"t\"href=\"https://x.test/\">", "https://x.test/")]
    [InlineData("<a href=https://x.test/\"'<`=>", "https://x.test/\"'<`=")]
    [InlineData("<a href=\"https://first.test/\" href=\"https://second.test/\">", "https://first.test/")]
    [InlineData("<a href>", "")]
    [InlineData("<a href=>", "")]
    [InlineData("<a title='x>y' href=\"https://x.test/\">", "https://x.test/")]
    public void GetAttribute_WhenQuotedVariously_ReadsValue(string html, string expected)
    {
        var tokens = new HtmlTokenizer(html);

        Assert.True(tokens.Next());
        Assert.Equal(HtmlTokenKind.StartTag, tokens.Kind);
        Assert.Equal("a", tokens.Name.ToString());
        Assert.Equal(expected, tokens.GetAttribute("href"));
    }

    [Theory]
    [InlineData("https://x.test/?a=1&amp;b=2", "https://x.test/?a=1&b=2")]
    [InlineData("https://x.test/?a=1&copy=2", "https://x.test/?a=1&copy=2")]
    [InlineData("https://x.test/?a=1&copyx", "https://x.test/?a=1&copyx")]
    [InlineData("&copy;&copy &lt", "\u00A9\u00A9 <")]
    [InlineData("https:&#x2F;&#47;x.test&#46;", "https://x.test.")]
    [InlineData("&#128;&#x9F;&#0;&#xD800;&#1114112;", "\u20AC\u0178\uFFFD\uFFFD\uFFFD")]
    [InlineData("&#;&#x;&#xZ&unknown;&", "&#;&#x;&#xZ&unknown;&")]
    [InlineData("&NotEqualTilde;", "\u2242\u0338")]
    [InlineData("a\0b", "a\uFFFDb")]
    public void GetAttribute_WhenCharacterReferences_DecodesAsBrowsers(string value, string expected)
    {
        var tokens = new HtmlTokenizer($"<a href=\"{value}\">");

        Assert.True(tokens.Next());
        Assert.Equal(expected, tokens.GetAttribute("href"));
    }

    [Theory]
    [InlineData("&notit; &amp &ampx", "\u00ACit; & &x")]
    [InlineData("a\0b", "ab")]
    public void Decode_WhenText_LegacyNamesWithoutSemicolon(string text, string expected)
    {
        Assert.Equal(expected, HtmlCharacterReferences.Decode(text, inAttribute: false));
    }

    [Theory]
    [InlineData("<!-- <a href=x> --><b>", "b")]
    [InlineData("<!--><b>", "b")]
    [InlineData("<!---><b>", "b")]
    [InlineData("<!-- x --!><b>", "b")]
    [InlineData("<!-- x ---><b>", "b")]
    [InlineData("<!DOCTYPE html><b>", "b")]
    [InlineData("<?xml version=\"1.0\"?><b>", "b")]
    [InlineData("<![CDATA[ <a> ]]><b>", "b")]
    [InlineData("</ a><b>", "b")]
    [InlineData("</><b>", "b")]
    [InlineData("<script><a href=x></script ><b>", "script,/script,b")]
    [InlineData("<style>a > b { }</STYLE><b>", "style,/style,b")]
    [InlineData("<textarea><a href=x></textarea><b>", "textarea,/textarea,b")]
    [InlineData("<script>x</scripty></script><b>", "script,/script,b")]
    [InlineData("<plaintext><a href=x></plaintext><b>", "plaintext")]
    [InlineData("<!-- never closed <a href=x>", "")]
    [InlineData("<b><a href=\"never closed>", "b")]
    [InlineData("<b><a href=x", "b")]
    [InlineData("<B\0X>", "b\uFFFDx")]
    public void Next_WhenMarkupIsTricky_FindsTheTagsABrowserWould(string html, string expected)
    {
        var tokens = new HtmlTokenizer(html);
        var tags = new List<string>();
        while (tokens.Next())
        {
            if (tokens.Kind != HtmlTokenKind.Text)
            {
                tags.Add((tokens.Kind == HtmlTokenKind.EndTag ? "/" : string.Empty) + tokens.Name.ToString());
            }
        }

        Assert.Equal(expected, string.Join(',', tags));
    }

    [Fact]
    public void Next_WhenScriptText_IsRawAndWhole()
    {
        var tokens = new HtmlTokenizer("<script>if (a < b && c) {}</script>");

        Assert.True(tokens.Next());
        Assert.True(tokens.Next());

        Assert.Equal(HtmlTokenKind.Text, tokens.Kind);
        Assert.True(tokens.TextIsRaw);
        Assert.Equal("if (a < b && c) {}", tokens.Text.ToString());
    }

    [Theory]
    [InlineData("<a href=\"")]
    [InlineData("<a href='")]
    [InlineData("<a x")]
    [InlineData("<!--")]
    [InlineData("<script>")]
    [InlineData("<title></")]
    [InlineData("<")]
    [InlineData("</")]
    [InlineData("<a =x>")]
    public void Next_WhenRepeatedHostileMarkup_IsLinear(string unit)
    {
        var html = string.Concat(Enumerable.Repeat(unit, 200_000));
        var watch = Stopwatch.StartNew();

        var tokens = new HtmlTokenizer(html);
        var count = 0;
        while (tokens.Next())
        {
            count++;
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"{unit}: {watch.Elapsed}");
        Assert.True(count <= 200_000 * 2, $"{unit}: {count} tokens");
    }

    [Fact]
    public void GetAttribute_WhenTagHasHugeAttributes_ReadsThemOnce()
    {
        var style = new string('x', 4_000_000);
        var html = $"<img style=\"{style}\" width=1 height=1 src=\"https://pixel.test/p.gif\">";
        var watch = Stopwatch.StartNew();

        var tokens = new HtmlTokenizer(html);

        Assert.True(tokens.Next());
        Assert.Equal("https://pixel.test/p.gif", tokens.GetAttribute("src"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), watch.Elapsed.ToString());
    }
}
