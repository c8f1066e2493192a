using System.Text;
using Hookline.Mime;
using Hookline.Reports.Rendering;

namespace Hookline.Reports.Tests.RenderingTests;

/// <summary>Issue 10's hostile body: thousands of cid: references to one large image, and bodies built to take long.</summary>
public sealed class HostileBodyRenderingTests
{
    private static MimeMessage WithImage(int references, int imageBytes)
    {
        var image = new byte[imageBytes];
        new Random(7).NextBytes(image);
        var html = string.Concat(Enumerable.Repeat("<img src=\"cid:a\">", references));
        var mime = new StringBuilder()
            .Append("From: a@example.test\r\nTo: b@example.test\r\nSubject: pictures\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/related; boundary=\"b\"\r\n\r\n")
            .Append("--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n").Append(html).Append("\r\n")
            .Append("--b\r\nContent-Type: image/png\r\nContent-ID: <a>\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Convert.ToBase64String(image, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n--b--\r\n");
        return MailFile.Read(Encoding.ASCII.GetBytes(mime.ToString()));
    }

    private static string Html(MimeMessage message) =>
        message.Entities(intoAttachedMessages: false).OfType<MimePart>().Single(p => p.ContentType.MediaSubtype == "html").GetText();

    [Fact]
    public void Render_WhenThirtyThousandReferencesNameOneOversizedImage_DecodesItOnceAndInlinesNothing()
    {
        var message = WithImage(30_000, 3 * 1024 * 1024);
        var images = new InlineImages(message);

        var page = BodyDefanger.Render(Html(message), images.Resolve);

        Assert.Equal(1, images.Decoded);
        Assert.DoesNotContain("data:image/png", page, StringComparison.Ordinal);
        Assert.True(page.Length < 2 * 1024 * 1024, $"{page.Length} characters");
    }

    [Fact]
    public void Render_WhenManyReferencesNameOneSmallImage_InlinesItUntilTheBodysBudgetIsSpent()
    {
        var message = WithImage(1_000, 100 * 1024);
        var images = new InlineImages(message);

        var page = BodyDefanger.Render(Html(message), images.Resolve);

        Assert.Equal(1, images.Decoded);
        var inlined = page.Split("data:image/png;base64,").Length - 1;
        Assert.Equal(InlineImages.MaxWrittenBytes / (100 * 1024), inlined);
        Assert.True(page.Length < InlineImages.MaxWrittenBytes * 2, $"{page.Length} characters");
    }

    [Fact]
    public void Render_WhenTheCallerCancels_StopsWithinAFewTokens()
    {
        var html = string.Concat(Enumerable.Repeat("<p>x</p>", 10_000));
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => BodyDefanger.Render(html, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void Render_WhenTheOutputWouldPassTheLimit_StopsAndSaysSo()
    {
        var html = string.Concat(Enumerable.Repeat("<p>" + new string('x', 1000) + "</p>", 30_000));

        var page = BodyDefanger.Render(html);

        Assert.InRange(page.Length, BodyDefanger.MaxOutputChars, BodyDefanger.MaxOutputChars + 4096);
        Assert.EndsWith("(the rest of the body is not shown: it is larger than Hookline renders)</p>", page, StringComparison.Ordinal);
    }
}
