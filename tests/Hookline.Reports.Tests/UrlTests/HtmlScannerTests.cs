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

    [Fact]
    public void Scan_WhenFormOpensInsideTableRow_InputsBelongToIt()
    {
        // The parser puts the form in the table and pops it at once, but its inputs still submit with it (the form element pointer).
        var scan = HtmlScanner.Scan("<table><tr><form action=\"https://login.evil.test/post\"><td><input type=password name=p></td></tr></table>");

        var link = Assert.Single(scan.Links);
        Assert.Equal(UrlSource.Form, link.Source);
        Assert.True(link.CredentialForm);
    }

    [Fact]
    public void Scan_WhenFormInsideForm_InnerIsIgnored()
    {
        var scan = HtmlScanner.Scan("<form action=\"https://a.test/\"><form action=\"https://b.test/\"><input type=email></form><form action=\"https://c.test/\"></form>");

        Assert.Equal(["https://a.test/", "https://c.test/"], scan.Links.Select(l => l.Url));
        Assert.Equal([true, false], scan.Links.Select(l => l.CredentialForm));
    }

    [Fact]
    public void Scan_WhenBaseHref_ResolvesLaterRelativeLinks()
    {
        var scan = HtmlScanner.Scan("<a href=\"/early\">e</a><base href=\"https://base.test/dir/\"><base href=\"https://ignored.test/\"><a href=\"page?x=1&amp;y=2\">p</a><a href=\"#top\">t</a>");

        Assert.Equal("https://base.test/dir/page?x=1&y=2", Assert.Single(scan.Links).Url);
    }

    [Theory]
    [InlineData("<a href=\"https://x.test/\"><b>Pay</b><i>Pal</i> &amp; co</a>", "PayPal & co")]
    [InlineData("<a href=\"https://x.test/\">one<a href=\"https://y.test/\">two</a>", "one")]
    [InlineData("<table><tr><td><a href=\"https://x.test/\">cell</td><td>next</td></tr></table>", "cell")]
    [InlineData("<a href=\"https://x.test/\"><table><tr><td>button</td></tr></table></a>", "button")]
    [InlineData("<p><a href=\"https://x.test/\">carried</p>on</a>", "carriedon")]
    [InlineData("<a href=\"https://x.test/\"><script>var s = 'hidden';</script>shown</a>", "shown")]
    [InlineData("<a href=\"https://x.test/\"><!-- hidden -->www&#46;bank&period;test</a>", "www.bank.test")]
    [InlineData("<a href=\"https://x.test/\">   </a>", null)]
    [InlineData("<a href=\"https://x.test/\">never closed", "never closed")]
    public void Scan_WhenAnchorTextIsSpreadOut_ReadsTheVisibleText(string html, string? expected)
    {
        var scan = HtmlScanner.Scan(html);

        Assert.Equal(expected, scan.Links[0].VisibleText);
    }

    [Fact]
    public void Scan_WhenLinksHideInCommentsScriptsAndTextareas_IgnoresThem()
    {
        var scan = HtmlScanner.Scan("<!-- <a href=\"https://c.test/\"> --><script>document.write('<a href=\"https://s.test/\">')</script><textarea><a href=\"https://t.test/\"></textarea><a href=\"https://real.test/\">r</a>");

        Assert.Equal("https://real.test/", Assert.Single(scan.Links).Url);
        Assert.True(scan.HasScript);
        Assert.True(scan.ReadTags);
    }

    [Fact]
    public void Scan_WhenRefreshPixelFrameAndArea_KeepsEach()
    {
        var scan = HtmlScanner.Scan("<meta http-equiv=\" Refresh \" content=\"0; url='https://r.test/'\"><img width=1px height=\"0\" src=\"https://p.test/t.gif\"><img width=100 height=1 src=\"https://big.test/i.gif\"><iframe src=\"https://f.test/\"><a href=https://no.test/></iframe><map><area href=\"https://a.test/\" alt=\" the  bank \"></map>");

        Assert.True(scan.HasMetaRefresh);
        Assert.Equal(
            [("https://r.test/", UrlSource.MetaRefresh, null), ("https://p.test/t.gif", UrlSource.TrackingPixel, null), ("https://f.test/", UrlSource.Frame, null), ("https://a.test/", UrlSource.Area, "the bank")],
            scan.Links.Select(l => (l.Url, l.Source, l.VisibleText)));
    }
}
