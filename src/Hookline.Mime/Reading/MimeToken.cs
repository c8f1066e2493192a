namespace Hookline.Mime.Reading;

/// <summary>The events <see cref="MimeReader"/> reports, in document order.</summary>
public enum MimeToken
{
    None,

    /// <summary>A message starts (the top one, or one encapsulated in a message/rfc822 part). Range: the message; Prefix: an mbox "From " line, if any.</summary>
    MessageStart,

    /// <summary>An entity (a part, or a message's top entity) starts. Range.Start: its first byte.</summary>
    EntityStart,

    /// <summary>One header field. Header: the field.</summary>
    HeaderField,

    /// <summary>The header block ended. Range: the blank line (empty when there was none). ContentType: the entity's type.</summary>
    HeadersEnd,

    /// <summary>A leaf entity's content, still transfer-encoded. Range: the content.</summary>
    Content,

    /// <summary>A multipart's preamble (before the first delimiter). Range: it, possibly empty.</summary>
    Preamble,

    /// <summary>A delimiter line before a child part, with the line break before it (RFC 2046 5.1.1). Range: it.</summary>
    Delimiter,

    /// <summary>The close delimiter line. Range: it.</summary>
    CloseDelimiter,

    /// <summary>A multipart's epilogue. Range: it, possibly empty.</summary>
    Epilogue,

    /// <summary>An entity ended. Range: the whole entity.</summary>
    EntityEnd,

    /// <summary>A message ended. Range: the whole message.</summary>
    MessageEnd,
}
