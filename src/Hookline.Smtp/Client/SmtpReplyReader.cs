using System.Globalization;
using System.Text;

namespace Hookline.Smtp.Client;

/// <summary>
/// Reads replies from the server (RFC 5321 4.2): lines of <c>ddd-text</c> continued by
/// <c>ddd text</c> (or a bare <c>ddd</c>) with the same code. Lines end with CRLF; a bare LF is
/// accepted as well (being liberal with what servers send). Line length and line count are bounded.
/// </summary>
internal sealed class SmtpReplyReader(Stream stream, int maxLineLength, int maxLines)
{
    private readonly byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    /// <summary>Bytes received but not yet read (after STARTTLS's 220 there must be none).</summary>
    public int Buffered => _end - _start;

    public async Task<SmtpReply> ReadAsync(bool enhancedCodes, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var code = 0;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2]) || line[0] is < '2' or > '5')
            {
                throw Malformed($"not a reply line: '{Shorten(line)}'");
            }

            var lineCode = int.Parse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture);
            if (lines.Count > 0 && lineCode != code)
            {
                throw Malformed($"reply code changed from {code} to {lineCode} within one reply");
            }

            code = lineCode;
            var last = line.Length == 3 || line[3] == ' ';
            if (!last && line[3] != '-')
            {
                throw Malformed($"bad separator after the reply code: '{Shorten(line)}'");
            }

            lines.Add(line.Length > 4 ? line[4..] : "");
            if (last)
            {
                break;
            }

            if (lines.Count >= maxLines)
            {
                throw Malformed($"more than {maxLines} lines in one reply");
            }
        }

        string? enhanced = null;
        if (enhancedCodes && code != 220)
        {
            for (var i = 0; i < lines.Count; i++)
            {
                var (status, rest) = SplitEnhanced(lines[i], code);
                if (status is not null)
                {
                    enhanced ??= status;
                    lines[i] = rest;
                }
            }
        }

        return new SmtpReply(code, enhanced, lines);
    }

    /// <summary>Splits <c>x.y.z text</c> where x is the reply code's first digit (RFC 2034 4; RFC 3463 2).</summary>
    internal static (string? Status, string Remainder) SplitEnhanced(string text, int code)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var candidate = space < 0 ? text : text[..space];
        var parts = candidate.Split('.');
        if (parts.Length != 3 || parts[0].Length != 1 || parts[0][0] != (char)('0' + (code / 100))
            || !IsNumber(parts[1], 3) || !IsNumber(parts[2], 3))
        {
            return (null, text);
        }

        return (candidate, space < 0 ? "" : text[(space + 1)..]);

        static bool IsNumber(string s, int max) => s.Length is > 0 && s.Length <= max && s.All(char.IsAsciiDigit);
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new List<byte>(128);
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                if (_end == 0)
                {
                    throw new IOException("the server closed the connection");
                }
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            var take = lf < 0 ? span.Length : lf;
            if (line.Count + take > maxLineLength)
            {
                throw Malformed($"a reply line longer than {maxLineLength} bytes");
            }

            line.AddRange(span[..take]);
            if (lf < 0)
            {
                _start = _end;
                continue;
            }

            _start += lf + 1;
            if (line.Count > 0 && line[^1] == '\r')
            {
                line.RemoveAt(line.Count - 1);
            }

            // Replies are ASCII (RFC 5321 4.2); anything else is kept readable rather than trusted.
            return Encoding.UTF8.GetString(line.ToArray());
        }
    }

    private static SmtpException Malformed(string what) => new($"malformed reply: {what}", SmtpFailureStage.Session, isPermanent: false);

    private static string Shorten(string line) => line.Length > 80 ? line[..80] + "…" : line;
}
