using System.Text;
using Hookline.Mime;
using Hookline.Reports.Analysis.Senders;
using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Analysis.Text;

/// <summary>
/// The text stage: builds <see cref="MessageText"/> (what a reader sees) for the brand and intent
/// stages, and reports the evasions it meets on the way:
/// <c>text.hidden</c> (much text in hidden HTML elements), <c>text.invisible-characters</c>
/// (zero-width characters inside words), <c>text.styled-letters</c> (mathematical or full-width
/// letters in the subject or display name), <c>text.mixed-script</c> (a word mixing Latin with
/// Cyrillic or Greek, or a capital I for an l), <c>text.disguised-subject</c> (words of the subject or
/// display name broken by invisible characters or overlay marks), <c>text.image-only</c> (images and next to no text).
/// Runs after the URL and attachment stages (it reads their link texts and file names).
/// </summary>
public sealed class MessageTextReader : IMessageAnalyzer
{
    /// <summary>Body characters kept (visible text first, then title, alt and link texts).</summary>
    public const int MaxBodyChars = 48 * 1024;

    /// <summary>HTML characters read per part.</summary>
    public const int MaxHtmlChars = 1024 * 1024;

    private const int MaxStack = 256;

    public void Analyze(AnalysisContext context)
    {
        var message = context.Message;
        var result = context.Result;
        var visible = new StringBuilder();
        var extra = new StringBuilder();
        var hidden = 0;
        var images = 0;
        foreach (var entity in message.Entities(intoAttachedMessages: false))
        {
            if (entity is not MimePart part)
            {
                continue;
            }

            if (string.Equals(part.ContentType.MediaType, "image", StringComparison.OrdinalIgnoreCase))
            {
                images++;
                continue;
            }

            if (!part.IsText || part.IsAttachment || visible.Length >= MaxBodyChars)
            {
                continue;
            }

            var text = part.GetText();
            if (part.ContentType.MediaSubtype is "html" or "xhtml+xml" or "x-html")
            {
                var html = text.Length > MaxHtmlChars ? text[..MaxHtmlChars] : text;
                var (hiddenChars, imageTags) = ReadHtml(html, visible, extra);
                hidden += hiddenChars;
                images += imageTags;
            }
            else
            {
                visible.Append(text.AsSpan(0, Math.Min(text.Length, MaxBodyChars - visible.Length))).Append('\n');
            }
        }

        foreach (var url in result.Urls)
        {
            if (url.VisibleText is { Length: > 0 } linkText && extra.Length < MaxBodyChars)
            {
                extra.Append(linkText).Append('\n');
            }
        }

        foreach (var attachment in result.Attachments)
        {
            if (attachment.FileName is { Length: > 0 } name)
            {
                extra.Append(name.Replace('_', ' ').Replace('.', ' ')).Append('\n');
            }

            if (attachment.Text is { Length: > 0 } words && extra.Length < MaxBodyChars)
            {
                extra.Append(words.AsSpan(0, Math.Min(words.Length, MaxBodyChars - extra.Length))).Append('\n');
            }
        }

        var subject = message.Subject ?? string.Empty;
        // The display name; a From with an address and no name has none (its address is not a name).
        var sender = DisplayedSender.Of(message);
        var displayName = (sender is null ? NameOnly(message) : sender.Name) ?? string.Empty;
        var visibleText = visible.ToString();
        var letters = 0;
        foreach (var c in visibleText)
        {
            letters += char.IsLetterOrDigit(c) ? 1 : 0;
        }

        var headerText = subject + " " + displayName;
        var headerInvisible = InsideWords(subject, TextFolding.IsInvisible) + InsideWords(displayName, TextFolding.IsInvisible);
        var headerBreaks = headerInvisible + InsideWords(subject, IsOverlay) + InsideWords(displayName, IsOverlay);
        var invisible = InsideWords(visibleText, TextFolding.IsInvisible) + headerInvisible;
        var styled = HasStyledLetters(headerText);
        var mixed = MixedScriptWord(headerText);
        var body = visible.Append('\n').Append(extra).ToString();
        result.Text = new MessageText
        {
            Subject = TextFolding.Fold(subject, 4096),
            DisplayName = TextFolding.Fold(displayName, 1024),
            DisplayNameAsWritten = displayName.Length > 1024 ? displayName[..1024] : displayName,
            Body = TextFolding.Fold(body, MaxBodyChars * 2),
            VisibleLetters = letters,
            HiddenChars = hidden,
            InvisibleChars = invisible,
            Images = images,
            StyledLetters = styled,
            MixedScriptWord = mixed,
        };

        if (hidden >= 300 && hidden * 2 >= letters)
        {
            result.Add("text.hidden", $"{hidden} characters of text are hidden in the HTML (display:none, zero size or transparent), {letters} visible");
        }

        if (invisible >= 3)
        {
            result.Add("text.invisible-characters", $"{invisible} zero-width or soft-hyphen characters break up the words");
        }

        if (headerBreaks >= 2)
        {
            result.Add("text.disguised-subject", $"the subject or sender name breaks its words with {headerBreaks} invisible characters or overlay marks: \"{Bound(TextFolding.Fold(headerText.Trim()))}\"");
        }

        if (styled)
        {
            result.Add("text.styled-letters", $"the subject or sender name is written in styled (mathematical or full-width) letters: \"{Bound(headerText.Trim())}\"");
        }

        if (mixed is not null)
        {
            result.Add("text.mixed-script", $"the word \"{mixed}\" mixes look-alike letters (Cyrillic or Greek with Latin, or a capital I for an l)");
        }

        if (images > 0 && letters < 40)
        {
            result.Add("text.image-only", $"{images} image(s) and {letters} letters of text: the message is a picture");
        }
    }

    /// <summary>The name of a From that has no address at all ("Facebook" in <c>From: Facebook</c>).</summary>
    private static string? NameOnly(MimeMessage message)
    {
        var list = Hookline.Mime.Addresses.AddressParser.Flatten(message.From);
        return list.Count > 0 ? list[0].Name ?? list[0].Address : null;
    }

    /// <summary>Appends the visible text of <paramref name="html"/>; title and alt texts go to <paramref name="extra"/>. Returns the hidden characters and the img tags.</summary>
    private static (int Hidden, int Images) ReadHtml(string html, StringBuilder visible, StringBuilder extra)
    {
        var tokenizer = new HtmlTokenizer(html);
        Span<bool> hiddenStack = stackalloc bool[MaxStack];
        var names = new string?[MaxStack];
        var depth = 0;
        var hiddenDepth = 0;
        var hidden = 0;
        var images = 0;
        var inTitle = false;
        while (tokenizer.Next())
        {
            switch (tokenizer.Kind)
            {
                case HtmlTokenKind.StartTag:
                    {
                        var name = tokenizer.Name;
                        if (name.SequenceEqual("img"))
                        {
                            images++;
                            if (tokenizer.GetAttribute("alt") is { Length: > 0 } alt && extra.Length < MaxBodyChars)
                            {
                                extra.Append(alt).Append('\n');
                            }
                        }

                        if (name.SequenceEqual("title"))
                        {
                            inTitle = true;
                        }

                        if (IsBlock(name) && hiddenDepth == 0)
                        {
                            visible.Append('\n');
                        }

                        if (tokenizer.SelfClosing || IsVoid(name) || depth >= MaxStack)
                        {
                            break;
                        }

                        var isHidden = IsHidden(tokenizer);
                        hiddenStack[depth] = isHidden;
                        names[depth] = name.ToString();
                        depth++;
                        hiddenDepth += isHidden ? 1 : 0;
                        break;
                    }

                case HtmlTokenKind.EndTag:
                    {
                        var name = tokenizer.Name;
                        if (name.SequenceEqual("title"))
                        {
                            inTitle = false;
                        }

                        for (var i = depth - 1; i >= 0; i--)
                        {
                            if (name.SequenceEqual(names[i]))
                            {
                                for (var j = depth - 1; j >= i; j--)
                                {
                                    hiddenDepth -= hiddenStack[j] ? 1 : 0;
                                }

                                depth = i;
                                break;
                            }
                        }

                        if (IsBlock(name) && hiddenDepth == 0)
                        {
                            visible.Append('\n');
                        }

                        break;
                    }

                case HtmlTokenKind.Text:
                    {
                        if (tokenizer.TextIsRaw)
                        {
                            break;
                        }

                        var text = tokenizer.Text;
                        if (inTitle)
                        {
                            if (extra.Length < MaxBodyChars)
                            {
                                HtmlCharacterReferences.Decode(text, inAttribute: false, extra);
                                extra.Append('\n');
                            }
                        }
                        else if (hiddenDepth > 0)
                        {
                            hidden += CountLetters(text);
                        }
                        else if (visible.Length < MaxBodyChars)
                        {
                            HtmlCharacterReferences.Decode(text, inAttribute: false, visible);
                        }

                        break;
                    }
            }
        }

        return (hidden, images);
    }

    private static bool IsHidden(HtmlTokenizer tokenizer)
    {
        if (tokenizer.HasAttribute("hidden"))
        {
            return true;
        }

        var style = tokenizer.GetAttribute("style");
        if (style is null || style.Length > 4096)
        {
            return false;
        }

        // Most styles say nothing about hiding: look for the words before building a compact copy.
        if (!style.Contains("none", StringComparison.OrdinalIgnoreCase) && !style.Contains("hidden", StringComparison.OrdinalIgnoreCase)
            && !style.Contains("font-size", StringComparison.OrdinalIgnoreCase) && !style.Contains("opacity", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var compact = style.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        return compact.Contains("display:none", StringComparison.Ordinal)
            || compact.Contains("visibility:hidden", StringComparison.Ordinal)
            || compact.Contains("font-size:0", StringComparison.Ordinal)
            || compact.Contains("font-size:1px", StringComparison.Ordinal)
            || compact.Contains("opacity:0;", StringComparison.Ordinal) || compact.EndsWith("opacity:0", StringComparison.Ordinal)
            || (compact.Contains("max-height:0", StringComparison.Ordinal) && compact.Contains("overflow:hidden", StringComparison.Ordinal));
    }

    private static bool IsVoid(ReadOnlySpan<char> name) =>
        name is "br" or "img" or "meta" or "link" or "input" or "hr" or "wbr" or "area" or "base" or "col" or "embed" or "source" or "track" or "param";

    private static bool IsBlock(ReadOnlySpan<char> name) =>
        name is "p" or "div" or "br" or "tr" or "td" or "li" or "h1" or "h2" or "h3" or "h4" or "table" or "ul" or "ol" or "blockquote" or "section" or "center";

    private static int CountLetters(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var c in text)
        {
            count += char.IsLetterOrDigit(c) ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// The characters matching <paramref name="breaks"/> that sit inside a word: in a run with a letter
    /// or digit right before and right after it ("Pass\u200Bword"). Runs between words or around emoji
    /// (preheader padding of newsletters, emoji joiners) are layout, not disguise.
    /// </summary>
    private static int InsideWords(string text, Func<char, bool> breaks)
    {
        var count = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (!breaks(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && (breaks(text[i]) || TextFolding.IsInvisible(text[i]) || IsOverlay(text[i])))
            {
                i++;
            }

            if (start > 0 && char.IsLetterOrDigit(text[start - 1]) && i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                for (var j = start; j < i; j++)
                {
                    count += breaks(text[j]) ? 1 : 0;
                }
            }
        }

        return count;
    }

    /// <summary>Combining overlays (U+0334–U+0338: tilde, strokes and slashes drawn through a letter), which no language writes.</summary>
    private static bool IsOverlay(char c) => c is >= '\u0334' and <= '\u0338';

    /// <summary>Letters that NFKC turns into plain ones: mathematical alphanumerics (U+1D400–U+1D7FF, as surrogate pairs) and full-width forms.</summary>
    private static bool HasStyledLetters(string text)
    {
        var styled = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\uD835' && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                styled++;
                i++;
            }
            else if (c is >= '\uFF21' and <= '\uFF5A')
            {
                styled++;
            }
        }

        return styled >= 3;
    }

    /// <summary>The first word with both Latin and Cyrillic/Greek letters, or with a capital I standing in for an l, or null.</summary>
    private static string? MixedScriptWord(string text)
    {
        var start = 0;
        bool latin = false, other = false;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (!char.IsLetter(c))
            {
                if (latin && other && i - start >= 3)
                {
                    return Bound(text[start..i]);
                }

                start = i + 1;
                latin = other = false;
                continue;
            }

            // A capital I between lower-case letters stands in for an l ("WaIIet"); not after the
            // "Mc"/"Mac" of a surname (McIntyre, MacIntosh).
            if (c == 'I' && i > start && i + 1 < text.Length && char.IsLower(text[i - 1]) && (char.IsLower(text[i + 1]) || text[i + 1] == 'I')
                && !text.AsSpan(start, i - start).EndsWith("Mc", StringComparison.Ordinal) && !text.AsSpan(start, i - start).EndsWith("Mac", StringComparison.Ordinal))
            {
                other = latin = true;
            }

            latin |= c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');
            other |= c is (>= '\u0370' and <= '\u03FF') or (>= '\u0400' and <= '\u04FF');
        }

        return null;
    }

    private static string Bound(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
