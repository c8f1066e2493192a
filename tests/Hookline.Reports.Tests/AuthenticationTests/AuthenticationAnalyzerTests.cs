using System.Text;
using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Authentication;
using Hookline.Reports.Tests.DomainsTests;

namespace Hookline.Reports.Tests.AuthenticationTests;

public sealed class AuthenticationAnalyzerTests
{
    private const string ExchangeOnlineHeaders = """
        Authentication-Results: spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=evil.example; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=evil.example;compauth=fail reason=000
        Received-SPF: Fail (protection.outlook.com: domain of evil.example does not designate 203.0.113.9 as permitted sender) receiver=protection.outlook.com; client-ip=203.0.113.9; helo=mail.evil.example;
        X-MS-Exchange-Organization-SCL: 9
        X-MS-Exchange-Organization-AuthAs: Anonymous
        X-MS-Exchange-Organization-AuthSource: AM4PEPF00027A5F.eurprd04.prod.outlook.com
        X-Microsoft-Antispam: BCL:0;ARA:13230031|4636009;
        X-Forefront-Antispam-Report: CIP:203.0.113.9;CTRY:RU;LANG:en;SCL:9;SRV:;IPV:NLI;SFV:PHSH;H:mail.evil.example;PTR:InfoDomainNonexistent;CAT:PHISH;SFTY:9.25;SFS:(13230031)(4636009);DIR:INB;
        From: IT Desk <it@evil.example>
        Subject: Your mailbox is full

        """;

    [Fact]
    public void Analyze_WhenExchangeOnlineFailsEverything_SummarisesAndFlags()
    {
        var analysis = AnalysisHarness.Run(ExchangeOnlineHeaders);
        var auth = analysis.Authentication;

        Assert.Equal("fail", auth.Spf);
        Assert.Equal("none", auth.Dkim);
        Assert.Equal("fail", auth.Dmarc);
        Assert.Equal("fail", auth.Compauth);
        Assert.Equal("000", auth.CompauthReason);
        Assert.Equal("quarantine", auth.DmarcAction);
        Assert.Equal("evil.example", auth.SpfMailFrom);
        Assert.Equal("evil.example", auth.DmarcFrom);
        Assert.Equal(9, auth.Scl);
        Assert.Equal(0, auth.Bcl);
        Assert.Equal("Anonymous", auth.AuthAs);
        Assert.Equal("AM4PEPF00027A5F.eurprd04.prod.outlook.com", auth.AuthSource);
        Assert.Equal("RU", auth.Forefront!.Country);
        Assert.Equal("PHSH", auth.Forefront.Sfv);
        Assert.Equal("(13230031)(4636009)", auth.Forefront.Sfs);
        Assert.Equal(13, auth.Forefront.Pairs.Count);
        Assert.Null(auth.Results[0].AuthServId);
        Assert.Equal("sender IP is 203.0.113.9", auth.Results[0].Find("spf")!.Comment);

        var signals = analysis.Signals();
        foreach (var s in new[] { "auth.spf.fail", "auth.dkim.none", "auth.dmarc.fail", "auth.compauth.fail", "auth.forefront.phish", "auth.scl.high", "relay.origin-country" })
        {
            Assert.Contains(s, signals);
        }

        Assert.DoesNotContain("auth.none", signals);
        Assert.DoesNotContain("auth.untrusted-results-present", signals);
    }

    [Fact]
    public void Analyze_WhenTrustListNamesExchangeOnline_TrustsTopmostFieldWithoutId()
    {
        var settings = new AnalysisSettings { TrustedAuthServIds = [AuthenticationAnalyzer.ExchangeOnlineAuthServId] };
        var analysis = AnalysisHarness.Run(ExchangeOnlineHeaders, settings);

        Assert.True(analysis.Authentication.Results[0].IsTrusted);
        Assert.Equal("fail", analysis.Authentication.Spf);
    }

    [Fact]
    public void Analyze_WhenTrustListExcludesTheOnlyId_ReportsAuthNoneAndUntrusted()
    {
        var settings = new AnalysisSettings { TrustedAuthServIds = ["mx.contoso.com"] };
        var analysis = AnalysisHarness.Run("""
            Authentication-Results: mx.evil.example; spf=pass smtp.mailfrom=evil.example; dkim=pass header.d=evil.example; dmarc=pass header.from=evil.example
            From: a@evil.example

            """, settings);

        Assert.Null(analysis.Authentication.Spf);
        Assert.False(analysis.Authentication.Results[0].IsTrusted);
        Assert.Contains("auth.none", analysis.Signals());
        Assert.Contains("auth.untrusted-results-present", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenForgedPassSitsBelowTrustedFail_FlagsConflictAndKeepsTrustedVerdict()
    {
        var analysis = AnalysisHarness.Run("""
            Authentication-Results: mx.contoso.com; spf=fail smtp.mailfrom=paypal.com; dmarc=fail header.from=paypal.com
            Received: from mail.evil.example (mail.evil.example [203.0.113.9]) by mx.contoso.com (Postfix) with ESMTP id 1; Mon, 6 Jan 2025 10:00:05 +0000
            Authentication-Results: mx.contoso.com; spf=pass smtp.mailfrom=paypal.com; dmarc=pass header.from=paypal.com
            From: service@paypal.com

            """);

        Assert.Equal("fail", analysis.Authentication.Spf);
        Assert.Equal("fail", analysis.Authentication.Dmarc);
        Assert.False(analysis.Authentication.Results[1].IsTrusted);
        Assert.Contains("auth.untrusted-results-conflict", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenTrustedIdAppearsTwice_TopmostDecidesEachMethod()
    {
        var settings = new AnalysisSettings { TrustedAuthServIds = ["contoso.com"] };
        var analysis = AnalysisHarness.Run("""
            Authentication-Results: mx.contoso.com; spf=softfail smtp.mailfrom=x.example
            Authentication-Results: mx.contoso.com; spf=pass smtp.mailfrom=x.example; dkim=pass header.d=x.example
            From: a@x.example

            """, settings);

        Assert.Equal("softfail", analysis.Authentication.Spf);
        Assert.Equal("pass", analysis.Authentication.Dkim);
        Assert.Contains("auth.spf.softfail", analysis.Signals());
        Assert.Equal(["mx.contoso.com"], analysis.Authentication.TrustedAuthServIds);
    }

    [Fact]
    public void Analyze_WhenNoAuthenticationFields_ReportsAuthNone()
    {
        var analysis = AnalysisHarness.Run("From: a@b.example\nSubject: x\n");

        Assert.Contains("auth.none", analysis.Signals());
        Assert.Null(analysis.Authentication.Spf);
    }

    [Fact]
    public void Analyze_WhenOnlyReceivedSpf_UsesItForSpf()
    {
        var analysis = AnalysisHarness.Run("""
            Received-SPF: softfail (mybox.example.org: domain of transitioning myname@example.com does not designate 192.0.2.1 as permitted sender) receiver=mybox.example.org; client-ip=192.0.2.1; envelope-from="myname@example.com"; helo=foo.example.com;
            From: myname@example.com

            """);

        Assert.Equal("softfail", analysis.Authentication.Spf);
        Assert.Equal("Received-SPF", analysis.Authentication.SpfSource);
        Assert.Equal("myname@example.com", analysis.Authentication.SpfMailFrom);
        Assert.Contains("auth.spf.softfail", analysis.Signals());
        Assert.DoesNotContain("auth.none", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenGmailResultsWithArc_ReadsBothAndTrustsOnlyAuthenticationResults()
    {
        var analysis = AnalysisHarness.Run("""
            ARC-Authentication-Results: i=1; mx.google.com;
                   dkim=pass header.i=@example.com header.s=s1 header.b=AbCdEf12;
                   spf=pass (google.com: domain of a@example.com designates 198.51.100.7 as permitted sender) smtp.mailfrom=a@example.com;
                   dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com
            Authentication-Results: mx.google.com;
                   dkim=pass header.i=@example.com header.s=s1 header.b=AbCdEf12;
                   spf=pass (google.com: domain of a@example.com designates 198.51.100.7 as permitted sender) smtp.mailfrom=a@example.com;
                   dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=example.com
            From: a@example.com

            """);

        var arc = Assert.Single(analysis.Authentication.ArcResults);
        Assert.Equal(1, arc.ArcInstance);
        Assert.Equal("mx.google.com", arc.AuthServId);
        Assert.False(arc.IsTrusted);
        Assert.Equal(3, arc.Results.Count);
        Assert.Equal("pass", analysis.Authentication.Dmarc);
        Assert.Equal("@example.com", analysis.Authentication.DkimDomain);
        Assert.DoesNotContain(analysis.Findings, f => f.Signal.StartsWith("auth.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SFV:SPM;CAT:SPM;", "auth.forefront.spam")]
    [InlineData("SFV:NSPM;CAT:SPOOF;", "auth.forefront.spoof")]
    [InlineData("SFV:NSPM;CAT:BULK;", "auth.forefront.bulk")]
    [InlineData("SFV:NSPM;CAT:HPHISH;", "auth.forefront.phish")]
    [InlineData("SFV:BLK;", "auth.forefront.blocked")]
    [InlineData("SFV:SKN;", "auth.forefront.filter-skipped")]
    [InlineData("SFV:NSPM;CAT:MALW;", "auth.forefront.malware")]
    [InlineData("SFV:NSPM;CAT:GIMP;", "auth.forefront.impersonation")]
    public void Analyze_WhenForefrontVerdict_EmitsSignal(string pairs, string signal)
    {
        var analysis = AnalysisHarness.Run($"X-Forefront-Antispam-Report: CIP:2a01:111:f400::1;CTRY:US;{pairs}\nFrom: a@b.example\n");

        Assert.Contains(signal, analysis.Signals());
        Assert.Equal("2a01:111:f400::1", analysis.Authentication.Forefront!.Cip);
    }

    [Fact]
    public void Analyze_WhenBulkComplaintLevelHigh_EmitsBclHigh()
    {
        var analysis = AnalysisHarness.Run("X-Microsoft-Antispam: BCL:8;\nFrom: a@b.example\n");

        Assert.Equal(8, analysis.Authentication.Bcl);
        Assert.Contains("auth.bcl.high", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenHundredThousandResultsInOneField_KeepsABoundedNumber()
    {
        var sb = new StringBuilder("Authentication-Results: mx.contoso.com");
        for (var i = 0; i < 100_000; i++)
        {
            sb.Append(";\r\n spf=pass");
        }

        var analysis = AnalysisHarness.Run(sb.Append("\r\nFrom: a@b.example\r\n").ToString());

        var field = Assert.Single(analysis.Authentication.Results);
        Assert.Equal(AuthenticationParser.MaxResultsPerField, field.Results.Count);
        Assert.True(field.IsTruncated);
    }

    [Fact]
    public void Analyze_WhenManyFieldsAndMegabyteComment_StaysBounded()
    {
        var sb = new StringBuilder();
        sb.Append("Authentication-Results: mx.contoso.com; spf=fail (").Append('x', 1_000_000).Append("\r\n");
        for (var i = 0; i < 2_000; i++)
        {
            sb.Append("Authentication-Results: forged.example; spf=pass\r\n");
        }

        var analysis = AnalysisHarness.Run(sb.Append("From: a@b.example\r\n").ToString());

        Assert.Equal(AuthenticationAnalyzer.MaxFields, analysis.Authentication.Results.Count);
        Assert.Equal(2_001, analysis.Authentication.ResultFieldCount);
        Assert.Equal("fail", analysis.Authentication.Spf);
        Assert.True(analysis.Authentication.Results[0].Find("spf")!.Comment!.Length <= AuthenticationParser.MaxTextLength);
    }
}
