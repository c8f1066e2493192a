using System.Net;
using Hookline.Reports.Analysis.Domains;

namespace Hookline.Reports.Tests.DomainsTests;

public sealed class LookalikesTests
{
    [Theory]
    [InlineData("pаypal", "paypal")] // Cyrillic а
    [InlineData("rnicrosoft", "microsoft")]
    [InlineData("vvellsfargo", "wellsfargo")]
    [InlineData("g00gle", "google")]
    [InlineData("paypa1", "paypal")]
    [InlineData("αpple", "apple")] // Greek alpha
    public void Skeleton_WhenConfusable_MatchesOriginal(string lookalike, string original)
    {
        Assert.Equal(Lookalikes.Skeleton(original), Lookalikes.Skeleton(lookalike));
    }

    [Theory]
    [InlineData("contoso", "contoso", 0)]
    [InlineData("contoso", "contosso", 1)]
    [InlineData("contoso", "cnotoso", 1)]
    [InlineData("contoso", "kontozo", 2)]
    [InlineData("contoso", "fabrikam", 3)]
    public void EditDistance_WhenStringsDiffer_CountsEditsUpToMax(string a, string b, int expected)
    {
        Assert.Equal(expected, Lookalikes.EditDistance(a, b, 2));
    }

    [Fact]
    public void Find_WhenProtectedDomainIsEmbedded_ReportsEmbedded()
    {
        var labels = Lookalikes.Find("paypal.com.secure-login.example", ["paypal.com"]);
        var hyphen = Lookalikes.Find("paypal-verify.example", ["paypal.com"]);
        var subdomainOnly = Lookalikes.Find("paypal.shop.example", ["paypal.com"]);

        Assert.Equal(LookalikeKind.Embedded, labels!.Kind);
        Assert.Equal(LookalikeKind.Embedded, hyphen!.Kind);
        Assert.Null(subdomainOnly);
    }

    [Fact]
    public void Find_WhenShortBrandOneEditAway_DoesNotMatch()
    {
        Assert.Null(Lookalikes.Find("email.com", ["gmail.com"]));
        Assert.Equal(LookalikeKind.Confusable, Lookalikes.Find("gmaii.com", ["gmail.com"])!.Kind);
    }

    [Fact]
    public void Find_WhenHostMalformedOrHuge_ReturnsNull()
    {
        Assert.Null(Lookalikes.Find(new string('a', 100_000) + ".com", ["contoso.com"]));
        Assert.Null(Lookalikes.Find("", ["contoso.com"]));
        Assert.Null(Lookalikes.Find("[203.0.113.9]", ["contoso.com"]));
    }

    [Theory]
    [InlineData("192.0.2.1", true)]
    [InlineData("[192.0.2.1]", true)]
    [InlineData("IPv6:2001:db8::1", true)]
    [InlineData("8.11.6", false)]
    [InlineData("1.2.3.256", false)]
    [InlineData("15.20.7472.7", false)]
    [InlineData("a:b", false)]
    public void TryParseIp_WhenText_IsStrict(string text, bool expected)
    {
        Assert.Equal(expected, DomainNames.TryParseIp(text, out _));
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("203.0.113.9", false)]
    [InlineData("2a01:111:f400::1", false)]
    public void IsPrivateOrLocal_WhenAddress_Classifies(string ip, bool expected)
    {
        Assert.Equal(expected, DomainNames.IsPrivateOrLocal(IPAddress.Parse(ip)));
    }

    [Fact]
    public void IsSameOrSubdomain_WhenSuffixIsNotALabelBoundary_ReturnsFalse()
    {
        Assert.True(DomainNames.IsSameOrSubdomain("A.Contoso.com.", "contoso.com"));
        Assert.False(DomainNames.IsSameOrSubdomain("notcontoso.com", "contoso.com"));
    }
}
