using System.Diagnostics;
using System.Text;
using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Tests.UrlTests;

public class UrlAnalyzerTests
{
    private static MessageAnalysis Html(string body, AnalysisSettings? settings = null) =>
        ContentMessages.Run(new UrlAnalyzer(), ContentMessages.Html(body), settings);

    private static MessageAnalysis Text(string body, AnalysisSettings? settings = null) =>
        ContentMessages.Run(new UrlAnalyzer(), ContentMessages.Text(body), settings);

    [Fact]
    public void Analyze_WhenAnchorTextNamesAnotherDomain_EmitsTextMismatch()
    {
        var result = Html("<p>Sign in: <a href=\"https://paypal.com.account-verify.test/signin\">https://www.paypal.com/signin</a></p>");

        Assert.Contains(UrlSignals.TextMismatch, result.Signals());
        var url = Assert.Single(result.Urls);
        Assert.Equal(UrlSource.Href, url.Source);
        Assert.Equal("https://www.paypal.com/signin", url.VisibleText);
        Assert.Equal("paypal.com.account-verify.test", url.Host);
    }

    [Theory]
    [InlineData("<a href=\"https://www.paypal.com/signin\">paypal.com</a>")]
    [InlineData("<a href=\"https://accounts.paypal.com/\">www.paypal.com</a>")]
    [InlineData("<a href=\"https://evil.test/\">Click here to verify</a>")]
    [InlineData("<a href=\"https://files.example.test/x\">invoice.pdf</a>")]
    public void Analyze_WhenTextMatchesOrIsNoDomain_NoTextMismatch(string html)
    {
        Assert.DoesNotContain(UrlSignals.TextMismatch, Html(html).Signals());
    }

    [Fact]
    public void Analyze_WhenSafeLinkWrapsMismatchedTarget_ComparesWithTarget()
    {
        var href = "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fmicrosoft-login.evil.test%2F&data=x";
        var result = Html($"<a href=\"{href}\">https://login.microsoftonline.com/</a>");

        var url = Assert.Single(result.Urls);
        Assert.Equal("microsoft-login.evil.test", url.Host);
        Assert.Equal("nam12.safelinks.protection.outlook.com", url.WrittenHost);
        Assert.Equal("https://microsoft-login.evil.test/", url.Unwrapped);
        Assert.Contains(UrlSignals.TextMismatch, result.Signals());
        Assert.Contains(UrlSignals.Wrapped, result.Signals());
    }

    [Fact]
    public void Analyze_WhenSafeLinkTargetMatchesText_NoTextMismatch()
    {
        var href = "https://nam12.safelinks.protection.outlook.com/?url=https%3A%2F%2Fwww.contoso.test%2F&data=x";

        Assert.DoesNotContain(UrlSignals.TextMismatch, Html($"<a href=\"{href}\">www.contoso.test</a>").Signals());
    }

    [Theory]
    [InlineData("http://198.51.100.7/office365/login.php", UrlSignals.IpLiteral)]
    [InlineData("http://3325256711/login", UrlSignals.IpLiteral)]
    [InlineData("https://xn--pypal-4ve.test/signin", UrlSignals.Punycode)]
    [InlineData("https://bit.ly/3xYzAbC", UrlSignals.Shortener)]
    [InlineData("https://surl.li/qwerty", UrlSignals.Shortener)]
    [InlineData("https://www.paypal.com@evil.test/signin", UrlSignals.UserInfo)]
    [InlineData("https://login.evil.test:8443/owa", UrlSignals.NonstandardPort)]
    [InlineData("https://protect-eu.mimecast.com/s/AbCdEfGh?domain=evil.test", UrlSignals.WrappedOpaque)]
    public void Analyze_WhenHostIsSuspect_EmitsSignal(string url, string signal)
    {
        Assert.Contains(signal, Text($"Please verify: {url}").Signals());
        Assert.Contains(signal, Html($"<a href=\"{url}\">Verify now</a>").Signals());
    }

    [Theory]
    [InlineData("https://evil.test/a")]
    [InlineData("https://www.contoso.test:443/a")]
    public void Analyze_WhenOrdinaryUrl_NoHostSignal(string url)
    {
        var signals = Text($"see {url}").Signals();

        Assert.Empty(signals);
    }

    [Fact]
    public void Analyze_WhenHostBlocked_EmitsBlockedHost()
    {
        var settings = AnalysisSettings.Default with { BlockedUrlHosts = ["evil.test"] };

        Assert.Contains(UrlSignals.BlockedHost, Text("go https://login.evil.test/x", settings).Signals());
        Assert.DoesNotContain(UrlSignals.BlockedHost, Text("go https://notevil.test/x", settings).Signals());
    }

    [Fact]
    public void Analyze_WhenFormAsksForPassword_EmitsCredentialForm()
    {
        var result = Html("""
            <form action="https://collect.evil.test/post.php" method="post">
              <input type="email" name="login"><input type="password" name="pw"><button>Sign in</button>
            </form>
            """);

        Assert.Contains(UrlSignals.CredentialForm, result.Signals());
        var form = Assert.Single(result.Urls, u => u.Source == UrlSource.Form);
        Assert.True(form.Flags.HasFlag(UrlFlags.CredentialForm));
    }

    [Fact]
    public void Analyze_WhenFormIsNewsletterSearch_NoCredentialForm()
    {
        var result = Html("<form action=\"https://shop.example.test/search\"><input type=\"text\" name=\"q\"></form>");

        Assert.DoesNotContain(UrlSignals.CredentialForm, result.Signals());
    }

    [Fact]
    public void Analyze_WhenMetaRefresh_EmitsMetaRefreshWithTarget()
    {
        var result = Html("<html><head><meta http-equiv=\"Refresh\" content=\"0; URL='https://login.evil.test/'\"></head><body>wait</body></html>");

        Assert.Contains(UrlSignals.MetaRefresh, result.Signals());
        Assert.Equal("https://login.evil.test/", Assert.Single(result.Urls).Url);
    }

    [Theory]
    [InlineData("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">Open document</a>", UrlSignals.DataUri)]
    [InlineData("<a href=\"javascript:window.location='https://evil.test/'\">Open</a>", UrlSignals.JavaScript)]
    [InlineData("<a href=\" java&#x09;script:alert(1)\">Open</a>", UrlSignals.JavaScript)]
    [InlineData("<p>hi</p><script>document.location='https://evil.test'</script>", UrlSignals.HtmlScript)]
    public void Analyze_WhenScriptingOrDataLinks_EmitsSignal(string html, string signal)
    {
        Assert.Contains(signal, Html(html).Signals());
    }

    [Fact]
    public void Analyze_WhenBaseHref_ResolvesRelativeLinks()
    {
        var result = Html("<html><head><base href=\"https://login.evil.test/portal/\"></head><body><a href=\"signin.php\">Sign in</a></body></html>");

        Assert.Equal("https://login.evil.test/portal/signin.php", Assert.Single(result.Urls).Url);
    }

    [Fact]
    public void Analyze_WhenRelativeLinkWithoutBase_Ignored()
    {
        Assert.Empty(Html("<a href=\"/local\">x</a><a href=\"#top\">top</a><a href=\"mailto:x@y.test\">mail</a>").Urls);
    }

    [Fact]
    public void Analyze_WhenAreaAndPixel_KeepsBoth()
    {
        var result = Html("<map><area href=\"https://evil.test/a\" alt=\"Pay\"></map><img src=\"https://track.evil.test/p.gif\" width=\"1\" height=\"1\"><img src=\"https://cdn.test/logo.png\" width=\"200\" height=\"50\">");

        Assert.Contains(result.Urls, u => u.Source == UrlSource.Area && u.Url == "https://evil.test/a");
        Assert.Contains(result.Urls, u => u.Source == UrlSource.TrackingPixel);
        Assert.DoesNotContain(result.Urls, u => u.Url.Contains("logo", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenTextAndHtmlAlternativesRepeatUrl_KeepsOnePerSource()
    {
        var mime = "From: a@example.test\nSubject: t\nContent-Type: multipart/alternative; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nhttps://evil.test/x https://evil.test/x\n--b\nContent-Type: text/html\n\n<a href=\"https://evil.test/x\">here</a><a href=\"https://evil.test/x\">here</a>\n--b--\n";

        var result = ContentMessages.Run(new UrlAnalyzer(), mime);

        Assert.Equal(2, result.Urls.Count);
    }

    [Fact]
    public void Analyze_WhenDefangedInText_EmitsDefanged()
    {
        var result = Text("Reported IOC: hxxps://evil[.]test/login");

        Assert.Contains(UrlSignals.Defanged, result.Signals());
        Assert.Equal("evil.test", Assert.Single(result.Urls).Host);
    }

    [Fact]
    public void Analyze_WhenHtmlHasNoLinkTags_StillFindsTextUrls()
    {
        var result = Html("<p>Visit https://evil.test/promo today</p>");

        Assert.Equal("https://evil.test/promo", Assert.Single(result.Urls).Url);
    }

    [Fact]
    public void Analyze_WhenAttachmentIsText_NotScannedAsBody()
    {
        var bytes = ContentMessages.WithAttachment("notes.txt", "text/plain", Encoding.UTF8.GetBytes("https://evil.test/in-attachment"));

        Assert.Empty(ContentMessages.Run(new UrlAnalyzer(), bytes).Urls);
    }

    [Fact]
    public void Analyze_WhenManyDistinctUrls_EmitsManyAndTruncated()
    {
        var links = string.Concat(Enumerable.Range(0, 800).Select(i => $"<a href=\"https://h{i}.evil.test/\">x</a>"));

        var result = Html(links);

        Assert.Equal(UrlCollector.MaxUrls, result.Urls.Count);
        Assert.Contains(UrlSignals.Many, result.Signals());
        Assert.Contains(UrlSignals.Truncated, result.Signals());
    }

    [Fact]
    public void Analyze_WhenFewUrls_NoMany()
    {
        Assert.DoesNotContain(UrlSignals.Many, Text("https://a.test/ https://b.test/").Signals());
    }

    [Fact]
    public void Analyze_WhenSignalRepeats_FindingsAreBounded()
    {
        var links = string.Concat(Enumerable.Range(0, 50).Select(i => $"<a href=\"http://198.51.100.{i}/\">x</a>"));

        var findings = Html(links).Findings.Count(f => f.Signal == UrlSignals.IpLiteral);

        Assert.Equal(UrlCollector.FindingsPerSignal + 1, findings);
    }

    [Fact]
    public void Analyze_WhenHtmlIs5MBWith100000Links_BoundedAndFast()
    {
        var builder = new StringBuilder("<html><body>");
        for (var i = 0; i < 100_000; i++)
        {
            builder.Append("<a href=\"https://h").Append(i).Append(".evil.test/x\">link</a>\n");
        }

        builder.Append("</body></html>");
        Assert.True(builder.Length > HtmlScanner.MaxDomChars);

        var watch = Stopwatch.StartNew();
        var result = Html(builder.ToString());
        watch.Stop();

        Assert.Equal(UrlCollector.MaxUrls, result.Urls.Count);
        Assert.Contains(UrlSignals.HtmlTooLarge, result.Signals());
        Assert.Contains(UrlSignals.Truncated, result.Signals());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
    }

    [Fact]
    public void Analyze_When1MBHtmlWith20000Links_UsesDomAndIsBounded()
    {
        var links = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"<a href=\"https://h{i}.evil.test/\">h{i}.evil.test</a>"));

        var result = Html(links);

        Assert.Equal(UrlCollector.MaxUrls, result.Urls.Count);
        Assert.DoesNotContain(UrlSignals.HtmlTooLarge, result.Signals());
    }

    [Fact]
    public void Analyze_WhenHtmlDeeplyNested_ScansAsTextQuickly()
    {
        var html = string.Concat(Enumerable.Repeat("<div>", 100_000)) + "<a href=\"https://evil.test/\">x</a>";

        var watch = Stopwatch.StartNew();
        var result = Html(html);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
        Assert.Contains(UrlSignals.HtmlTooDeep, result.Signals());
        Assert.Equal("https://evil.test/", Assert.Single(result.Urls).Url);
    }
}
