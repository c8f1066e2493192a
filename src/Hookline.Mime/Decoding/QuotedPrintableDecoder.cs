namespace Hookline.Mime.Decoding;

/// <summary>
/// Quoted-printable (RFC 2045 6.7): "=XX" escapes (either case), soft line breaks ("=" at the end of
/// a line, CRLF or bare LF). A malformed escape is kept literally, with one warning, as RFC 2045
/// 6.7 note (2) suggests.
/// </summary>
public static class QuotedPrintableDecoder
{
    public static byte[] Decode(ReadOnlySpan<byte> encoded, long limit, List<MimeWarning>? warnings, long offset)
    {
        // Decoded into a pooled buffer (the output is never longer than the input), then copied out
        // once at its exact length.
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(encoded.Length, 1));
        try
        {
            return Decode(encoded, rented, limit, warnings, offset);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static byte[] Decode(ReadOnlySpan<byte> encoded, byte[] output, long limit, List<MimeWarning>? warnings, long offset)
    {
        var written = 0;
        var i = 0;
        var malformedAt = -1;
        while (i < encoded.Length)
        {
            var eq = encoded[i..].IndexOf((byte)'=');
            if (eq < 0)
            {
                encoded[i..].CopyTo(output.AsSpan(written));
                written += encoded.Length - i;
                break;
            }

            encoded.Slice(i, eq).CopyTo(output.AsSpan(written));
            written += eq;
            i += eq + 1;

            if (i + 1 < encoded.Length && HexValue(encoded[i]) is var hi and >= 0 && HexValue(encoded[i + 1]) is var lo and >= 0)
            {
                output[written++] = (byte)((hi << 4) | lo);
                i += 2;
                continue;
            }

            // Soft line break: "=" then optional transport padding then a line break.
            var j = i;
            while (j < encoded.Length && encoded[j] is (byte)' ' or (byte)'\t')
            {
                j++;
            }

            if (j < encoded.Length && encoded[j] == (byte)'\n')
            {
                i = j + 1;
                continue;
            }

            if (j + 1 < encoded.Length && encoded[j] == (byte)'\r' && encoded[j + 1] == (byte)'\n')
            {
                i = j + 2;
                continue;
            }

            if (j == encoded.Length)
            {
                // "=" at the very end: a soft break with no line after it.
                i = j;
                continue;
            }

            malformedAt = malformedAt < 0 ? i - 1 : malformedAt;
            output[written++] = (byte)'=';
        }

        if (malformedAt >= 0)
        {
            warnings?.Add(new MimeWarning(MimeWarningCode.InvalidQuotedPrintable, offset + malformedAt, "Quoted-printable content has a malformed escape; kept literally."));
        }

        if (written > limit)
        {
            warnings?.Add(new MimeWarning(MimeWarningCode.DecodedSizeLimit, offset, $"Decoded content is larger than {limit} bytes; cut there."));
            written = (int)limit;
        }

        return output.AsSpan(0, written).ToArray();
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };
}
