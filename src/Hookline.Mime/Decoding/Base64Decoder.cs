using System.Buffers.Text;

namespace Hookline.Mime.Decoding;

/// <summary>
/// Base64 (RFC 2045 6.8), tolerant as mail requires: line breaks and white space are skipped by the
/// vectorized decoder; characters outside the alphabet are dropped with one warning; padding in the
/// middle (concatenated blocks) ends a quantum and decoding goes on; a trailing partial quantum
/// yields the whole bytes it holds.
/// </summary>
public static class Base64Decoder
{
    public static byte[] Decode(ReadOnlySpan<byte> encoded, long limit, List<MimeWarning>? warnings, long offset)
    {
        // Fast path: well-formed base64 in lines. The vectorized decoder skips the line breaks
        // itself; the output is sized exactly from the count of base64 characters.
        var exact = ExactDecodedLength(encoded);
        if (exact <= limit)
        {
            var output = GC.AllocateUninitializedArray<byte>(exact);
            if (Base64.DecodeFromUtf8(encoded, output, out _, out var written) == System.Buffers.OperationStatus.Done && written == exact)
            {
                return output;
            }
        }

        return DecodeDamaged(encoded, limit, warnings, offset);
    }

    /// <summary>Invalid data, white space inside, or more than the limit: byte by byte, with warnings.</summary>
    private static byte[] DecodeDamaged(ReadOnlySpan<byte> encoded, long limit, List<MimeWarning>? warnings, long offset)
    {
        var output = new byte[(int)Math.Min(((long)encoded.Length + 3) / 4 * 3, limit)];
        var written = DecodeTolerant(encoded, output, out var firstGarbage, out var full);
        if (firstGarbage >= 0)
        {
            warnings?.Add(new MimeWarning(MimeWarningCode.InvalidBase64, offset + firstGarbage, "Base64 content has characters outside the alphabet or bad padding; they were skipped."));
        }

        if (full)
        {
            warnings?.Add(new MimeWarning(MimeWarningCode.DecodedSizeLimit, offset, $"Decoded content is larger than {limit} bytes; cut there."));
        }

        return written == output.Length ? output : output.AsSpan(0, written).ToArray();
    }

    /// <summary>What well-formed base64 in CRLF or LF lines decodes to; an upper bound for anything else.</summary>
    private static int ExactDecodedLength(ReadOnlySpan<byte> encoded)
    {
        var characters = encoded.Length - encoded.Count((byte)'\n') - encoded.Count((byte)'\r');
        if (characters % 4 != 0)
        {
            return (characters + 3) / 4 * 3;
        }

        var text = encoded.TrimEnd("\r\n"u8);
        var padding = text.EndsWith("=="u8) ? 2 : text.EndsWith("="u8) ? 1 : 0;
        return (characters / 4 * 3) - padding;
    }

    /// <summary>The slow path, byte by byte, for input the vectorized decoder refused.</summary>
    internal static int DecodeTolerant(ReadOnlySpan<byte> input, Span<byte> output, out int firstGarbage, out bool full)
    {
        firstGarbage = -1;
        full = false;
        var written = 0;
        var quantum = 0;
        var bits = 0;
        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            int value = Value(c);
            if (value < 0)
            {
                if (c == (byte)'=')
                {
                    // Padding: whatever partial quantum there is ends here.
                    if (bits == 1 && firstGarbage < 0)
                    {
                        firstGarbage = i;
                    }

                    quantum = 0;
                    bits = 0;
                }
                else if (c is not ((byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t') && firstGarbage < 0)
                {
                    firstGarbage = i;
                }

                continue;
            }

            if (written == output.Length && bits > 0)
            {
                full = true;
                break;
            }

            quantum = (quantum << 6) | value;
            bits++;
            if (bits == 2)
            {
                output[written++] = (byte)(quantum >> 4);
            }
            else if (bits == 3)
            {
                output[written++] = (byte)(quantum >> 2);
            }
            else if (bits == 4)
            {
                output[written++] = (byte)quantum;
                quantum = 0;
                bits = 0;
            }
        }

        if (bits == 1 && firstGarbage < 0)
        {
            firstGarbage = input.Length;
        }

        return written;
    }

    private static int Value(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
        (byte)'+' => 62,
        (byte)'/' => 63,
        _ => -1,
    };
}
