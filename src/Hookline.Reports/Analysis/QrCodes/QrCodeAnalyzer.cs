using Hookline.Mime;
using Hookline.Reports.Analysis.Attachments;
using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Analysis.QrCodes;

/// <summary>
/// QR codes in the message's own images: every PNG, JPEG or GIF part (inline <c>cid:</c> images of
/// the HTML body, attached pictures) and the base64 <c>data:image/…</c> URIs written in its HTML
/// bodies. A QR code's link is a link the mail client's protection never sees (it is pixels until a
/// phone opens it), which is why phishing moved there ("quishing"). Images inside PDF and Office
/// attachments are searched by <see cref="AttachmentAnalyzer"/>; all of them share the report's
/// <see cref="QrBudget"/>, this stage first.
/// </summary>
public sealed class QrCodeAnalyzer : IMessageAnalyzer
{
    public void Analyze(AnalysisContext context)
    {
        var urls = new UrlCollector(context);
        var scanner = new QrCodeScanner(context, urls);
        foreach (var entity in context.Message.Entities(intoAttachedMessages: false))
        {
            if (entity is not MimePart part)
            {
                continue;
            }

            if (part.IsText && !part.IsAttachment && part.ContentType.MediaSubtype is "html" or "xhtml+xml" or "x-html")
            {
                scanner.ScanDataImages("the HTML body", part.GetText());
            }
            else if (IsImage(part))
            {
                scanner.Scan(Label(part), () => FileTypes.Sniff(part.DecodeContentPrefix(16)) is FileKind.Png or FileKind.Jpeg or FileKind.Gif ? part.DecodeContent() : null);
            }
        }

        scanner.Report();
        urls.Report();
    }

    private static bool IsImage(MimePart part)
    {
        if (part.ContentType.MediaType == "image")
        {
            return part.ContentType.MediaSubtype is "png" or "jpeg" or "jpg" or "pjpeg" or "gif";
        }

        // Mailers that do not know a type declare application/octet-stream; the name still says picture.
        return part.IsAttachment && part.ContentType.MediaType == "application" && FileTypes.ExtensionOf(part.FileName) is "png" or "jpg" or "jpeg" or "gif";
    }

    private static string Label(MimePart part)
    {
        if (!string.IsNullOrEmpty(part.FileName))
        {
            return part.FileName;
        }

        var contentId = part.Headers["Content-ID"]?.Trim().Trim('<', '>');
        return string.IsNullOrEmpty(contentId) ? $"an inline {part.ContentType.MimeType} image" : $"cid:{contentId}";
    }
}
