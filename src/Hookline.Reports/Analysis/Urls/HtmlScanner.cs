namespace Hookline.Reports.Analysis.Urls;

/// <summary>A link found in HTML: the URL (resolved and normalized), where it was, its visible text, and whether it is a credential form.</summary>
public readonly record struct HtmlLink(string Url, UrlSource Source, string? VisibleText, bool CredentialForm, bool Defanged);

/// <summary>What <see cref="HtmlScanner"/> found in one HTML document.</summary>
public sealed class HtmlScan
{
    public List<HtmlLink> Links { get; } = [];

    /// <summary>A <c>script</c> element, or (text-scanned HTML) a <c>&lt;script</c> tag.</summary>
    public bool HasScript { get; set; }

    /// <summary>A form (or a stray input) asking for a password or an e-mail address.</summary>
    public bool HasCredentialForm { get; set; }

    public bool HasPasswordInput { get; set; }

    public bool HasMetaRefresh { get; set; }

    /// <summary>The document's tags were read (false: no link-bearing tags, or too large or too deep, and scanned as text).</summary>
    public bool ReadTags { get; set; }

    /// <summary>Larger than <see cref="HtmlScanner.MaxDomChars"/>: scanned as text.</summary>
    public bool TooLarge { get; set; }

    /// <summary>Nested deeper than <see cref="HtmlScanner.MaxDomDepth"/>: scanned as text.</summary>
    public bool TooDeep { get; set; }

    /// <summary>More links than the limit; the rest were not kept.</summary>
    public bool Truncated { get; set; }
}

/// <summary>
/// Links, forms, meta refresh and scripts from attacker-written HTML. Documents with link-bearing
/// tags (<c>a</c>, <c>area</c>, <c>form</c>, <c>meta</c>, <c>base</c>, <c>iframe</c>, <c>input</c>,
/// <c>img</c>) have their tags read in one pass by <see cref="HtmlTokenizer"/> (no DOM); the others,
/// and documents larger than <see cref="MaxDomChars"/> or deeper than <see cref="MaxDomDepth"/>, are
/// scanned as text. Never throws.
/// </summary>
public static partial class HtmlScanner
{
    /// <summary>Above this many characters the HTML is scanned as text rather than tag by tag (<c>html.too-large</c>; the limit dates from the DOM parser, kept so the signal means what it did).</summary>
    public const int MaxDomChars = 2 * 1024 * 1024;

    /// <summary>Above this nesting depth (see <see cref="Survey"/>) the HTML is scanned as text (<c>html.too-deep</c>; the limit dates from the DOM parser, whose tree building is quadratic in depth).</summary>
    public const int MaxDomDepth = 512;

    private const int MaxVisibleText = 256;
    private const int MaxDataUriKept = 128;

    public static HtmlScan Scan(string html, int maxLinks = 500)
    {
        var scan = new HtmlScan();
        try
        {
            if (html.Length > MaxDomChars)
            {
                scan.TooLarge = true;
                ScanAsText(html, scan, maxLinks);
            }
            else
            {
                var (hasLinkTags, depth) = Survey(html);
                if (depth > MaxDomDepth)
                {
                    scan.TooDeep = true;
                    ScanAsText(html, scan, maxLinks);
                }
                else if (hasLinkTags)
                {
                    scan.ReadTags = true;
                    ScanTags(html, scan, maxLinks);
                }
                else
                {
                    ScanAsText(html, scan, maxLinks);
                }
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The tag scanner is not expected to throw on content; if it does, fall back to the text scanner.
            scan.Links.Clear();
            scan.ReadTags = false;
            ScanAsText(html, scan, maxLinks);
        }

        return scan;
    }

    /// <summary>True when the HTML has a tag that can carry a link or a form: only then are its tags read one by one.</summary>
    public static bool HasLinkTags(ReadOnlySpan<char> html) => Survey(html).HasLinkTags;

    /// <summary>
    /// One cheap pass over the tags: whether any can carry a link or a form, and how deep elements
    /// nest when nothing is closed implicitly (void and optional-end elements are not counted).
    /// HTML tree building is quadratic in nesting depth, so deep documents are scanned as text.
    /// </summary>
    public static (bool HasLinkTags, int Depth) Survey(ReadOnlySpan<char> html)
    {
        var hasLinks = false;
        var depth = 0;
        var maxDepth = 0;
        var position = 0;
        while (position < html.Length)
        {
            var lt = html[position..].IndexOf('<');
            if (lt < 0)
            {
                break;
            }

            position += lt + 1;
            var rest = html[position..];
            if (rest.StartsWith("!--", StringComparison.Ordinal))
            {
                var close = rest.IndexOf("-->", StringComparison.Ordinal);
                position = close < 0 ? html.Length : position + close + 3;
                continue;
            }

            var closing = rest.StartsWith('/');
            var nameStart = closing ? 1 : 0;
            var nameEnd = nameStart;
            while (nameEnd < rest.Length && nameEnd - nameStart < 16 && char.IsAsciiLetterOrDigit(rest[nameEnd]))
            {
                nameEnd++;
            }

            if (nameEnd == nameStart || !char.IsAsciiLetter(rest[nameStart]))
            {
                continue;
            }

            var name = rest[nameStart..nameEnd];
            if (!closing && IsLinkTag(name))
            {
                hasLinks = true;
            }

            if (IsRawText(name) && !closing)
            {
                // Skip script and style content: their "tags" are text.
                var close = IndexOfEndTag(html[position..], name);
                position = close < 0 ? html.Length : position + close;
                continue;
            }

            if (IsVoidOrOptionalEnd(name))
            {
                continue;
            }

            var selfClosing = false;
            var gt = rest.IndexOf('>');
            if (gt > 0 && rest[gt - 1] == '/')
            {
                selfClosing = true;
            }

            if (closing)
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (!selfClosing)
            {
                maxDepth = Math.Max(maxDepth, ++depth);
            }
        }

        return (hasLinks, maxDepth);
    }

    private static int IndexOfEndTag(ReadOnlySpan<char> html, ReadOnlySpan<char> name)
    {
        Span<char> end = stackalloc char[name.Length + 2];
        end[0] = '<';
        end[1] = '/';
        name.CopyTo(end[2..]);
        return html.IndexOf(end, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsLinkTag(ReadOnlySpan<char> name) =>
        name.Equals("a", StringComparison.OrdinalIgnoreCase) || name.Equals("area", StringComparison.OrdinalIgnoreCase)
        || name.Equals("form", StringComparison.OrdinalIgnoreCase) || name.Equals("meta", StringComparison.OrdinalIgnoreCase)
        || name.Equals("base", StringComparison.OrdinalIgnoreCase) || name.Equals("iframe", StringComparison.OrdinalIgnoreCase)
        || name.Equals("input", StringComparison.OrdinalIgnoreCase) || name.Equals("img", StringComparison.OrdinalIgnoreCase);

    private static bool IsRawText(ReadOnlySpan<char> name) =>
        name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase);

    private static bool IsVoidOrOptionalEnd(ReadOnlySpan<char> name)
    {
        Span<char> lower = stackalloc char[name.Length];
        name.ToLowerInvariant(lower);
        return lower switch
        {
            "area" or "base" or "br" or "col" or "embed" or "hr" or "img" or "input" or "link" or "meta" or "source" or "track" or "wbr" or "param" => true,
            "p" or "li" or "td" or "th" or "tr" or "option" or "dt" or "dd" or "tbody" or "thead" or "colgroup" or "html" or "head" or "body" => true,
            _ => false,
        };
    }

    private static void ScanAsText(string html, HtmlScan scan, int maxLinks)
    {
        scan.HasScript |= html.Contains("<script", StringComparison.OrdinalIgnoreCase);
        if (html.Contains("password", StringComparison.OrdinalIgnoreCase) && PasswordInputText(html))
        {
            scan.HasPasswordInput = true;
            scan.HasCredentialForm = true;
        }

        var text = html.Contains("&amp;", StringComparison.Ordinal) ? html.Replace("&amp;", "&", StringComparison.Ordinal) : html;
        var found = new List<ScannedUrl>();
        scan.Truncated |= !UrlTextScanner.Scan(text, found, maxLinks);
        foreach (var url in found)
        {
            scan.Links.Add(new HtmlLink(url.Url, UrlSource.Text, null, false, url.Defanged));
        }
    }

    private static bool PasswordInputText(string html) =>
        html.Contains("type=\"password\"", StringComparison.OrdinalIgnoreCase)
        || html.Contains("type='password'", StringComparison.OrdinalIgnoreCase)
        || html.Contains("type=password", StringComparison.OrdinalIgnoreCase);

    private static void ScanTags(string html, HtmlScan scan, int maxLinks)
    {
        var tokens = new HtmlTokenizer(html);
        var state = new TagScanState(scan, maxLinks);
        while (tokens.Next())
        {
            switch (tokens.Kind)
            {
                case HtmlTokenKind.Text:
                    state.Text(tokens);
                    break;
                case HtmlTokenKind.StartTag:
                    state.StartTag(tokens);
                    break;
                case HtmlTokenKind.EndTag:
                    state.EndTag(tokens);
                    break;
            }
        }

        state.Finish();
    }

    /// <summary>Keeps the link when it is one worth keeping and there is room; true when it was added (last in <see cref="HtmlScan.Links"/>).</summary>
    private static bool AddLink(HtmlScan scan, int maxLinks, Uri? baseUri, string? raw, UrlSource source, string? visibleText, bool credentialForm)
    {
        var url = Resolve(baseUri, Clean(raw));
        if (url is null)
        {
            return false;
        }

        if (scan.Links.Count >= maxLinks)
        {
            scan.Truncated = true;
            return false;
        }

        scan.Links.Add(new HtmlLink(url, source, visibleText, credentialForm, false));
        return true;
    }

    /// <summary>Trims, and removes tabs and line breaks as browsers do; null when empty.</summary>
    private static string? Clean(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        var url = raw.Trim();
        if (url.AsSpan().IndexOfAny('\t', '\r', '\n') >= 0)
        {
            url = url.Replace("\t", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        }

        return url.Length == 0 ? null : url;
    }

    /// <summary>The URL worth keeping: absolute http(s)/ftp, data: and script URIs, or relative resolved against base; else null.</summary>
    private static string? Resolve(Uri? baseUri, string? url)
    {
        if (url is null)
        {
            return null;
        }

        var scheme = UrlParser.SchemeOf(url);
        switch (scheme)
        {
            case "http" or "https" or "ftp":
                return url;
            case "data":
                return url.Length > MaxDataUriKept ? url[..MaxDataUriKept] : url;
            case "javascript" or "vbscript":
                return url.Length > MaxDataUriKept ? url[..MaxDataUriKept] : url;
            case null:
                if (url.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
                {
                    return "http://" + url;
                }

                if (url.StartsWith("//", StringComparison.Ordinal))
                {
                    return "https:" + url;
                }

                if (baseUri is not null && !url.StartsWith('#') && Uri.TryCreate(baseUri, url, out var resolved))
                {
                    return resolved.AbsoluteUri;
                }

                return null;
            default:
                // mailto:, tel:, cid:, file: and the like are not web links.
                return null;
        }
    }

    /// <summary>The URL of a refresh directive: <c>5; url='https://…'</c> (quotes and the "url=" optional).</summary>
    public static string? RefreshTarget(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        var span = content.AsSpan().Trim();
        var separator = span.IndexOfAny(';', ',');
        if (separator < 0)
        {
            return null;
        }

        span = span[(separator + 1)..].TrimStart();
        if (span.StartsWith("url", StringComparison.OrdinalIgnoreCase))
        {
            var afterName = span[3..].TrimStart();
            if (afterName.StartsWith('='))
            {
                span = afterName[1..].TrimStart();
            }
        }

        if (!span.IsEmpty && span[0] is '\'' or '"')
        {
            var quote = span[0];
            span = span[1..];
            var close = span.IndexOf(quote);
            if (close >= 0)
            {
                span = span[..close];
            }
        }

        span = span.Trim();
        return span.IsEmpty ? null : span.ToString();
    }
}
