using Hookline.Mime.Headers;
using Hookline.Mime.Reading;

namespace Hookline.Mime;

/// <summary>
/// One entity of a message (RFC 2045): its header block and body, each known by the exact bytes it
/// came from. Leaf parts are <see cref="MimePart"/>, multiparts <see cref="Multipart"/>, attached
/// messages <see cref="MessagePart"/>.
/// </summary>
public abstract class MimeEntity
{
    private ContentDisposition? _disposition;
    private bool _dispositionParsed;

    private protected MimeEntity(EntityShape shape)
    {
        Context = shape.Context;
        Headers = shape.Headers;
        Range = shape.Range;
        Separator = shape.Separator;
        ContentType = shape.ContentType;
        TransferEncoding = shape.TransferEncoding;
        Depth = shape.Depth;
    }

    internal ParseContext Context { get; }

    /// <summary>The buffer the entity was parsed from.</summary>
    public ReadOnlyMemory<byte> Source => Context.Source;

    public HeaderList Headers { get; }

    /// <summary>The whole entity: header block, blank line and body.</summary>
    public ByteRange Range { get; }

    /// <summary>The blank line that ends the header block; empty when it was missing.</summary>
    public ByteRange Separator { get; }

    /// <summary>Everything after the blank line.</summary>
    public ByteRange BodyRange => ByteRange.FromBounds(Separator.End, Range.End);

    public ContentType ContentType { get; }

    /// <summary>Content-Transfer-Encoding, lower-case; "7bit" when absent.</summary>
    public string TransferEncoding { get; }

    /// <summary>0 for a message's top entity; one more for each multipart or attached message above.</summary>
    public int Depth { get; }

    public ContentDisposition? ContentDisposition
    {
        get
        {
            if (!_dispositionParsed)
            {
                var dispositionField = Headers.Find("Content-Disposition");
                _disposition = dispositionField is null ? null : ContentDisposition.Parse(dispositionField.BoundedRawValue, null, dispositionField.ValueRange.Start);
                _dispositionParsed = true;
            }

            return _disposition;
        }
    }

    /// <summary>The file name from Content-Disposition, else from Content-Type's name parameter.</summary>
    public string? FileName
    {
        get
        {
            var name = ContentDisposition?.FileName;
            return string.IsNullOrEmpty(name) ? ContentType.Name : name;
        }
    }

    /// <summary>An attachment in the sense analysts use: disposition attachment, or a file name.</summary>
    public bool IsAttachment => ContentDisposition?.IsAttachment == true || !string.IsNullOrEmpty(FileName);

    /// <summary>The entity's own bytes, exactly as they were in the source.</summary>
    public ReadOnlyMemory<byte> GetRawBytes() => Source.Slice(Range.Start, Range.Length);

    internal ReadOnlySpan<byte> Slice(ByteRange range) => Source.Span.Slice(range.Start, range.Length);
}

/// <summary>What the tree builder knows of an entity once its header block has been read.</summary>
internal readonly record struct EntityShape(
    ParseContext Context,
    HeaderList Headers,
    ByteRange Range,
    ByteRange Separator,
    ContentType ContentType,
    string TransferEncoding,
    int Depth);
