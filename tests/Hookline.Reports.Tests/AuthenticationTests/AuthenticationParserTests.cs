using Hookline.Reports.Analysis.Authentication;

namespace Hookline.Reports.Tests.AuthenticationTests;

public sealed class AuthenticationParserTests
{
    [Fact]
    public void ParseAuthenticationResults_WhenRfc8601NoResult_IsNone()
    {
        // RFC 8601 Appendix B.2.
        var r = AuthenticationParser.ParseAuthenticationResults("example.org 1; none");

        Assert.Equal("example.org", r.AuthServId);
        Assert.Equal("1", r.Version);
        Assert.True(r.IsNone);
        Assert.Empty(r.Results);
    }

    [Fact]
    public void ParseAuthenticationResults_WhenRfc8601SmtpAuth_ReadsProperty()
    {
        // RFC 8601 Appendix B.4.
        var r = AuthenticationParser.ParseAuthenticationResults("example.com; auth=pass (cram-md5) smtp.auth=sender@example.net; spf=pass smtp.mailfrom=example.net");

        Assert.Equal(2, r.Results.Count);
        Assert.Equal("auth", r.Results[0].Method);
        Assert.Equal("cram-md5", r.Results[0].Comment);
        Assert.Equal("sender@example.net", r.Results[0].Property("smtp.auth"));
        Assert.Equal("example.net", r.Results[1].Property("smtp.mailfrom"));
    }

    [Fact]
    public void ParseAuthenticationResults_WhenRfc8601CommentsEverywhere_ReadsThrough()
    {
        // RFC 8601 Appendix B.5 (comments and CFWS between every token).
        var r = AuthenticationParser.ParseAuthenticationResults("""
            example.com;
                      dkim=pass (good signature) header.d=mail-router.example.net;
                      dkim=fail (bad signature) header.d=newyork.example.com
            """);

        Assert.Equal(2, r.Results.Count);
        Assert.Equal("fail", r.Results[1].Result);
        Assert.Equal("bad signature", r.Results[1].Comment);
        Assert.Equal("newyork.example.com", r.Results[1].Property("header.d"));
    }

    [Fact]
    public void ParseAuthenticationResults_WhenMethodVersionReasonAndQuotedValue_ReadsEach()
    {
        var r = AuthenticationParser.ParseAuthenticationResults("mx.example (comment) 1 ; dkim/1 = fail reason=\"signature ; did not verify\" header.d = example.com header.b=AbC+/x=");

        var dkim = Assert.Single(r.Results);
        Assert.Equal("dkim", dkim.Method);
        Assert.Equal("1", dkim.MethodVersion);
        Assert.Equal("signature ; did not verify", dkim.Reason);
        Assert.Equal("example.com", dkim.Property("header.d"));
        Assert.Equal("AbC+/x=", dkim.Property("header.b"));
    }

    [Fact]
    public void ParseAuthenticationResults_WhenMethodsLackSemicolons_SplitsKnownMethods()
    {
        var r = AuthenticationParser.ParseAuthenticationResults("mx.example; spf=pass dkim=fail dmarc=none");

        Assert.Equal(["spf", "dkim", "dmarc"], r.Results.Select(x => x.Method));
    }

    [Theory]
    [InlineData("mx.example; spf=pass (unclosed comment smtp.mailfrom=x")]
    [InlineData("mx.example; spf=\"unclosed")]
    [InlineData(";;;===((()))\"")]
    [InlineData("")]
    [InlineData("=")]
    [InlineData("mx.example; =pass; spf=; dkim")]
    public void ParseAuthenticationResults_WhenMalformed_DoesNotThrow(string value)
    {
        var r = AuthenticationParser.ParseAuthenticationResults(value);

        Assert.True(r.Results.Count <= 2);
    }

    [Fact]
    public void ParseReceivedSpf_WhenRfc7208Example_ReadsResultCommentAndPairs()
    {
        // RFC 7208 section 9.1.
        var spf = AuthenticationParser.ParseReceivedSpf("pass (mybox.example.org: domain of myname@example.com designates 192.0.2.1 as permitted sender) receiver=mybox.example.org; client-ip=192.0.2.1; envelope-from=\"myname@example.com\"; helo=foo.example.com;");

        Assert.NotNull(spf);
        Assert.Equal("pass", spf.Result);
        Assert.StartsWith("mybox.example.org:", spf.Comment, StringComparison.Ordinal);
        Assert.Equal("192.0.2.1", spf.Get("client-ip"));
        Assert.Equal("myname@example.com", spf.Get("envelope-from"));
        Assert.Equal("foo.example.com", spf.Get("helo"));
    }

    [Fact]
    public void ParsePairs_WhenPairsAreMany_KeepsBoundedNumber()
    {
        var report = AuthenticationParser.ParsePairs(string.Concat(Enumerable.Repeat("K:v;", 10_000)));

        Assert.Equal(AuthenticationParser.MaxPairs, report.Pairs.Count);
    }
}
