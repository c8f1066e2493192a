using System.Text.Json;
using Hookline.Mime;
using Hookline.Mime.Addresses;
using Hookline.Reports.Analysis.Senders;
using Hookline.Reports.Contracts;

namespace Hookline.Reports.Tests.SendersTests;

/// <summary>The sender as mail clients show it (DisplayedSender), and what the sender stage and the JSON line make of it.</summary>
public sealed class DisplayedSenderTests
{
    private const string CommaInName = """
        From: Microsoft account team ,_<no-reply@access-accsecurity.com>
        To: anna@contoso.com
        Subject: Unusual sign-in activity
        Content-Type: text/plain; charset=utf-8

        We noticed a sign-in from a new device.
        """;

    private static MimeMessage Parse(string mime) => MailFile.Read(TestMail.Bytes(mime));

    [Fact]
    public void Of_WhenDisplayNameHasAnUnquotedComma_TakesTheAddressAndTheWholeDisplayText()
    {
        var message = Parse(CommaInName);

        var sender = DisplayedSender.Of(message.From, out var fragments);

        Assert.NotNull(sender);
        Assert.Equal("no-reply@access-accsecurity.com", sender.Address);
        Assert.Equal("access-accsecurity.com", sender.Domain);
        // Both pieces RFC 5322 splits the header into, joined again: the text a mail client shows.
        Assert.Equal("Microsoft account team, _", sender.Name);
        Assert.Equal(1, fragments);
        Assert.Equal(sender.Address, DisplayedSender.Of(message)?.Address);
    }

    [Fact]
    public void Of_WhenFromIsOrdinary_ReturnsTheMailboxUnchanged()
    {
        var message = Parse("From: \"Sam Porter\" <sam@northwind-traders.com>\nSubject: hi\n\nhi\n");

        var sender = DisplayedSender.Of(message.From, out var fragments);

        Assert.Same(AddressParser.Flatten(message.From)[0], sender);
        Assert.Equal("Sam Porter", sender?.Name);
        Assert.Equal("sam@northwind-traders.com", sender?.Address);
        Assert.Equal(0, fragments);
    }

    [Theory]
    [InlineData("From: Facebook\n")]
    [InlineData("From: \"Security Team\"\n")]
    [InlineData("")]
    public void Of_WhenFromHasNoAddress_ReturnsNull(string fromLine)
    {
        var message = Parse(fromLine + "To: anna@contoso.com\nSubject: hi\n\nhi\n");

        Assert.Null(DisplayedSender.Of(message));
    }

    [Fact]
    public void Analyze_WhenDisplayNameHasAnUnquotedComma_FlagsFromMalformedAndUsesTheRealDomain()
    {
        var analysis = TestMail.Analyze(CommaInName).Analysis;

        Assert.Equal("no-reply@access-accsecurity.com", analysis.Sender.FromAddress);
        Assert.Equal("Microsoft account team, _", analysis.Sender.FromName);
        Assert.Equal("access-accsecurity.com", analysis.Sender.FromDomain);
        Assert.Equal("access-accsecurity.com", analysis.Sender.FromRegistrableDomain);
        Assert.Equal(1, analysis.Sender.FromCount);
        Assert.Equal(
            "The From display name has an unquoted comma (\"Microsoft account team, _\" <no-reply@access-accsecurity.com>): the header does not parse as one mailbox, as mail clients show it.",
            analysis.DetailOf("sender.from-malformed"));
        Assert.DoesNotContain("sender.from-missing", analysis.SignalIds());
        Assert.DoesNotContain("sender.multiple-from", analysis.SignalIds());
        // The name is read whole: the brand in its first piece counts.
        Assert.Contains("names Microsoft, but no-reply@access-accsecurity.com is not Microsoft's", analysis.DetailOf("brand.display-name"), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenFromIsOrdinary_FlagsNothingAboutTheFrom()
    {
        var analysis = TestMail.Analyze("From: \"Sam Porter\" <sam@northwind-traders.com>\nTo: anna@contoso.com\nSubject: Minutes\n\nThe minutes are attached.\n").Analysis;

        Assert.Equal("Sam Porter", analysis.Sender.FromName);
        Assert.Equal("northwind-traders.com", analysis.Sender.FromDomain);
        Assert.DoesNotContain(analysis.Findings, f => f.Signal is "sender.from-malformed" or "sender.from-missing" or "sender.multiple-from");
    }

    [Fact]
    public void Analyze_WhenFromHoldsTwoMailboxesAndNoSender_FlagsMultipleFrom()
    {
        var analysis = TestMail.Analyze("From: a@x.co, b@y.co\nTo: anna@contoso.com\nSubject: hi\n\nhi\n").Analysis;

        Assert.Equal("From holds 2 mailboxes and there is no Sender field.", analysis.DetailOf("sender.multiple-from"));
        Assert.Equal(2, analysis.Sender.FromCount);
        Assert.Equal("a@x.co", analysis.Sender.FromAddress);
        Assert.DoesNotContain("sender.from-malformed", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenFromHoldsTwoMailboxesAndASender_DoesNotFlagMultipleFrom()
    {
        var analysis = TestMail.Analyze("From: a@x.co, b@y.co\nSender: a@x.co\nTo: anna@contoso.com\nSubject: hi\n\nhi\n").Analysis;

        Assert.DoesNotContain("sender.multiple-from", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenFromHoldsOnlyAName_FlagsFromMissingWithTheName()
    {
        var analysis = TestMail.Analyze("From: Facebook\nTo: anna@contoso.com\nSubject: hi\n\nhi\n").Analysis;

        Assert.Equal("From holds only a name (\"Facebook\") and no address.", analysis.DetailOf("sender.from-missing"));
        Assert.Null(analysis.Sender.FromAddress);
        Assert.Null(analysis.Sender.FromDomain);
    }

    [Fact]
    public void AnalyzeJson_WhenDisplayNameHasAnUnquotedComma_WritesTheDisplayedSenderAsFrom()
    {
        var outcome = TestMail.Analyze(CommaInName);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, AnalyzeJson.WriterOptions))
        {
            AnalyzeJson.Write(json, "comma.eml", outcome, error: null);
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        var from = document.RootElement.GetProperty("message").GetProperty("from");
        Assert.Equal("no-reply@access-accsecurity.com", from.GetProperty("address").GetString());
        Assert.Equal("Microsoft account team, _", from.GetProperty("name").GetString());
    }
}
