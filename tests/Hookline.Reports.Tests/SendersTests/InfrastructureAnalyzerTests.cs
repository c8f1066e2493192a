using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Domains;
using Hookline.Reports.Analysis.Senders;

namespace Hookline.Reports.Tests.SendersTests;

/// <summary>The infrastructure stage (InfrastructureAnalyzer): throw-away senders and links, and mass personalisation.</summary>
public sealed class InfrastructureAnalyzerTests
{
    private static readonly PublicSuffixList Rules = PublicSuffixList.Parse("""
        // ===BEGIN ICANN DOMAINS===
        com
        co
        uk
        co.uk
        xyz
        рф
        *.ck
        // ===END ICANN DOMAINS===
        // ===BEGIN PRIVATE DOMAINS===
        web.app
        // ===END PRIVATE DOMAINS===
        """);

    private static MessageAnalysis Mail(string from, string body = "Hello Anna.", string subject = "Statement", string headers = "") =>
        TestMail.AnalyzeForContoso($"From: {from}\n{headers}To: Anna <anna@contoso.com>\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n").Analysis;

    [Fact]
    public void Analyze_WhenFromIsFreeMail_FlagsFreeMail()
    {
        var analysis = Mail("Anna Smith <anna.smith@gmail.com>");

        Assert.Equal("anna.smith@gmail.com is a free-mail address", analysis.DetailOf("sender.freemail"));
    }

    [Fact]
    public void Analyze_WhenFromIsACompany_DoesNotFlagFreeMail()
    {
        Assert.DoesNotContain("sender.freemail", Mail("Sam Porter <sam@northwind-traders.com>").SignalIds());
    }

    [Fact]
    public void Analyze_WhenRepliesGoToFreeMail_FlagsReplyToFreeMail()
    {
        var analysis = Mail("Billing <billing@northwind-traders.com>", headers: "Reply-To: billing.dept@gmail.com\n");

        Assert.Equal("replies go to the free-mail address billing.dept@gmail.com, not to billing@northwind-traders.com", analysis.DetailOf("sender.reply-to-freemail"));
    }

    [Fact]
    public void Analyze_WhenRepliesGoToTheSameFreeMailProvider_DoesNotFlagReplyToFreeMail()
    {
        var analysis = Mail("Anna Smith <anna.smith@gmail.com>", headers: "Reply-To: anna.smith.home@gmail.com\n");

        Assert.DoesNotContain("sender.reply-to-freemail", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenTheSenderIsACloudTenantsDefaultDomain_FlagsCloudTenant()
    {
        var analysis = Mail("Accounts <billing@northwind4711.onmicrosoft.com>");

        Assert.Equal("the sender's domain northwind4711.onmicrosoft.com is the default name of a cloud mail tenant (.onmicrosoft.com), which anyone gets with a trial, not an organisation's own domain", analysis.DetailOf("sender.cloud-tenant"));
        Assert.DoesNotContain("sender.cloud-tenant", Mail("Billing <billing@northwind-traders.com>").SignalIds());
    }

    [Theory]
    [InlineData("root@ubuntu-s-1vcpu-nyc1-05", "the sender's domain ubuntu-s-1vcpu-nyc1-05 has no dot (not a domain on the internet)")]
    [InlineData("mailer@bad_host.northwind-traders.com", "the sender's domain bad_host.northwind-traders.com has an underscore (not a host name)")]
    [InlineData("billing@%payments-northwind.com", "the sender's domain %payments-northwind.com has the character '%', which no host name has")]
    [InlineData("billing@pay..northwind-traders.com", "the sender's domain pay..northwind-traders.com has an empty label or one that starts or ends with a hyphen (not a host name)")]
    [InlineData("billing@-pay.northwind-traders.com", "the sender's domain -pay.northwind-traders.com has an empty label or one that starts or ends with a hyphen (not a host name)")]
    [InlineData("mailer@build.local", "the sender's domain build.local ends in .local, a private name no one on the internet can send from")]
    [InlineData("mailer@fileserver.corp", "the sender's domain fileserver.corp ends in .corp, a private name no one on the internet can send from")]
    public void Analyze_WhenSenderDomainCannotExist_FlagsInvalidDomain(string address, string detail)
    {
        var analysis = Mail($"Mailer <{address}>");

        Assert.Equal(detail, analysis.DetailOf("sender.invalid-domain"));
        Assert.DoesNotContain("sender.abused-tld", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenSenderTopLevelDomainIsUnknown_FlagsInvalidDomainUnlessTheListIsTheFallback()
    {
        var analysis = Mail("Mailer <mailer@host.nyc1-05>");

        if (PublicSuffixList.Default.IsFallback)
        {
            // The built-in list is too small to say which top-level domains exist.
            Assert.DoesNotContain("sender.invalid-domain", analysis.SignalIds());
        }
        else
        {
            Assert.Equal("the sender's domain host.nyc1-05 ends in .nyc1-05, which is no top-level domain", analysis.DetailOf("sender.invalid-domain"));
        }
    }

    [Theory]
    [InlineData("mailer@mail.example")]
    [InlineData("mailer@mail.test")]
    [InlineData("mailer@example.com")]
    [InlineData("mailer@news.example.com")]
    [InlineData("mailer@nowhere.invalid")]
    [InlineData("mailer@localhost")]
    [InlineData("sam@northwind-traders.com")]
    public void Analyze_WhenSenderDomainIsReservedOrReal_DoesNotFlagInvalidDomain(string address)
    {
        Assert.DoesNotContain("sender.invalid-domain", Mail($"Mailer <{address}>").SignalIds());
    }

    [Theory]
    [InlineData("ubuntu-s-1vcpu-nyc1-05", "has no dot (not a domain on the internet)")]
    [InlineData("host.nyc1-05", "ends in .nyc1-05, which is no top-level domain")]
    [InlineData("a.b.ck", null)]
    [InlineData("login.evil.co.uk", null)]
    [InlineData("xn--80aswg.xn--p1ai", null)]
    [InlineData("mail.example", null)]
    public void InvalidDomain_WhenAskedWithAList_SaysWhyTheDomainCannotExist(string domain, string? why)
    {
        Assert.Equal(why, InfrastructureAnalyzer.InvalidDomain(domain, Rules));
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("EXAMPLE.CO.UK.", true)]
    [InlineData("a.b.ck", true)]
    [InlineData("xn--80aswg.xn--p1ai", true)]
    [InlineData("сайт.рф", true)]
    [InlineData("host.nyc1-05", false)]
    [InlineData("localhost", false)]
    [InlineData("intranet.corp", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void HasKnownTopLevel_WhenTheListIsRead_KnowsOnlyItsTopLevelDomains(string? host, bool known)
    {
        Assert.Equal(known, Rules.HasKnownTopLevel(host));
    }

    [Fact]
    public void HasKnownTopLevel_WhenTheListIsTheBuiltInFallback_AnswersTrue()
    {
        Assert.True(PublicSuffixList.BuiltIn().HasKnownTopLevel("host.nyc1-05"));
    }

    [Fact]
    public void Analyze_WhenSenderIsUnderAnAbusedTopLevelDomain_FlagsAbusedTld()
    {
        var analysis = Mail("Deals <offers@cheap-deals.xyz>");

        Assert.Equal("the sender's domain cheap-deals.xyz is under .xyz, a top-level domain dominated by abuse", analysis.DetailOf("sender.abused-tld"));
        Assert.DoesNotContain("sender.invalid-domain", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenSenderNameIsMachineMade_FlagsRandomName()
    {
        var analysis = Mail("Mailer <x7k2p9q4z8@northwind-traders.com>");

        Assert.Equal("the sender's address x7k2p9q4z8@northwind-traders.com looks machine-made (random letters and digits, or many labels)", analysis.DetailOf("sender.random-name"));
    }

    [Fact]
    public void Analyze_WhenSenderDomainHasManyLabels_FlagsRandomName()
    {
        Assert.Contains("sender.random-name", Mail("Mailer <news@a.b.c.d.e.northwind-traders.com>").SignalIds());
    }

    [Theory]
    [InlineData("anna1987@northwind-traders.com")]
    [InlineData("sam.porter@northwind-traders.com")]
    [InlineData("newsletter@northwind-traders.com")]
    public void Analyze_WhenSenderNameIsAPersonsOrARoles_DoesNotFlagRandomName(string address)
    {
        Assert.DoesNotContain("sender.random-name", Mail($"Sender <{address}>").SignalIds());
    }

    [Theory]
    [InlineData("x7k2p9q4z8", true)]
    [InlineData("bcdfghjklm", true)]
    [InlineData("mkt4839201", true)]
    [InlineData("anna1987", false)]
    [InlineData("20240315", false)]
    [InlineData("newsletter", false)]
    [InlineData("jsmith", false)]
    [InlineData(null, false)]
    public void RandomLooking_WhenAName_TellsGeneratedFromWritten(string? name, bool random)
    {
        Assert.Equal(random, InfrastructureAnalyzer.RandomLooking(name));
    }

    [Theory]
    [InlineData("https://shared-docs-4411.web.app/view", "shared-docs-4411.web.app")]
    [InlineData("https://invoice-viewer.pages.dev/x", "invoice-viewer.pages.dev")]
    [InlineData("https://sites.google.com/view/northwind-invoices", "sites.google.com")]
    [InlineData("https://invoice-portal-22.lovable.app/", "invoice-portal-22.lovable.app")]
    [InlineData("https://new.express.adobe.com/webpage/AbC123", "new.express.adobe.com")]
    [InlineData("https://surl.li/abcxyz", "surl.li")]
    [InlineData("https://script.google.com/macros/s/AKfycbx1/exec", "script.google.com")]
    [InlineData("https://northwind-com.translate.goog/login?_x_tr_sl=auto", "northwind-com.translate.goog")]
    [InlineData("https://forms.cloud.microsoft/r/Ab12Cd", "forms.cloud.microsoft")]
    public void Analyze_WhenALinkGoesToFreeHosting_FlagsFreeHosting(string url, string host)
    {
        var analysis = Mail("Anna Lee <anna@northwind-traders.com>", body: $"The file is at {url} for you.");

        Assert.Equal($"a link goes to {host}, on a platform where anyone gets a page or a short link for free", analysis.DetailOf("url.free-hosting"));
    }

    [Fact]
    public void Analyze_WhenALinkIsUnderAnAbusedTopLevelDomain_FlagsAbusedTld()
    {
        var analysis = Mail("Anna Lee <anna@northwind-traders.com>", body: "See https://promo-center.xyz/deal today.");

        Assert.Equal("a link goes to promo-center.xyz, under .xyz, a top-level domain dominated by abuse", analysis.DetailOf("url.abused-tld"));
    }

    [Fact]
    public void Analyze_WhenTheSenderLinksToItsOwnAbusedTopLevelDomain_FlagsOnlyTheSender()
    {
        var analysis = Mail("Deals <offers@cheap-deals.xyz>", body: "See https://www.cheap-deals.xyz/login today.");

        Assert.Contains("sender.abused-tld", analysis.SignalIds());
        Assert.DoesNotContain("url.abused-tld", analysis.SignalIds());
        Assert.DoesNotContain("url.login-path", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenALinkGoesToASignInPathOnAnUnrelatedHost_FlagsLoginPath()
    {
        var analysis = Mail("Anna Lee <anna@northwind-traders.com>", body: "Go to https://unrelated.co/wp-admin/login.php now.");

        Assert.Equal("a link to a sign-in or verification path on a host unrelated to the sender: https://unrelated.co/wp-admin/login.php", analysis.DetailOf("url.login-path"));
    }

    [Theory]
    [InlineData("https://www.northwind-traders.com/account/login")]
    [InlineData("https://contoso.com/wp-admin/login.php")]
    [InlineData("https://unrelated.co/")]
    [InlineData("https://unrelated.co/catalogue/spring")]
    public void Analyze_WhenTheSignInPathIsTheSendersOrTheOrganisationsOrThereIsNone_DoesNotFlagLoginPath(string url)
    {
        var analysis = Mail("Anna Lee <anna@northwind-traders.com>", body: $"Go to {url} now.");

        Assert.DoesNotContain("url.login-path", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenALinkCarriesTheRecipientsAddress_FlagsRecipientInLink()
    {
        var analysis = Mail("Anna Lee <anna@northwind-traders.com>", body: "Open https://portal.unrelated.co/start?u=anna@contoso.com now.");

        Assert.Equal("a link carries the recipient's address anna@contoso.com: https://portal.unrelated.co/start?u=anna@contoso.com", analysis.DetailOf("url.recipient-in-link"));
    }

    [Fact]
    public void Analyze_WhenOnlyTheUnsubscribeLinkCarriesTheRecipientsAddress_DoesNotFlag()
    {
        var analysis = Mail("News <news@northwind-traders.com>", body: "To stop these mails: https://lists.mailhub-esp.com/unsubscribe?e=anna@contoso.com");

        Assert.DoesNotContain("url.recipient-in-link", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenTheSubjectWritesOutTheRecipientsAddress_FlagsRecipientInSubject()
    {
        var analysis = Mail("Mail Admin <admin@northwind-traders.com>", subject: "anna@contoso.com: 4 messages are waiting");

        Assert.Equal("the subject writes out the recipient's address anna@contoso.com", analysis.DetailOf("content.recipient-in-subject"));
    }

    [Fact]
    public void Analyze_WhenTheSendersNameWritesOutTheRecipientsAddress_FlagsRecipientInSubject()
    {
        var analysis = Mail("\"Mailbox of anna@contoso.com\" <admin@northwind-traders.com>");

        Assert.Equal("the sender's name writes out the recipient's address anna@contoso.com", analysis.DetailOf("content.recipient-in-subject"));
    }

    [Fact]
    public void Analyze_WhenTheSenderIsTheOrganisation_FlagsNoSenderInfrastructure()
    {
        var analysis = Mail("Build Bot <x7k2p9q4z8@ci.contoso.com>");

        Assert.DoesNotContain(analysis.Findings, f => f.Signal is "sender.invalid-domain" or "sender.abused-tld" or "sender.random-name");
    }
}
