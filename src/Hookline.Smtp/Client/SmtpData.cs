namespace Hookline.Smtp.Client;

/// <summary>A message made ready for DATA: line ends made CRLF, dot-stuffed, and what the envelope must say about it.</summary>
internal sealed record SmtpData(byte[] Stuffed, long Size, bool EightBit, int NormalisedLineEnds)
{
    /// <summary>
    /// Prepares <paramref name="message"/> for DATA (RFC 5321 4.5.2 and 2.3.8): a CR or LF that is not
    /// part of a CRLF pair becomes CRLF (bare ones are forbidden in message text and are the stuff of
    /// SMTP smuggling), every line that starts with "." gets a second ".", and the text ends with CRLF
    /// so that the terminator can follow. <see cref="Size"/> is the normalised size before stuffing, the
    /// figure RFC 1870 asks for in <c>SIZE=</c>.
    /// </summary>
    public static SmtpData Prepare(ReadOnlySpan<byte> message)
    {
        var output = new List<byte>(message.Length + (message.Length / 50) + 2);
        long size = 0;
        var eightBit = false;
        var normalised = 0;
        var lineStart = true;
        for (var i = 0; i < message.Length; i++)
        {
            var b = message[i];
            if (b == '\r' || b == '\n')
            {
                var pair = b == '\r' && i + 1 < message.Length && message[i + 1] == '\n';
                if (!pair)
                {
                    normalised++;
                }
                else
                {
                    i++;
                }

                output.Add((byte)'\r');
                output.Add((byte)'\n');
                size += 2;
                lineStart = true;
                continue;
            }

            if (lineStart && b == '.')
            {
                output.Add((byte)'.');
            }

            eightBit |= b > 127;
            output.Add(b);
            size++;
            lineStart = false;
        }

        if (!lineStart)
        {
            output.Add((byte)'\r');
            output.Add((byte)'\n');
            size += 2;
        }

        return new SmtpData(output.ToArray(), size, eightBit, normalised);
    }
}
