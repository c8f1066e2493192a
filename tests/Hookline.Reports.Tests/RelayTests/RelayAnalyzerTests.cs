using System.Text;
using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Relay;
using Hookline.Reports.Tests.DomainsTests;

namespace Hookline.Reports.Tests.RelayTests;

public sealed class RelayAnalyzerTests
{
    private const string ExchangeOnlinePath = """
        Received: from AM0PR01MB5678.eurprd01.prod.exchangelabs.com (2603:10a6:208:ac::12) by AM0PR01MB9999.eurprd01.prod.exchangelabs.com with HTTPS; Mon, 6 Jan 2025 10:00:09 +0000
        Received: from AM6PR0502CA0051.eurprd05.prod.outlook.com (2603:10a6:20b:56::28) by AM0PR01MB5678.eurprd01.prod.exchangelabs.com (2603:10a6:208:ac::12) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7472.7; Mon, 6 Jan 2025 10:00:08 +0000
        Received: from mail.evil.example (203.0.113.9) by AM4PEPF00027A5F.mail.protection.outlook.com (10.167.16.73) with Microsoft SMTP Server id 15.20.7472.7 via Frontend Transport; Mon, 6 Jan 2025 10:00:03 +0000
        Received: from [192.168.1.20] (unknown [198.51.100.77]) by mail.evil.example (Postfix) with ESMTPSA id 9F1; Mon, 6 Jan 2025 09:59:58 +0000
        X-Forefront-Antispam-Report: CIP:203.0.113.9;CTRY:RU;SFV:SPM;
        From: a@evil.example

        """;

    [Fact]
    public void Analyze_WhenExchangeOnlinePath_FindsFirstExternalHopAndDelays()
    {
        var analysis = AnalysisHarness.Run(ExchangeOnlinePath);

        Assert.Equal(4, analysis.Received.Count);
        var first = analysis.FirstExternalHop;
        Assert.NotNull(first);
        Assert.Equal(2, first.Index);
        Assert.Equal("203.0.113.9", first.Ip);
        Assert.Equal("RU", first.Country);
        Assert.Equal(TimeSpan.FromSeconds(5), first.DelayFromPrevious);
        Assert.Equal(TimeSpan.FromSeconds(1), analysis.Received[0].DelayFromPrevious);
        Assert.Null(analysis.Received[3].DelayFromPrevious);
        Assert.Contains("relay.origin-country", analysis.Signals());
        Assert.DoesNotContain("relay.private-ip-origin", analysis.Signals());
        Assert.DoesNotContain("relay.date-out-of-order", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenOrganisationDomainsGiven_FindsHopIntoOwnServer()
    {
        var settings = new AnalysisSettings { OrganizationDomains = ["contoso.com"] };
        var analysis = AnalysisHarness.Run("""
            Received: from mx.contoso.com (mx.contoso.com [10.0.0.5]) by mbox.contoso.com (Postfix) with ESMTP id 2; Mon, 6 Jan 2025 10:00:02 +0000
            Received: from mail.evil.example (mail.evil.example [203.0.113.9]) by mx.contoso.com (Postfix) with ESMTP id 1; Mon, 6 Jan 2025 10:00:01 +0000
            From: a@evil.example

            """, settings);

        Assert.Equal(1, analysis.FirstExternalHop!.Index);
    }

    [Fact]
    public void Analyze_WhenEntryHopFromPrivateAddress_FlagsPrivateOrigin()
    {
        var settings = new AnalysisSettings { OrganizationDomains = ["contoso.com"] };
        var analysis = AnalysisHarness.Run("""
            Received: from relay.elsewhere.example (relay.elsewhere.example [192.168.7.7]) by mx.contoso.com (Postfix) with ESMTP id 1; Mon, 6 Jan 2025 10:00:01 +0000
            From: a@elsewhere.example

            """, settings);

        Assert.Contains("relay.private-ip-origin", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenHopsOutOfOrderAndSlow_FlagsBoth()
    {
        var analysis = AnalysisHarness.Run("""
            Received: from b.example ([198.51.100.2]) by c.example; Mon, 6 Jan 2025 09:00:00 +0000
            Received: from a.example ([198.51.100.1]) by b.example; Mon, 6 Jan 2025 10:00:00 +0000
            Received: from z.example ([198.51.100.3]) by a.example; Sat, 4 Jan 2025 10:00:00 +0000
            From: x@a.example

            """);

        Assert.Contains("relay.date-out-of-order", analysis.Signals());
        Assert.Contains("relay.long-delay", analysis.Signals());
        Assert.Equal(TimeSpan.FromHours(-1), analysis.Received[0].DelayFromPrevious);
    }

    [Fact]
    public void Analyze_WhenTenThousandReceivedFields_ParsesABoundedNumber()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            sb.Append("Received: from a.example ([198.51.100.1]) by b.example; Mon, 6 Jan 2025 10:00:00 +0000\r\n");
        }

        var analysis = AnalysisHarness.Run(sb.Append("From: x@a.example\r\n").ToString());

        Assert.Equal(RelayAnalyzer.MaxHops, analysis.Received.Count);
        Assert.Contains("relay.hop-count-high", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenFewHops_DoesNotFlagHopCount()
    {
        var analysis = AnalysisHarness.Run(ExchangeOnlinePath);

        Assert.DoesNotContain("relay.hop-count-high", analysis.Signals());
    }
}
