namespace Hookline.Reports.Analysis.Urls;

/// <summary>What <see cref="HtmlTokenizer.Next"/> found.</summary>
internal enum HtmlTokenKind
{
    /// <summary>The end of the input.</summary>
    End,

    StartTag,
    EndTag,

    /// <summary>Character data; see <see cref="HtmlTokenizer.TextIsRaw"/> for whether character references count in it.</summary>
    Text,
}

/// <summary>
/// A single-pass, DOM-free HTML tokenizer after the WHATWG "tokenization" section, reduced to what
/// link scanning needs: start and end tags (lower-cased names, attributes with every quoting form,
/// the first of duplicate attributes wins), text, comments and bogus comments skipped (including
/// <c>&lt;!--&gt;</c>, <c>--!&gt;</c> and unterminated ones), script/style/xmp/iframe/noembed/noframes
/// as raw text, title/textarea as escapable raw text, plaintext to the end. A tag cut off by the end
/// of the input is dropped, as browsers do. Linear in the input: every character is looked at a
/// bounded number of times. Simplifications: script's "escaped" states (<c>&lt;!--</c> inside a
/// script) are not modelled, and foreign content (SVG, MathML) is tokenized as HTML.
/// </summary>
internal sealed class HtmlTokenizer
{
    private readonly string _html;
    private char[] _names = new char[64];
    private int _namesLength;
    private Attribute[] _attributes = new Attribute[8];
    private int _position;
    private string? _rawTextEnd;
    private bool _rawIsEscapable;

    public HtmlTokenizer(string html)
    {
        _html = html;
    }

    public HtmlTokenKind Kind { get; private set; }

    /// <summary>The tag's name, lower-cased (tags only).</summary>
    public ReadOnlySpan<char> Name => _names.AsSpan(0, NameLength);

    public bool SelfClosing { get; private set; }

    public int AttributeCount { get; private set; }

    /// <summary>The text as written (text only); decode with <see cref="HtmlCharacterReferences"/> unless <see cref="TextIsRaw"/>.</summary>
    public ReadOnlySpan<char> Text => _html.AsSpan(TextStart, TextLength);

    /// <summary>Script or style content: character references are not references there.</summary>
    public bool TextIsRaw { get; private set; }

    private int NameLength { get; set; }

    private int TextStart { get; set; }

    private int TextLength { get; set; }

    /// <summary>Moves to the next token; false at the end of the input.</summary>
    public bool Next()
    {
        Kind = HtmlTokenKind.End;
        var html = _html;
        while (_position < html.Length)
        {
            if (_rawTextEnd is not null)
            {
                if (ReadRawText())
                {
                    return true;
                }

                continue;
            }

            if (html[_position] != '<')
            {
                var lt = html.AsSpan(_position).IndexOf('<');
                var end = lt < 0 ? html.Length : _position + lt;
                SetText(_position, end, raw: false);
                _position = end;
                return true;
            }

            if (_position + 1 >= html.Length)
            {
                SetText(_position, html.Length, raw: false);
                _position = html.Length;
                return true;
            }

            var next = html[_position + 1];
            if (char.IsAsciiLetter(next))
            {
                if (ReadTag(_position + 1, HtmlTokenKind.StartTag))
                {
                    return true;
                }

                continue;
            }

            if (next == '/')
            {
                var after = _position + 2;
                if (after >= html.Length)
                {
                    SetText(_position, html.Length, raw: false);
                    _position = html.Length;
                    return true;
                }

                if (char.IsAsciiLetter(html[after]))
                {
                    if (ReadTag(after, HtmlTokenKind.EndTag))
                    {
                        return true;
                    }

                    continue;
                }

                // "</>" is dropped; "</ x>" and the like are bogus comments.
                _position = html[after] == '>' ? after + 1 : SkipPast(after, '>');
                continue;
            }

            if (next == '!')
            {
                _position = html.AsSpan(_position + 2).StartsWith("--", StringComparison.Ordinal) ? SkipComment(_position + 4) : SkipPast(_position + 2, '>');
                continue;
            }

            if (next == '?')
            {
                _position = SkipPast(_position + 2, '>');
                continue;
            }

            // A '<' that starts no tag is text, up to the next '<'.
            var following = html.AsSpan(_position + 1).IndexOf('<');
            var textEnd = following < 0 ? html.Length : _position + 1 + following;
            SetText(_position, textEnd, raw: false);
            _position = textEnd;
            return true;
        }

        return false;
    }

    /// <summary>True when the current tag has the attribute (names are lower-case).</summary>
    public bool HasAttribute(string name) => FindAttribute(name) >= 0;

    /// <summary>The attribute's value with character references decoded; null when the tag does not have it.</summary>
    public string? GetAttribute(string name)
    {
        var index = FindAttribute(name);
        if (index < 0)
        {
            return null;
        }

        var attribute = _attributes[index];
        return HtmlCharacterReferences.Decode(_html.AsSpan(attribute.ValueStart, attribute.ValueLength), inAttribute: true);
    }

    /// <summary>The name of the current tag's attribute at <paramref name="index"/> (lower-cased), in the order written; duplicates included.</summary>
    public ReadOnlySpan<char> AttributeName(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)AttributeCount, nameof(index));
        var attribute = _attributes[index];
        return _names.AsSpan(attribute.NameStart, attribute.NameLength);
    }

    /// <summary>The value of the current tag's attribute at <paramref name="index"/>, character references decoded.</summary>
    public string AttributeValue(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)AttributeCount, nameof(index));
        var attribute = _attributes[index];
        return HtmlCharacterReferences.Decode(_html.AsSpan(attribute.ValueStart, attribute.ValueLength), inAttribute: true);
    }

    private int FindAttribute(string name)
    {
        for (var i = 0; i < AttributeCount; i++)
        {
            var attribute = _attributes[i];
            if (_names.AsSpan(attribute.NameStart, attribute.NameLength).SequenceEqual(name))
            {
                return i;
            }
        }

        return -1;
    }

    private void SetText(int start, int end, bool raw)
    {
        Kind = HtmlTokenKind.Text;
        TextStart = start;
        TextLength = end - start;
        TextIsRaw = raw;
    }

    private int SkipPast(int from, char c)
    {
        var index = _html.AsSpan(from).IndexOf(c);
        return index < 0 ? _html.Length : from + index + 1;
    }

    /// <summary>After "&lt;!--": to past "--&gt;" or "--!&gt;"; "&lt;!--&gt;" and "&lt;!---&gt;" end at once.</summary>
    private int SkipComment(int from)
    {
        var html = _html.AsSpan();
        if (from < html.Length && html[from] == '>')
        {
            return from + 1;
        }

        if (from + 1 < html.Length && html[from] == '-' && html[from + 1] == '>')
        {
            return from + 2;
        }

        var position = from;
        while (position < html.Length)
        {
            var dashes = html[position..].IndexOf("--", StringComparison.Ordinal);
            if (dashes < 0)
            {
                return html.Length;
            }

            var after = position + dashes + 2;
            while (after < html.Length && html[after] == '-')
            {
                after++;
            }

            if (after < html.Length && html[after] == '>')
            {
                return after + 1;
            }

            if (after + 1 < html.Length && html[after] == '!' && html[after + 1] == '>')
            {
                return after + 2;
            }

            position = after;
        }

        return html.Length;
    }

    /// <summary>Reads a tag whose name starts at <paramref name="nameStart"/>; false (and the rest of the input consumed) when it is cut off.</summary>
    private bool ReadTag(int nameStart, HtmlTokenKind kind)
    {
        var html = _html.AsSpan();
        _namesLength = 0;
        AttributeCount = 0;
        SelfClosing = false;
        var i = nameStart;
        while (i < html.Length && !IsTagNameEnd(html[i]))
        {
            AppendNameChar(html[i]);
            i++;
        }

        NameLength = _namesLength;
        while (true)
        {
            // Before an attribute name: whitespace and stray solidi are skipped; "/>" closes the tag self-closing.
            while (i < html.Length && (IsSpace(html[i]) || (html[i] == '/' && (i + 1 >= html.Length || html[i + 1] != '>'))))
            {
                i++;
            }

            if (i >= html.Length)
            {
                return Cut();
            }

            if (html[i] == '/')
            {
                SelfClosing = true;
                i++;
            }

            if (html[i] == '>')
            {
                _position = i + 1;
                Kind = kind;
                if (kind == HtmlTokenKind.StartTag)
                {
                    EnterRawText();
                }

                return true;
            }

            // The attribute name: '=' as its first character is part of it.
            var attributeNameStart = _namesLength;
            AppendNameChar(html[i]);
            i++;
            while (i < html.Length && !IsSpace(html[i]) && html[i] is not '/' and not '>' and not '=')
            {
                AppendNameChar(html[i]);
                i++;
            }

            var attributeNameLength = _namesLength - attributeNameStart;
            while (i < html.Length && IsSpace(html[i]))
            {
                i++;
            }

            if (i >= html.Length)
            {
                return Cut();
            }

            var valueStart = i;
            var valueLength = 0;
            if (html[i] == '=')
            {
                i++;
                while (i < html.Length && IsSpace(html[i]))
                {
                    i++;
                }

                if (i >= html.Length)
                {
                    return Cut();
                }

                if (html[i] is '"' or '\'')
                {
                    var close = html[(i + 1)..].IndexOf(html[i]);
                    if (close < 0)
                    {
                        return Cut();
                    }

                    valueStart = i + 1;
                    valueLength = close;
                    i += close + 2;
                }
                else if (html[i] != '>')
                {
                    valueStart = i;
                    while (i < html.Length && !IsSpace(html[i]) && html[i] != '>')
                    {
                        i++;
                    }

                    if (i >= html.Length)
                    {
                        return Cut();
                    }

                    valueLength = i - valueStart;
                }
            }

            AddAttribute(attributeNameStart, attributeNameLength, valueStart, valueLength);
        }
    }

    private bool Cut()
    {
        _position = _html.Length;
        Kind = HtmlTokenKind.End;
        return false;
    }

    private void AddAttribute(int nameStart, int nameLength, int valueStart, int valueLength)
    {
        if (AttributeCount == _attributes.Length)
        {
            Array.Resize(ref _attributes, _attributes.Length * 2);
        }

        _attributes[AttributeCount++] = new Attribute(nameStart, nameLength, valueStart, valueLength);
    }

    private void AppendNameChar(char c)
    {
        if (_namesLength == _names.Length)
        {
            Array.Resize(ref _names, _names.Length * 2);
        }

        _names[_namesLength++] = c switch
        {
            >= 'A' and <= 'Z' => (char)(c | 0x20),
            '\0' => '\uFFFD',
            _ => c,
        };
    }

    private void EnterRawText()
    {
        (_rawTextEnd, _rawIsEscapable) = Name switch
        {
            "script" => ("script", false),
            "style" => ("style", false),
            "xmp" => ("xmp", false),
            "iframe" => ("iframe", false),
            "noembed" => ("noembed", false),
            "noframes" => ("noframes", false),
            "title" => ("title", true),
            "textarea" => ("textarea", true),
            "plaintext" => (string.Empty, false),
            _ => (null, false),
        };
    }

    /// <summary>Text up to the matching end tag ("&lt;/name" then whitespace, '/' or '&gt;'); true when there was any.</summary>
    private bool ReadRawText()
    {
        var html = _html.AsSpan();
        var name = _rawTextEnd!;
        var start = _position;
        var end = html.Length;
        if (name.Length > 0)
        {
            var search = start;
            while (search < html.Length)
            {
                var found = html[search..].IndexOf("</", StringComparison.Ordinal);
                if (found < 0)
                {
                    break;
                }

                var at = search + found;
                var after = at + 2 + name.Length;
                if (after <= html.Length && html.Slice(at + 2, name.Length).Equals(name, StringComparison.OrdinalIgnoreCase)
                    && (after == html.Length || IsSpace(html[after]) || html[after] is '/' or '>'))
                {
                    end = at;
                    break;
                }

                search = at + 2;
            }
        }

        var escapable = _rawIsEscapable;
        _rawTextEnd = null;
        _position = end;
        if (end == start)
        {
            return false;
        }

        SetText(start, end, raw: !escapable);
        return true;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    private static bool IsTagNameEnd(char c) => IsSpace(c) || c is '/' or '>';

    private readonly record struct Attribute(int NameStart, int NameLength, int ValueStart, int ValueLength);
}
