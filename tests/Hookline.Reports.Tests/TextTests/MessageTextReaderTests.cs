using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Text;

namespace Hookline.Reports.Tests.TextTests;

/// <summary>The text stage (MessageTextReader): what a reader sees, folded (TextFolding), and the evasions met on the way.</summary>
public sealed class MessageTextReaderTests
{
    private static MessageAnalysis Plain(string subject, string body, string from = "Northwind Shop <shop@northwind-traders.com>") =>
        TestMail.Analyze($"From: {from}\nTo: anna@contoso.com\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n{body}\n").Analysis;

    private static MessageAnalysis Html(string html, string subject = "Your order") =>
        TestMail.Analyze($"From: Northwind Shop <shop@northwind-traders.com>\nTo: anna@contoso.com\nSubject: {subject}\nContent-Type: text/html; charset=utf-8\n\n{html}\n").Analysis;

    [Fact]
    public void Analyze_WhenHtmlHidesMuchText_FlagsHiddenAndLeavesItOutOfTheBody()
    {
        // 40 × "quarterly" = 360 hidden letters; "Your order has shipped" = 19 visible ones.
        var hidden = string.Concat(Enumerable.Repeat("quarterly ", 40));
        var analysis = Html($"<html><body><p>Your order has shipped.</p><div style=\"display: none\">{hidden} buy gift cards</div></body></html>");

        Assert.Equal("372 characters of text are hidden in the HTML (display:none, zero size or transparent), 19 visible", analysis.DetailOf("text.hidden"));
        var text = Assert.IsType<MessageText>(analysis.Text);
        Assert.Equal(372, text.HiddenChars);
        Assert.Equal(19, text.VisibleLetters);
        Assert.Contains("your order has shipped.", text.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("quarterly", text.Body, StringComparison.Ordinal);
        // A lure in the hidden text is not read: no one sees it.
        Assert.DoesNotContain("intent.bec", analysis.SignalIds());
    }

    [Theory]
    [InlineData("<span style=\"font-size:0\">{0}</span>")]
    [InlineData("<div style=\"visibility: hidden\">{0}</div>")]
    [InlineData("<div hidden>{0}</div>")]
    [InlineData("<td style=\"max-height:0; overflow:hidden\">{0}</td>")]
    public void Analyze_WhenTextIsHiddenOtherwise_FlagsHidden(string element)
    {
        var hidden = string.Concat(Enumerable.Repeat("invoice ", 50));
        var analysis = Html("<html><body><p>Hello Anna.</p>" + element.Replace("{0}", hidden, StringComparison.Ordinal) + "</body></html>");

        Assert.Contains("text.hidden", analysis.SignalIds());
        Assert.DoesNotContain("invoice", analysis.Text!.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenLittleTextIsHidden_DoesNotFlagButStillLeavesItOut()
    {
        var analysis = Html("<html><body><p>Your order has shipped.</p><div style=\"display:none\">preheader text for the inbox list</div></body></html>");

        Assert.DoesNotContain("text.hidden", analysis.SignalIds());
        Assert.DoesNotContain("preheader", analysis.Text!.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenHiddenTextIsSmallBesideTheVisibleText_DoesNotFlag()
    {
        var hidden = string.Concat(Enumerable.Repeat("quarterly ", 40));
        var visible = string.Concat(Enumerable.Repeat("Our spring catalogue brings garden furniture and tools. ", 20));
        var analysis = Html($"<html><body><p>{visible}</p><div style=\"display:none\">{hidden}</div></body></html>");

        Assert.Equal(360, analysis.Text!.HiddenChars);
        Assert.DoesNotContain("text.hidden", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenZeroWidthCharactersBreakUpWords_FlagsInvisibleCharactersAndFoldsThemAway()
    {
        var analysis = Plain("Pass\u200Bword re\u200Cset", "Your pass\u200Bword ex\u200Dpires to\u2060day.");

        Assert.Equal("5 zero-width or soft-hyphen characters break up the words", analysis.DetailOf("text.invisible-characters"));
        Assert.Equal(5, analysis.Text!.InvisibleChars);
        Assert.Equal("password reset", analysis.Text.Subject);
        Assert.Contains("your password expires today.", analysis.Text.Body, StringComparison.Ordinal);
        Assert.Contains("\"your password expires\" in the body", analysis.DetailsOf("intent.credential"));
    }

    [Fact]
    public void Analyze_WhenOnlyTwoInvisibleCharactersInsideWords_DoesNotFlag()
    {
        var analysis = Plain("Meeting", "See you at te\u00ADn thir\u200Bty.");

        Assert.Equal(2, analysis.Text!.InvisibleChars);
        Assert.DoesNotContain("text.invisible-characters", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenInvisibleCharactersPadBetweenWords_DoesNotCountThem()
    {
        // A newsletter's preheader padding (&zwnj;&nbsp; repeated) and an emoji joiner: layout, not disguise.
        var padding = string.Concat(Enumerable.Repeat("\u200C\u00A0", 40));
        var analysis = Html($"<html><body><p>Spring sale {padding}</p><p>Our family \U0001F468\u200D\U0001F469 thanks you.</p></body></html>");

        Assert.Equal(0, analysis.Text!.InvisibleChars);
        Assert.DoesNotContain("text.invisible-characters", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenDirectionMarksBreakUpWords_CountsAndFoldsThemAway()
    {
        var analysis = Plain("Renewal P\u200Er\u200Ei\u200Fme membership", "Hello");

        Assert.Equal(3, analysis.Text!.InvisibleChars);
        Assert.Equal("renewal prime membership", analysis.Text.Subject);
        Assert.Equal("the subject or sender name breaks its words with 3 invisible characters or overlay marks: \"renewal prime membership northwind shop\"", analysis.DetailOf("text.disguised-subject"));
    }

    [Fact]
    public void Analyze_WhenOverlayMarksRunThroughTheSubject_FlagsDisguisedSubject()
    {
        // U+0337 COMBINING SHORT SOLIDUS OVERLAY drawn through letters: "Falha na entrega" still reads, a word list misses it.
        var analysis = Plain("Fa\u0337lha na e\u0337ntre\u0337ga", "Hello");

        Assert.Equal("falha na entrega", analysis.Text!.Subject);
        Assert.Contains("text.disguised-subject", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenOneInvisibleCharacterInTheSubject_DoesNotFlagDisguisedSubject()
    {
        var analysis = Plain("Weekly\u200B report", "Hello");

        Assert.DoesNotContain("text.disguised-subject", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenSubjectIsInMathematicalBold_FlagsStyledLettersAndFoldsToPlainLetters()
    {
        var analysis = Plain("𝐏𝐋𝐄𝐀𝐒𝐄 𝐔𝐏𝐃𝐀𝐓𝐄", "Hello", from: "Help <help@northwind-traders.com>");

        Assert.Equal("the subject or sender name is written in styled (mathematical or full-width) letters: \"𝐏𝐋𝐄𝐀𝐒𝐄 𝐔𝐏𝐃𝐀𝐓𝐄 Help\"", analysis.DetailOf("text.styled-letters"));
        Assert.True(analysis.Text!.StyledLetters);
        Assert.Equal("please update", analysis.Text.Subject);
    }

    [Fact]
    public void Analyze_WhenSubjectIsFullWidth_FlagsStyledLettersAndReadsTheLure()
    {
        var analysis = Plain("Ｖｅｒｉｆｙ ｙｏｕｒ ａｃｃｏｕｎｔ", "Hello");

        Assert.Contains("text.styled-letters", analysis.SignalIds());
        Assert.Equal("verify your account", analysis.Text!.Subject);
        Assert.Equal(["\"verify your account\" in the subject"], analysis.DetailsOf("intent.credential"));
    }

    [Fact]
    public void Analyze_WhenTwoStyledLetters_DoesNotFlag()
    {
        var analysis = Plain("Score 𝟏𝟐 points", "Hello");

        Assert.DoesNotContain("text.styled-letters", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenSubjectHidesACyrillicLetterInAWord_FlagsMixedScript()
    {
        // U+0430 CYRILLIC SMALL LETTER A in place of the Latin a.
        var analysis = Plain("Your p\u0430ypal account", "Hello");

        Assert.Equal("the word \"p\u0430ypal\" mixes look-alike letters (Cyrillic or Greek with Latin, or a capital I for an l)", analysis.DetailOf("text.mixed-script"));
        Assert.Equal("p\u0430ypal", analysis.Text!.MixedScriptWord);
    }

    [Fact]
    public void Analyze_WhenDisplayNameWritesCapitalIForL_FlagsMixedScript()
    {
        var analysis = Plain("Action needed", "Hello", from: "Trust WaIIet <help@northwind-traders.com>");

        Assert.Equal("WaIIet", analysis.Text!.MixedScriptWord);
        Assert.Contains("\"WaIIet\"", analysis.DetailOf("text.mixed-script"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Invoice INV-2024 for IT services")]
    [InlineData("Пароль и логин")]
    [InlineData("Ελληνικά νέα")]
    [InlineData("iPhone and iPad trade-in")]
    public void Analyze_WhenWordsAreOfOneScript_DoesNotFlagMixedScript(string subject)
    {
        var analysis = Plain(subject, "Hello");

        Assert.Null(analysis.Text!.MixedScriptWord);
        Assert.DoesNotContain("text.mixed-script", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenHtmlBodyIsOnlyAnImage_FlagsImageOnly()
    {
        var analysis = Html("<html><body><a href=\"https://northwind-traders.com/spring\"><img src=\"https://northwind-traders.com/banner.png\"></a></body></html>");

        Assert.Equal("1 image(s) and 0 letters of text: the message is a picture", analysis.DetailOf("text.image-only"));
        Assert.Equal(1, analysis.Text!.Images);
        Assert.Equal(0, analysis.Text.VisibleLetters);
    }

    [Fact]
    public void Analyze_WhenImageComesWithText_DoesNotFlagImageOnly()
    {
        var analysis = Html("<html><body><img src=\"https://northwind-traders.com/logo.png\"><p>Thank you for your order. It ships from our warehouse on Monday.</p></body></html>");

        Assert.Equal(1, analysis.Text!.Images);
        Assert.DoesNotContain("text.image-only", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenHtmlHasTitleAltAndLinkTexts_ReadsThemIntoTheBody()
    {
        var analysis = Html("<html><head><title>Account Notice</title><style>p { color: red }</style></head><body><p>Hello.</p><img src=\"https://northwind-traders.com/a.png\" alt=\"Unlock Your Account\"><a href=\"https://northwind-traders.com/x\">Open Portal</a><script>var secret = 1;</script></body></html>");

        var body = analysis.Text!.Body;
        Assert.Contains("account notice", body, StringComparison.Ordinal);
        Assert.Contains("unlock your account", body, StringComparison.Ordinal);
        Assert.Contains("open portal", body, StringComparison.Ordinal);
        Assert.DoesNotContain("color", body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenFromHasAnAddressAndNoName_HasNoDisplayName()
    {
        // The address is not a name: its local part is no lure "in the sender's name".
        var analysis = Plain("March statement", "Please find our statement for March below.", from: "invoice@northwind-traders.com");

        Assert.Equal(string.Empty, analysis.Text!.DisplayName);
        Assert.DoesNotContain("intent.payment", analysis.SignalIds());
    }

    [Fact]
    public void Analyze_WhenFromHoldsOnlyAName_ReadsTheNameAsTheDisplayName()
    {
        var analysis = Plain("Hello", "Hello", from: "Facebook");

        Assert.Equal("facebook", analysis.Text!.DisplayName);
    }

    [Theory]
    [InlineData("Vérifiez votre compte", "verifiez votre compte")]
    [InlineData("Bestätigen Sie Ihr Konto", "bestatigen sie ihr konto")]
    [InlineData("  Ação\t\r\n necessária  ", "acao necessaria ")]
    [InlineData("𝐏𝐋𝐄𝐀𝐒𝐄 𝐔𝐏𝐃𝐀𝐓𝐄", "please update")]
    [InlineData("𝓟𝓪𝔂𝓟𝓪𝓵 𝟐𝟎𝟐𝟓", "paypal 2025")]
    [InlineData("Ｐａｙｐａｌ　ＩＤ", "paypal id")]
    [InlineData("pass\u200Bword\u00AD", "password")]
    [InlineData("ﬁnance ①", "finance 1")]
    [InlineData("ПАРОЛЬ", "пароль")]
    [InlineData("アカウントが停止", "アカウントが停止")]
    public void Fold_WhenText_DecomposesRemovesAccentsAndLowerCases(string text, string folded)
    {
        Assert.Equal(folded, TextFolding.Fold(text));
    }

    [Fact]
    public void Fold_WhenLongerThanTheLimit_FoldsOnlyTheStart()
    {
        Assert.Equal("abc", TextFolding.Fold("ABCDEF", maxChars: 3));
    }

    [Fact]
    public void Fold_WhenALoneSurrogate_KeepsIt()
    {
        Assert.Equal("a\uD835b", TextFolding.Fold("A\uD835B"));
    }
}
