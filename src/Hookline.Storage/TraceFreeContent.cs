using System.Security.Cryptography;

namespace Hookline.Storage;

/// <summary>
/// A message's content without the trace headers a delivery puts on top (Received, Delivered-To,
/// Return-Path, X-Original-To and the like): two deliveries of one report differ there and nowhere
/// else. Used to tell such a redelivery from a different message that merely shares the sender and
/// Message-ID (a truncated copy, an edited one, an attacker's replay with another body).
/// </summary>
public static class TraceFreeContent
{
    private static readonly string[] TraceFields = ["received", "delivered-to", "return-path", "x-original-to", "x-delivered-to", "x-envelope-to"];

    /// <summary>SHA-256 (lower-case hex) of the bytes after the leading trace header fields (with their folded lines).</summary>
    public static string Hash(ReadOnlySpan<byte> raw) => Convert.ToHexStringLower(SHA256.HashData(raw[Start(raw)..]));

    /// <summary>Where the first header field that is not a trace field begins.</summary>
    internal static int Start(ReadOnlySpan<byte> raw)
    {
        var position = 0;
        while (position < raw.Length && IsTraceField(raw[position..]))
        {
            // The field's first line, then its folded continuation lines (starting with a space or a TAB).
            do
            {
                var lf = raw[position..].IndexOf((byte)'\n');
                if (lf < 0)
                {
                    return raw.Length;
                }

                position += lf + 1;
            }
            while (position < raw.Length && raw[position] is (byte)' ' or (byte)'\t');
        }

        return position;
    }

    private static bool IsTraceField(ReadOnlySpan<byte> line)
    {
        var colon = line[..Math.Min(line.Length, 32)].IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        var name = System.Text.Encoding.ASCII.GetString(line[..colon]).TrimEnd();
        return TraceFields.Contains(name, StringComparer.OrdinalIgnoreCase);
    }
}
