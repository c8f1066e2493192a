using System.Text;

namespace Hookline.Reports.Analysis.Urls;

public static partial class HtmlScanner
{
    /// <summary>Elements opened inside a link that are remembered, to tell their end tags from those of the link's ancestors.</summary>
    private const int MaxTrackedInsideLink = 256;

    private static bool IsVoid(ReadOnlySpan<char> name) => name switch
    {
        "area" or "base" or "br" or "col" or "embed" or "hr" or "img" or "image" or "input" or "keygen" or "link" or "meta" or "param" or "source" or "track" or "wbr" => true,
        _ => false,
    };

    private static bool IsTableStructure(ReadOnlySpan<char> name) => name switch
    {
        "td" or "th" or "tr" or "tbody" or "thead" or "tfoot" or "caption" or "table" => true,
        _ => false,
    };

    private static bool IsCredentialInput(HtmlTokenizer input, out bool password)
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

    private static bool IsPixel(HtmlTokenizer image)
    {
        static bool Tiny(string? value) => value?.Trim().TrimEnd("px".ToCharArray()) is "0" or "1";
        return Tiny(image.GetAttribute("width")) && Tiny(image.GetAttribute("height"));
    }

    /// <summary>
    /// What the tag scan keeps between tokens: the base URL, the forms (a form opened while another
    /// is open is ignored, as the HTML parser does), and the open link whose visible text is being
    /// gathered. A link's text ends at its end tag, at the next link, or when the table cell or row
    /// it sits in closes (a table opened inside the link does not end it); end tags of other
    /// elements around the link leave it open, where a browser would carry the link on in a copy.
    /// </summary>
    private sealed class TagScanState(HtmlScan scan, int maxLinks)
    {
        private readonly List<(string? Action, bool Credential)> _forms = [];
        private readonly List<string> _insideLink = [];
        private readonly StringBuilder _decoded = new();
        private VisibleTextBuilder _linkText;
        private Uri? _baseUri;
        private int _openForm = -1;
        private int _tableDepth;
        private bool _inLink;
        private int _linkIndex = -1;
        private int _linkTableDepth;
        private bool _inScript;

        public void Text(HtmlTokenizer tokens)
        {
            if (!_inLink || _linkText.IsFull || (tokens.TextIsRaw && _inScript))
            {
                return;
            }

            var text = tokens.Text;
            if (tokens.TextIsRaw || text.IndexOfAny('&', '\0') < 0)
            {
                _linkText.Append(text);
                return;
            }

            _decoded.Clear();
            HtmlCharacterReferences.Decode(text, inAttribute: false, _decoded);
            foreach (var chunk in _decoded.GetChunks())
            {
                _linkText.Append(chunk.Span);
            }
        }

        public void StartTag(HtmlTokenizer tokens)
        {
            var name = tokens.Name;
            _inScript = name is "script";
            if (_inLink && name is not "a")
            {
                if (IsTableStructure(name) && name is not "table" && _linkTableDepth > 0 && !_insideLink.Contains("table"))
                {
                    // A new cell or row of the table the link is in closes the cell the link is in.
                    CloseLink();
                }
                else if (!IsVoid(name) && _insideLink.Count < MaxTrackedInsideLink)
                {
                    _insideLink.Add(name.ToString());
                }
            }

            switch (name)
            {
                case "a":
                    CloseLink();
                    _inLink = true;
                    _linkTableDepth = _tableDepth;
                    _linkIndex = AddLink(scan, maxLinks, _baseUri, tokens.GetAttribute("href"), UrlSource.Href, null, false) ? scan.Links.Count - 1 : -1;
                    break;
                case "area":
                    AddLink(scan, maxLinks, _baseUri, tokens.GetAttribute("href"), UrlSource.Area, VisibleText(tokens.GetAttribute("alt")), false);
                    break;
                case "base" when _baseUri is null:
                    var baseHref = Clean(tokens.GetAttribute("href"));
                    if (baseHref is not null && Uri.TryCreate(baseHref, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
                    {
                        _baseUri = parsed;
                    }

                    break;
                case "script":
                    scan.HasScript = true;
                    break;
                case "table":
                    _tableDepth++;
                    break;
                case "form" when _openForm < 0:
                    _openForm = _forms.Count;
                    _forms.Add((tokens.GetAttribute("action"), false));
                    break;
                case "input":
                    if (IsCredentialInput(tokens, out var password))
                    {
                        scan.HasPasswordInput |= password;
                        scan.HasCredentialForm = true;
                        if (_openForm >= 0)
                        {
                            _forms[_openForm] = (_forms[_openForm].Action, true);
                        }
                    }

                    break;
                case "meta" when string.Equals(tokens.GetAttribute("http-equiv")?.Trim(), "refresh", StringComparison.OrdinalIgnoreCase):
                    var target = RefreshTarget(tokens.GetAttribute("content"));
                    if (target is not null)
                    {
                        scan.HasMetaRefresh = true;
                        AddLink(scan, maxLinks, _baseUri, target, UrlSource.MetaRefresh, null, false);
                    }

                    break;
                case "iframe":
                    AddLink(scan, maxLinks, _baseUri, tokens.GetAttribute("src"), UrlSource.Frame, null, false);
                    break;
                case "img" or "image" when IsPixel(tokens):
                    AddLink(scan, maxLinks, _baseUri, tokens.GetAttribute("src"), UrlSource.TrackingPixel, null, false);
                    break;
            }
        }

        public void EndTag(HtmlTokenizer tokens)
        {
            var name = tokens.Name;
            _inScript = false;
            if (_inLink)
            {
                if (name is "a")
                {
                    CloseLink();
                }
                else if (LastIndexInsideLink(name) is var inside and >= 0)
                {
                    _insideLink.RemoveRange(inside, _insideLink.Count - inside);
                }
                else if (IsTableStructure(name) && _linkTableDepth > 0)
                {
                    CloseLink();
                }
            }

            switch (name)
            {
                case "table":
                    _tableDepth = Math.Max(0, _tableDepth - 1);
                    break;
                case "form":
                    _openForm = -1;
                    break;
            }
        }

        public void Finish()
        {
            CloseLink();
            foreach (var (action, credential) in _forms)
            {
                AddLink(scan, maxLinks, _baseUri, action, UrlSource.Form, null, credential);
            }
        }

        private int LastIndexInsideLink(ReadOnlySpan<char> name)
        {
            for (var i = _insideLink.Count - 1; i >= 0; i--)
            {
                if (name.SequenceEqual(_insideLink[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        private void CloseLink()
        {
            if (!_inLink)
            {
                return;
            }

            if (_linkIndex >= 0)
            {
                scan.Links[_linkIndex] = scan.Links[_linkIndex] with { VisibleText = _linkText.ToStringOrNull() };
            }

            _inLink = false;
            _linkIndex = -1;
            _insideLink.Clear();
            _linkText = default;
        }
    }

    private static string? VisibleText(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var builder = default(VisibleTextBuilder);
        builder.Append(text);
        return builder.ToStringOrNull();
    }

    /// <summary>
    /// A link's visible text as it is read: whitespace runs become one space (none at the start),
    /// zero-width and soft-hyphen characters are dropped, at most <see cref="MaxVisibleText"/> characters.
    /// </summary>
    private struct VisibleTextBuilder
    {
        private char[]? _buffer;
        private int _length;
        private bool _space;

        public readonly bool IsFull => _length == MaxVisibleText;

        public void Append(ReadOnlySpan<char> text)
        {
            foreach (var c in text)
            {
                if (_length == MaxVisibleText)
                {
                    return;
                }

                if (char.IsWhiteSpace(c))
                {
                    _space |= _length > 0;
                    continue;
                }

                if (c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD')
                {
                    continue;
                }

                _buffer ??= new char[MaxVisibleText];
                if (_space)
                {
                    _buffer[_length++] = ' ';
                    _space = false;
                    if (_length == MaxVisibleText)
                    {
                        return;
                    }
                }

                _buffer[_length++] = c;
            }
        }

        public readonly string? ToStringOrNull() => _length == 0 ? null : new string(_buffer!, 0, _length);
    }
}
