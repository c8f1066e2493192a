using Hookline.Mime.Reading;

namespace Hookline.Mime.Decoding;

/// <summary>Undoes a Content-Transfer-Encoding (RFC 2045 section 6) within the decoded-size limit.</summary>
internal static class ContentDecoder
{
    public static byte[] Decode(ReadOnlySpan<byte> content, string transferEncoding, ParseContext context, int offset)
    {
        var limit = context.Limits.MaxDecodedBytes;
        switch (transferEncoding)
        {
            case "base64":
                return Base64Decoder.Decode(content, limit, context.Warnings, offset);
            case "quoted-printable":
                return QuotedPrintableDecoder.Decode(content, limit, context.Warnings, offset);
            case "x-uuencode" or "uuencode" or "x-uue":
                return UuDecoder.Decode(content, limit, context.Warnings, offset);
            default:
                if (!MimeReader.IsIdentityEncoding(transferEncoding))
                {
                    context.Warn(MimeWarningCode.UnknownTransferEncoding, offset, $"Unknown Content-Transfer-Encoding '{transferEncoding}'; content kept as is.");
                }

                if (content.Length > limit)
                {
                    context.Warn(MimeWarningCode.DecodedSizeLimit, offset, $"Content is larger than {limit} bytes; cut there.");
                    return content[..(int)limit].ToArray();
                }

                return content.ToArray();
        }
    }
}
