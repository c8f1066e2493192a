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
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(encoded.Length, 1));
        try
        {
            // Fast path: cut the line breaks out (the vectorized decoder accepts them but drops to a
            // slow path at each one), size the output exactly, decode in one call.
            var compact = Compact(encoded, rented);
            var exact = ExactDecodedLength(compact);
            if (exact <= limit)
            {
                var output = new byte[exact];
                if (Base64.DecodeFromUtf8(compact, output, out _, out var written) == System.Buffers.OperationStatus.Done && written == exact)
                {
                    return output;
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
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

    private static ReadOnlySpan<byte> Compact(ReadOnlySpan<byte> encoded, Span<byte> buffer)
    {
        var length = 0;
        var pos = 0;
        while (pos < encoded.Length)
        {
            var rest = encoded[pos..];
            var lineBreak = rest.IndexOfAny((byte)'\r', (byte)'\n');
            var run = lineBreak < 0 ? rest : rest[..lineBreak];
            run.CopyTo(buffer[length..]);
            length += run.Length;
            pos += lineBreak < 0 ? rest.Length : lineBreak + 1;
        }

        return buffer[..length];
    }

    /// <summary>What well-formed base64 of this length decodes to; an upper bound otherwise.</summary>
    private static int ExactDecodedLength(ReadOnlySpan<byte> compact)
    {
        if (compact.Length % 4 != 0)
        {
            return (compact.Length + 3) / 4 * 3;
        }

        var padding = compact.EndsWith("=="u8) ? 2 : compact.EndsWith("="u8) ? 1 : 0;
        return (compact.Length / 4 * 3) - padding;
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
