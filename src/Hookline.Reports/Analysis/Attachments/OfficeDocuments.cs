using System.Text;

namespace Hookline.Reports.Analysis.Attachments;

/// <summary>
/// What an Office Open XML package (ECMA-376 Part 2, Open Packaging Conventions) says about where it
/// leads: the targets of its external relationships (<c>TargetMode="External"</c> in the
/// <c>*.rels</c> parts: hyperlinks, remote templates, linked images and frames) and the pictures in
/// its media folders (where a QR code would be), and the words of its main parts (the body of a Word
/// document, the shared strings of a workbook, the first slides), for the lexicon.
/// </summary>
internal static class OfficeDocuments
{
    /// <summary>Relationship parts read at most per document.</summary>
    public const int MaxRelationshipParts = 64;

    /// <summary>Bytes read at most from one relationship part.</summary>
    public const int MaxRelationshipBytes = 1024 * 1024;

    /// <summary>External targets kept at most per relationship part.</summary>
    public const int MaxTargetsPerPart = 1000;

    /// <summary>A relationship part (<c>_rels/*.rels</c>) of the package.</summary>
    public static bool IsRelationshipPart(string name) => name.EndsWith(".rels", StringComparison.OrdinalIgnoreCase);

    /// <summary>A PNG, JPEG or GIF in Word's, Excel's or PowerPoint's media folder.</summary>
    public static bool IsMediaImage(string name) =>
        (name.StartsWith("word/media/", StringComparison.OrdinalIgnoreCase) || name.StartsWith("xl/media/", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("ppt/media/", StringComparison.OrdinalIgnoreCase))
        && FileTypes.ExtensionOf(name) is "png" or "jpg" or "jpeg" or "gif";

    /// <summary>Text parts read at most per document.</summary>
    public const int MaxTextParts = 4;

    /// <summary>Bytes read at most from one text part.</summary>
    public const int MaxTextPartBytes = 4 * 1024 * 1024;


    /// <summary>
    /// A part whose words a reader sees first: Word's <c>word/document.xml</c>, Excel's
    /// <c>xl/sharedStrings.xml</c>, PowerPoint's <c>ppt/slides/slide1.xml</c> to <c>slide3.xml</c>.
    /// </summary>
    public static bool IsTextPart(string name) =>
        name.Equals("word/document.xml", StringComparison.OrdinalIgnoreCase)
        || name.Equals("xl/sharedStrings.xml", StringComparison.OrdinalIgnoreCase)
        || name.Equals("ppt/slides/slide1.xml", StringComparison.OrdinalIgnoreCase)
        || name.Equals("ppt/slides/slide2.xml", StringComparison.OrdinalIgnoreCase)
        || name.Equals("ppt/slides/slide3.xml", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The character data of a part, XML references undone, with a line break after each paragraph
    /// (<c>w:p</c>, <c>a:p</c>), shared string (<c>si</c>), break or tab, and nothing between runs (Word
    /// splits a word across runs freely). At most <paramref name="maxChars"/> characters.
    /// </summary>
    public static string Words(ReadOnlySpan<byte> part, int maxChars)
    {
        var xml = Decode(part);
        var text = new StringBuilder();
        var position = 0;
        while (position < xml.Length && text.Length < maxChars)
        {
            var open = xml.IndexOf('<', position);
            var data = xml.AsSpan(position, (open < 0 ? xml.Length : open) - position);
            if (!data.IsEmpty && !data.IsWhiteSpace())
            {
                text.Append(Unescape(data.ToString()));
            }

            if (open < 0)
            {
                break;
            }

            var close = xml.IndexOf('>', open);
            if (close < 0)
            {
                break;
            }

            if (EndsLine(xml.AsSpan(open + 1, close - open - 1)))
            {
                text.Append('\n');
            }

            position = close + 1;
        }

        return text.Length > maxChars ? text.ToString(0, maxChars) : text.ToString();
    }

    private static bool EndsLine(ReadOnlySpan<char> tag)
    {
        var name = tag.TrimStart('/');
        var end = name.IndexOfAny(' ', '/', '\t');
        name = end < 0 ? name : name[..end];
        var colon = name.IndexOf(':');
        var local = colon < 0 ? name : name[(colon + 1)..];
        var closing = tag.StartsWith("/");
        return (closing && local is "p" or "si") || local is "br" or "tab" or "cr";
    }

    /// <summary>The <c>Target</c> of every <c>Relationship</c> element whose <c>TargetMode</c> is <c>External</c>, XML references undone.</summary>
    public static List<string> ExternalTargets(ReadOnlySpan<byte> part)
    {
        var targets = new List<string>();
        var xml = Decode(part);
        var position = 0;
        while (targets.Count < MaxTargetsPerPart)
        {
            var start = xml.IndexOf("<Relationship", position, StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            var end = xml.IndexOf('>', start);
            if (end < 0)
            {
                break;
            }

            position = end + 1;
            var tag = xml.AsSpan(start + 13, end - start - 13);
            if (tag.IsEmpty || !(char.IsWhiteSpace(tag[0]) || tag[0] == '/'))
            {
                continue;
            }

            string? target = null;
            var external = false;
            foreach (var (name, value) in Attributes(tag))
            {
                if (name.Equals("Target", StringComparison.Ordinal))
                {
                    target = Unescape(value);
                }
                else if (name.Equals("TargetMode", StringComparison.Ordinal))
                {
                    external = value.Trim().Equals("External", StringComparison.OrdinalIgnoreCase);
                }
            }

            if (external && !string.IsNullOrWhiteSpace(target))
            {
                targets.Add(target.Trim());
            }
        }

        return targets;
    }

    private static string Decode(ReadOnlySpan<byte> part)
    {
        if (part.Length >= 2 && part[0] == 0xFF && part[1] == 0xFE)
        {
            return Encoding.Unicode.GetString(part[2..]);
        }

        if (part.Length >= 2 && part[0] == 0xFE && part[1] == 0xFF)
        {
            return Encoding.BigEndianUnicode.GetString(part[2..]);
        }

        return Encoding.UTF8.GetString(part.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? part[3..] : part);
    }

    private static List<(string Name, string Value)> Attributes(ReadOnlySpan<char> tag)
    {
        var attributes = new List<(string, string)>();
        var i = 0;
        while (i < tag.Length && attributes.Count < 32)
        {
            while (i < tag.Length && (char.IsWhiteSpace(tag[i]) || tag[i] == '/'))
            {
                i++;
            }

            var nameStart = i;
            while (i < tag.Length && tag[i] != '=' && !char.IsWhiteSpace(tag[i]))
            {
                i++;
            }

            var name = tag[nameStart..i];
            while (i < tag.Length && char.IsWhiteSpace(tag[i]))
            {
                i++;
            }

            if (i >= tag.Length || tag[i] != '=')
            {
                if (name.IsEmpty)
                {
                    i++;
                }

                continue;
            }

            i++;
            while (i < tag.Length && char.IsWhiteSpace(tag[i]))
            {
                i++;
            }

            if (i >= tag.Length || tag[i] is not ('"' or '\''))
            {
                break;
            }

            var quote = tag[i++];
            var valueEnd = tag[i..].IndexOf(quote);
            if (valueEnd < 0)
            {
                break;
            }

            attributes.Add((name.ToString(), tag.Slice(i, valueEnd).ToString()));
            i += valueEnd + 1;
        }

        return attributes;
    }

    /// <summary>Undoes XML's predefined entities and character references.</summary>
    private static string Unescape(string value)
    {
        if (!value.Contains('&', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var semicolon = value[i] == '&' ? value.IndexOf(';', i) : -1;
            if (semicolon < 0 || semicolon - i > 10)
            {
                builder.Append(value[i]);
                continue;
            }

            var entity = value.AsSpan(i + 1, semicolon - i - 1);
            string? replacement = entity switch
            {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                "apos" => "'",
                _ => null,
            };
            if (replacement is null && entity.Length > 1 && entity[0] == '#')
            {
                var hex = entity[1] is 'x' or 'X';
                if (int.TryParse(hex ? entity[2..] : entity[1..], hex ? System.Globalization.NumberStyles.HexNumber : System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
                    && code is > 0 and <= 0x10FFFF && code is not (>= 0xD800 and <= 0xDFFF))
                {
                    replacement = char.ConvertFromUtf32(code);
                }
            }

            if (replacement is null)
            {
                builder.Append(value[i]);
                continue;
            }

            builder.Append(replacement);
            i = semicolon;
        }

        return builder.ToString();
    }
}
