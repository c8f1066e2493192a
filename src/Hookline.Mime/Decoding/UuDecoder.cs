namespace Hookline.Mime.Decoding;

/// <summary>
/// uuencode (Content-Transfer-Encoding x-uuencode, uuencode, x-uue): an optional "begin MODE NAME"
/// line, then lines whose first character gives the byte count and whose next characters carry 6
/// bits each (offset 32, with '`' for zero), up to "end". Damaged lines decode as far as they go.
/// </summary>
public static class UuDecoder
{
    public static byte[] Decode(ReadOnlySpan<byte> encoded, long limit, List<MimeWarning>? warnings, long offset)
    {
        var output = new byte[(int)Math.Min(encoded.Length, limit)];
        var written = 0;
        var pos = 0;
        var started = !ContainsBeginLine(encoded);
        var damagedAt = -1;
        var full = false;
        while (pos < encoded.Length && !full)
        {
            var lineStart = pos;
            var newline = encoded[pos..].IndexOf((byte)'\n');
            var lineEnd = newline < 0 ? encoded.Length : pos + newline;
            pos = newline < 0 ? encoded.Length : lineEnd + 1;
            var line = encoded[lineStart..lineEnd].TrimEnd((byte)'\r');

            if (!started)
            {
                started = line.StartsWith("begin "u8);
                continue;
            }

            if (line.SequenceEqual("end"u8) || line.StartsWith("end "u8))
            {
                break;
            }

            if (line.IsEmpty)
            {
                continue;
            }

            var count = (line[0] - 32) & 63;
            var produced = 0;
            for (var i = 1; produced < count && i < line.Length; i += 4)
            {
                var quad = 0;
                for (var j = 0; j < 4; j++)
                {
                    quad = (quad << 6) | (i + j < line.Length ? (line[i + j] - 32) & 63 : 0);
                }

                for (var k = 2; k >= 0 && produced < count; k--)
                {
                    if (written == output.Length)
                    {
                        full = true;
                        break;
                    }

                    output[written++] = (byte)(quad >> (k * 8));
                    produced++;
                }
            }

            if (produced < count && !full && damagedAt < 0)
            {
                damagedAt = lineStart;
            }
        }

        if (damagedAt >= 0)
        {
            warnings?.Add(new MimeWarning(MimeWarningCode.InvalidUuencode, offset + damagedAt, "uuencoded line is shorter than its length character says; decoded as far as it goes."));
        }

        if (full)
        {
            warnings?.Add(new MimeWarning(MimeWarningCode.DecodedSizeLimit, offset, $"Decoded content is larger than {limit} bytes; cut there."));
        }

        return output.AsSpan(0, written).ToArray();
    }

    private static bool ContainsBeginLine(ReadOnlySpan<byte> encoded) =>
        encoded.StartsWith("begin "u8) || encoded.IndexOf("\nbegin "u8) >= 0;
}
