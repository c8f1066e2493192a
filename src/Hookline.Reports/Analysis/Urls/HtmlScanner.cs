using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

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

    /// <summary>The document was parsed into a DOM (false: no link-bearing tags, or too large, and scanned as text).</summary>
    public bool UsedDom { get; set; }

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
/// <c>img</c>) are parsed with AngleSharp (one parser per thread, configured for speed); the others,
/// and documents larger than <see cref="MaxDomChars"/>, are scanned as text. Never throws.
/// </summary>
public static class HtmlScanner
{
    /// <summary>Above this many characters the HTML is scanned as text rather than parsed into a DOM.</summary>
    public const int MaxDomChars = 2 * 1024 * 1024;

    /// <summary>Above this nesting depth (see <see cref="Survey"/>) the HTML is scanned as text: tree building is quadratic in depth.</summary>
    public const int MaxDomDepth = 512;

    private const int MaxVisibleText = 256;
    private const int MaxDataUriKept = 128;

    [ThreadStatic]
    private static HtmlParser? t_parser;

    private static HtmlParser Parser => t_parser ??= new HtmlParser(new HtmlParserOptions
    {
        IsScripting = false,
        SkipComments = true,
        SkipScriptText = true,
        SkipProcessingInstructions = true,
        SkipCDATA = true,
        DisableElementPositionTracking = true,
        IsKeepingSourceReferences = false,
        MaximumDepth = 256,
        ShouldEmitAttribute = KeepAttribute,
    });

    // Only the attributes read here become DOM attributes: spam HTML carries megabytes of style.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> UsedAttributes = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "href", "action", "http-equiv", "content", "src", "width", "height", "type", "name", "id", "alt",
    }.GetAlternateLookup<ReadOnlySpan<char>>();

    private static bool KeepAttribute(ref AngleSharp.Html.Parser.Tokens.Struct.StructHtmlToken token, ReadOnlyMemory<char> name) => UsedAttributes.Contains(name.Span);

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
                    scan.UsedDom = true;
                    ScanDom(html, scan, maxLinks);
                }
                else
                {
                    ScanAsText(html, scan, maxLinks);
                }
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // AngleSharp is not expected to throw on content; if it does, fall back to the text scanner.
            scan.Links.Clear();
            scan.UsedDom = false;
            ScanAsText(html, scan, maxLinks);
        }

        return scan;
    }

    /// <summary>True when the HTML has a tag that can carry a link or a form: only then is a DOM worth building.</summary>
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

    private static void ScanDom(string html, HtmlScan scan, int maxLinks)
    {
        using var document = Parser.ParseDocument(html);
        Uri? baseUri = null;
        var credentialForms = new HashSet<IElement>();
        var forms = new List<IElement>();
        foreach (var element in document.All)
        {
            switch (element.LocalName)
            {
                case "base" when baseUri is null:
                    var baseHref = Clean(element.GetAttribute("href"));
                    if (baseHref is not null && Uri.TryCreate(baseHref, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
                    {
                        baseUri = parsed;
                    }

                    break;
                case "script":
                    scan.HasScript = true;
                    break;
                case "a":
                case "area":
                    AddLink(scan, maxLinks, baseUri, element.GetAttribute("href"), element.LocalName == "a" ? UrlSource.Href : UrlSource.Area, VisibleText(element), false);
                    break;
                case "form":
                    forms.Add(element);
                    break;
                case "input":
                    if (IsCredentialInput(element, out var password))
                    {
                        scan.HasPasswordInput |= password;
                        scan.HasCredentialForm = true;
                        if (element is IHtmlInputElement { Form: { } owner })
                        {
                            credentialForms.Add(owner);
                        }
                    }

                    break;
                case "meta" when string.Equals(element.GetAttribute("http-equiv")?.Trim(), "refresh", StringComparison.OrdinalIgnoreCase):
                    var target = RefreshTarget(element.GetAttribute("content"));
                    if (target is not null)
                    {
                        scan.HasMetaRefresh = true;
                        AddLink(scan, maxLinks, baseUri, target, UrlSource.MetaRefresh, null, false);
                    }

                    break;
                case "iframe":
                    AddLink(scan, maxLinks, baseUri, element.GetAttribute("src"), UrlSource.Frame, null, false);
                    break;
                case "img" when IsPixel(element):
                    AddLink(scan, maxLinks, baseUri, element.GetAttribute("src"), UrlSource.TrackingPixel, null, false);
                    break;
            }
        }

        foreach (var form in forms)
        {
            var action = form.GetAttribute("action");
            AddLink(scan, maxLinks, baseUri, action, UrlSource.Form, null, credentialForms.Contains(form));
        }
    }

    private static void AddLink(HtmlScan scan, int maxLinks, Uri? baseUri, string? raw, UrlSource source, string? visibleText, bool credentialForm)
    {
        var url = Resolve(baseUri, Clean(raw));
        if (url is null)
        {
            return;
        }

        if (scan.Links.Count >= maxLinks)
        {
            scan.Truncated = true;
            return;
        }

        scan.Links.Add(new HtmlLink(url, source, visibleText, credentialForm, false));
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

    private static string? VisibleText(IElement element)
    {
        var text = element.LocalName == "area" ? element.GetAttribute("alt") : element.TextContent;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        Span<char> buffer = stackalloc char[MaxVisibleText];
        var length = 0;
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD')
            {
                space |= !char.IsWhiteSpace(c) ? false : length > 0;
                continue;
            }

            if (space)
            {
                buffer[length++] = ' ';
                space = false;
                if (length == MaxVisibleText)
                {
                    break;
                }
            }

            buffer[length++] = c;
            if (length == MaxVisibleText)
            {
                break;
            }
        }

        return length == 0 ? null : buffer[..length].ToString();
    }

    private static bool IsCredentialInput(IElement input, out bool password)
    {
        var type = input.GetAttribute("type")?.Trim();
        password = string.Equals(type, "password", StringComparison.OrdinalIgnoreCase);
        if (password || string.Equals(type, "email", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (type is not null && !string.Equals(type, "text", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var name = input.GetAttribute("name") ?? input.GetAttribute("id") ?? string.Empty;
        return name.Contains("passw", StringComparison.OrdinalIgnoreCase) || name.Contains("email", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsPixel(IElement image)
    {
        static bool Tiny(string? value) => value?.Trim().TrimEnd("px".ToCharArray()) is "0" or "1";
        return Tiny(image.GetAttribute("width")) && Tiny(image.GetAttribute("height"));
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
