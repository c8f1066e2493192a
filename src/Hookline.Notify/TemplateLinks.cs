using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Hookline.Notify;

/// <summary>
/// What a link or an image in a notification template may be. The emails go from the security
/// mailbox, which reporters trust: a link there may only open a web page or write an email
/// (http, https, mailto; never <c>javascript:</c>, <c>data:</c>, <c>file:</c> or a relative address),
/// an image may only be a part of the message itself (<c>cid:</c>; a remote image tells its server
/// who opened the mail and when), and no placeholder may be a link target or image source (their
/// values are the attacker's: the subject, the sender, a forged reporter name).
/// Templates are Markdown with raw HTML off, so links, images and autolinks are the only
/// constructs that put an address in the HTML; they are checked on the parsed document.
/// </summary>
public static partial class TemplateLinks
{
    /// <summary>Why <paramref name="markdown"/> may not be saved: one message per refused link or image (empty when none is).</summary>
    public static IReadOnlyList<string> Problems(string markdown, MarkdownPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var problems = new List<string>();
        foreach (var (url, image) in Targets(Markdown.Parse(markdown, pipeline)))
        {
            if (PlaceholderPattern().IsMatch(url))
            {
                problems.Add($"a placeholder cannot be a link target or an image source ({Shorten(url)})");
            }
            else if (image ? !IsInlineImage(url) : !IsAllowedLink(url))
            {
                problems.Add(image
                    ? $"images may only be parts of the message (cid:), not {Shorten(url)} (the logo is set on its own)"
                    : $"links may only be http://, https:// or mailto: addresses, not {Shorten(url)}");
            }
        }

        return problems;
    }

    /// <summary>
    /// Makes the parsed template safe to render whatever was saved: a refused link keeps its text and
    /// loses its target, a refused image is dropped (its description stays as text), a refused autolink
    /// becomes plain text. A target holding <paramref name="placeholderMarker"/> (the renderer's stand-in
    /// for a placeholder) is refused.
    /// </summary>
    public static void Neutralise(MarkdownDocument document, string placeholderMarker)
    {
        ArgumentNullException.ThrowIfNull(document);
        // Found before anything changes: Markdig's lazy descendant walk loses its place once inlines move.
        foreach (var inline in UrlInlines(document))
        {
            if (inline is LinkInline link)
            {
                var url = link.Url ?? "";
                if (url.Contains(placeholderMarker, StringComparison.Ordinal) || !(link.IsImage ? IsInlineImage(url) : IsAllowedLink(url)))
                {
                    Unwrap(link);
                }
            }
            else if (inline is AutolinkInline autolink)
            {
                var url = autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url;
                if (url.Contains(placeholderMarker, StringComparison.Ordinal) || !IsAllowedLink(url))
                {
                    autolink.ReplaceBy(new LiteralInline(autolink.Url));
                }
            }
        }
    }

    /// <summary>An absolute http, https or mailto address.</summary>
    public static bool IsAllowedLink(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeMailto);

    /// <summary>A reference to a part of the message itself.</summary>
    public static bool IsInlineImage(string url) => url.Trim().StartsWith("cid:", StringComparison.OrdinalIgnoreCase) && url.Trim().Length > 4;

    [GeneratedRegex(@"\{[A-Za-z0-9]+\}")]
    private static partial Regex PlaceholderPattern();

    private static IEnumerable<(string Url, bool Image)> Targets(MarkdownDocument document)
    {
        foreach (var inline in UrlInlines(document))
        {
            yield return inline is LinkInline link
                ? (link.Url ?? "", link.IsImage)
                : (((AutolinkInline)inline).IsEmail ? "mailto:" + ((AutolinkInline)inline).Url : ((AutolinkInline)inline).Url, false);
        }
    }

    /// <summary>Every link, image and autolink of the document, outer before inner, in order.</summary>
    private static List<Inline> UrlInlines(MarkdownDocument document)
    {
        var found = new List<Inline>();
        foreach (var block in document.Descendants<LeafBlock>())
        {
            if (block.Inline is { } inline)
            {
                Collect(inline, found);
            }
        }

        return found;
    }

    private static void Collect(ContainerInline container, List<Inline> found)
    {
        for (var child = container.FirstChild; child is not null; child = child.NextSibling)
        {
            if (child is LinkInline or AutolinkInline)
            {
                found.Add(child);
            }

            if (child is ContainerInline inner)
            {
                Collect(inner, found);
            }
        }
    }

    /// <summary>Puts the link's (or image's) content where it was, without the link.</summary>
    private static void Unwrap(LinkInline link)
    {
        var child = link.FirstChild;
        while (child is not null)
        {
            var next = child.NextSibling;
            child.Remove();
            link.InsertBefore(child);
            child = next;
        }

        link.Remove();
    }

    private static string Shorten(string url) => url.Length <= 60 ? url : url[..59] + "…";
}
