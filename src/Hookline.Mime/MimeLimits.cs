namespace Hookline.Mime;

/// <summary>
/// Bounds that keep a hostile message from costing unbounded time or memory. Reaching one is a
/// warning (with the offset where it happened), never an exception; the bytes are always kept.
/// </summary>
public sealed record MimeLimits
{
    public static MimeLimits Default { get; } = new();

    /// <summary>Deepest nesting of multiparts and attached messages that is parsed as structure; deeper content is kept as an opaque part.</summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Most entities (parts of any kind) in one message; the rest of a multipart past the limit is kept as its epilogue.</summary>
    public int MaxParts { get; init; } = 5_000;

    /// <summary>Largest single header field (with its folded lines) whose value is decoded; longer values are cut for decoding, kept whole as bytes.</summary>
    public int MaxHeaderFieldBytes { get; init; } = 256 * 1024;

    /// <summary>Largest header block; past it the rest is treated as the body.</summary>
    public int MaxHeaderBlockBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Most header fields in one block; past it the rest is treated as the body.</summary>
    public int MaxHeaderFields { get; init; } = 10_000;

    /// <summary>Most bytes a part's content decodes to; decoding stops there with a warning.</summary>
    public long MaxDecodedBytes { get; init; } = 256L * 1024 * 1024;
}
