using System.Globalization;
using System.Text;

namespace Hookline.Imap.Protocol;

/// <summary>
/// Parses one response (its lines joined, literal bytes kept apart in order) into an
/// <see cref="ImapResponse"/>. Strict where it matters (quoting, literals, nesting), throws
/// <see cref="ImapProtocolException"/> with the position and an excerpt on anything malformed.
/// </summary>
internal ref struct ImapResponseParser
{
    private const int MaxDepth = 64;

    private readonly ReadOnlySpan<byte> _line;
    private readonly List<byte[]> _literals;
    private readonly int _end;
    private int _pos;
    private int _nextLiteral;

    private ImapResponseParser(ReadOnlySpan<byte> line, List<byte[]> literals)
    {
        _line = line;
        _literals = literals;
        var end = line.Length;
        if (end > 0 && line[end - 1] == '\n')
        {
            end--;
        }

        if (end > 0 && line[end - 1] == '\r')
        {
            end--;
        }

        _end = end;
    }

    public static ImapResponse Parse(ReadOnlySpan<byte> line, List<byte[]> literals)
    {
        var parser = new ImapResponseParser(line, literals);
        return parser.ParseResponse();
    }

    private ImapResponse ParseResponse()
    {
        if (_end == 0)
        {
            throw Error("empty response line");
        }

        if (_line[0] == '+')
        {
            _pos = 1;
            if (_pos < _end && _line[_pos] == ' ')
            {
                _pos++;
            }

            return new ImapResponse { Kind = ImapResponseKind.Continuation, Text = RestAsText() };
        }

        string? tag = null;
        if (_line[0] == '*')
        {
            _pos = 1;
        }
        else
        {
            tag = ReadAtomText("tag");
        }

        ExpectSpace();
        var word = ReadAtomText("response type");
        uint? number = null;
        if (word.All(char.IsAsciiDigit))
        {
            number = ImapValue.Atom(word).AsNumber();
            ExpectSpace();
            word = ReadAtomText("response type");
        }

        var type = word.ToUpperInvariant();
        var kind = tag is null ? ImapResponseKind.Untagged : ImapResponseKind.Tagged;
        if (type is "OK" or "NO" or "BAD" or "BYE" or "PREAUTH" && number is null)
        {
            if (tag is not null && type is "BYE" or "PREAUTH")
            {
                throw Error($"a tagged response cannot be {type}");
            }

            return ParseStatus(kind, tag, type);
        }

        if (tag is not null)
        {
            throw Error($"a tagged response must be OK, NO or BAD, not '{Excerpt(word)}'");
        }

        var values = new List<ImapValue>();
        var known = number is null
            ? type is "CAPABILITY" or "FLAGS" or "LIST" or "LSUB" or "SEARCH" or "ESEARCH" or "ENABLED" or "STATUS"
            : type is "FETCH";
        if (known)
        {
            ParseValues(values, 0);
            if (_pos != _end)
            {
                throw Error("unexpected ')'");
            }
        }
        else if (number is not null && type is "EXISTS" or "RECENT" or "EXPUNGE" && _pos != _end)
        {
            throw Error($"unexpected data after {type}");
        }

        // Other responses (NAMESPACE, VANISHED, ID, ...) are not needed here; their text is skipped.
        return new ImapResponse { Kind = kind, Type = type, Number = number, Values = values };
    }

    private ImapResponse ParseStatus(ImapResponseKind kind, string? tag, string type)
    {
        string? code = null, arguments = null;
        if (_pos < _end && _line[_pos] == ' ')
        {
            _pos++;
        }

        if (_pos < _end && _line[_pos] == '[')
        {
            var close = _line[_pos.._end].IndexOf((byte)']');
            if (close < 0)
            {
                throw Error("unterminated response code");
            }

            var inside = Decode(_line.Slice(_pos + 1, close - 1));
            _pos += close + 1;
            var space = inside.IndexOf(' ', StringComparison.Ordinal);
            code = (space < 0 ? inside : inside[..space]).ToUpperInvariant();
            arguments = space < 0 ? null : inside[(space + 1)..];
            if (code.Length == 0)
            {
                throw Error("empty response code");
            }

            if (_pos < _end && _line[_pos] == ' ')
            {
                _pos++;
            }
        }

        return new ImapResponse
        {
            Kind = kind,
            Tag = tag,
            Type = type,
            Code = code,
            CodeArguments = arguments,
            Text = RestAsText(),
        };
    }

    private void ParseValues(List<ImapValue> into, int depth)
    {
        if (depth > MaxDepth)
        {
            throw Error("lists nested too deeply");
        }

        while (true)
        {
            while (_pos < _end && _line[_pos] == ' ')
            {
                _pos++;
            }

            if (_pos >= _end)
            {
                if (depth > 0)
                {
                    throw Error("unterminated parenthesised list");
                }

                return;
            }

            var c = _line[_pos];
            switch (c)
            {
                case (byte)')':
                    if (depth == 0)
                    {
                        return;
                    }

                    _pos++;
                    return;
                case (byte)'(':
                    _pos++;
                    var items = new List<ImapValue>();
                    ParseValues(items, depth + 1);
                    into.Add(ImapValue.List(items));
                    break;
                case (byte)'"':
                    into.Add(ImapValue.Quoted(ReadQuoted()));
                    break;
                case (byte)'{':
                    into.Add(ReadLiteral());
                    break;
                default:
                    var atom = ReadAtomText("value");
                    into.Add(string.Equals(atom, "NIL", StringComparison.OrdinalIgnoreCase) ? ImapValue.Nil : ImapValue.Atom(atom));
                    break;
            }
        }
    }

    private string ReadQuoted()
    {
        var start = _pos;
        _pos++;
        var bytes = new List<byte>();
        while (true)
        {
            if (_pos >= _end || _line[_pos] is (byte)'\r' or (byte)'\n')
            {
                _pos = start;
                throw Error("unterminated quoted string");
            }

            var c = _line[_pos++];
            if (c == '"')
            {
                return Encoding.UTF8.GetString(bytes.ToArray());
            }

            if (c == '\\')
            {
                if (_pos >= _end || _line[_pos] is (byte)'\r' or (byte)'\n')
                {
                    _pos = start;
                    throw Error("unterminated quoted string");
                }

                c = _line[_pos++];
            }
            else if (c == 0)
            {
                throw Error("NUL in a quoted string");
            }

            bytes.Add(c);
        }
    }

    private ImapValue ReadLiteral()
    {
        var start = _pos;
        _pos++;
        while (_pos < _end && char.IsAsciiDigit((char)_line[_pos]))
        {
            _pos++;
        }

        var digits = _line[(start + 1).._pos];
        if (_pos < _end && _line[_pos] == '+')
        {
            _pos++;
        }

        if (digits.IsEmpty || _pos >= _end || _line[_pos] != '}')
        {
            _pos = start;
            throw Error("malformed literal announcement");
        }

        _pos++;
        if (_pos < _end && _line[_pos] == '\r')
        {
            _pos++;
        }

        if (_pos >= _line.Length || _line[_pos] != '\n')
        {
            _pos = start;
            throw Error("a literal announcement must end its line");
        }

        _pos++;
        if (_nextLiteral >= _literals.Count)
        {
            throw Error("literal without data");
        }

        var bytes = _literals[_nextLiteral++];
        if (ReferenceEquals(bytes, ImapResponseReader.Dropped) && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var dropped))
        {
            return ImapValue.DroppedLiteral(dropped);
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size != bytes.Length)
        {
            throw Error("literal size does not match its data");
        }

        return ImapValue.Literal(bytes);
    }

    private string ReadAtomText(string what)
    {
        var start = _pos;
        while (_pos < _end)
        {
            var c = _line[_pos];
            if (c is (byte)' ' or (byte)'(' or (byte)')' or (byte)'"' or (byte)'{')
            {
                break;
            }

            if (c < 0x20 || c == 0x7F)
            {
                throw Error($"unexpected byte 0x{c:X2}");
            }

            if (c == '[')
            {
                // A section, e.g. BODY[HEADER.FIELDS (FROM TO)]: spaces and parentheses are part of the atom.
                var close = _line[_pos.._end].IndexOf((byte)']');
                if (close < 0)
                {
                    throw Error("unterminated '['");
                }

                _pos += close + 1;
                continue;
            }

            _pos++;
        }

        if (_pos == start)
        {
            throw Error(_pos >= _end ? $"missing {what}" : $"unexpected '{(char)_line[_pos]}' where a {what} was expected");
        }

        return Encoding.UTF8.GetString(_line[start.._pos]);
    }

    private void ExpectSpace()
    {
        if (_pos >= _end || _line[_pos] != ' ')
        {
            throw Error("expected a space");
        }

        _pos++;
    }

    private string RestAsText()
    {
        var text = Decode(_line[_pos.._end]);
        _pos = _end;
        return text;
    }

    private static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static string Excerpt(string s) => s.Length <= 40 ? s : s[..40] + "...";

    private readonly ImapProtocolException Error(string what)
    {
        var from = Math.Max(0, _pos - 20);
        var to = Math.Min(_end, _pos + 40);
        var excerpt = new StringBuilder();
        foreach (var b in _line[from..to])
        {
            excerpt.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }

        return new ImapProtocolException(
            $"Malformed response from the server: {what} at byte {_pos.ToString(CultureInfo.InvariantCulture)} (near \"{excerpt}\").");
    }
}
