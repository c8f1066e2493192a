using System.Diagnostics;
using System.Text;
using Hookline.Mime.Addresses;

namespace Hookline.Mime.Tests.AddressesTests;

public class AddressParserTests
{
    private static IReadOnlyList<InternetAddress> Parse(string raw, List<MimeWarning>? warnings = null) =>
        AddressParser.ParseList(Encoding.UTF8.GetBytes(raw), warnings);

    private static MailboxAddress Single(string raw, List<MimeWarning>? warnings = null) =>
        Assert.IsType<MailboxAddress>(Assert.Single(Parse(raw, warnings)));

    [Theory]
    // RFC 5322 Appendix A.1
    [InlineData(" John Doe <jdoe@machine.example>", "John Doe", "jdoe@machine.example")]
    [InlineData(" \"Joe Q. Public\" <john.q.public@example.com>", "Joe Q. Public", "john.q.public@example.com")]
    [InlineData(" Pete <pete@silly.example>", "Pete", "pete@silly.example")]
    // A.5: comments everywhere
    [InlineData(" Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>", "Pete", "pete@silly.test")]
    // A.6.1 obsolete phrase with a dot
    [InlineData(" Joe Q. Public <john.q.public@example.com>", "Joe Q. Public", "john.q.public@example.com")]
    // A.6.3 obsolete white space and comments in the domain
    [InlineData(" John Doe <jdoe@machine(comment).  example>", "John Doe", "jdoe@machine.example")]
    [InlineData(" Mary Smith\r\n  \r\n          <mary@example.net>", "Mary Smith", "mary@example.net")]
    public void ParseList_WhenRfc5322Examples_ReadsNameAndAddress(string raw, string name, string address)
    {
        var warnings = new List<MimeWarning>();
        var mailbox = Single(raw, warnings);
        Assert.Equal(name, mailbox.Name);
        Assert.Equal(address, mailbox.Address);
        Assert.Empty(warnings);
    }

    [Fact]
    public void ParseList_WhenRfc5322ListWithQuotedSemicolon_ReadsEveryMailbox()
    {
        var list = Parse(" Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>");
        Assert.Equal(3, list.Count);
        Assert.Equal("Who?", list[2].Name);
        var cc = Parse(" <boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>");
        Assert.Equal(2, cc.Count);
        Assert.Null(cc[0].Name);
        Assert.Equal("Giant; \"Big\" Box", cc[1].Name);
        Assert.Equal("sysservices@example.net", ((MailboxAddress)cc[1]).Address);
    }

    [Fact]
    public void ParseList_WhenRfc5322Groups_ReadsMembers()
    {
        var list = Parse(" A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;");
        var group = Assert.IsType<GroupAddress>(Assert.Single(list));
        Assert.Equal("A Group", group.Name);
        Assert.Equal(["c@a.test", "joe@where.test", "jdoe@one.test"], group.Members.Select(m => m.Address));
        Assert.Equal("Ed Jones", group.Members[0].Name);

        var empty = Assert.IsType<GroupAddress>(Assert.Single(Parse(" Undisclosed recipients:;")));
        Assert.Equal("Undisclosed recipients", empty.Name);
        Assert.Empty(empty.Members);
    }

    [Fact]
    public void ParseList_WhenRfc5322GroupWithComments_ReadsMembers()
    {
        var warnings = new List<MimeWarning>();
        var list = Parse("A Group(Some people)\r\n     :Chris Jones <c@(Chris's host.)public.example>,\r\n         joe@example.org,\r\n  John <jdoe@one.test> (my dear friend); (the end of the group)", warnings);
        var group = Assert.IsType<GroupAddress>(Assert.Single(list));
        Assert.Equal("A Group", group.Name);
        Assert.Equal(["c@public.example", "joe@example.org", "jdoe@one.test"], group.Members.Select(m => m.Address));
        Assert.Empty(warnings);

        var hidden = Assert.IsType<GroupAddress>(Assert.Single(Parse("(Empty list)(start)Hidden recipients  :(nobody(that I know))  ;")));
        Assert.Equal("Hidden recipients", hidden.Name);
        Assert.Empty(hidden.Members);
    }

    [Fact]
    public void ParseList_WhenObsoleteRouteAndEmptyItems_ReadsThem()
    {
        var list = Parse(" Mary Smith <@node.test:mary@example.net>, , jdoe@test  . example");
        Assert.Equal(2, list.Count);
        var mary = (MailboxAddress)list[0];
        Assert.Equal("mary@example.net", mary.Address);
        Assert.Equal(["node.test"], mary.Route);
        Assert.Equal("jdoe@test.example", ((MailboxAddress)list[1]).Address);
    }

    [Fact]
    public void ParseList_WhenRouteWithSeveralRelays_KeepsAll()
    {
        var mailbox = Single("<@relay1.test,@relay2.test:a@b.test>");
        Assert.Equal(["relay1.test", "relay2.test"], mailbox.Route);
        Assert.Equal("a@b.test", mailbox.Address);
    }

    [Theory]
    [InlineData("a@b.test (Alice Example)", "Alice Example", "a@b.test")]
    [InlineData("a@b.test", null, "a@b.test")]
    [InlineData("<a@b.test>", null, "a@b.test")]
    [InlineData("  < a@b.test >  ", null, "a@b.test")]
    [InlineData("\"Doe, John\" <john@x.test>", "Doe, John", "john@x.test")]
    [InlineData("\"Smith,\r\n John\" <j@x.test>", "Smith, John", "j@x.test")]
    [InlineData("=?utf-8?q?Jos=C3=A9_Garc=C3=ADa?= <jose@x.test>", "José García", "jose@x.test")]
    [InlineData("\"=?UTF-8?B?0J/RgNC40LLQtdGCLCDQvNC40YA=?=\" <privet@x.test>", "Привет, мир", "privet@x.test")]
    [InlineData("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>", "Keld Jørn Simonsen", "keld@dkuug.dk")]
    [InlineData("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", "André Pirard", "PIRARD@vm1.ulg.ac.be")]
    [InlineData("a@b.test (=?utf-8?q?J=C3=B6rg?=)", "Jörg", "a@b.test")]
    [InlineData("John (the boss) Smith <js@x.test>", "John Smith", "js@x.test")]
    public void ParseList_WhenCommonForms_ReadsNameAndAddress(string raw, string? name, string address)
    {
        var mailbox = Single(raw);
        Assert.Equal(name, mailbox.Name);
        Assert.Equal(address, mailbox.Address);
    }

    [Theory]
    [InlineData("\"support@bank.com\" <evil@x.test>")]
    [InlineData("support@bank.com <evil@x.test>")]
    public void ParseList_WhenDisplayNameIsAnotherAddress_KeepsNameAsWritten(string raw)
    {
        var mailbox = Single(raw);
        Assert.Equal("support@bank.com", mailbox.Name);
        Assert.Equal("evil@x.test", mailbox.Address);
        Assert.Equal("x.test", mailbox.Domain);
    }

    [Fact]
    public void ParseList_WhenDisplayNameHidesAngleAddress_KeepsItInName()
    {
        var mailbox = Single("\"PayPal <service@paypal.com>\" <phish@evil.test>");
        Assert.Equal("PayPal <service@paypal.com>", mailbox.Name);
        Assert.Equal("phish@evil.test", mailbox.Address);
    }

    [Fact]
    public void ParseList_WhenQuotedLocalPart_KeepsQuotesInAddressOnly()
    {
        var mailbox = Single("\"john..doe\"@example.com");
        Assert.Equal("\"john..doe\"@example.com", mailbox.Address);
        Assert.Equal("john..doe", mailbox.LocalPart);
        Assert.Equal("example.com", mailbox.Domain);
    }

    [Fact]
    public void ParseList_WhenSemicolonsSeparate_ReadsEachAddress()
    {
        var list = AddressParser.Flatten(Parse("alice@x.test; Bob <bob@y.test>;carol@z.test"));
        Assert.Equal(["alice@x.test", "bob@y.test", "carol@z.test"], list.Select(m => m.Address));
    }

    [Fact]
    public void ParseList_WhenCommaMissing_SplitsWithWarning()
    {
        var warnings = new List<MimeWarning>();
        var list = Parse("a@x.test b@y.test", warnings);
        Assert.Equal(2, list.Count);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void ParseList_WhenClosingBracketMissing_RecoversWithWarning()
    {
        var warnings = new List<MimeWarning>();
        var list = Parse("John <john@x.test, Jane <jane@y.test>", warnings);
        Assert.Equal(["john@x.test", "jane@y.test"], AddressParser.Flatten(list).Select(m => m.Address));
        Assert.Equal("John", list[0].Name);
        Assert.Contains(warnings, w => w.Code == MimeWarningCode.InvalidAddress);
    }

    [Theory]
    [InlineData("john@", "john", "")]
    [InlineData("john", "john", "")]
    [InlineData("<john>", "john", "")]
    public void ParseList_WhenDomainMissing_KeepsLocalPartWithWarning(string raw, string local, string domain)
    {
        var warnings = new List<MimeWarning>();
        var mailbox = Single(raw, warnings);
        Assert.Equal(local, mailbox.LocalPart);
        Assert.Equal(domain, mailbox.Domain);
        Assert.Contains(warnings, w => w.Code == MimeWarningCode.InvalidAddress);
    }

    [Fact]
    public void ParseList_WhenDoubleAt_SplitsAtTheLastAtWithWarning()
    {
        var warnings = new List<MimeWarning>();
        var mailbox = Single("Bank <security@bank.test@evil.test>", warnings);
        Assert.Equal("security@bank.test@evil.test", mailbox.Address);
        Assert.Equal("security@bank.test", mailbox.LocalPart);
        Assert.Equal("evil.test", mailbox.Domain);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void ParseList_WhenQuoteUnbalanced_RecoversAddress()
    {
        var warnings = new List<MimeWarning>();
        var mailbox = Single("\"John <john@x.test>", warnings);
        Assert.Equal("john@x.test", mailbox.Address);
        Assert.Equal("John", mailbox.Name);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void ParseList_WhenParenthesisUnbalanced_RecoversAddress()
    {
        var warnings = new List<MimeWarning>();
        var mailbox = Single("John (work <john@x.test>", warnings);
        Assert.Equal("john@x.test", mailbox.Address);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void ParseList_WhenEmptyAngle_GivesEmptyAddressWithWarning()
    {
        var warnings = new List<MimeWarning>();
        var mailbox = Single("Mail Delivery System <>", warnings);
        Assert.Equal("Mail Delivery System", mailbox.Name);
        Assert.Equal(string.Empty, mailbox.Address);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void ParseList_WhenMailtoInsideAngle_ReadsAddress()
    {
        Assert.Equal("a@b.test", Single("<mailto:a@b.test>").Address);
    }

    [Fact]
    public void ParseList_WhenUnquotedNameBeforeAddrSpec_SplitsNameWithWarning()
    {
        var warnings = new List<MimeWarning>();
        var mailbox = Single("Microsoft Support@evil.test", warnings);
        Assert.Equal("Microsoft", mailbox.Name);
        Assert.Equal("Support@evil.test", mailbox.Address);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void ParseList_WhenUtf8Address_ReadsItAndConvertsDomain()
    {
        var mailbox = Single("Jörg <jörg@bücher.example>");
        Assert.Equal("Jörg", mailbox.Name);
        Assert.Equal("jörg@bücher.example", mailbox.Address);
        Assert.Equal("xn--bcher-kva.example", mailbox.AsciiDomain);
        Assert.Equal("bücher.example", mailbox.UnicodeDomain);
        Assert.True(mailbox.IsInternational);
    }

    [Fact]
    public void ParseList_WhenPunycodeDomain_ExposesUnicodeDomain()
    {
        var mailbox = Single("security@xn--pypal-4ve.com");
        Assert.Equal("xn--pypal-4ve.com", mailbox.Domain);
        Assert.Equal("pаypal.com", mailbox.UnicodeDomain);
        Assert.Equal("xn--pypal-4ve.com", mailbox.AsciiDomain);
        Assert.False(mailbox.IsInternational);
    }

    [Fact]
    public void ParseList_WhenInvalidPunycode_KeepsDomainAsWritten()
    {
        Assert.Equal("xn--.test", Single("a@xn--.test").UnicodeDomain);
    }

    [Fact]
    public void ParseList_WhenDomainLiteral_KeepsIt()
    {
        var mailbox = Single("root@[192.0.2.1]");
        Assert.Equal("[192.0.2.1]", mailbox.Domain);
        Assert.Equal("[192.0.2.1]", mailbox.UnicodeDomain);
    }

    [Fact]
    public void ParseMailboxes_WhenGroupsAndMailboxes_FlattensInOrder()
    {
        var all = AddressParser.ParseMailboxes("a@x.test, Team: b@y.test, c@z.test;, d@w.test"u8);
        Assert.Equal(["a@x.test", "b@y.test", "c@z.test", "d@w.test"], all.Select(m => m.Address));
    }

    [Fact]
    public void ParseList_WhenWarningsReported_UseTheGivenOffset()
    {
        var warnings = new List<MimeWarning>();
        AddressParser.ParseList("john@"u8, warnings, 1000);
        Assert.All(warnings, w => Assert.InRange(w.Offset, 1000, 1005));
    }

    [Theory]
    [InlineData("(((((((((((((((((((((((((((((((((((((((((a@b.test")]
    [InlineData("\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"\"")]
    [InlineData("<<<<<<<<<<<<<<<<<<<<<<<")]
    [InlineData(">>>>>>>>>>>>>>>>>>>")]
    [InlineData("@@@@@@@@@@@@@@@@@@@@@")]
    [InlineData(":::::::::::::::::::;;;;;;;;;")]
    [InlineData("\\\\\\\\\\\\")]
    [InlineData("a@b.test (unterminated")]
    [InlineData("<a@[1.2.3.4")]
    [InlineData("<@relay")]
    [InlineData("Group: a@b.test, (")]
    [InlineData("\0\u0001\u007f")]
    public void ParseList_WhenHostileInput_DoesNotThrow(string raw)
    {
        var warnings = new List<MimeWarning>();
        var list = Parse(raw, warnings);
        Assert.NotNull(list);
    }

    [Theory]
    [InlineData("(")]
    [InlineData("\"")]
    [InlineData("<")]
    [InlineData("a@")]
    [InlineData("a@b.test, ")]
    [InlineData("x: ")]
    public void ParseList_WhenRepeatedHundredThousandTimes_StaysLinearAndBounded(string unit)
    {
        var raw = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(unit, 100_000)));
        var warnings = new List<MimeWarning>();
        var watch = Stopwatch.StartNew();
        var list = AddressParser.ParseList(raw, warnings);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.True(AddressParser.Flatten(list).Count <= AddressParser.MaxAddresses);
        Assert.True(warnings.Count <= 32);
    }

    [Fact]
    public void ParseList_WhenDeeplyNestedComments_SkipsThem()
    {
        var raw = new string('(', 50_000) + new string(')', 50_000) + " a@b.test";
        Assert.Equal("a@b.test", Single(raw).Address);
    }

    [Fact]
    public void ParseList_WhenTooManyAddresses_StopsAtLimitWithWarning()
    {
        var raw = string.Concat(Enumerable.Repeat("a@b.test,", AddressParser.MaxAddresses + 10));
        var warnings = new List<MimeWarning>();
        var list = Parse(raw, warnings);
        Assert.Equal(AddressParser.MaxAddresses, list.Count);
        Assert.Single(warnings);
    }

    [Fact]
    public void ParseList_WhenEmpty_ReturnsEmpty()
    {
        Assert.Empty(Parse(string.Empty));
        Assert.Empty(Parse("  ,, ;  (just a comment)"));
    }
}

public class AddressParserSpamFormsTests
{
    [Theory]
    [InlineData("<Undisclosed-Recipient:;@netnoteinc.com>", "netnoteinc.com")]
    [InlineData("<Undisclosed-Recipient:;>", "")]
    [InlineData("<undisclosed-recipients:@einstein.ssz.com;>", "einstein.ssz.com")]
    public void ParseList_WhenGroupSyntaxInsideAngleBrackets_GivesOneMailbox(string raw, string domain)
    {
        var warnings = new List<MimeWarning>();
        var list = AddressParser.ParseList(System.Text.Encoding.ASCII.GetBytes(raw), warnings);
        var mailbox = Assert.IsType<MailboxAddress>(Assert.Single(list));
        Assert.Equal(domain, mailbox.Domain);
        Assert.NotEmpty(warnings);
    }

    [Theory]
    [InlineData("=?utf-8?q?PayPal_<service@paypal.com>?= <evil@x.test>", "PayPal <service@paypal.com>")]
    [InlineData("=?utf-8?q?Support,_Bank?= <evil@x.test>", "Support, Bank")]
    [InlineData("=?utf-8?B?U2VydmljZSA8c2VydmljZUBwYXlwYWwuY29tPg==?= <evil@x.test>", "Service <service@paypal.com>")]
    public void ParseList_WhenEncodedWordHidesSpecials_KeepsThemInTheName(string raw, string name)
    {
        var list = AddressParser.ParseList(System.Text.Encoding.ASCII.GetBytes(raw));
        var mailbox = Assert.IsType<MailboxAddress>(Assert.Single(list));
        Assert.Equal(name, mailbox.Name);
        Assert.Equal("evil@x.test", mailbox.Address);
    }

    [Fact]
    public void ParseList_WhenOnlyAQuotedName_GivesNameWithoutAddress()
    {
        var warnings = new List<MimeWarning>();
        var mailbox = Assert.IsType<MailboxAddress>(Assert.Single(AddressParser.ParseList("\"John Smith\""u8, warnings)));
        Assert.Equal("John Smith", mailbox.Name);
        Assert.Equal(string.Empty, mailbox.Address);
        Assert.NotEmpty(warnings);
    }

    [Fact]
    public void ParseList_WhenStrayCloseBracketBeforeWord_DropsTheBracket()
    {
        var list = AddressParser.ParseList("> john"u8);
        Assert.Equal("john", Assert.IsType<MailboxAddress>(Assert.Single(list)).Address);
    }
}
