using Hookline.Mime.Reading;

namespace Hookline.Mime.Decoding;

/// <summary>Undoes a Content-Transfer-Encoding (RFC 2045 section 6) within the decoded-size limit.</summary>
internal static class ContentDecoder
{
    /// <summary>Decodes; problems go to <paramref name="warnings"/> when it is given.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> content, string transferEncoding, long limit, List<MimeWarning>? warnings, int offset)
    {
        switch (transferEncoding)
        {
            case "base64":
                return Base64Decoder.Decode(content, limit, warnings, offset);
            case "quoted-printable":
                return QuotedPrintableDecoder.Decode(content, limit, warnings, offset);
            case "x-uuencode" or "uuencode" or "x-uue":
                return UuDecoder.Decode(content, limit, warnings, offset);
            default:
                if (!MimeReader.IsIdentityEncoding(transferEncoding))
                {
                    warnings?.Add(new MimeWarning(MimeWarningCode.UnknownTransferEncoding, offset, $"Unknown Content-Transfer-Encoding '{transferEncoding}'; content kept as is."));
                }

                if (content.Length > limit)
                {
                    warnings?.Add(new MimeWarning(MimeWarningCode.DecodedSizeLimit, offset, $"Content is larger than {limit} bytes; cut there."));
                    return content[..(int)limit].ToArray();
                }

                return content.ToArray();
        }
    }
}
