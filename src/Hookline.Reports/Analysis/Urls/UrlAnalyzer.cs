using Hookline.Mime;

namespace Hookline.Reports.Analysis.Urls;

/// <summary>
/// URLs from the message's text and HTML body parts (not attachments, not attached messages: those
/// are analysed on their own): hrefs with their visible text, image-map areas, forms (and whether
/// they ask for credentials), meta refresh, frames, tracking pixels; rewriters unwrapped; host-level
/// flags (see <see cref="UrlInspector"/>). At most <see cref="UrlCollector.MaxUrls"/> are kept.
/// </summary>
public sealed class UrlAnalyzer : IMessageAnalyzer
{
    /// <summary>Links read from one HTML part at most (duplicates included); the collector keeps fewer.</summary>
    public const int MaxLinksPerDocument = 20_000;

    public void Analyze(AnalysisContext context)
    {
        var collector = new UrlCollector(context);
        var script = false;
        var credentialForm = false;
        var tooLarge = false;
        var tooDeep = false;
        foreach (var entity in context.Message.Entities(intoAttachedMessages: false))
        {
            if (entity is not MimePart { IsText: true, IsAttachment: false } part)
            {
                continue;
            }

            var text = part.GetText();
            if (part.ContentType.MediaSubtype is "html" or "xhtml+xml" or "x-html")
            {
                var scan = HtmlScanner.Scan(text, MaxLinksPerDocument);
                collector.AddHtml(scan);
                script |= scan.HasScript;
                tooLarge |= scan.TooLarge;
                tooDeep |= scan.TooDeep;
                credentialForm |= scan.HasCredentialForm;
            }
            else if (CalendarText.IsCalendar(part.ContentType.MediaType, part.ContentType.MediaSubtype, null))
            {
                // A meeting request's own alternative part: its folded lines would cut every long link.
                foreach (var url in UrlTextScanner.Scan(CalendarText.Read(text), MaxLinksPerDocument))
                {
                    collector.Add(url.Url, UrlSource.Calendar, null, url.Defanged);
                }
            }
            else
            {
                foreach (var url in UrlTextScanner.Scan(text, MaxLinksPerDocument))
                {
                    collector.Add(url.Url, UrlSource.Text, null, url.Defanged);
                }
            }
        }

        collector.Report();
        if (credentialForm && !context.Result.Has(UrlSignals.CredentialForm))
        {
            context.Result.Add(UrlSignals.CredentialForm, "the HTML body has an input for a password or an e-mail address");
        }

        if (script)
        {
            context.Result.Add(UrlSignals.HtmlScript, "the HTML body has a script");
        }

        if (tooLarge)
        {
            context.Result.Add(UrlSignals.HtmlTooLarge, $"an HTML part is larger than {HtmlScanner.MaxDomChars} characters and was scanned as text");
        }

        if (tooDeep)
        {
            context.Result.Add(UrlSignals.HtmlTooDeep, $"an HTML part nests elements deeper than {HtmlScanner.MaxDomDepth} and was scanned as text");
        }
    }
}
