using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Authentication;
using Hookline.Reports.Analysis.Brands;
using Hookline.Reports.Assessment;
using Hookline.Reports.Pipeline;

namespace Hookline.Reports.Tests.BrandsTests;

/// <summary>The brand stage (BrandAnalyzer) over the brand catalogue (BrandCatalogue, brands.txt).</summary>
public sealed class BrandAnalyzerTests
{
    // Exchange Online's own field (no authserv-id), trusted as the topmost field or through the trust list.
    private const string PayPalPasses = "Authentication-Results: spf=pass (sender IP is 173.0.84.226) smtp.mailfrom=paypal.com; dkim=pass (signature was verified) header.d=paypal.com;dmarc=pass action=none header.from=paypal.com;compauth=pass reason=100\n";

    private const string PayPalFails = "Authentication-Results: spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=paypal.com; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=paypal.com;compauth=fail reason=000\n";

    private static readonly ReportAnalyzer ContosoOnExchangeOnline = new(
        TestMail.Contoso with { TrustedAuthServIds = [AuthenticationAnalyzer.ExchangeOnlineAuthServId] },
        Assessor.Default);

    private static string Mail(string from, string subject = "Account notice", string body = "Hello Anna.", string headers = "") =>
        $"{headers}From: {from}\nTo: anna@contoso.com\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n";

    private static MessageAnalysis Analyze(string mime) => TestMail.AnalyzeForContoso(mime).Analysis;

    private static string[] BrandSignals(MessageAnalysis analysis) =>
        [.. analysis.SignalIds().Where(s => s.StartsWith("brand.", StringComparison.Ordinal))];

    [Fact]
    public void Analyze_WhenDisplayNameIsPayPalFromAnotherDomain_FlagsDisplayName()
    {
        var analysis = Analyze(Mail("PayPal <service@pp-notices.com>"));

        Assert.Equal("the sender's name \"PayPal\" names PayPal, but service@pp-notices.com is not PayPal's", analysis.DetailOf("brand.display-name"));
        Assert.DoesNotContain("brand.authenticated", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenPayPalsOwnDomainPassesDmarc_IsAuthenticatedAndNamesNoOneElse()
    {
        var mime = Mail("PayPal <service@paypal.com>", subject: "Your PayPal receipt", body: "You sent a payment with PayPal.", headers: PayPalPasses);

        foreach (var analysis in new[] { Analyze(mime), ContosoOnExchangeOnline.Analyze(TestMail.Bytes(mime)).Analysis })
        {
            Assert.Equal(["brand.authenticated"], BrandSignals(analysis));
            Assert.Equal("paypal.com is PayPal's own domain and its authentication passed (DMARC pass, compauth pass)", analysis.DetailOf("brand.authenticated"));
        }
    }

    [Fact]
    public void Analyze_WhenThePassIsForAnotherDomainThanTheFrom_IsNeitherAuthenticatedNorSpoofed()
    {
        // The From was changed after authentication (here: a free-mail message now claiming PayPal): the pass speaks for hotmail.com only.
        var passForAnother = PayPalPasses.Replace("header.from=paypal.com", "header.from=hotmail.com", StringComparison.Ordinal);
        var failForAnother = PayPalFails.Replace("header.from=paypal.com", "header.from=hotmail.com", StringComparison.Ordinal);

        var passed = Analyze(Mail("PayPal <service@paypal.com>", headers: passForAnother));
        var failed = Analyze(Mail("PayPal <service@paypal.com>", headers: failForAnother));

        Assert.DoesNotContain("brand.authenticated", passed.SignalIds());
        Assert.DoesNotContain("brand.spoofed", failed.SignalIds());
        Assert.True(BrandAnalyzer.AuthenticatesFrom("paypal.com", "mail.paypal.com"));
        Assert.True(BrandAnalyzer.AuthenticatesFrom(null, "paypal.com"));
        Assert.False(BrandAnalyzer.AuthenticatesFrom("hotmail.com", "paypal.com"));
    }

    [Fact]
    public void Analyze_WhenThePassComesFromAServerNotTrusted_IsNotAuthenticated()
    {
        var analysis = ContosoOnExchangeOnline.Analyze(TestMail.Bytes(Mail(
            "PayPal <service@paypal.com>",
            headers: "Authentication-Results: mx.paypal-relay.co; dmarc=pass header.from=paypal.com\n"))).Analysis;

        Assert.DoesNotContain("brand.authenticated", analysis.SignalIds());
        Assert.DoesNotContain("brand.spoofed", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenPayPalsOwnDomainFailsDmarc_FlagsSpoofed()
    {
        var analysis = Analyze(Mail("PayPal <service@paypal.com>", headers: PayPalFails));

        Assert.Equal("From claims paypal.com, PayPal's own domain, but authentication failed (DMARC fail, compauth fail): forged", analysis.DetailOf("brand.spoofed"));
        Assert.DoesNotContain("brand.authenticated", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenMicrosoftsNameWritesFromOutlookCom_FlagsDisplayNameAsFreeMail()
    {
        // outlook.com is Microsoft's, but anyone can have an address there: a pass proves nothing.
        var analysis = Analyze(Mail(
            "Microsoft account team <msaccount.team@outlook.com>",
            headers: "Authentication-Results: spf=pass smtp.mailfrom=outlook.com; dkim=pass header.d=outlook.com;dmarc=pass action=none header.from=outlook.com;compauth=pass reason=100\n"));

        Assert.Equal(
            "the sender's name \"Microsoft account team\" names Microsoft, but msaccount.team@outlook.com is not Microsoft's (a free-mail address)",
            analysis.DetailOf("brand.display-name"));
        Assert.DoesNotContain("brand.authenticated", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenSenderDomainCarriesABrandsName_FlagsSenderDomain()
    {
        var analysis = Analyze(Mail("Signing Service <dse@docusign-notify.co>"));

        Assert.Equal("the sender's domain docusign-notify.co carries the name of DocuSign but is not DocuSign's", analysis.DetailOf("brand.sender-domain"));
    }

    [Fact]
    public void Analyze_WhenALinkHostCarriesABrandsName_FlagsLinkHost()
    {
        var analysis = Analyze(Mail("Anna Lee <anna@northwind-traders.com>", body: "Start here: https://paypal-login.xyz/start"));

        Assert.Equal("a link goes to paypal-login.xyz, which carries the name of PayPal but is not PayPal's", analysis.DetailOf("brand.link-host"));
    }

    [Fact]
    public void Analyze_WhenALinkGoesToTheBrandsOwnHost_DoesNotFlagLinkHost()
    {
        var analysis = Analyze(Mail("Anna Lee <anna@northwind-traders.com>", body: "Pay me at https://www.paypal.com/paypalme/annalee"));

        Assert.DoesNotContain("brand.link-host", analysis.SignalIds());
    }

    [Theory]
    [InlineData("Outlook Team <team@northwind-traders.com>")]
    [InlineData("Outlook Support <help@northwind-traders.com>")]
    [InlineData("\"Outlook - No-Reply\" <x@northwind-traders.com>")]
    public void Analyze_WhenDisplayNameIsAnEqualsNameWithGenericWords_FlagsTheBrand(string from)
    {
        var analysis = Analyze(Mail(from));

        Assert.Contains("names Microsoft, but", analysis.DetailOf("brand.display-name"), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenAnEqualsNameIsAnOrdinaryWord_DoesNotFlag()
    {
        var analysis = Analyze(Mail("Sales Outlook Weekly <news@northwind-traders.com>", subject: "Outlook for next quarter", body: "The outlook for next quarter is good."));

        Assert.Empty(BrandSignals(analysis));
    }

    [Fact]
    public void Analyze_WhenATildeNameIsInTheSubject_FlagsSubject()
    {
        var analysis = Analyze(Mail("Anna Lee <anna@northwind-traders.com>", subject: "Your App Store receipt"));

        Assert.Equal("the subject names Apple, but anna@northwind-traders.com is not Apple's", analysis.DetailOf("brand.subject"));
    }

    [Fact]
    public void Analyze_WhenATildeNameIsOnlyInTheBody_DoesNotFlag()
    {
        var analysis = Analyze(Mail("Anna Lee <anna@northwind-traders.com>", subject: "Lunch", body: "I brought an apple pie."));

        Assert.Empty(BrandSignals(analysis));
    }

    [Fact]
    public void Analyze_WhenAnAnywhereNameIsInTheBody_FlagsBody()
    {
        var analysis = Analyze(Mail("Anna Lee <anna@northwind-traders.com>", subject: "Lunch", body: "Please sign in to iCloud to see the photos."));

        Assert.Equal("the text names Apple, but anna@northwind-traders.com is not Apple's", analysis.DetailOf("brand.body"));
    }

    [Fact]
    public void Analyze_WhenDisplayNameWritesCapitalIForL_ReadsTheBrand()
    {
        var analysis = Analyze(Mail("PaypaI Service <service@pp-notices.com>"));

        Assert.Equal("the sender's name \"PaypaI Service\" names PayPal, but service@pp-notices.com is not PayPal's", analysis.DetailOf("brand.display-name"));
    }

    [Fact]
    public void Analyze_WhenANameRegisteredUnderAGovernmentSuffixPassesDmarc_IsNotTheTaxOfficeAuthenticated()
    {
        // gov.br is a public suffix: a town or school under it is not the Receita Federal, whose own domains are listed with it.
        const string TownPasses = "Authentication-Results: spf=pass (sender IP is 200.1.1.1) smtp.mailfrom=canela.rs.gov.br; dkim=pass (signature was verified) header.d=canela.rs.gov.br;dmarc=pass action=none header.from=canela.rs.gov.br;compauth=pass reason=100\n";
        var town = ContosoOnExchangeOnline.Analyze(TestMail.Bytes(Mail("Compras <compras@canela.rs.gov.br>", headers: TownPasses))).Analysis;
        const string ReceitaPasses = "Authentication-Results: spf=pass (sender IP is 200.1.1.2) smtp.mailfrom=receita.fazenda.gov.br; dkim=pass (signature was verified) header.d=receita.fazenda.gov.br;dmarc=pass action=none header.from=receita.fazenda.gov.br;compauth=pass reason=100\n";
        var receita = ContosoOnExchangeOnline.Analyze(TestMail.Bytes(Mail("Receita Federal <aviso@receita.fazenda.gov.br>", headers: ReceitaPasses))).Analysis;

        Assert.DoesNotContain("brand.authenticated", town.SignalIds());
        Assert.Equal("receita.fazenda.gov.br is Receita Federal's own domain and its authentication passed (DMARC pass, compauth pass)", receita.DetailOf("brand.authenticated"));
        Assert.True(BrandCatalogue.Default.Owns(BrandCatalogue.Default.Owner("gov.br"), "gov.br"));
        Assert.Equal(-1, BrandCatalogue.Default.Owner("canela.rs.gov.br"));
    }

    [Fact]
    public void Analyze_WhenATrialTenantsDefaultDomainPassesDmarc_IsNotMicrosoftAuthenticated()
    {
        // Anyone gets name.onmicrosoft.com with a trial tenant, and its mail passes DMARC: it is not Microsoft's mail.
        const string TenantPasses = "Authentication-Results: spf=pass (sender IP is 40.107.1.1) smtp.mailfrom=fabrikam4711.onmicrosoft.com; dkim=pass (signature was verified) header.d=fabrikam4711.onmicrosoft.com;dmarc=pass action=none header.from=fabrikam4711.onmicrosoft.com;compauth=pass reason=100\n";
        var analysis = ContosoOnExchangeOnline.Analyze(TestMail.Bytes(Mail("Microsoft 365 <notice@fabrikam4711.onmicrosoft.com>", headers: TenantPasses))).Analysis;

        Assert.DoesNotContain("brand.authenticated", analysis.SignalIds());
        Assert.Equal("the sender's name \"Microsoft 365\" names Microsoft, but notice@fabrikam4711.onmicrosoft.com is not Microsoft's", analysis.DetailOf("brand.display-name"));
        Assert.Contains("sender.cloud-tenant", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenTheWholeDisplayNameIsABrandWithCapitalIForL_ReadsTheBrand()
    {
        // "=ledger" names Ledger only when it is the whole name; written with a capital I it still is.
        var analysis = Analyze(Mail("Iedger <k14@wallet-notices.com>"));

        Assert.Equal("the sender's name \"Iedger\" names Ledger, but k14@wallet-notices.com is not Ledger's", analysis.DetailOf("brand.display-name"));
    }

    [Fact]
    public void Analyze_WhenTheSubjectWritesCapitalIForL_ReadsTheBrand()
    {
        var analysis = Analyze(Mail("Message Service <notice@northwind-traders.com>", subject: "Your PayPaI account is Iimited"));

        Assert.Equal("the subject names PayPal, but notice@northwind-traders.com is not PayPal's", analysis.DetailOf("brand.subject"));
    }

    [Fact]
    public void Analyze_WhenTheSubjectOnlyStartsWithACapitalI_NamesNoBrand()
    {
        var analysis = Analyze(Mail("Anna <anna@northwind-traders.com>", subject: "Important: Invoice for Intel laptops"));

        Assert.DoesNotContain("brand.subject", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenTheOrganisationsOwnDomainFailsDmarc_FlagsSpoofed()
    {
        var analysis = Analyze(Mail(
            "Contoso IT <it@contoso.com>",
            headers: "Authentication-Results: spf=fail (sender IP is 203.0.113.9) smtp.mailfrom=contoso.com; dkim=none (message not signed) header.d=none;dmarc=fail action=quarantine header.from=contoso.com;compauth=fail reason=000\n"));

        Assert.Equal("From claims contoso.com, the organisation's own domain, but authentication failed (DMARC fail, compauth fail): forged", analysis.DetailOf("brand.spoofed"));
    }

    [Fact]
    public void Analyze_WhenTheOrganisationsOwnDomainPassesDmarc_IsAuthenticatedAndMayNameBrands()
    {
        var analysis = Analyze(Mail(
            "Contoso IT <it@contoso.com>",
            subject: "New Microsoft 365 licences",
            body: "We moved the team files from Dropbox to SharePoint.",
            headers: "Authentication-Results: spf=pass smtp.mailfrom=contoso.com; dkim=pass header.d=contoso.com;dmarc=pass action=none header.from=contoso.com;compauth=pass reason=100\n"));

        Assert.Equal(["brand.authenticated"], BrandSignals(analysis));
        Assert.Equal("contoso.com is the organisation's own domain and its authentication passed (DMARC pass, compauth pass)", analysis.DetailOf("brand.authenticated"));
    }

    [Fact]
    public void Catalogue_WhenAHostCarriesABrandToken_FindsTheBrandUnlessItOwnsTheHost()
    {
        var catalogue = BrandCatalogue.Default;
        var paypal = catalogue.Brands.ToList().FindIndex(b => b.Name == "PayPal");

        Assert.Equal(paypal, catalogue.TokenIn("paypal-login.xyz"));
        Assert.Equal(paypal, catalogue.TokenIn("secure.mypaypal.co"));
        Assert.Equal(-1, catalogue.TokenIn("www.paypal.com"));
        Assert.Equal(-1, catalogue.TokenIn("paypalmerchandise.co"));
        Assert.True(catalogue.Owns(paypal, "www.paypal.com"));
        Assert.False(catalogue.Owns(paypal, "paypal.com.pp-notices.com"));
    }

    [Fact]
    public void Catalogue_WhenADisplayNameIsAnEqualsName_FindsTheBrandOnlyWhenItStandsAlone()
    {
        var catalogue = BrandCatalogue.Default;
        var microsoft = catalogue.Brands.ToList().FindIndex(b => b.Name == "Microsoft");

        Assert.Equal(microsoft, catalogue.ExactDisplayName("outlook support"));
        Assert.Equal(microsoft, catalogue.ExactDisplayName("the teams account team"));
        Assert.Equal(-1, catalogue.ExactDisplayName("outlook for next quarter"));
    }

    [Fact]
    public void Parse_WhenALineHasNotFourFields_Throws()
    {
        var error = Assert.Throws<FormatException>(() => BrandCatalogue.Parse("Contoso | contoso | contoso.com\n"));

        Assert.Contains("four fields", error.Message, StringComparison.Ordinal);
    }
}
