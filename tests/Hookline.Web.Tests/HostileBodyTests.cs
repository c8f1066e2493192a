using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Hookline.Cli;
using Hookline.Reports.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Tests;

/// <summary>
/// The body preview of a report built to burn the server: 30,000 references to one inline image of
/// 1.5 MB. Before the fix one request for it took over a minute of server CPU and wrote gigabytes;
/// now the image is decoded once and the page holds only as many copies as the budget allows. On a
/// server of its own, so the shared store keeps its 41 reports.
/// </summary>
public sealed class HostileBodyTests
{
    private const int References = 30_000;
    private const int ImageBytes = 1_536 * 1024;

    [Fact]
    public async Task A_body_with_thirty_thousand_references_to_one_large_image_renders_within_the_byte_budget()
    {
        var server = new WebServer();
        await server.InitializeAsync();
        var drop = Directory.CreateTempSubdirectory("hookline-bomb-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(drop, "bomb.eml"), ImageBomb());
            await IngestCommand.RunAsync(server.Folder, [drop], TextWriter.Null, TextWriter.Null, progress: false, default);
            long id;
            await using (var context = server.Folder.Store.CreateContext())
            {
                id = await context.Reports.Where(r => r.Subject == "Many pictures").Select(r => r.Id).SingleAsync();
            }

            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
            var html = await client.GetStringAsync("/login");
            var token = WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
            var signIn = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "reader1", ["Password"] = WebServer.Password, ["__RequestVerificationToken"] = token }));
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

            using var response = await client.GetAsync($"/reports/{id}/body");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();

            // Every reference is still there as an image, but only the budget's worth carry the picture.
            var inlined = Regex.Count(body, "src=\"data:image/png;base64,");
            Assert.Equal(InlineImages.MaxWrittenBytes / ImageBytes, inlined);
            Assert.Equal(References, Regex.Count(body, "<img"));
            var base64Image = (ImageBytes + 2) / 3 * 4;
            Assert.InRange(body.Length, inlined * base64Image, (inlined * base64Image) + (References * 64));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(drop, recursive: true);
        }
    }

    /// <summary>A Report-button report whose original's HTML refers 30,000 times to one 1.5 MB PNG part.</summary>
    private static byte[] ImageBomb()
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        var image = new byte[ImageBytes];
        new Random(7).NextBytes(image);
        var html = new StringBuilder("<html><body><p>Look</p>");
        for (var i = 0; i < References; i++)
        {
            html.Append("<img src=\"cid:a\">");
        }

        html.Append("</body></html>");
        var original = new StringBuilder()
            .Append("From: Sender <sender@pictures.example>\r\nTo: Avery Adams <avery@contoso.com>\r\nSubject: Many pictures\r\n")
            .Append("Date: ").Append(now).Append("\r\nMessage-ID: <bomb-1@pictures.example>\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n")
            .Append("--rel\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n").Append(html).Append("\r\n")
            .Append("--rel\r\nContent-Type: image/png\r\nContent-ID: <a>\r\nContent-Transfer-Encoding: base64\r\n\r\n")
            .Append(Convert.ToBase64String(image, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n--rel--\r\n");
        var envelope = new StringBuilder()
            .Append("From: Avery Adams <avery@contoso.com>\r\nTo: Phish Reports <report@contoso.com>\r\n")
            .Append("Subject: Phishing: Many pictures\r\nDate: ").Append(now).Append("\r\n")
            .Append("Message-ID: <bomb-envelope@contoso.com>\r\nMIME-Version: 1.0\r\n")
            .Append("Content-Type: multipart/mixed; boundary=\"rep\"\r\n\r\n")
            .Append("--rep\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\n\r\nThis email was reported using the Report button.\r\n\r\n")
            .Append("--rep\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n")
            .Append(original)
            .Append("\r\n--rep--\r\n");
        return Encoding.ASCII.GetBytes(envelope.ToString());
    }
}
