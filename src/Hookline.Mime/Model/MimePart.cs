using Hookline.Mime.Decoding;
using Hookline.Mime.Reading;
using Hookline.Mime.Text;

namespace Hookline.Mime;

/// <summary>A leaf entity: content that is not further structured (text, an attachment, or a kept-unparsed body).</summary>
public sealed class MimePart : MimeEntity
{
    private int _warned;
    private string? _text;

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

    /// <summary>
    /// At most the first <paramref name="maxBytes"/> bytes of the decoded content, decoding only the
    /// start of the encoded text: for sniffing a file type without decoding a large attachment.
    /// Reports no warnings (a later <see cref="DecodeContent"/> does).
    /// </summary>
    public byte[] DecodeContentPrefix(int maxBytes)
    {
        var content = Slice(ContentRange);
        // Base64 needs 4 characters per 3 bytes plus line breaks; quoted-printable up to 3 per byte.
        var encodedNeeded = TransferEncoding == "quoted-printable" ? (long)maxBytes * 3 + 3 : (long)maxBytes * 2 + 8;
        if (encodedNeeded < content.Length)
        {
            content = content[..(int)encodedNeeded];
        }

        var decoded = ContentDecoder.Decode(content, TransferEncoding, Context.Limits.MaxDecodedBytes, null, ContentRange.Start);
        return decoded.Length <= maxBytes ? decoded : decoded.AsSpan(0, maxBytes).ToArray();
    }

    /// <summary>
    /// The decoded content as text in the part's charset (with a safe fallback for unknown labels).
    /// Decoded once and kept: every analysis stage reads the same text.
    /// </summary>
    public string GetText() => _text ??= DecodeText();

    private string DecodeText()
    {
        var charset = ContentType.Charset;
        if (!string.IsNullOrWhiteSpace(charset) && Charsets.GetEncoding(charset) is null && FirstTime(WarnedOf.Charset))
        {
            Context.Warn(MimeWarningCode.UnknownCharset, ContentRange.Start, $"Unknown charset '{charset}'; decoded as UTF-8 where valid, else Windows-1252.");
        }

        if (MimeReader.IsIdentityEncoding(TransferEncoding) && ContentRange.Length <= Context.Limits.MaxDecodedBytes)
        {
            // Nothing to undo: the text is read from the message's bytes, without a copy of them.
            return Charsets.Decode(Slice(ContentRange), charset);
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
