using System.Globalization;
using System.Text;

namespace Hookline.Imap.Protocol;

internal enum ImapValueKind
{
    Atom,
    Quoted,
    Literal,
    Nil,
    List,
}

/// <summary>One token of a response: an atom (numbers and flags too), a quoted string, a literal, NIL or a list.</summary>
internal sealed class ImapValue
{
    public static readonly ImapValue Nil = new(ImapValueKind.Nil, "NIL", null, null);

    private ImapValue(ImapValueKind kind, string? text, byte[]? bytes, List<ImapValue>? items)
    {
        Kind = kind;
        Text = text;
        Bytes = bytes;
        Items = items;
    }

    public ImapValueKind Kind { get; }

    /// <summary>The atom's or quoted string's text; "NIL" for NIL.</summary>
    public string? Text { get; }

    /// <summary>A literal's bytes.</summary>
    public byte[]? Bytes { get; }

    public List<ImapValue>? Items { get; }

    public bool IsString => Kind is ImapValueKind.Quoted or ImapValueKind.Literal;

    public static ImapValue Atom(string text) => new(ImapValueKind.Atom, text, null, null);

    public static ImapValue Quoted(string text) => new(ImapValueKind.Quoted, text, null, null);

    public static ImapValue Literal(byte[] bytes) => new(ImapValueKind.Literal, null, bytes, null);

    /// <summary>A literal of <paramref name="size"/> bytes that was read and not kept (over the command's <see cref="LiteralAllowance"/>); its text is empty.</summary>
    public static ImapValue DroppedLiteral(long size) => new(ImapValueKind.Literal, null, [], null) { DroppedSize = size };

    /// <summary>For a literal that was read and dropped, its size; null for every other value.</summary>
    public long? DroppedSize { get; private init; }

    public static ImapValue List(List<ImapValue> items) => new(ImapValueKind.List, null, null, items);

    /// <summary>The value as an astring/nstring: text of an atom, quoted string or literal (UTF-8); NIL as "NIL".</summary>
    public string AsString()
    {
        return Kind switch
        {
            ImapValueKind.Literal => Encoding.UTF8.GetString(Bytes!),
            ImapValueKind.List => throw new ImapProtocolException("Expected a string, got a parenthesised list."),
            _ => Text!,
        };
    }

    /// <summary>The value as bytes: a literal's own array, a quoted string's UTF-8; null for NIL.</summary>
    public byte[]? AsBytes()
    {
        return Kind switch
        {
            ImapValueKind.Literal => Bytes,
            ImapValueKind.Quoted => Encoding.UTF8.GetBytes(Text!),
            ImapValueKind.Nil => null,
            _ => throw new ImapProtocolException($"Expected a string, got {Describe()}."),
        };
    }

    public bool IsAtom(string text) => Kind == ImapValueKind.Atom && string.Equals(Text, text, StringComparison.OrdinalIgnoreCase);

    public uint AsNumber()
    {
        return Kind == ImapValueKind.Atom && Text!.Length is > 0 and <= 10 && Text.All(char.IsAsciiDigit)
            && uint.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ImapProtocolException($"Expected a number, got {Describe()}.");
    }

    public long AsNumber64()
    {
        return Kind == ImapValueKind.Atom && Text!.Length is > 0 and <= 19 && Text.All(char.IsAsciiDigit)
            && long.TryParse(Text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ImapProtocolException($"Expected a number, got {Describe()}.");
    }

    public List<ImapValue> AsList() => Items ?? throw new ImapProtocolException($"Expected a parenthesised list, got {Describe()}.");

    public string Describe()
    {
        return Kind switch
        {
            ImapValueKind.Atom => $"atom '{Truncate(Text!)}'",
            ImapValueKind.Quoted => $"quoted string \"{Truncate(Text!)}\"",
            ImapValueKind.Literal => $"a literal of {Bytes!.Length} bytes",
            ImapValueKind.Nil => "NIL",
            _ => "a parenthesised list",
        };
    }

    private static string Truncate(string s) => s.Length <= 60 ? s : s[..60] + "...";
}
