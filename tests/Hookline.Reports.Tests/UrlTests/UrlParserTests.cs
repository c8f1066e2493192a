using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Tests.UrlTests;

public class UrlParserTests
{
    [Theory]
    [InlineData("https://paypal.com@evil.test/login", "evil.test", "paypal.com")]
    [InlineData("https://user:pw@Evil.Test.:8443/x", "evil.test", "user:pw")]
    [InlineData("http:\\\\evil.test\\path", "evil.test", null)]
    [InlineData("https://%65vil.test/", "evil.test", null)]
    [InlineData("www.evil.test", "www.evil.test", null)]
    public void TryParse_WhenBrowserTolerantForms_FindsRealHost(string url, string host, string? userInfo)
    {
        Assert.True(UrlParser.TryParse(url, out var parts));
        Assert.Equal(host, parts.Host);
        Assert.Equal(userInfo, parts.UserInfo);
    }

    [Theory]
    [InlineData("http://198.51.100.7/")]
    [InlineData("http://3325256711/")]
    [InlineData("http://0xC6.0x33.0x64.0x07/")]
    [InlineData("http://0306.063.0144.07/")]
    [InlineData("http://[2001:db8::1]:8080/")]
    public void IsIpLiteral_WhenAnyIpNotation_True(string url)
    {
        Assert.True(UrlParser.TryParse(url, out var parts));
        Assert.True(parts.IsIpLiteral);
    }

    [Theory]
    [InlineData("http://1.evil.test/")]
    [InlineData("http://evil.123/")]
    public void IsIpLiteral_WhenNamedHost_False(string url)
    {
        Assert.True(UrlParser.TryParse(url, out var parts));
        Assert.False(parts.IsIpLiteral);
    }

    [Theory]
    [InlineData("mailto:a@b.test")]
    [InlineData("not a url")]
    [InlineData("https://")]
    [InlineData("")]
    public void TryParse_WhenNoHost_False(string url)
    {
        Assert.False(UrlParser.TryParse(url, out _));
    }
}
