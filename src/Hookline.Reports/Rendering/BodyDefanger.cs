using System.Text;
using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Rendering;

/// <summary>
/// Turns a reported message's HTML body into HTML that shows the same text and layout but cannot
/// navigate or load anything: links keep their text and say where they go (<c>title</c> and
/// <c>data-hookline-href</c>) without an <c>href</c>; forms lose <c>action</c>/<c>formaction</c>;
/// remote images, <c>srcset</c>, <c>ping</c>, <c>background</c> and the like are removed; <c>base</c>,
/// <c>meta</c> (refresh), <c>link</c>, scripts, frames, plug-ins and SVG animation (which can set an
/// <c>href</c>) are dropped; event handlers and <c>target</c> go. <c>cid:</c> images become
/// <c>data:</c> URLs when the caller can resolve them.
/// </summary>
/// <remarks>
/// The input is read with <see cref="HtmlTokenizer"/> and every token written out again in a
/// canonical form (names checked, text and attribute values re-encoded, comments and doctype
/// dropped), so what the browser parses is what was checked here: markup the tokenizer reads
/// differently from a browser (foreign content, script escapes) cannot carry a live link through,
/// because nothing is copied as written. Styles stay (emails need them); the frame's
/// Content-Security-Policy keeps CSS from loading anything.
/// </remarks>
public static class BodyDefanger
{
    /// <summary>The attribute that carries a link's real target (also the hover title).</summary>
    public const string HrefAttribute = "data-hookline-href";

    /// <summary>The marker style: defanged links look like links and say so, remote images and forms are outlined.</summary>
    public const string Style =
        "a[data-hookline-href]{color:#0b57d0!important;text-decoration:underline dotted!important;cursor:help!important}"
        + "a[data-hookline-href]::after{content:\"\\00a0\\2197\"!important;font-size:.8em!important}"
        + "img[data-hookline-src],form[data-hookline-action]{outline:1px dashed #b3261e!important}";

    // Dropped with their content: it is either script or what a browser would not show.
    private static readonly HashSet<string> DroppedWithContent = new(StringComparer.Ordinal) { "script", "iframe", "noembed", "noframes" };

    // Dropped tags (their content, if any, stays): they navigate, load, or change where URLs point.
    private static readonly HashSet<string> DroppedTags = new(StringComparer.Ordinal)
    {
        "script", "iframe", "noembed", "noframes", "base", "meta", "link", "frame", "frameset", "object", "embed", "applet",
        "portal", "fencedframe", "animate", "set", "animatemotion", "animatetransform", "animatecolor", "discard",
    };

    // URL attributes that are removed outright (the ones worth showing are handled before this).
    private static readonly HashSet<string> UrlAttributes = new(StringComparer.Ordinal)
    {
        "srcset", "imagesrcset", "ping", "background", "poster", "data", "codebase", "cite", "longdesc", "lowsrc", "dynsrc",
        "manifest", "archive", "classid", "code", "profile", "icon", "srcdoc", "xml:base", "target", "formtarget", "download",
        "http-equiv", "attributename",
    };

    /// <summary>Characters written at most (the images inlined count too); what lies beyond is not shown.</summary>
    public const int MaxOutputChars = 24 * 1024 * 1024;

    /// <summary>Tokens between checks of the cancellation token.</summary>
    private const int TokensPerCheck = 256;

    private static readonly string[] InlineImageTypes = ["data:image/png", "data:image/jpeg", "data:image/gif", "data:image/webp"];

    /// <summary>
    /// The defanged document: a doctype, the marker <see cref="Style"/>, then the body's markup.
    /// <paramref name="inlineImage"/> maps a Content-ID (without <c>cid:</c> and angle brackets) to a
    /// <c>data:image/…</c> URL, or null when the message has no such image.
    /// </summary>
    /// <remarks>
    /// Bounded for hostile bodies: <paramref name="cancellationToken"/> is checked every
    /// <see cref="TokensPerCheck"/> tokens (pass the request's, with a time limit), and writing stops at
    /// <see cref="MaxOutputChars"/> with a note saying the rest is not shown.
    /// </remarks>
    public static string Render(string html, Func<string, string?>? inlineImage = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(html);
        var output = new StringBuilder(Math.Min(html.Length + 256, MaxOutputChars));
        output.Append("<!doctype html><style>").Append(Style).Append("</style>");
        var tokenizer = new HtmlTokenizer(html);
        string? rawOwner = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var written = new HashSet<string>(StringComparer.Ordinal);
        var tokens = 0;
        while (tokenizer.Next())
        {
            if (++tokens % TokensPerCheck == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (output.Length > MaxOutputChars)
            {
                output.Append("<p data-hookline-cut>(the rest of the body is not shown: it is larger than Hookline renders)</p>");
                break;
            }

            switch (tokenizer.Kind)
            {
                case HtmlTokenKind.Text when tokenizer.TextIsRaw:
                    WriteRawText(output, rawOwner, tokenizer.Text);
                    break;
                case HtmlTokenKind.Text:
                    AppendEncoded(output, HtmlCharacterReferences.Decode(tokenizer.Text, inAttribute: false));
                    break;
                case HtmlTokenKind.StartTag:
                    rawOwner = tokenizer.Name.ToString();
                    WriteStartTag(output, tokenizer, rawOwner, seen, written, inlineImage);
                    break;
                case HtmlTokenKind.EndTag:
                    var name = tokenizer.Name.ToString();
                    if (IsValidName(name) && !DroppedTags.Contains(name))
                    {
                        output.Append("</").Append(Renamed(name)).Append('>');
                    }

                    break;
            }
        }

        return output.ToString();
    }

    private static void WriteRawText(StringBuilder output, string? owner, ReadOnlySpan<char> text)
    {
        if (owner is null || DroppedWithContent.Contains(owner))
        {
            return;
        }

        if (owner == "style")
        {
            // "<" as a CSS escape: no end tag or markup can appear in the style text, whatever a browser thinks the element is.
            foreach (var c in text)
            {
                _ = c switch
                {
                    '<' => output.Append("\\3c "),
                    '\0' => output.Append('\uFFFD'),
                    _ => output.Append(c),
                };
            }

            return;
        }

        // xmp and plaintext (written as pre): their text as text.
        AppendEncoded(output, text);
    }

    private static void WriteStartTag(StringBuilder output, HtmlTokenizer tokenizer, string name, HashSet<string> seen, HashSet<string> written, Func<string, string?>? inlineImage)
    {
        if (!IsValidName(name) || DroppedTags.Contains(name))
        {
            return;
        }

        var isLink = name is "a" or "area";
        var hasHref = tokenizer.HasAttribute("href") || tokenizer.HasAttribute("xlink:href");
        // The hover text says where a link goes or a form sends to, not what the sender wrote.
        var ownTitle = (isLink && hasHref) || tokenizer.HasAttribute("action") || tokenizer.HasAttribute("formaction");
        output.Append('<').Append(Renamed(name));
        seen.Clear();
        written.Clear();
        for (var i = 0; i < tokenizer.AttributeCount; i++)
        {
            var attribute = tokenizer.AttributeName(i).ToString();
            // The first of duplicate attributes wins, as in a browser; odd names and script hooks go.
            if (!seen.Add(attribute) || !IsValidName(attribute) || attribute.StartsWith("on", StringComparison.Ordinal)
                || attribute.StartsWith("data-hookline-", StringComparison.Ordinal) || UrlAttributes.Contains(attribute)
                || (attribute == "title" && ownTitle))
            {
                continue;
            }

            var value = tokenizer.AttributeValue(i);
            switch (attribute)
            {
                case "href" or "xlink:href":
                    AppendAttribute(output, written, HrefAttribute, value);
                    if (isLink)
                    {
                        AppendAttribute(output, written, "title", value);
                    }

                    break;
                case "action" or "formaction":
                    AppendAttribute(output, written, "data-hookline-action", value);
                    AppendAttribute(output, written, "title", "Sends to " + value);
                    break;
                case "src":
                    var inline = name == "img" ? InlineImage(value, inlineImage) : null;
                    AppendAttribute(output, written, inline is null ? "data-hookline-src" : "src", inline ?? value);
                    break;
                default:
                    AppendAttribute(output, written, attribute, value);
                    break;
            }
        }

        output.Append(tokenizer.SelfClosing ? " />" : ">");
    }

    /// <summary>An image from the message itself (cid:) or already inline (data:image/…); null for anything remote.</summary>
    private static string? InlineImage(string src, Func<string, string?>? inlineImage)
    {
        var value = src.Trim();
        if (value.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
        {
            var id = Uri.UnescapeDataString(value[4..]).Trim().TrimStart('<').TrimEnd('>');
            return id.Length == 0 || inlineImage is null ? null : inlineImage(id);
        }

        foreach (var type in InlineImageTypes)
        {
            if (value.StartsWith(type, StringComparison.OrdinalIgnoreCase) && value.Length > type.Length && value[type.Length] is ';' or ',')
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>xmp and plaintext are raw text in HTML; written as pre so that their (encoded) text reads the same.</summary>
    private static string Renamed(string name) => name is "xmp" or "plaintext" ? "pre" : name;

    /// <summary>Tag and attribute names as HTML and Outlook write them (<c>o:p</c>, <c>xlink:href</c>, <c>data-x</c>); anything else is dropped.</summary>
    private static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.Length == 0 || !char.IsAsciiLetterLower(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c is not '-' and not '_' and not ':' and not '.')
            {
                return false;
            }
        }

        return true;
    }

    private static void AppendAttribute(StringBuilder output, HashSet<string> written, string name, string value)
    {
        if (!written.Add(name))
        {
            return;
        }

        output.Append(' ').Append(name).Append("=\"");
        AppendEncoded(output, value);
        output.Append('"');
    }

    private static void AppendEncoded(StringBuilder output, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            _ = c switch
            {
                '&' => output.Append("&amp;"),
                '<' => output.Append("&lt;"),
                '>' => output.Append("&gt;"),
                '"' => output.Append("&quot;"),
                '\0' => output.Append('\uFFFD'),
                _ => output.Append(c),
            };
        }
    }
}
