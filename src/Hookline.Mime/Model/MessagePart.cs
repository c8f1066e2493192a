namespace Hookline.Mime;

/// <summary>
/// An attached message (message/rfc822, message/global). When the part was transfer-encoded
/// (base64 or quoted-printable, which RFC 2046 5.2.1 forbids but real mail does) the message is
/// parsed from the decoded content and <see cref="IsEncoded"/> is true; its ranges then refer to
/// <see cref="MimeMessage.Source"/> of that message, not to this part's source.
/// </summary>
public sealed class MessagePart : MimeEntity
{
    internal MessagePart(EntityShape shape, MimeMessage message, bool isEncoded, bool decodedSizeLimitReached = false)
        : base(shape)
    {
        Message = message;
        IsEncoded = isEncoded;
        DecodedSizeLimitReached = decodedSizeLimitReached;
    }

    public MimeMessage Message { get; }

    public bool IsEncoded { get; }

    /// <summary>An encoded attached message whose decoding stopped at <see cref="MimeLimits.MaxDecodedBytes"/>: only its start was parsed.</summary>
    public bool DecodedSizeLimitReached { get; }
}
