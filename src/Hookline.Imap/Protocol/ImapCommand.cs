using System.Text;

namespace Hookline.Imap.Protocol;

/// <summary>
/// A command being built: text and literals in order, without the tag and final CRLF. Strings are
/// written as an atom, a quoted string or a literal, whichever is the simplest that carries them.
/// </summary>
internal sealed class ImapCommand
{
    private readonly List<Part> _parts = [];
    private readonly StringBuilder _text = new();

    public ImapCommand(string name)
    {
        Name = name;
        _text.Append(name);
    }

    /// <summary>The command's name, for errors and logs (never its arguments: they may be credentials).</summary>
    public string Name { get; }

    public long LiteralBytes { get; private set; }

    public IReadOnlyList<Part> Parts
    {
        get
        {
            Flush();
            return _parts;
        }
    }

    /// <summary>Appends text as is (it must be valid IMAP syntax and contain no CR or LF).</summary>
    public ImapCommand Raw(string text)
    {
        if (text.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("Command text cannot contain CR or LF.", nameof(text));
        }

        _text.Append(text);
        return this;
    }

    public ImapCommand Space() => Raw(" ");

    /// <summary>Appends an astring.</summary>
    public ImapCommand AString(string value)
    {
        if (value.Length > 0 && value.All(IsAtomChar))
        {
            _text.Append(value);
        }
        else
        {
            Quoted(value);
        }

        return this;
    }

    /// <summary>Appends a mailbox name, modified-UTF-7 encoded (INBOX in any case stays INBOX).</summary>
    public ImapCommand Mailbox(string name)
    {
        return AString(string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : ImapUtf7.Encode(name));
    }

    /// <summary>Appends a LIST pattern: like an astring, but % and * stay wildcards.</summary>
    public ImapCommand ListPattern(string pattern)
    {
        var encoded = ImapUtf7.Encode(pattern);
        if (encoded.Length > 0 && encoded.All(c => IsAtomChar(c) || c is '%' or '*'))
        {
            _text.Append(encoded);
            return this;
        }

        return Quoted(encoded);
    }

    /// <summary>Appends a string quoted, or as a literal when quoting cannot carry it.</summary>
    public ImapCommand Quoted(string value)
    {
        if (value.All(c => c is > '\0' and < '\u0080' and not '\r' and not '\n'))
        {
            _text.Append('"');
            foreach (var c in value)
            {
                if (c is '"' or '\\')
                {
                    _text.Append('\\');
                }

                _text.Append(c);
            }

            _text.Append('"');
            return this;
        }

        return Literal(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>Appends a literal; the client writes its announcement and waits for a continuation if needed.</summary>
    public ImapCommand Literal(ReadOnlyMemory<byte> bytes)
    {
        Flush();
        _parts.Add(new Part(null, bytes));
        LiteralBytes += bytes.Length;
        return this;
    }

    private void Flush()
    {
        if (_text.Length > 0)
        {
            _parts.Add(new Part(_text.ToString(), default));
            _text.Clear();
        }
    }

    private static bool IsAtomChar(char c)
    {
        return c is > ' ' and < '\u007F' and not '(' and not ')' and not '{' and not '%' and not '*' and not '"' and not '\\' and not ']';
    }

    /// <summary>Text, or (when <see cref="Text"/> is null) a literal.</summary>
    internal readonly record struct Part(string? Text, ReadOnlyMemory<byte> Literal);
}
