using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Tests.UrlTests;

public class HtmlScannerTests
{
    [Theory]
    [InlineData("<p>plain</p><div>no links</div>", false)]
    [InlineData("<p>x</p><abbr>y</abbr><b>z</b>", false)]
    [InlineData("<p><A HREF='x'>y</A></p>", true)]
    [InlineData("<FORM action=x>", true)]
    [InlineData("<meta http-equiv=refresh>", true)]
    [InlineData("<img src=x>", true)]
    public void HasLinkTags_WhenTags_DecidesDom(string html, bool expected)
    {
        Assert.Equal(expected, HtmlScanner.HasLinkTags(html));
    }

    [Theory]
    [InlineData("<div><p>a<p>b<br><img src=x><table><tr><td>c<td>d</table></div>", 2)]
    [InlineData("<div><div><div></div></div></div><div></div>", 3)]
    [InlineData("<!-- <div><div> --><script>var s = '<div><div>';</script><span></span><b>x", 1)]
    public void Survey_WhenImplicitCloses_CountsRealNesting(string html, int depth)
    {
        Assert.Equal(depth, HtmlScanner.Survey(html).Depth);
    }

    [Theory]
    [InlineData("0;url=https://evil.test/", "https://evil.test/")]
    [InlineData("5; URL = \"https://evil.test/a\"", "https://evil.test/a")]
    [InlineData("0, https://evil.test/b", "https://evil.test/b")]
    [InlineData("30", null)]
    public void RefreshTarget_WhenWrittenVariously_ReadsUrl(string content, string? expected)
    {
        Assert.Equal(expected, HtmlScanner.RefreshTarget(content));
    }

    [Fact]
    public void Scan_WhenPasswordInputOutsideForm_CredentialForm()
    {
        var scan = HtmlScanner.Scan("<div><input type=\"password\" id=\"p\"></div><img src=x>");

        Assert.True(scan.HasCredentialForm);
        Assert.True(scan.HasPasswordInput);
    }

    [Fact]
    public void Scan_WhenAnchorTextHasHiddenCharacters_CollapsesThem()
    {
        var scan = HtmlScanner.Scan("<a href=\"https://evil.test/\">  pay\u200Bpal\n  .com </a>");

        Assert.Equal("paypal .com", Assert.Single(scan.Links).VisibleText);
    }
}
