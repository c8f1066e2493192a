namespace Hookline.Imap.Protocol;

internal enum ImapResponseKind
{
    Untagged,
    Tagged,
    Continuation,
}

/// <summary>
/// One parsed server response. Status responses (OK, NO, BAD, BYE, PREAUTH) carry a response code and
/// text; data responses (CAPABILITY, LIST, FETCH...) carry their values; "* n TYPE" carries the number.
/// </summary>
internal sealed class ImapResponse
{
    public required ImapResponseKind Kind { get; init; }

    /// <summary>The tag of a tagged response.</summary>
    public string? Tag { get; init; }

    /// <summary>Upper-case response type (OK, EXISTS, FETCH, CAPABILITY, ...); empty for continuations.</summary>
    public string Type { get; init; } = "";

    /// <summary>The number in "* n EXISTS" style responses.</summary>
    public uint? Number { get; init; }

    /// <summary>Upper-case response code name, e.g. UIDVALIDITY.</summary>
    public string? Code { get; init; }

    /// <summary>What follows the code name inside the brackets, unparsed.</summary>
    public string? CodeArguments { get; init; }

    /// <summary>Human-readable text of a status response or continuation.</summary>
    public string Text { get; init; } = "";

    public List<ImapValue> Values { get; init; } = [];

    public bool IsStatus => Type is "OK" or "NO" or "BAD" or "BYE" or "PREAUTH";
}
