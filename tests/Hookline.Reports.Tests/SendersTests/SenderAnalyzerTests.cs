using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Domains;
using Hookline.Reports.Analysis.Senders;
using Hookline.Reports.Tests.DomainsTests;

namespace Hookline.Reports.Tests.SendersTests;

public sealed class SenderAnalyzerTests
{
    private static readonly AnalysisSettings Contoso = new()
    {
        OrganizationDomains = ["contoso.com"],
        OrganizationName = "Contoso",
        BlockedSenders = ["bad.example", "someone@worse.example"],
        AllowedSenders = ["@partner.example"],
    };

    [Fact]
    public void Analyze_WhenReplyToAndReturnPathElsewhere_FlagsBoth()
    {
        var analysis = AnalysisHarness.Run("""
            Return-Path: <bounce@mailer.bulk.example>
            From: "IT Desk" <it@login.evil.co.uk>
            Reply-To: x@gmail.com
            Sender: agent@other.example

            """, Contoso);

        Assert.Equal("evil.co.uk", analysis.Sender.FromRegistrableDomain);
        Assert.Equal("bulk.example", analysis.Sender.ReturnPathRegistrableDomain);
        Assert.Contains("sender.reply-to-differs", analysis.Signals());
        Assert.Contains("sender.return-path-differs", analysis.Signals());
        Assert.Contains("sender.sender-differs", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenSubdomainsOfSameRegistrableDomain_DoesNotFlag()
    {
        var analysis = AnalysisHarness.Run("""
            Return-Path: <bounce@mail.example.co.uk>
            From: news@example.co.uk
            Reply-To: help@support.example.co.uk

            """, Contoso);

        Assert.DoesNotContain("sender.reply-to-differs", analysis.Signals());
        Assert.DoesNotContain("sender.return-path-differs", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenDisplayNameCarriesOtherAddress_Flags()
    {
        var analysis = AnalysisHarness.Run("From: \"ceo@contoso.com\" <ceo.contoso@gmail.com>\n", Contoso);

        Assert.Contains("sender.display-name-address", analysis.Signals());
        Assert.Contains("sender.display-name-impersonation", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenDisplayNameCarriesSameAddress_DoesNotFlag()
    {
        var analysis = AnalysisHarness.Run("From: \"Ann@Contoso.com\" <ann@contoso.com>\n", Contoso);

        Assert.DoesNotContain("sender.display-name-address", analysis.Signals());
        Assert.DoesNotContain("sender.display-name-impersonation", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenOutsiderUsesOrganisationName_FlagsImpersonationAndFreeMailBusiness()
    {
        var analysis = AnalysisHarness.Run("From: Contoso Payroll Team <payroll.contoso@gmail.com>\n", Contoso);

        Assert.Contains("sender.display-name-impersonation", analysis.Signals());
        Assert.Contains("sender.freemail-business-name", analysis.Signals());
        Assert.True(analysis.Sender.IsFreeMail);
    }

    [Fact]
    public void Analyze_WhenFreeMailPersonalName_DoesNotFlagBusiness()
    {
        var analysis = AnalysisHarness.Run("From: Jane Smith <jane.smith@gmail.com>\n", Contoso);

        Assert.DoesNotContain("sender.freemail-business-name", analysis.Signals());
    }

    [Theory]
    [InlineData("it@c0ntoso.com")]
    [InlineData("it@contosso.com")]
    [InlineData("it@contoso.co")]
    [InlineData("it@xn--cntoso-wqf.com")]
    [InlineData("billing@paypa1.com")]
    [InlineData("billing@rnicrosoft.com")]
    [InlineData("billing@micros0ft-support.com")]
    public void Analyze_WhenLookalikeDomain_Flags(string address)
    {
        var analysis = AnalysisHarness.Run($"From: {address}\n", Contoso);

        Assert.Contains("sender.lookalike-domain", analysis.Signals());
        Assert.NotNull(analysis.Sender.Lookalike);
    }

    [Theory]
    [InlineData("it@contoso.com")]
    [InlineData("it@mail.contoso.com")]
    [InlineData("a@paypal.com")]
    [InlineData("a@example.org")]
    [InlineData("a@email.com")]
    public void Analyze_WhenGenuineOrUnrelatedDomain_DoesNotFlagLookalike(string address)
    {
        var analysis = AnalysisHarness.Run($"From: {address}\n", Contoso);

        Assert.DoesNotContain("sender.lookalike-domain", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenPunycodeDomain_FlagsPunycode()
    {
        var analysis = AnalysisHarness.Run("From: a@xn--pypal-4ve.com\n", Contoso);

        Assert.Contains("sender.punycode-domain", analysis.Signals());
        Assert.Equal("paypal.com", analysis.Sender.Lookalike!.Target);
    }

    [Fact]
    public void Analyze_WhenBlockedAndAllowed_FlagsEach()
    {
        var blocked = AnalysisHarness.Run("From: a@good.example\nReply-To: someone@worse.example\n", Contoso);
        var blockedDomain = AnalysisHarness.Run("From: a@mx.bad.example\n", Contoso);
        var allowed = AnalysisHarness.Run("From: a@partner.example\n", Contoso);

        Assert.Contains("sender.blocked", blocked.Signals());
        Assert.Contains("sender.blocked", blockedDomain.Signals());
        Assert.Contains("sender.allowed", allowed.Signals());
        Assert.DoesNotContain("sender.blocked", allowed.Signals());
    }

    [Theory]
    [InlineData("a@b.example", "A@B.EXAMPLE", true)]
    [InlineData("a@x.b.example", "b.example", true)]
    [InlineData("a@notb.example", "b.example", false)]
    [InlineData("a@b.example", "*.b.example", false)]
    [InlineData("a@x.b.example", "*.b.example", true)]
    [InlineData("a@b.example", "c@b.example", false)]
    public void MatchList_WhenEntryForms_MatchesAsDocumented(string address, string entry, bool matches)
    {
        Assert.Equal(matches, SenderAnalyzer.MatchList(address, [entry]) is not null);
    }

    [Fact]
    public void Analyze_WhenNoFrom_FlagsMissing()
    {
        var analysis = AnalysisHarness.Run("Subject: nothing\n", Contoso);

        Assert.Contains("sender.from-missing", analysis.Signals());
    }

    [Fact]
    public void Analyze_WhenHugeDisplayName_DoesNotThrow()
    {
        var name = string.Concat(Enumerable.Repeat("a@b.c@", 20_000));
        var analysis = AnalysisHarness.Run($"From: \"{name}\" <x@y.example>\n", Contoso);

        Assert.Contains("sender.display-name-address", analysis.Signals());
        Assert.Equal(PublicSuffixList.Default.Source, analysis.Sender.PublicSuffixSource);
    }
}
