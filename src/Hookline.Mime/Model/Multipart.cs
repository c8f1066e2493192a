namespace Hookline.Mime;

/// <summary>A multipart entity (RFC 2046 5.1): preamble, delimited parts, close delimiter and epilogue, each with its bytes.</summary>
public sealed class Multipart : MimeEntity
{
    internal Multipart(EntityShape shape, ByteRange preamble, List<MultipartChild> children, ByteRange? closeDelimiter, ByteRange epilogue)
        : base(shape)
    {
        Preamble = preamble;
        Children = children;
        CloseDelimiter = closeDelimiter;
        Epilogue = epilogue;
    }

    public string Boundary => ContentType.Boundary ?? string.Empty;

    public ByteRange Preamble { get; }

    /// <summary>Each part with the delimiter line (and the line break before it) that introduced it.</summary>
    public IReadOnlyList<MultipartChild> Children { get; }

    /// <summary>The close delimiter line, or null when the multipart was never closed.</summary>
    public ByteRange? CloseDelimiter { get; }

    public ByteRange Epilogue { get; }

    /// <summary>
    /// True when <see cref="MimeLimits.MaxParts"/> was reached inside this multipart: its remaining
    /// delimited parts were not parsed and are kept, raw, as <see cref="Epilogue"/> (with a
    /// <see cref="MimeWarningCode.TooManyParts"/> warning). Only that limit leaves an unclosed
    /// multipart with an epilogue.
    /// </summary>
    public bool PartLimitReached => CloseDelimiter is null && !Epilogue.IsEmpty;

    public IEnumerable<MimeEntity> Parts => Children.Select(c => c.Entity);
}

/// <summary>One part of a multipart and the delimiter bytes before it.</summary>
public sealed record MultipartChild(ByteRange Delimiter, MimeEntity Entity);
