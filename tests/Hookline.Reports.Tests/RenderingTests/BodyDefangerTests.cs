using Hookline.Reports.Analysis.Urls;
using Hookline.Reports.Rendering;

namespace Hookline.Reports.Tests.RenderingTests;

public class BodyDefangerTests
{
    private const string Prefix = "<!doctype html><style>" + BodyDefanger.Style + "</style>";

    private static string Body(string html, Func<string, string?>? images = null)
    {
        var output = BodyDefanger.Render(html, images);
        Assert.StartsWith(Prefix, output, StringComparison.Ordinal);
        return output[Prefix.Length..];
    }

    [Fact]
    public void Render_WhenLink_KeepsTextAndShowsTargetWithoutHref()
    {
        Assert.Equal(
            "<a class=\"btn\" data-hookline-href=\"https://evil.example/x?a=1&amp;b=2\" title=\"https://evil.example/x?a=1&amp;b=2\">Sign in</a>",
            Body("<A class=btn HREF='https://evil.example/x?a=1&amp;b=2' target=_blank ping=https://t.example/ onclick=\"go()\">Sign in</a>"));
    }

    [Fact]
    public void Render_WhenLinkHasItsOwnTitle_TheTitleIsTheTarget()
    {
        Assert.Equal(
            "<a data-hookline-href=\"https://evil.example/\" title=\"https://evil.example/\">x</a>",
            Body("<a title=\"https://microsoft.com/\" href=\"https://evil.example/\" title=x>x</a>"));
    }

    [Theory]
    [InlineData("<a href=\"https://first.example/\" href=\"https://second.example/\">", "<a data-hookline-href=\"https://first.example/\" title=\"https://first.example/\">")]
    [InlineData("<a href=\"#top\">", "<a data-hookline-href=\"#top\" title=\"#top\">")]
    [InlineData("<a href=\"javascript:alert(1)\">", "<a data-hookline-href=\"javascript:alert(1)\" title=\"javascript:alert(1)\">")]
    [InlineData("<area shape=rect href=https://evil.example/>", "<area shape=\"rect\" data-hookline-href=\"https://evil.example/\" title=\"https://evil.example/\">")]
    [InlineData("<svg><a xlink:href=\"https://evil.example/\"><text>t</text></a></svg>", "<svg><a data-hookline-href=\"https://evil.example/\" title=\"https://evil.example/\"><text>t</text></a></svg>")]
    [InlineData("<svg><use href=\"https://evil.example/s.svg#a\"/></svg>", "<svg><use data-hookline-href=\"https://evil.example/s.svg#a\" /></svg>")]
    [InlineData("<a name=top>anchor</a>", "<a name=\"top\">anchor</a>")]
    public void Render_WhenLinkLike_NoHrefRemains(string html, string expected)
    {
        Assert.Equal(expected, Body(html));
    }

    [Fact]
    public void Render_WhenForm_ActionsAreShownNotKept()
    {
        Assert.Equal(
            "<form method=\"post\" data-hookline-action=\"https://evil.example/steal\" title=\"Sends to https://evil.example/steal\"><input name=\"password\" type=\"password\" autofocus=\"\">"
            + "<button data-hookline-action=\"https://evil.example/other\" title=\"Sends to https://evil.example/other\">Go</button></form>",
            Body("<form method=post action=\"https://evil.example/steal\" title=\"Secure form\" target=x><input name=password type=password autofocus onfocus=x()>"
                + "<button formaction=\"https://evil.example/other\" formtarget=_top>Go</button></form>"));
    }

    [Theory]
    [InlineData("<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"><p>x</p>", "<p>x</p>")]
    [InlineData("<base href=\"https://evil.example/\"><p>x</p>", "<p>x</p>")]
    [InlineData("<link rel=stylesheet href=\"https://evil.example/s.css\"><p>x</p>", "<p>x</p>")]
    [InlineData("<link rel=prefetch href=\"https://evil.example/\"><p>x</p>", "<p>x</p>")]
    [InlineData("<script src=\"https://evil.example/s.js\">alert('<p>')</script><p>x</p>", "<p>x</p>")]
    [InlineData("<iframe src=\"https://evil.example/\"><p>inside</p></iframe><p>x</p>", "<p>x</p>")]
    [InlineData("<object data=\"https://evil.example/o.swf\"><embed src=\"https://evil.example/e.swf\"><p>x</p></object>", "<p>x</p>")]
    [InlineData("<svg><a><set attributeName=href to=\"https://evil.example/\"/><animate attributeName=href values=\"https://evil.example/\"/>t</a></svg>", "<svg><a>t</a></svg>")]
    [InlineData("<!-- <a href=\"https://evil.example/\"> --><!DOCTYPE html><p>x</p>", "<p>x</p>")]
    public void Render_WhenElementNavigatesOrLoads_ItIsDropped(string html, string expected)
    {
        Assert.Equal(expected, Body(html));
    }

    [Theory]
    [InlineData("<img src=\"https://evil.example/p.png\" alt=pixel width=1>", "<img data-hookline-src=\"https://evil.example/p.png\" alt=\"pixel\" width=\"1\">")]
    [InlineData("<img srcset=\"https://evil.example/2x.png 2x\" src=\"data:image/png;base64,AAAA\">", "<img src=\"data:image/png;base64,AAAA\">")]
    [InlineData("<img src=\"data:image/svg+xml;base64,AAAA\">", "<img data-hookline-src=\"data:image/svg+xml;base64,AAAA\">")]
    [InlineData("<body background=\"https://evil.example/bg.png\" bgcolor=white>", "<body bgcolor=\"white\">")]
    [InlineData("<video poster=\"https://evil.example/p.png\" src=\"https://evil.example/v.mp4\"></video>", "<video data-hookline-src=\"https://evil.example/v.mp4\"></video>")]
    [InlineData("<input type=image src=\"https://evil.example/b.png\">", "<input type=\"image\" data-hookline-src=\"https://evil.example/b.png\">")]
    [InlineData("<blockquote cite=\"https://evil.example/\">q</blockquote>", "<blockquote>q</blockquote>")]
    public void Render_WhenRemoteSource_ItIsNotKept(string html, string expected)
    {
        Assert.Equal(expected, Body(html));
    }

    [Fact]
    public void Render_WhenCidImage_TheResolverSuppliesIt()
    {
        var asked = new List<string>();
        string? Images(string id)
        {
            asked.Add(id);
            return id == "logo@x" ? "data:image/png;base64,iVBORw0KGgo=" : null;
        }

        Assert.Equal(
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"Logo\"><img data-hookline-src=\"cid:missing@x\">",
            Body("<img src=\"CID:%3Clogo@x%3E\" alt=Logo><img src=\"cid:missing@x\">", Images));
        Assert.Equal(["logo@x", "missing@x"], asked);
        Assert.Equal("<img data-hookline-src=\"cid:logo@x\">", Body("<img src=\"cid:logo@x\">"));
    }

    [Theory]
    [InlineData("<p>Open sesame &lt;b&gt;not bold&lt;/b&gt; &copy; &amp; 1 < 2</p>", "<p>Open sesame &lt;b&gt;not bold&lt;/b&gt; \u00A9 &amp; 1 &lt; 2</p>")]
    [InlineData("<title>a <a href=x> b</title>", "<title>a &lt;a href=x&gt; b</title>")]
    [InlineData("<textarea><a href=\"https://evil.example/\">x</a></textarea>", "<textarea>&lt;a href=&quot;https://evil.example/&quot;&gt;x&lt;/a&gt;</textarea>")]
    [InlineData("<xmp><a href=\"https://evil.example/\">x</a></xmp>", "<pre>&lt;a href=&quot;https://evil.example/&quot;&gt;x&lt;/a&gt;</pre>")]
    [InlineData("<plaintext><a href=x>", "<pre>&lt;a href=x&gt;")]
    [InlineData("<o:p>&nbsp;</o:p>", "<o:p>\u00A0</o:p>")]
    [InlineData("<p\"x=y>t</p>", "t</p>")]
    [InlineData("<p x\"y=z data-hookline-href=\"https://evil.example/\" data-x=1>t", "<p data-x=\"1\">t")]
    [InlineData("<br/><svg><path d=\"M0 0\"/></svg>", "<br /><svg><path d=\"M0 0\" /></svg>")]
    public void Render_WhenText_ItIsReEncoded(string html, string expected)
    {
        Assert.Equal(expected, Body(html));
    }

    [Fact]
    public void Render_WhenStyle_MarkupCannotEscapeIt()
    {
        // In SVG a browser reads style as markup, not raw text: no '<' may survive in it.
        Assert.Equal(
            "<svg><style>p{color:red} \\3c a href=\"https://evil.example/\">x\\3c /a></style></svg>",
            Body("<svg><style>p{color:red} <a href=\"https://evil.example/\">x</a></style></svg>"));
        Assert.Equal("<p style=\"color:red;background:url(&quot;https://evil.example/&quot;)\">x</p>", Body("<p style='color:red;background:url(\"https://evil.example/\")'>x</p>"));
    }

    [Fact]
    public void Render_WhenReadAgain_NoLinkOrSourceIsLeft()
    {
        const string html = """
            <html><head><meta http-equiv=refresh content="1;url=https://evil.example/r"><base href="https://evil.example/"></head>
            <body background="https://evil.example/bg"><a href="https://evil.example/x">x</a><A HREF=//evil.example/y>y</A>
            <form action="https://evil.example/f"><input formaction="https://evil.example/g" type=submit></form>
            <img src="https://evil.example/i" srcset="https://evil.example/j 2x"><svg><a xlink:href="https://evil.example/s">s</a><image href="https://evil.example/k"/></svg>
            <math><mi href="https://evil.example/m">m</mi></math><video poster="https://evil.example/p"><source src="https://evil.example/v"></video>
            </body></html>
            """;
        var tokens = new HtmlTokenizer(BodyDefanger.Render(html));
        var seen = new List<string>();
        while (tokens.Next())
        {
            if (tokens.Kind != HtmlTokenKind.StartTag)
            {
                continue;
            }

            seen.Add(tokens.Name.ToString());
            foreach (var attribute in new[] { "href", "xlink:href", "src", "srcset", "action", "formaction", "background", "poster", "http-equiv" })
            {
                Assert.False(tokens.HasAttribute(attribute), $"<{tokens.Name}> keeps {attribute}");
            }
        }

        Assert.DoesNotContain("meta", seen);
        Assert.DoesNotContain("base", seen);
        Assert.Contains("form", seen);
        Assert.Equal(3, seen.Count(n => n == "a"));
    }
}
