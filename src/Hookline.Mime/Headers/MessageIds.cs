using Hookline.Mime.Text;

namespace Hookline.Mime.Headers;

/// <summary>
/// Reads Message-ID, In-Reply-To and References (RFC 5322 section 3.6.4) into ids without angle
/// brackets. Tolerates comments, folding, missing brackets (ids then split at white space and
/// commas), a missing "&gt;", and the free text old mailers put in In-Reply-To (ignored when bracketed
/// ids are present). Never throws; linear; the number of ids is bounded.
/// </summary>
public static class MessageIds
{
    /// <summary>Most ids read from one field.</summary>
    public const int MaxIds = 10_000;

    /// <summary>Every id in the value, in order.</summary>
    public static IReadOnlyList<string> ParseList(ReadOnlySpan<byte> rawValue)
    {
        var ids = new List<string>();
        Collect(rawValue, ids, MaxIds);
        return ids;
    }

    /// <summary>The first id in the value (for Message-ID), or null.</summary>
    public static string? ParseFirst(ReadOnlySpan<byte> rawValue)
    {
        var ids = new List<string>(1);
        Collect(rawValue, ids, 1);
        return ids.Count == 0 ? null : ids[0];
    }

    private static void Collect(ReadOnlySpan<byte> raw, List<string> ids, int max)
    {
        var bracketed = raw.IndexOf((byte)'<') >= 0;
        var i = 0;
        while (i < raw.Length && ids.Count < max)
        {
            var c = raw[i];
            if (c == (byte)'(')
            {
                i = HeaderSyntax.SkipComment(raw, i, out _);
                continue;
            }

            if (bracketed)
            {
                if (c == (byte)'"')
                {
                    // A quoted phrase in old In-Reply-To text ("John's message of ...").
                    var close = raw[(i + 1)..].IndexOf((byte)'"');
                    i = close < 0 ? i + 1 : i + close + 2;
                    continue;
                }

                if (c != (byte)'<')
                {
                    i++;
                    continue;
                }

                var start = i + 1;
                var end = start;
                while (end < raw.Length && raw[end] is not ((byte)'>' or (byte)'<'))
                {
                    end++;
                }

                Add(raw[start..end], ids);
                i = end < raw.Length && raw[end] == (byte)'>' ? end + 1 : end;
                continue;
            }

            if (HeaderText.IsWhiteSpace(c) || c == (byte)',')
            {
                i++;
                continue;
            }

            var wordStart = i;
            while (i < raw.Length && !HeaderText.IsWhiteSpace(raw[i]) && raw[i] is not ((byte)',' or (byte)'('))
            {
                i++;
            }

            Add(raw[wordStart..i], ids);
        }
    }

    /// <summary>Adds an id with white space, folding and a stray "&gt;" removed.</summary>
    private static void Add(ReadOnlySpan<byte> id, List<string> ids)
    {
        id = HeaderText.TrimWhiteSpace(id);
        if (id.IsEmpty)
        {
            return;
        }

        if (id.IndexOfAny(" \t\r\n"u8) < 0)
        {
            ids.Add(Charsets.DecodeUnlabelled(id));
            return;
        }

        Span<byte> buffer = id.Length <= 1024 ? stackalloc byte[id.Length] : new byte[id.Length];
        var n = 0;
        foreach (var b in id)
        {
            if (!HeaderText.IsWhiteSpace(b))
            {
                buffer[n++] = b;
            }
        }

        ids.Add(Charsets.DecodeUnlabelled(buffer[..n]));
    }
}
