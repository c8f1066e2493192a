using System.Text;
using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Attachments;
using Hookline.Reports.Analysis.QrCodes;
using Hookline.Reports.Analysis.Senders;
using Hookline.Reports.Analysis.Urls;
using Hookline.Reports.Assessment;
using Hookline.Reports.Pipeline;
using Hookline.Reports.Tests.UrlTests;

namespace Hookline.Reports.Tests.QrCodeTests;

/// <summary>QR codes in the message's own images (inline cid images, attached pictures, data: URIs) and the report's QR budget.</summary>
public class QrCodeAnalyzerTests
{
    private const string Lure = "https://m365-verify.evil.example/owa/login?e=bob@contoso.com";

    private static MessageAnalysis Analyze(byte[] mime, AnalysisSettings? settings = null) =>
        ContentMessages.RunAll([new SenderAnalyzer(), new UrlAnalyzer(), new QrCodeAnalyzer(), new AttachmentAnalyzer()], mime, settings);

    private static AnalysisSettings WithLimits(QrCodeLimits limits) => AnalysisSettings.Default with { QrCodes = limits };

    [Fact]
    public void Analyze_WhenInlineCidImageHoldsQrCode_AddsQrUrlAndSignal()
    {
        var result = Analyze(QrImages.WithInlineImage(QrImages.Png(Lure)));

        var url = Assert.Single(result.Urls, u => u.Source == UrlSource.QrCode);
        Assert.Equal(Lure, url.Url);
        Assert.Equal("m365-verify.evil.example", url.Host);
        var finding = Assert.Single(result.Findings, f => f.Signal == UrlSignals.QrCode);
        Assert.Equal($"a QR code in image001.png leads to {Lure}", finding.Detail);
    }

    [Fact]
    public void Analyze_WhenInlineImageHasNoFileName_NamesItByContentId()
    {
        var result = Analyze(QrImages.WithInlineImage(QrImages.Png(Lure), fileName: null));

        Assert.Contains(result.Findings, f => f.Signal == UrlSignals.QrCode && f.Detail.StartsWith("a QR code in cid:qr1@evil.example leads to", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("image/jpeg", "scan.jpg")]
    [InlineData("image/gif", "scan.gif")]
    [InlineData("application/octet-stream", "scan.png")]
    public void Analyze_WhenAttachedPictureHoldsQrCode_FindsIt(string contentType, string fileName)
    {
        var image = contentType switch
        {
            "image/jpeg" => QrImages.Jpeg(Lure),
            "image/gif" => QrImages.Gif(Lure),
            _ => QrImages.Png(Lure),
        };

        var result = Analyze(ContentMessages.WithAttachment(fileName, contentType, image));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
        Assert.Contains(result.Findings, f => f.Signal == UrlSignals.QrCode && f.Detail.Contains(fileName, StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenQrCodeIsOnATransparentBackground_ReadsItAsShownOnWhite()
    {
        var result = Analyze(QrImages.WithInlineImage(QrImages.TransparentPng(Lure)));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
    }

    [Fact]
    public void Analyze_WhenHtmlBodyHasDataUriQrImage_FindsIt()
    {
        var result = Analyze(QrImages.WithDataUris(("png", QrImages.Png(Lure))));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
        Assert.Contains(result.Findings, f => f.Signal == UrlSignals.QrCode && f.Detail.StartsWith("a QR code in the HTML body (data:image/png #1) leads to", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenQrLinkGoesToSignInPageElsewhere_EmitsLoginAndOffsite()
    {
        var signals = Analyze(QrImages.WithInlineImage(QrImages.Png(Lure), from: "it-support@mailer.example")).Signals();

        Assert.Contains(UrlSignals.QrCode, signals);
        Assert.Contains(UrlSignals.QrCodeLogin, signals);
        Assert.Contains(UrlSignals.QrCodeOffsite, signals);
    }

    [Fact]
    public void Analyze_WhenQrLinkStaysOnTheSendersDomain_NoOffsiteNorLogin()
    {
        var signals = Analyze(QrImages.WithInlineImage(QrImages.Png("https://www.shop.example/app/download"), from: "news@mail.shop.example")).Signals();

        Assert.Contains(UrlSignals.QrCode, signals);
        Assert.DoesNotContain(UrlSignals.QrCodeOffsite, signals);
        Assert.DoesNotContain(UrlSignals.QrCodeLogin, signals);
    }

    [Fact]
    public void Analyze_WhenQrLinkIsAnIpBehindAShortener_TheUrlFlagsApply()
    {
        var result = Analyze(QrImages.WithDataUris(("png", QrImages.Png("http://203.0.113.7:8080/x")), ("gif", QrImages.Gif("HTTPS://QRCO.DE/BFX3"))));

        var signals = result.Signals();
        Assert.Contains(UrlSignals.IpLiteral, signals);
        Assert.Contains(UrlSignals.NonstandardPort, signals);
        Assert.Contains(UrlSignals.Shortener, signals);
        Assert.Equal(2, result.Urls.Count(u => u.Source == UrlSource.QrCode));
    }

    [Fact]
    public void Analyze_WhenQrCodeHoldsNoLink_NoUrl()
    {
        var result = Analyze(QrImages.WithInlineImage(QrImages.Png("WIFI:S:Guest;T:WPA;P:welcome2024;;")));

        Assert.DoesNotContain(result.Urls, u => u.Source == UrlSource.QrCode);
        Assert.DoesNotContain(UrlSignals.QrCode, result.Signals());
    }

    [Fact]
    public void Analyze_WhenPictureHasNoQrCode_NoFinding()
    {
        var result = Analyze(QrImages.WithInlineImage(QrImages.Gradient(400, 300)));

        Assert.DoesNotContain(result.Findings, f => f.Signal.StartsWith("url.qr-", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenImageIsLargerThanTheScanLimit_ScalesItDownAndStillReadsIt()
    {
        // 2,400 × 2,400 = 5.8 megapixels: searched at a third of the size (800 × 800 fits 2 megapixels).
        var result = Analyze(QrImages.WithInlineImage(QrImages.Png(Lure, scale: 30, canvas: 2400)));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
    }

    [Fact]
    public void Analyze_WhenPngIsTruncated_ReportsUnreadableAndGoesOn()
    {
        var png = QrImages.Png(Lure);
        var truncated = png.AsSpan(0, png.Length / 2).ToArray();

        var result = Analyze(QrImages.WithManyImages([truncated, QrImages.Png("https://second.evil.example/")]));

        Assert.Contains(result.Findings, f => f.Signal == UrlSignals.QrUnreadable && f.Detail.StartsWith("image001.png: the image is damaged", StringComparison.Ordinal));
        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == "https://second.evil.example/");
    }

    [Theory]
    [InlineData("jpeg-truncated")]
    [InlineData("gif-truncated")]
    [InlineData("jpeg-garbage")]
    [InlineData("gif-garbage")]
    [InlineData("png-bit-flips")]
    public void Analyze_WhenImageIsHostile_BoundedOutcomeAndTheRestIsStillSearched(string kind)
    {
        var random = new Random(kind.Length);
        byte[] hostile;
        switch (kind)
        {
            case "jpeg-truncated":
                var jpeg = QrImages.Jpeg(Lure);
                hostile = jpeg[..(jpeg.Length / 3)];
                break;
            case "gif-truncated":
                var gif = QrImages.Gif(Lure);
                hostile = gif[..(gif.Length / 2)];
                break;
            case "jpeg-garbage":
                hostile = new byte[20_000];
                random.NextBytes(hostile);
                QrImages.Jpeg(Lure).AsSpan(0, 200).CopyTo(hostile);
                break;
            case "gif-garbage":
                hostile = new byte[20_000];
                random.NextBytes(hostile);
                QrImages.Gif(Lure).AsSpan(0, 40).CopyTo(hostile);
                break;
            default:
                hostile = QrImages.Png(Lure);
                for (var i = 60; i < hostile.Length; i += 97)
                {
                    hostile[i] ^= 0x5A;
                }

                break;
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = Analyze(QrImages.WithManyImages([hostile, QrImages.Png("https://after.evil.example/")]));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == "https://after.evil.example/");
        Assert.DoesNotContain(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
    }

    [Fact]
    public void Analyze_WhenHeaderClaims30000By30000_SkipsItWithABudgetFinding()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = Analyze(QrImages.WithInlineImage(QrImages.PngHeaderOnly(30_000, 30_000)));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), watch.Elapsed.ToString());
        var finding = Assert.Single(result.Findings, f => f.Signal == UrlSignals.QrBudget);
        Assert.Equal("image001.png was not searched for a QR code: 30000×30000 pixels, over the 16-megapixel limit", finding.Detail);
    }

    [Fact]
    public void Analyze_WhenImageLiesAboutBeingAnImage_IsNotDecoded()
    {
        var random = new byte[5000];
        new Random(3).NextBytes(random);

        var result = Analyze(QrImages.WithInlineImage(random));

        Assert.DoesNotContain(result.Findings, f => f.Signal.StartsWith("url.qr-", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenImageFileIsOverTheByteLimit_SkipsItWithABudgetFinding()
    {
        var result = Analyze(QrImages.WithInlineImage(QrImages.Png(Lure)), WithLimits(new QrCodeLimits { MaxImageBytes = 500 }));

        Assert.Contains(result.Findings, f => f.Signal == UrlSignals.QrBudget && f.Detail.Contains("over the 500-byte limit", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Urls, u => u.Source == UrlSource.QrCode);
    }

    [Fact]
    public void Analyze_WhenImagesAreTooSmallForAQrCode_SkipsThemSilentlyWithoutSpendingTheBudget()
    {
        var icons = Enumerable.Range(0, 20).Select(_ => QrImages.Gradient(32, 32));

        var result = Analyze(QrImages.WithManyImages([.. icons, QrImages.Png(Lure)]), WithLimits(new QrCodeLimits { MaxImages = 1 }));

        Assert.Contains(result.Urls, u => u.Source == UrlSource.QrCode && u.Url == Lure);
        Assert.DoesNotContain(UrlSignals.QrBudget, result.Signals());
    }

    [Fact]
    public void Analyze_WhenMoreImagesThanTheLimit_SearchesEightAndSaysHowManyWereNot()
    {
        var images = Enumerable.Range(1, 12).Select(i => QrImages.Png($"https://h{i}.evil.example/"));

        var result = Analyze(QrImages.WithManyImages(images));

        Assert.Equal(8, result.Urls.Count(u => u.Source == UrlSource.QrCode));
        Assert.Contains(result.Urls, u => u.Url == "https://h8.evil.example/");
        Assert.DoesNotContain(result.Urls, u => u.Url == "https://h9.evil.example/");
        var budget = Assert.Single(result.Findings, f => f.Signal == UrlSignals.QrBudget);
        Assert.Equal("the QR code search stopped at its limit of 8 images per message: 4 image(s) not searched (image009.png, image010.png, image011.png, and 1 more)", budget.Detail);
        var qr = result.Findings.Where(f => f.Signal == UrlSignals.QrCode).ToList();
        Assert.Equal(UrlCollector.FindingsPerSignal + 1, qr.Count);
        Assert.Equal("and 3 more link(s) in QR codes", qr[^1].Detail);
    }

    [Fact]
    public void Analyze_WhenAnImageWasSearchedBefore_RemembersTheOutcomeAndGivesTheSameFindings()
    {
        var png = QrImages.Png("https://remembered.evil.example/login");
        var message = QrImages.WithInlineImage(png);

        var first = Analyze(message);
        var second = Analyze(message);

        Assert.True(QrResultCache.TryGet(QrResultCache.KeyOf(png, QrCodeLimits.Default.MaxScanPixels), out var outcome));
        Assert.Equal("https://remembered.evil.example/login", outcome.Text);
        Assert.Equal(first.Findings, second.Findings);
        Assert.Contains(second.Urls, u => u.Source == UrlSource.QrCode && u.Url == "https://remembered.evil.example/login");
    }

    [Fact]
    public void Analyze_WhenRememberedImagesAreMoreThanTheLimit_StillStopsAtTheLimit()
    {
        var images = Enumerable.Range(1, 10).Select(i => QrImages.Png($"https://again{i}.evil.example/")).ToList();
        var all = Analyze(QrImages.WithManyImages(images), WithLimits(new QrCodeLimits { MaxImages = 10 }));
        Assert.Equal(10, all.Urls.Count(u => u.Source == UrlSource.QrCode));

        var limited = Analyze(QrImages.WithManyImages(images));

        Assert.Equal(8, limited.Urls.Count(u => u.Source == UrlSource.QrCode));
        Assert.Contains(UrlSignals.QrBudget, limited.Signals());
    }

    [Fact]
    public void Analyze_WhenTimeBudgetIsSpent_SearchesNothingMoreAndSaysSo()
    {
        var result = Analyze(QrImages.WithManyImages([QrImages.Png(Lure), QrImages.Png(Lure)]), WithLimits(new QrCodeLimits { TimeBudget = TimeSpan.Zero }));

        Assert.DoesNotContain(result.Urls, u => u.Source == UrlSource.QrCode);
        var budget = Assert.Single(result.Findings, f => f.Signal == UrlSignals.QrBudget);
        Assert.StartsWith("the QR code search stopped when its 0 ms per message were spent: 2 image(s) not searched (image001.png, image002.png)", budget.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenAttachedMessagesHoldImages_TheyShareTheReportsBudget()
    {
        // A forwarded original with nine attached messages of one QR image each: one budget of three images for all.
        var settings = AnalysisSettings.Default with { QrCodes = new QrCodeLimits { MaxImages = 3 } };
        var analyzer = new ReportAnalyzer(settings, Assessor.Default);
        var original = new StringBuilder("From: a@example.test\r\nTo: b@example.test\r\nSubject: nine\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"inner\"\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\nnine messages\r\n");
        for (var i = 1; i <= 9; i++)
        {
            original.Append("--inner\r\nContent-Type: message/rfc822\r\n\r\n").Append(Encoding.ASCII.GetString(QrImages.WithInlineImage(QrImages.Png($"https://n{i}.evil.example/")))).Append("\r\n");
        }

        original.Append("--inner--\r\n");
        var mime = new StringBuilder("From: bob@contoso.com\r\nTo: phish@contoso.com\r\nSubject: FW: nine\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n\r\n--outer\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n")
            .Append("--outer\r\nContent-Type: message/rfc822\r\n\r\n").Append(original).Append("\r\n--outer--\r\n");

        var outcome = analyzer.Analyze(Encoding.ASCII.GetBytes(mime.ToString()));

        var all = Flatten(outcome.Analysis).ToList();
        Assert.Equal(3, all.Sum(a => a.Urls.Count(u => u.Source == UrlSource.QrCode)));
        Assert.Contains(all, a => a.Findings.Exists(f => f.Signal == UrlSignals.QrBudget));
    }

    [Fact]
    public void Analyze_WhenQuishingMailGoesThroughThePipeline_TheQrRulesMatch()
    {
        var outcome = ReportAnalyzer.Default.Analyze(QrImages.WithInlineImage(QrImages.Png(Lure), from: "it-support@mailer.example"));

        var rules = outcome.Assessment.Matches.Select(m => m.RuleId).ToList();
        Assert.Contains("url.qr-code", rules);
        Assert.Contains("url.qr-code-login", rules);
        Assert.Contains("url.qr-code-offsite", rules);
        Assert.Contains(outcome.Assessment.Reasons, r => r.StartsWith("A QR code leads to a web link, out of reach of link protection (quishing): a QR code in image001.png leads to", StringComparison.Ordinal));
    }

    [Fact]
    public void WarmUp_WhenCalled_ReadsEveryEmbeddedImage()
    {
        Assert.True(QrImageDecoder.WarmUp());
    }

    [Fact]
    public void ThreadCpuClock_WhenTheThreadSleeps_DoesNotCountIt()
    {
        // The budget counts the analysing thread's work, not the time a busy machine keeps it waiting.
        Assert.Equal(OperatingSystem.IsLinux(), ThreadCpuClock.IsCpuTime);
        if (!ThreadCpuClock.IsCpuTime)
        {
            return;
        }

        var start = ThreadCpuClock.Now();

        Thread.Sleep(300);

        Assert.InRange(TimeSpan.FromTicks(ThreadCpuClock.Now() - start), TimeSpan.Zero, TimeSpan.FromMilliseconds(100));
    }

    [Theory]
    [InlineData("https://evil.example/owa/", true)]
    [InlineData("https://evil.example/common/oauth2/authorize", true)]
    [InlineData("https://sso.evil.example/", true)]
    [InlineData("https://evil.example/x?email=bob@contoso.com", true)]
    [InlineData("https://evil.example/x#Ym9iQGNvbnRvc28uY29t%40", true)]
    [InlineData("https://evil.example/Sign-In.php", true)]
    [InlineData("https://www.shop.example/app/download", false)]
    [InlineData("https://tickets.example/event/2291", false)]
    [InlineData("https://user@evil.example/", false)]
    public void LooksLikeLogin_WhenUrl_MatchesSignInPagesOnly(string url, bool expected)
    {
        Assert.Equal(expected, QrCodeScanner.LooksLikeLogin(url));
    }

    private static IEnumerable<MessageAnalysis> Flatten(MessageAnalysis analysis) =>
        new[] { analysis }.Concat(analysis.AttachedMessages.SelectMany(Flatten));
}
