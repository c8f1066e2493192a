using Hookline.Mime.Decoding;
using Hookline.Mime.Text;

namespace Hookline.Mime;

/// <summary>A leaf entity: content that is not further structured (text, an attachment, or a kept-unparsed body).</summary>
public sealed class MimePart : MimeEntity
{
    internal MimePart(EntityShape shape)
        : base(shape)
    {
    }

    /// <summary>The content as transferred (still base64 or quoted-printable when so encoded).</summary>
    public ByteRange ContentRange => BodyRange;

    /// <summary>The content with its transfer encoding undone, bounded by <see cref="MimeLimits.MaxDecodedBytes"/>. Never throws.</summary>
    public byte[] DecodeContent() => ContentDecoder.Decode(Slice(ContentRange), TransferEncoding, Context, ContentRange.Start);

    /// <summary>The decoded content as text in the part's charset (with a safe fallback).</summary>
    public string GetText() => Charsets.Decode(DecodeContent(), ContentType.Charset);

    public bool IsText => ContentType.MediaType == "text";
}
