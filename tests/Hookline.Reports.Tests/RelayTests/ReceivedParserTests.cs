using Hookline.Reports.Analysis.Relay;

namespace Hookline.Reports.Tests.RelayTests;

public sealed class ReceivedParserTests
{
    [Fact]
    public void Parse_WhenPostfix_ReadsEveryClause()
    {
        var hop = ReceivedParser.Parse("from mail.example.com (mail.example.com [192.0.2.1]) by mx.example.net (Postfix) with ESMTPS id 4B3C2 for <user@example.net>; Mon, 6 Jan 2025 10:00:00 +0000 (UTC)");

        Assert.Equal("mail.example.com", hop.From);
        Assert.Equal("mail.example.com", hop.FromReverseDns);
        Assert.Equal("192.0.2.1", hop.Ip);
        Assert.Equal("mx.example.net", hop.By);
        Assert.Equal("ESMTPS", hop.With);
        Assert.Equal("4B3C2", hop.Id);
        Assert.Equal("user@example.net", hop.For);
        Assert.Equal(new DateTimeOffset(2025, 1, 6, 10, 0, 0, TimeSpan.Zero), hop.At);
    }

    [Fact]
    public void Parse_WhenExchangeOnline_ReadsIpsInParenthesesAndSoftware()
    {
        var hop = ReceivedParser.Parse("from mail.evil.example (203.0.113.9) by AM4PEPF00027A5F.mail.protection.outlook.com (10.167.16.73) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7472.7 via Frontend Transport; Mon, 6 Jan 2025 10:00:03 +0000");

        Assert.Equal("203.0.113.9", hop.Ip);
        Assert.Equal("10.167.16.73", hop.ByIp);
        Assert.Equal("AM4PEPF00027A5F.mail.protection.outlook.com", hop.By);
        Assert.Equal("Microsoft SMTP Server", hop.With);
        Assert.Equal("15.20.7472.7", hop.Id);
        Assert.Equal("Frontend Transport", hop.Via);
        Assert.NotNull(hop.At);
    }

    [Fact]
    public void Parse_WhenExchangeInternalIpv6_ReadsIpv6()
    {
        var hop = ReceivedParser.Parse("from AM0PR01MB1234.eurprd01.prod.exchangelabs.com (2603:10a6:208:ac::12) by AM0PR01MB5678.eurprd01.prod.exchangelabs.com with HTTPS; Mon, 6 Jan 2025 10:00:09 +0000");

        Assert.Equal("2603:10a6:208:ac::12", hop.Ip);
        Assert.Equal("HTTPS", hop.With);
    }

    [Fact]
    public void Parse_WhenGmail_ReadsBracketedIpAndIpv6By()
    {
        var first = ReceivedParser.Parse("from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id a1sor123.2025.01.06 for <user@gmail.com> (Google Transport Security); Mon, 06 Jan 2025 02:00:00 -0800 (PST)");
        var second = ReceivedParser.Parse("by 2002:a05:6a10:ad0c:b0:5ab:1234:5678 with SMTP id x12csp123; Mon, 6 Jan 2025 02:00:01 -0800 (PST)");

        Assert.Equal("209.85.220.41", first.Ip);
        Assert.Equal("mail-sor-f41.google.com", first.FromReverseDns);
        Assert.Equal(new DateTimeOffset(2025, 1, 6, 10, 0, 0, TimeSpan.Zero), first.At!.Value.ToUniversalTime());
        Assert.Null(second.From);
        Assert.Null(second.Ip);
        Assert.Equal("2002:a05:6a10:ad0c:b0:5ab:1234:5678", second.By);
    }

    [Fact]
    public void Parse_WhenQmail_ReadsDateWithoutHosts()
    {
        var invoked = ReceivedParser.Parse("(qmail 12345 invoked from network); 22 Aug 2002 10:00:00 -0000");
        var smtp = ReceivedParser.Parse("from unknown (HELO mail.example.com) (192.0.2.1) by 0 with SMTP; 22 Aug 2002 10:00:01 -0000");

        Assert.Null(invoked.From);
        Assert.Equal("qmail 12345 invoked from network", invoked.Comments);
        Assert.NotNull(invoked.At);
        Assert.Equal("unknown", smtp.From);
        Assert.Equal("mail.example.com", smtp.Helo);
        Assert.Equal("192.0.2.1", smtp.Ip);
    }

    [Fact]
    public void Parse_WhenSendmailWithVersion_DoesNotTakeVersionForIp()
    {
        var hop = ReceivedParser.Parse("from x.example.com ([192.0.2.44]) by y.example.net (8.11.6/8.11.6) with ESMTP id g7M4aAB12345 for <jm@example.net>; Thu, 22 Aug 2002 05:36:10 +0100");

        Assert.Equal("192.0.2.44", hop.Ip);
        Assert.Null(hop.ByIp);
        Assert.Equal("g7M4aAB12345", hop.Id);
    }

    [Fact]
    public void Parse_WhenExim_ReadsHeloAndLiteral()
    {
        var hop = ReceivedParser.Parse("from localhost ([127.0.0.1] helo=dogma.example) by dogma.example with esmtp (Exim 3.35 #1 (Debian)) id 17hxC5-0003cg-00; Thu, 22 Aug 2002 12:00:00 +0100");

        Assert.Equal("127.0.0.1", hop.Ip);
        Assert.Equal("dogma.example", hop.Helo);
        Assert.Equal("esmtp", hop.With);
        Assert.Equal("17hxC5-0003cg-00", hop.Id);
    }

    [Fact]
    public void Parse_WhenFromIsAddressLiteral_TakesIpFromIt()
    {
        var hop = ReceivedParser.Parse("from [IPv6:2001:db8::25] by mx.example.net; Mon, 6 Jan 2025 10:00:00 +0000");

        Assert.Equal("2001:db8::25", hop.Ip);
    }

    [Theory]
    [InlineData("from a (b [192.0.2.1 by c; Mon, 6 Jan 2025 10:00:00 +0000")]
    [InlineData("from a ((((( by c; Mon, 6 Jan 2025 10:00:00 +0000")]
    [InlineData("))))]]]] from [[[ by ;;;")]
    [InlineData("")]
    [InlineData("from")]
    public void Parse_WhenUnbalanced_DoesNotThrow(string value)
    {
        var hop = ReceivedParser.Parse(value);

        Assert.Equal(value, hop.Raw);
    }

    [Fact]
    public void Parse_WhenUnbalancedParenthesisBeforeDate_StillReadsDate()
    {
        var hop = ReceivedParser.Parse("from a (b [192.0.2.1] by c; Mon, 6 Jan 2025 10:00:00 +0000");

        Assert.NotNull(hop.At);
    }

    [Fact]
    public void Parse_WhenMegabyteComment_BoundsWhatItKeeps()
    {
        var hop = ReceivedParser.Parse("from a (" + new string('x', 1_000_000) + ") by b; Mon, 6 Jan 2025 10:00:00 +0000");

        Assert.Equal(ReceivedParser.MaxRawLength, hop.Raw.Length);
        Assert.True(hop.Comments!.Length <= 256);
        Assert.NotNull(hop.At);
    }
}
