using Hookline.Mime;

namespace Hookline.Reports.Rendering;

/// <summary>
/// The message's own images by Content-ID as <c>data:</c> URLs, for the <c>cid:</c> references of its
/// HTML body (<see cref="BodyDefanger.Render"/>): PNG, JPEG, GIF and WebP only (what the frame's policy
/// lets an img show). Built for hostile bodies: each image is decoded at most once, however often it
/// is referenced; an image whose encoded size already exceeds the limit is never decoded; and the
/// data written for all references together is bounded, so 30,000 references to one picture cost one
/// decoding and a few megabytes of output, not 30,000 decodings and gigabytes.
/// </summary>
public sealed class InlineImages
{
    /// <summary>Decoded bytes one image may have to be shown.</summary>
    public const int MaxImageBytes = 2 * 1024 * 1024;

    /// <summary>Bytes of images written into one rendered body, over all its references.</summary>
    public const int MaxWrittenBytes = 8 * 1024 * 1024;

    /// <summary>Distinct images decoded per body at most.</summary>
    public const int MaxDecodedImages = 64;

    private readonly Dictionary<string, MimePart> _parts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? Url, int Bytes)> _decoded = new(StringComparer.Ordinal);
    private long _written;

    public InlineImages(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var entity in message.Entities(intoAttachedMessages: false))
        {
            if (entity is not MimePart part)
            {
                continue;
            }

            var id = part.Headers["Content-ID"]?.Trim().TrimStart('<').TrimEnd('>').Trim();
            if (!string.IsNullOrEmpty(id) && part.ContentType.MediaType == "image" && part.ContentType.MediaSubtype is "png" or "jpeg" or "gif" or "webp")
            {
                _parts.TryAdd(id, part);
            }
        }
    }

    /// <summary>Images decoded so far (each once).</summary>
    public int Decoded => _decoded.Count;

    /// <summary>The image's <c>data:</c> URL for a reference to <paramref name="contentId"/>, or null (no such image, too large, or the body's budget spent).</summary>
    public string? Resolve(string contentId)
    {
        if (!_decoded.TryGetValue(contentId, out var image))
        {
            if (!_parts.TryGetValue(contentId, out var part) || _decoded.Count >= MaxDecodedImages)
            {
                return null;
            }

            image = Decode(part);
            _decoded[contentId] = image;
        }

        if (image.Url is null || _written + image.Bytes > MaxWrittenBytes)
        {
            return null;
        }

        _written += image.Bytes;
        return image.Url;
    }

    private static (string? Url, int Bytes) Decode(MimePart part)
    {
        // No transfer encoding makes content more than three times smaller (quoted-printable at worst,
        // base64 by a quarter): a part whose encoded form is over three times the limit is refused undecoded.
        if (part.ContentRange.Length > 3L * MaxImageBytes)
        {
            return (null, 0);
        }

        var bytes = part.DecodeContent();
        return bytes.Length > MaxImageBytes ? (null, 0) : ("data:" + part.ContentType.MimeType + ";base64," + Convert.ToBase64String(bytes), bytes.Length);
    }
}
