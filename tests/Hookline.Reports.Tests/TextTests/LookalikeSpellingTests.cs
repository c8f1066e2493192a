using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Text;

namespace Hookline.Reports.Tests.TextTests;

/// <summary>Look-alike spelling read as letters (LookalikeSpelling) and the disguised lures it uncovers in subjects and sender names.</summary>
public sealed class LookalikeSpellingTests
{
    private static MessageAnalysis WithSubject(string subject) =>
        TestMail.Analyze($"From: Notices <notices@northwind-traders.com>\nTo: anna@contoso.com\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\nHello.\n").Analysis;

    [Theory]
    [InlineData("Buy V!agra here", "Buy Viagra here")]
    [InlineData("Verify your acc0unt", "Verify your account")]
    [InlineData("V1agra and 1mpotence", "Viagra and impotence")]
    [InlineData("Your mailbox is Iocked", "Your mailbox is locked")]
    [InlineData("FREE VlAGRA TODAY", "FREE VIAGRA TODAY")]
    [InlineData("Please_verify_your_identity", "Please verify your identity")]
    public void Undo_ReadsLookalikesAsLetters(string written, string read)
    {
        Assert.Equal(read, LookalikeSpelling.Undo(written));
    }

    [Theory]
    [InlineData("Win $7,500 in 2024")]
    [InlineData("Order an i7 and an MP4")]
    [InlineData("Order 10-4431 shipped")]
    public void Undo_LeavesNumbersAndShortTokensAlone(string written)
    {
        Assert.Equal(written, LookalikeSpelling.Undo(written));
    }

    [Fact]
    public void Undo_LooksAtABoundedPrefix()
    {
        Assert.Equal(100, LookalikeSpelling.Undo(new string('a', 10_000), maxChars: 100).Length);
    }

    [Fact]
    public void Analyze_WhenTheSubjectSpellsALureWithLookalikes_FindsTheLureAndTheDisguise()
    {
        var analysis = WithSubject("Your acc0unt has been Iocked");

        Assert.Contains("\"your account has been locked\" in the subject, read past look-alike spelling", analysis.DetailsOf("intent.credential"));
        Assert.StartsWith("the subject spells a lure so that filters miss it: ", analysis.DetailOf("text.disguised-lure"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Your account has been locked")]
    [InlineData("In the news: Intel ships new chips")]
    public void Analyze_WhenTheSubjectIsSpelledPlainly_FindsNoDisguise(string subject)
    {
        Assert.DoesNotContain("text.disguised-lure", WithSubject(subject).SignalIds());
    }

    [Fact]
    public void Analyze_WhenTheSendersNameSpellsALureWithLookalikes_FindsTheLureAndTheDisguise()
    {
        var analysis = TestMail.Analyze("From: \"BEST VlAGRA STORE\" <offers@northwind-traders.com>\nTo: anna@contoso.com\nSubject: Your order\nContent-Type: text/plain; charset=utf-8\n\nHello.\n").Analysis;

        Assert.Contains(analysis.DetailsOf("intent.pharma"), detail => detail.EndsWith("in the sender's name, read past look-alike spelling", StringComparison.Ordinal));
        Assert.StartsWith("the sender's name spells a lure so that filters miss it: ", analysis.DetailOf("text.disguised-lure"), StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenTheSendersNameIsSpelledPlainly_FindsNoDisguise()
    {
        var analysis = TestMail.Analyze("From: \"Anna Lindqvist\" <anna@northwind-traders.com>\nTo: bo@contoso.com\nSubject: Minutes\nContent-Type: text/plain; charset=utf-8\n\nHello.\n").Analysis;

        Assert.DoesNotContain("text.disguised-lure", analysis.SignalIds());
    }
}
