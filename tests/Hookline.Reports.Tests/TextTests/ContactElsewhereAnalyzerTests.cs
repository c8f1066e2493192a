using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Text;

namespace Hookline.Reports.Tests.TextTests;

/// <summary>Requests to write to a free-mail address that is not the sender's (ContactElsewhereAnalyzer), and the romance lexicon.</summary>
public sealed class ContactElsewhereAnalyzerTests
{
    private static MessageAnalysis Plain(string body, string from = "Grace Obi <grace@northwind-traders.com>", string extraHeaders = "") =>
        TestMail.Analyze($"From: {from}\nTo: anna@contoso.com\n{extraHeaders}Subject: Hello\nContent-Type: text/plain; charset=utf-8\n\n{body}\n").Analysis;

    [Theory]
    [InlineData("I have a proposal for you. Please e-mail me at grace.private77@gmail.com for the details.", "e-mail me")]
    [InlineData("Por favor, me escreva no meu endereço: grace.private77@hotmail.com", "me escreva")]
    [InlineData("Bitte schreiben Sie mir direkt an grace.private77@yahoo.com.", "schreiben sie mir")]
    [InlineData("My private email is grace.private77@outlook.com, reply there.", "my private email")]
    [InlineData("I can send you my picture. Reply me grace.private77@gmail.com", "reply me")]
    [InlineData("What state are you from? Email to grace.private77@gmail.com", "email to")]
    public void Analyze_WhenTheTextAsksForRepliesAtAnotherFreeMailAddress_Flags(string body, string request)
    {
        var detail = Plain(body).DetailOf("text.contact-elsewhere");

        Assert.StartsWith($"\"{request}\" grace.private77@", detail, StringComparison.Ordinal);
        Assert.Contains("a free-mail address that is not the sender's (grace@northwind-traders.com)", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("On Monday, Grace <grace.private77@gmail.com> wrote: see you at the meeting.")]
    [InlineData("Contact me at sales@northwind-traders.com for a quote.")]
    [InlineData("Regards, Grace. Mobile +1 555 0100, grace.private77@gmail.com")]
    [InlineData("Please e-mail me at anna@contoso.com when you are back.")]
    public void Analyze_WhenAnAddressIsQuotedOrNotFreeMail_DoesNotFlag(string body)
    {
        Assert.DoesNotContain("text.contact-elsewhere", Plain(body).SignalIds());
    }

    [Fact]
    public void Analyze_WhenTheAddressIsTheSendersOwnOrItsReplyTo_DoesNotFlag()
    {
        var own = Plain("Email me at grace.obi@gmail.com", from: "Grace Obi <grace.obi@gmail.com>");
        var replyTo = Plain("Email me at grace.home@gmail.com", extraHeaders: "Reply-To: grace.home@gmail.com\n");

        Assert.DoesNotContain("text.contact-elsewhere", own.SignalIds());
        Assert.DoesNotContain("text.contact-elsewhere", replyTo.SignalIds());
    }

    [Fact]
    public void Analyze_WhenARomanceScamOpens_FindsTheLureAndTheContactElsewhere()
    {
        var analysis = Plain("Hello! I am a single woman from abroad, looking for a serious relationship. I will send you my photos. Write to me at lonely.heart.2@gmail.com");

        Assert.Contains("text.contact-elsewhere", analysis.SignalIds());
        Assert.True(analysis.DetailsOf("intent.romance").Length >= 3);
    }

    [Fact]
    public void RequestBefore_LooksOnlyAShortWayBack()
    {
        var body = "email me tomorrow. " + new string('x', 60) + " grace@gmail.com";

        Assert.Null(ContactElsewhereAnalyzer.RequestBefore(body, body.IndexOf("grace@", StringComparison.Ordinal)));
        Assert.Equal("email me", ContactElsewhereAnalyzer.RequestBefore("email me at grace@gmail.com", 12));
    }

    [Theory]
    [InlineData("write to grace.p77@gmail.com.", "grace.p77@gmail.com", 9)]
    [InlineData("(.x_y@mail.example.co.uk)", "x_y@mail.example.co.uk", 2)]
    [InlineData("a@b.com123 and c@d", "a@b.com", 0)]
    [InlineData("me@host-1.example9.org-", "me@host-1.example9.org", 0)]
    public void Addresses_FindsEachAddressFromItsAtSign(string text, string address, int index)
    {
        var found = Assert.Single(ContactElsewhereAnalyzer.Addresses(text));

        Assert.Equal((index, address), found);
    }

    [Theory]
    [InlineData("no address @ all")]
    [InlineData("user@localhost")]
    [InlineData("user@example.c")]
    [InlineData("._@example.com")]
    public void Addresses_WhenNoneIsWritten_FindsNothing(string text) => Assert.Empty(ContactElsewhereAnalyzer.Addresses(text));

    [Fact]
    public void Addresses_OnAHostileRun_KeepsTheLast64CharactersOfTheLocalPart()
    {
        var text = new string('a', 100_000) + "@example.com " + string.Concat(Enumerable.Repeat("b@b.", 50_000));

        var (index, address) = Assert.Single(ContactElsewhereAnalyzer.Addresses(text));

        Assert.Equal(100_000 - 64, index);
        Assert.Equal(new string('a', 64) + "@example.com", address);
    }
}
