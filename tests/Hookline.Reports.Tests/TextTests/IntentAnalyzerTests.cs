using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Text;

namespace Hookline.Reports.Tests.TextTests;

/// <summary>The intent stage (IntentAnalyzer) over the lure lexicon (Lexicon, lures.txt).</summary>
public sealed class IntentAnalyzerTests
{
    private static MessageAnalysis Plain(string subject, string body, string from = "Service Desk <desk@northwind-traders.com>") =>
        TestMail.Analyze($"From: {from}\nTo: anna@contoso.com\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n").Analysis;

    private static List<LexiconHit> Find(Lexicon lexicon, string text, bool headers = true)
    {
        var hits = new List<LexiconHit>();
        lexicon.Find(TextFolding.Fold(text), hits, headers: headers);
        return hits;
    }

    [Theory]
    [InlineData("the winner is", 4)]
    [InlineData("Winner!", 0)]
    [InlineData("(winner)", 1)]
    public void Find_WhenPhraseStandsOnWordBoundaries_Matches(string text, int position)
    {
        var hit = Assert.Single(Find(Lexicon.Parse("[prize]\nwinner\n"), text));

        Assert.Equal(new LexiconHit(0, "winner", position), hit);
    }

    [Theory]
    [InlineData("お客様の荷物が届きました", "荷物", 4)]
    [InlineData("$$$ make $ fast", "make $", 4)]
    [InlineData("a-prize, b-prize", "prize", 2)]
    [InlineData("éa prize", "prize", 3)]
    public void Find_WhenPhrasesStartAfterPunctuationOrInTextWithoutSpaces_FindsThemWhereTheyStart(string text, string phrase, int position)
    {
        var hits = Find(Lexicon.Parse("[lure]\n荷物\nmake $\nprize\n"), text);

        Assert.Equal(position, hits.First(hit => hit.Phrase == phrase).Position);
    }

    [Theory]
    [InlineData("winnerx")]
    [InlineData("xwinner")]
    [InlineData("thewinners")]
    public void Find_WhenPhraseIsInsideAWord_DoesNotMatch(string text)
    {
        Assert.Empty(Find(Lexicon.Parse("[prize]\nwinner\n"), text));
    }

    [Theory]
    [InlineData("please verify now", true)]
    [InlineData("verifique sua conta", true)]
    [InlineData("unverified", false)]
    public void Find_WhenPhraseEndsWithAStar_MayEndInsideAWord(string text, bool found)
    {
        Assert.Equal(found, Find(Lexicon.Parse("[credential]\nverif*\n"), text).Count == 1);
    }

    [Fact]
    public void Find_WhenPhraseIsMarkedForHeaders_MatchesOnlyInHeaders()
    {
        var lexicon = Lexicon.Parse("[urgency]\n^urgent\n");

        Assert.Single(Find(lexicon, "Urgent: reply today", headers: true));
        Assert.Empty(Find(lexicon, "Urgent: reply today", headers: false));
    }

    [Fact]
    public void Find_WhenPhraseIsMarkedForTheBody_MatchesOnlyInTheBody()
    {
        var lexicon = Lexicon.Parse("[money]\n~interest rate*\n");

        Assert.Empty(Find(lexicon, "Your interest rates for April", headers: true));
        Assert.Single(Find(lexicon, "Your interest rates for April", headers: false));
    }

    [Fact]
    public void Analyze_WhenABodyOnlyPhraseIsInTheSubject_DoesNotCountIt()
    {
        var analysis = Plain("Your new interest rate", "Hello Anna, the rate on your savings account changes on 1 April.");

        Assert.Empty(analysis.DetailsOf("intent.money"));
    }

    [Fact]
    public void Find_WhenPhrasesStartAtTheSamePlace_ReportsTheLongest()
    {
        var lexicon = Lexicon.Parse("[credential]\naccount\naccount has been locked\n");

        var hit = Assert.Single(Find(lexicon, "Your account has been locked."));

        Assert.Equal("account has been locked", hit.Phrase);
    }

    [Fact]
    public void Parse_WhenAPhraseComesBeforeAnyFamily_Throws()
    {
        var error = Assert.Throws<FormatException>(() => Lexicon.Parse("# lures\nverify your account\n[credential]\nconfirm your identity\n"));

        Assert.Equal("A phrase before the first [family]: verify your account", error.Message);
    }

    [Fact]
    public void Parse_WhenFamiliesAndPhrasesAreWritten_FoldsPhrasesAndMarksSpamFamilies()
    {
        var lexicon = Lexicon.Parse("""
            # comment
            [credential]
            Vérifiez Votre Compte
            verifiez votre compte
            [adult] spam
            hot girls
            """);

        Assert.Equal(["credential", "adult"], lexicon.Families);
        Assert.Equal([false, true], lexicon.SpamFamilies);
        Assert.Equal(2, lexicon.PhraseCount);
        Assert.Equal("verifiez votre compte", Assert.Single(Find(lexicon, "VÉRIFIEZ VOTRE COMPTE")).Phrase);
    }

    [Fact]
    public void Lures_EachPhraseBelongsToOneFamilyOnly()
    {
        using var stream = typeof(Lexicon).Assembly.GetManifestResourceStream("Hookline.Reports.Analysis.Text.lures.txt")!;
        using var reader = new StreamReader(stream);
        var familyOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var duplicates = new List<string>();
        var family = string.Empty;
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                family = line[1..line.IndexOf(']')];
                continue;
            }

            var phrase = line.TrimStart('^', '~');
            if (familyOf.TryGetValue(phrase, out var first) && first != family)
            {
                duplicates.Add($"{phrase}: [{first}] and [{family}]");
            }

            familyOf.TryAdd(phrase, family);
        }

        Assert.Empty(duplicates);
    }

    [Fact]
    public void Lures_WhenLoaded_HasEveryFamilyTheRulesName()
    {
        var lures = Lexicon.Lures;

        foreach (var family in new[] { "credential", "payment", "parcel", "prize", "advance-fee", "extortion", "legal", "bec", "callback", "crypto", "urgency", "adult", "pharma", "health", "casino", "money", "marketing", "goods" })
        {
            Assert.Contains(family, lures.Families);
        }

        Assert.False(lures.SpamFamilies[lures.Families.ToList().IndexOf("credential")]);
        Assert.True(lures.SpamFamilies[lures.Families.ToList().IndexOf("pharma")]);
    }

    [Fact]
    public void Analyze_WhenLureIsInTheSubject_SaysInTheSubject()
    {
        var analysis = Plain("Verify your account", "Hello Anna, see you on Monday.");

        Assert.Equal("\"verify your account\" in the subject", analysis.DetailOf("intent.credential"));
    }

    [Fact]
    public void Analyze_WhenLureIsInTheSendersName_SaysInTheSendersName()
    {
        var analysis = Plain("Notice", "Hello Anna.", from: "Security Alert <alerts@northwind-traders.com>");

        Assert.Equal("\"security alert\" in the sender's name", analysis.DetailOf("intent.credential"));
    }

    [Fact]
    public void Analyze_WhenLureIsInTheBody_SaysInTheBody()
    {
        var analysis = Plain("Notice", "Hello Anna, please verify your identity before Friday.");

        Assert.Equal("\"verify your identity\" in the body", analysis.DetailOf("intent.credential"));
    }

    [Fact]
    public void Analyze_WhenPhraseForHeadersIsInTheBody_DoesNotCountIt()
    {
        var inBody = Plain("Picnic", "I left you a voicemail about the picnic.");
        var inSubject = Plain("Voicemail from +1 555 0100", "Listen to it today.");

        Assert.DoesNotContain("intent.credential", inBody.SignalIds());
        Assert.Equal("\"voicemail\" in the subject", inSubject.DetailOf("intent.credential"));
    }

    [Theory]
    [InlineData("winnerx results")]
    [InlineData("Our winners")]
    public void Analyze_WhenAPhraseIsPartOfAWord_DoesNotCountIt(string subject)
    {
        Assert.DoesNotContain("intent.prize", Plain(subject, "Hello").SignalIds());
    }

    [Fact]
    public void Analyze_WhenTheSamePhraseIsInSubjectAndBody_ReportsItOnce()
    {
        var analysis = Plain("Verify your account", "Please verify your account today.");

        Assert.Equal(["\"verify your account\" in the subject"], analysis.DetailsOf("intent.credential"));
    }

    [Fact]
    public void Analyze_WhenManyPhrasesOfOneFamily_ReportsAtMostSix()
    {
        var analysis = Plain("Notice", "Verify your account. Confirm your identity. Unusual sign-in. Suspicious login. Mailbox is full. Reset your password. Update your details. Unlock your account.");

        Assert.Equal(6, analysis.DetailsOf("intent.credential").Length);
    }

    [Fact]
    public void Analyze_WhenTheTextOnlyReportsOnALawsuit_IsNoLegalLure()
    {
        var analysis = Plain("Weekly digest", "The lawsuit between the two vendors went to court; the summons was reported in the news. Who would look at my pix from the trip?");

        Assert.Empty(analysis.DetailsOf("intent.legal"));
        Assert.Empty(analysis.DetailsOf("intent.payment"));
    }

    [Theory]
    [InlineData("credential", "Please confirm your identity", "confirm your identity")]
    [InlineData("payment", "There is an outstanding invoice on your file", "outstanding invoice")]
    [InlineData("parcel", "A customs fee must be paid", "customs fee")]
    [InlineData("prize", "Claim your prize now", "claim your prize")]
    [InlineData("advance-fee", "You are named next of kin", "next of kin")]
    [InlineData("extortion", "Send it to my bitcoin wallet", "bitcoin wallet")]
    [InlineData("legal", "A lawsuit against you was filed at the district court", "lawsuit against you")]
    [InlineData("legal", "Segue em anexo a intimação judicial do seu processo", "intimacao judicial")]
    [InlineData("legal", "Vous avez reçu une citation à comparaître", "citation a comparaitre")]
    [InlineData("advance-fee", "Send a copy of your valid ID to release your funds", "copy of your valid id")]
    [InlineData("crypto", "Connect your wallet to claim your tokens", "connect your wallet")]
    [InlineData("romance", "Rencontrez des filles ukrainiennes ce soir", "filles ukrainiennes")]
    [InlineData("bec", "Please buy gift cards for the team", "gift cards")]
    [InlineData("callback", "If you did not authorize this, call us at 555 0100", "if you did not authorize")]
    [InlineData("crypto", "Never share your seed phrase", "seed phrase")]
    [InlineData("urgency", "Reply within 24 hours", "within 24 hours")]
    [InlineData("pharma", "Cheap viagra here", "viagra")]
    [InlineData("health", "Weight loss without effort", "weight loss")]
    [InlineData("casino", "Fifty free spins", "free spins")]
    [InlineData("money", "Earn a passive income", "passive income")]
    [InlineData("money", "Homeowners can refinance at the lowest rates", "homeowner")]
    [InlineData("money", "Be your own boss with a home-based business", "be your own boss")]
    [InlineData("advance-fee", "I seek your urgent assistance in utmost confidence", "your urgent assistance")]
    [InlineData("pharma", "Order meds online without a prescription", "without a prescription")]
    [InlineData("marketing", "We put your site on the top search engines", "top search engines")]
    [InlineData("goods", "Save on inkjet cartridges this week", "inkjet cartridge")]
    [InlineData("casino", "Place your bets and multiply your winnings", "place your bet")]
    [InlineData("romance", "I am looking for an ideal man to share my life", "looking for an ideal man")]
    [InlineData("crypto", "Your staking rewards are waiting", "staking rewards")]
    [InlineData("credential", "Scan the QR code with your phone to keep access", "scan the qr code")]
    [InlineData("credential", "You have received a secure message from HR", "secure message")]
    [InlineData("bec", "Please update my direct deposit before Friday", "update my direct deposit")]
    [InlineData("adult", "She is coming to your city and wants to have sex tonight", "have sex")]
    [InlineData("adult", "Je krijgt naaktfoto's te zien", "naaktfoto")]
    [InlineData("romance", "Geniet van daten met Russische schoonheden", "russische schoonheden")]
    [InlineData("romance", "I am going to send you my picture", "send you my picture")]
    [InlineData("money", "Reduza o custo do seu plano de saúde", "plano de saude")]
    [InlineData("money", "Vergleichen Sie Ihre Krankenversicherung", "krankenversicherung")]
    public void Analyze_WhenBodyCarriesAFamilysPhrase_FindsThatFamily(string family, string body, string phrase)
    {
        var analysis = Plain("Hello", body);

        Assert.Contains($"\"{phrase}\" in the body", analysis.DetailsOf("intent." + family));
    }

    [Theory]
    [InlineData("crypto", "First wave: claim your XRP batch", "xrp", true)]
    [InlineData("crypto", "Lido: claim your stETH now", "steth", true)]
    [InlineData("prize", "Your chance to win $7,500 this Sunday", "chance to win", true)]
    [InlineData("romance", "Hey! Do you want to know me?", "want to know me", false)]
    [InlineData("bec", "Wire transfer needed today", "wire transfer", true)]
    [InlineData("bec", "Zahlung per Überweisung", "uberweisung", true)]
    public void Analyze_WhenTheSubjectCarriesAPhrase_FindsThatFamilyAndHeadersOnlyPhrasesNotInTheBody(string family, string subject, string phrase, bool headersOnly)
    {
        var inSubject = Plain(subject, "Hello");
        var inBody = Plain("Hello", subject);

        Assert.Contains($"\"{phrase}\" in the subject", inSubject.DetailsOf("intent." + family));
        Assert.Equal(!headersOnly, inBody.DetailsOf("intent." + family).Contains($"\"{phrase}\" in the body"));
    }

    [Theory]
    [InlineData("Sua conta foi bloqueada por segurança.", "sua conta foi bloqueada")]
    [InlineData("Ihr Konto wurde gesperrt.", "ihr konto wurde gesperrt")]
    [InlineData("お客様のアカウントが停止されました。", "アカウントが停止")]
    [InlineData("Votre compte a été suspendu.", "votre compte a ete suspendu")]
    [InlineData("Su cuenta ha sido suspendida.", "su cuenta ha sido suspendida")]
    [InlineData("Il tuo account è stato sospeso.", "il tuo account e stato sospeso")]
    [InlineData("Uw account is geblokkeerd.", "uw account is geblokkeerd")]
    [InlineData("Bestätigen Sie Ihr Konto.", "bestatigen sie ihr konto")]
    public void Analyze_WhenTheLureIsInAnotherLanguage_FindsIt(string body, string phrase)
    {
        var analysis = Plain("Aviso", body);

        Assert.Equal($"\"{phrase}\" in the body", analysis.DetailOf("intent.credential"));
    }

    [Fact]
    public void Analyze_WhenTheSubjectIsAccented_FindsTheUnaccentedPhrase()
    {
        var analysis = Plain("Vérifiez votre compte", "Bonjour.");

        Assert.Equal("\"verifiez votre compte\" in the subject", analysis.DetailOf("intent.credential"));
    }

    [Fact]
    public void Analyze_WhenOrdinaryMail_FindsNoIntent()
    {
        var analysis = Plain("Minutes of Tuesday", "Hi Anna, the minutes of Tuesday's meeting are below. We agreed to meet again next week.", from: "Sam Porter <sam@northwind-traders.com>");

        Assert.DoesNotContain(analysis.Findings, f => f.Signal.StartsWith("intent.", StringComparison.Ordinal));
    }
}
