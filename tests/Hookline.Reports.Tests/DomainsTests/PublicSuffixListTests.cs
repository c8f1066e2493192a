using Hookline.Reports.Analysis.Domains;

namespace Hookline.Reports.Tests.DomainsTests;

public sealed class PublicSuffixListTests
{
    private const string Rules = """
        // ===BEGIN ICANN DOMAINS===
        com
        uk
        co.uk
        jp
        *.kawasaki.jp
        !city.kawasaki.jp
        *.ck
        !www.ck
        公司.cn
        cn
        // ===END ICANN DOMAINS===
        // ===BEGIN PRIVATE DOMAINS===
        github.io
        // ===END PRIVATE DOMAINS===
        """;

    private static readonly PublicSuffixList List = PublicSuffixList.Parse(Rules);

    [Theory]
    [InlineData("login.evil.co.uk", "evil.co.uk")]
    [InlineData("EVIL.CO.UK.", "evil.co.uk")]
    [InlineData("a.b.example.com", "example.com")]
    [InlineData("x.y.kawasaki.jp", "x.y.kawasaki.jp")]
    [InlineData("a.city.kawasaki.jp", "city.kawasaki.jp")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("a.b.ck", "a.b.ck")]
    [InlineData("me.github.io", "me.github.io")]
    [InlineData("a.shop.公司.cn", "shop.公司.cn")]
    [InlineData("a.shop.xn--55qx5d.cn", "shop.xn--55qx5d.cn")]
    [InlineData("host.unlisted", "host.unlisted")]
    public void GetRegistrableDomain_WhenRulesMatch_FollowsTheAlgorithm(string host, string expected)
    {
        Assert.Equal(expected, List.GetRegistrableDomain(host));
    }

    [Theory]
    [InlineData("co.uk")]
    [InlineData("y.kawasaki.jp")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("192.0.2.1")]
    [InlineData("[192.0.2.1]")]
    [InlineData("a..b.com")]
    [InlineData("bad host.com")]
    public void GetRegistrableDomain_WhenSuffixOrInvalid_ReturnsNull(string? host)
    {
        Assert.Null(List.GetRegistrableDomain(host));
    }

    [Fact]
    public void IsPrivateSuffix_WhenPrivateSection_ReturnsTrue()
    {
        Assert.True(List.IsPrivateSuffix("me.github.io"));
        Assert.False(List.IsPrivateSuffix("me.co.uk"));
    }

    [Fact]
    public void Default_WhenSystemFileExists_ReadsItOnce()
    {
        var list = PublicSuffixList.Default;

        Assert.Same(list, PublicSuffixList.Default);
        Assert.Equal(File.Exists(PublicSuffixList.SystemPath), !list.IsFallback);
        Assert.Equal("evil.co.uk", list.GetRegistrableDomain("a.evil.co.uk"));
        Assert.Equal("evil.com.au", list.GetRegistrableDomain("a.evil.com.au"));
    }

    [Fact]
    public void Load_WhenFileMissing_FallsBackAndSaysSo()
    {
        var list = PublicSuffixList.Load("/nonexistent/public_suffix_list.dat");

        Assert.True(list.IsFallback);
        Assert.Contains("built-in", list.Source, StringComparison.Ordinal);
        Assert.Equal("evil.co.uk", list.GetRegistrableDomain("www.evil.co.uk"));
    }

    [Fact]
    public void GetRegistrableDomain_WhenCalledFromManyThreads_AgreesEverywhere()
    {
        var results = new string?[64];
        Parallel.For(0, results.Length, i => results[i] = PublicSuffixList.Default.GetRegistrableDomain($"h{i}.evil.co.uk"));

        Assert.All(results, r => Assert.Equal("evil.co.uk", r));
    }
}
