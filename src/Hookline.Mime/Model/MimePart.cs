using Hookline.Mime.Decoding;
using Hookline.Mime.Reading;
using Hookline.Mime.Text;

namespace Hookline.Mime;

/// <summary>A leaf entity: content that is not further structured (text, an attachment, or a kept-unparsed body).</summary>
public sealed class MimePart : MimeEntity
{
    private int _warned;
    private string? _text;

    internal MimePart(EntityShape shape, MimeWarningCode? keptUnparsedBy = null)
        : base(shape)
    {
        KeptUnparsedBy = keptUnparsedBy;
    }

    /// <summary>The content as transferred (still base64 or quoted-printable when so encoded).</summary>
    public ByteRange ContentRange => BodyRange;

    /// <summary>
    /// The content with its transfer encoding undone, bounded by <see cref="MimeLimits.MaxDecodedBytes"/>.
    /// Never throws; problems are added to the message's warnings the first time only.
    /// </summary>
    public byte[] DecodeContent()
    {
        // The problems are collected every time (to know whether the limit cut the content) and
        // reported the first time only.
        var warnings = new List<MimeWarning>();
        var decoded = ContentDecoder.Decode(Slice(ContentRange), TransferEncoding, Context.Limits.MaxDecodedBytes, warnings, ContentRange.Start);
        if (warnings.Count > 0)
        {
            if (warnings.Exists(w => w.Code == MimeWarningCode.DecodedSizeLimit))
            {
                Interlocked.Or(ref _warned, (int)WarnedOf.LimitReached);
            }

            if (FirstTime(WarnedOf.Decode))
            {
                Context.Warnings.AddRange(warnings);
            }
        }

        return decoded;
    }

    /// <summary>
    /// True once a decode of this part (<see cref="DecodeContent"/>, or <see cref="GetText"/> when it
    /// had to decode) stopped at <see cref="MimeLimits.MaxDecodedBytes"/>: what was read is only the
    /// start of the content. False for a part whose content was never decoded.
    /// </summary>
    public bool DecodedSizeLimitReached => (Volatile.Read(ref _warned) & (int)WarnedOf.LimitReached) != 0;

    /// <summary>
    /// Why a part that has structure (a multipart with a boundary, or an attached message) is kept
    /// here as an opaque leaf: <see cref="MimeWarningCode.TooDeeplyNested"/> past
    /// <see cref="MimeLimits.MaxDepth"/>, <see cref="MimeWarningCode.TooManyParts"/> past
    /// <see cref="MimeLimits.MaxParts"/>; null for an ordinary leaf. Its content (<see cref="ContentRange"/>)
    /// is then what the limit kept from being parsed.
    /// </summary>
    public MimeWarningCode? KeptUnparsedBy { get; }

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
        LimitReached = 4,
    }

    private bool FirstTime(WarnedOf what)
    {
        // Decoding twice must not report the same problem twice.
        var before = Interlocked.Or(ref _warned, (int)what);
        return (before & (int)what) == 0;
    }
}
