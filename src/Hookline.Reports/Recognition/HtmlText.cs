using System.Net;
using System.Text;

namespace Hookline.Reports.Recognition;

/// <summary>
/// A rough, linear HTML-to-text conversion for finding forward blocks and comments in HTML-only
/// bodies: tags are dropped (block-level ones become line breaks), script and style content is
/// dropped, and entities are decoded.
/// </summary>
internal static class HtmlText
{
    public static string ToText(string html, int maxChars)
    {
        var text = new StringBuilder(Math.Min(html.Length, maxChars));
        var i = 0;
        while (i < html.Length && text.Length < maxChars)
        {
            var c = html[i];
            if (c != '<')
            {
                var next = html.IndexOf('<', i);
                var end = next < 0 ? html.Length : next;
                AppendDecoded(text, html.AsSpan(i, end - i), maxChars);
                i = end;
                continue;
            }

            var close = html.IndexOf('>', i + 1);
            if (close < 0)
            {
                break;
            }

            var inside = html.AsSpan(i + 1, close - i - 1);
            var isClosing = inside.StartsWith('/');
            var tag = inside.TrimStart('/').Trim();
            var nameEnd = tag.IndexOfAny(" \t\r\n/");
            var name = nameEnd < 0 ? tag : tag[..nameEnd];
            i = close + 1;
            if (!isClosing && !inside.EndsWith('/') && IsSkipped(name))
            {
                // Skip to the closing tag of <script>, <style>, <head>.
                var endTag = html.IndexOf("</" + name.ToString(), i, StringComparison.OrdinalIgnoreCase);
                i = endTag < 0 ? html.Length : endTag;
                continue;
            }

            if (IsBlock(name))
            {
                text.Append('\n');
            }
        }

        return text.Length > maxChars ? text.ToString(0, maxChars) : text.ToString();
    }

    private static void AppendDecoded(StringBuilder text, ReadOnlySpan<char> raw, int maxChars)
    {
        var room = maxChars - text.Length;
        if (raw.Length > room)
        {
            raw = raw[..room];
        }

        // Entities decoded only where there are any; source line breaks are not line breaks in HTML.
        var start = text.Length;
        if (raw.Contains('&'))
        {
            text.Append(WebUtility.HtmlDecode(raw.ToString()));
        }
        else
        {
            text.Append(raw);
        }

        var length = text.Length - start;
        text.Replace('\r', ' ', start, length).Replace('\n', ' ', start, length).Replace('\u00A0', ' ', start, length);
    }

    private static bool IsSkipped(ReadOnlySpan<char> name) =>
        name.Equals("script", StringComparison.OrdinalIgnoreCase) || name.Equals("style", StringComparison.OrdinalIgnoreCase) || name.Equals("head", StringComparison.OrdinalIgnoreCase);

    private static bool IsBlock(ReadOnlySpan<char> name)
    {
        ReadOnlySpan<string> blocks = ["br", "p", "div", "tr", "li", "hr", "table", "h1", "h2", "h3", "h4", "blockquote", "pre"];
        foreach (var block in blocks)
        {
            if (name.Equals(block, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
