using Hookline.Mime.Decoding;
using Hookline.Mime.Text;

namespace Hookline.Mime;

/// <summary>A leaf entity: content that is not further structured (text, an attachment, or a kept-unparsed body).</summary>
public sealed class MimePart : MimeEntity
{
    private int _warned;

    internal MimePart(EntityShape shape)
        : base(shape)
    {
    }

    /// <summary>The content as transferred (still base64 or quoted-printable when so encoded).</summary>
    public ByteRange ContentRange => BodyRange;

    /// <summary>
    /// The content with its transfer encoding undone, bounded by <see cref="MimeLimits.MaxDecodedBytes"/>.
    /// Never throws; problems are added to the message's warnings the first time only.
    /// </summary>
    public byte[] DecodeContent() =>
        ContentDecoder.Decode(Slice(ContentRange), TransferEncoding, Context.Limits.MaxDecodedBytes, FirstTime(WarnedOf.Decode) ? Context.Warnings : null, ContentRange.Start);

    /// <summary>The decoded content as text in the part's charset (with a safe fallback for unknown labels).</summary>
    public string GetText()
    {
        var charset = ContentType.Charset;
        if (!string.IsNullOrWhiteSpace(charset) && Charsets.GetEncoding(charset) is null && FirstTime(WarnedOf.Charset))
        {
            Context.Warn(MimeWarningCode.UnknownCharset, ContentRange.Start, $"Unknown charset '{charset}'; decoded as UTF-8 where valid, else Windows-1252.");
        }

        return Charsets.Decode(DecodeContent(), charset);
    }

    public bool IsText => ContentType.MediaType == "text";

    [Flags]
    private enum WarnedOf
    {
        Decode = 1,
        Charset = 2,
    }

    private bool FirstTime(WarnedOf what)
    {
        // Decoding twice must not report the same problem twice.
        var before = Interlocked.Or(ref _warned, (int)what);
        return (before & (int)what) == 0;
    }
}
