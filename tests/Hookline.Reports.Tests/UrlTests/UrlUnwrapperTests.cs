using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Tests.UrlTests;

public class UrlUnwrapperTests
{
    [Theory]
    [InlineData("https://eur02.safelinks.protection.outlook.com/?url=https%3A%2F%2Flogin.evil.test%2Fowa%3Fa%3D1&data=05%7C01&reserved=0", "https://login.evil.test/owa?a=1")]
    [InlineData("https://urldefense.proofpoint.com/v2/url?u=https-3A__login.evil.test_owa-3Fa-3D1&d=DwMF&c=x", "https://login.evil.test/owa?a=1")]
    [InlineData("https://urldefense.com/v3/__https://login.evil.test/owa__;!!Abc!def$", "https://login.evil.test/owa")]
    [InlineData("https://www.google.com/url?q=https://login.evil.test/&sa=D", "https://login.evil.test/")]
    [InlineData("https://www.google.co.uk/url?sa=t&url=https%3A%2F%2Flogin.evil.test%2F", "https://login.evil.test/")]
    [InlineData("https://www.bing.com/ck/a?!&&p=3f1e&ptn=3&hsh=3&u=a1aHR0cHM6Ly9sb2dpbi5ldmlsLnRlc3Qvb3dh&ntb=1", "https://login.evil.test/owa")]
    [InlineData("https://mobile.mail.yahoo.example/apps/affiliateRouter?brandUrl=https://login.evil.test/owa&appName=x", "https://login.evil.test/owa")]
    [InlineData("https://news.northwind-traders.com/click?id=7&redirect=https%3A%2F%2Flogin.evil.test%2Fowa", "https://login.evil.test/owa")]
    public void Unwrap_WhenRewriter_ReturnsTarget(string url, string target)
    {
        Assert.Equal(target, UrlUnwrapper.Unwrap(url).Target);
    }

    [Theory]
    [InlineData("https://shop.northwind-traders.com/login?next=/account/orders")]
    [InlineData("https://shop.northwind-traders.com/login?next=https://shop.northwind-traders.com/orders")]
    [InlineData("https://shop.northwind-traders.com/search?q=https")]
    [InlineData("https://shop.northwind-traders.com/page?ref=https://login.evil.test/")]
    public void Unwrap_WhenNoRedirectParameterNamesAnotherHost_IsNotWrapped(string url)
    {
        Assert.Null(UrlUnwrapper.Unwrap(url).Target);
    }

    [Fact]
    public void Unwrap_WhenProofpointV3WithReplacedCharacters_RestoresThem()
    {
        // "?" and "=" were replaced by '*' and given base64url-encoded after "__;": "Pz0" is "?=".
        var url = "https://urldefense.com/v3/__https://login.evil.test/owa*a*1__;Pz0!!Abc!def$";

        Assert.Equal("https://login.evil.test/owa?a=1", UrlUnwrapper.Unwrap(url).Target);
    }

    [Fact]
    public void Unwrap_WhenNested_OpensEveryLayer()
    {
        var inner = "https://urldefense.proofpoint.com/v2/url?u=https-3A__login.evil.test_owa&d=x";
        var url = "https://nam12.safelinks.protection.outlook.com/?url=" + Uri.EscapeDataString(inner) + "&data=x";

        var result = UrlUnwrapper.Unwrap(url);

        Assert.Equal("https://login.evil.test/owa", result.Target);
        Assert.Equal(2, result.Layers);
    }

    [Fact]
    public void Unwrap_WhenMimecast_ReportsOpaque()
    {
        var result = UrlUnwrapper.Unwrap("https://protect-eu.mimecast.com/s/AbCdEfGhIjKlMn?domain=evil.test");

        Assert.True(result.Opaque);
        Assert.Null(result.Target);
    }

    [Fact]
    public void Unwrap_WhenSelfReferencingLoop_Stops()
    {
        var url = "https://www.google.com/url?q=https://www.google.com/url?q%3Dhttps://www.google.com/url";

        var result = UrlUnwrapper.Unwrap(url);

        Assert.True(result.Layers <= UrlUnwrapper.MaxLayers);
    }

    [Theory]
    [InlineData("https://www.google.com/search?q=https://evil.test/")]
    [InlineData("https://evil.test/url?q=https://other.test/")]
    public void Unwrap_WhenNotRewriter_ReturnsNull(string url)
    {
        Assert.Null(UrlUnwrapper.Unwrap(url).Target);
    }
}
