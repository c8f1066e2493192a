using System.Globalization;

namespace Hookline.Reports.Analysis.Authentication;

/// <summary>
/// Tolerant readers for the authentication fields: Authentication-Results and ARC-Authentication-Results
/// (RFC 8601 section 2.2, plus Exchange Online's form without an authserv-id), Received-SPF (RFC 7208
/// section 9.1) and Microsoft's "KEY:value;" fields. Linear in the input, bounded in what they keep,
/// never throw: whatever cannot be read is skipped.
/// </summary>
public static class AuthenticationParser
{
    /// <summary>At most this many results are kept from one field; the rest are dropped and the field marked truncated.</summary>
    public const int MaxResultsPerField = 64;

    /// <summary>At most this many properties are kept per result.</summary>
    public const int MaxPropertiesPerResult = 32;

    /// <summary>At most this many "KEY:value" pairs are kept from a Microsoft field.</summary>
    public const int MaxPairs = 200;

    /// <summary>Comments and values are kept up to this many characters.</summary>
    public const int MaxTextLength = 256;

    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal)
    {
        "spf", "dkim", "dmarc", "compauth", "arc", "iprev", "auth", "sender-id", "dkim-adsp", "domainkeys",
        "bimi", "smime", "vbr", "rrvs", "dkim-atps", "dnswl",
    };

    /// <summary>Parses the value of an Authentication-Results field (or ARC-Authentication-Results when <paramref name="arc"/>).</summary>
    public static AuthenticationResult ParseAuthenticationResults(string value, string fieldName = "Authentication-Results", int position = 0, bool arc = false)
    {
        var result = new AuthenticationResult { FieldName = fieldName, Position = position };
        var s = new Scanner(value);
        s.SkipCfws();

        if (arc)
        {
            var mark = s.Pos;
            var key = s.ReadToken(stopAtEquals: true);
            s.SkipCfws();
            if (string.Equals(key, "i", StringComparison.OrdinalIgnoreCase) && s.TryConsume('='))
            {
                s.SkipCfws();
                result.ArcInstance = ParseInt(s.ReadToken(stopAtEquals: true));
                s.SkipCfws();
                s.TryConsume(';');
                s.SkipCfws();
            }
            else
            {
                s.Pos = mark;
            }
        }

        // authserv-id, unless the field starts directly with "method=result" (Exchange Online).
        var idStart = s.Pos;
        var first = s.ReadToken(stopAtEquals: true);
        s.SkipCfws();
        if (first.Length == 0 || s.Peek() == '=')
        {
            s.Pos = idStart;
        }
        else
        {
            result.AuthServId = Bound(first);
            var versionStart = s.Pos;
            var version = s.ReadToken(stopAtEquals: true);
            s.SkipCfws();
            if (version.Length > 0 && version.Length <= 8 && IsDigits(version) && s.Peek() != '=')
            {
                result.Version = version;
            }
            else
            {
                s.Pos = versionStart;
            }
        }

        MethodResult? current = null;
        var atResInfoStart = result.AuthServId is null;
        while (!s.AtEnd)
        {
            var comment = s.SkipCfws();
            if (comment is not null && current is not null)
            {
                current.Comment ??= comment;
            }

            if (s.AtEnd)
            {
                break;
            }

            if (s.TryConsume(';'))
            {
                atResInfoStart = true;
                continue;
            }

            var start = s.Pos;
            var key = s.ReadToken(stopAtEquals: true);
            if (key.Length == 0)
            {
                s.Pos = Math.Max(start + 1, s.Pos);
                continue;
            }

            s.SkipCfws();
            if (!s.TryConsume('='))
            {
                if (atResInfoStart && result.Results.Count == 0 && string.Equals(key, "none", StringComparison.OrdinalIgnoreCase))
                {
                    result.IsNone = true;
                }

                continue;
            }

            s.SkipCfws();
            var val = Bound(s.ReadToken(stopAtEquals: false));
            var lowerKey = key.ToLowerInvariant();
            var method = lowerKey;
            string? methodVersion = null;
            var slash = lowerKey.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0)
            {
                method = lowerKey[..slash].Trim();
                methodVersion = lowerKey[(slash + 1)..].Trim();
            }

            var startsMethod = !lowerKey.Contains('.', StringComparison.Ordinal)
                && !string.Equals(lowerKey, "reason", StringComparison.Ordinal)
                && (atResInfoStart || current is null || (KnownMethods.Contains(method) && !string.Equals(method, current.Method, StringComparison.Ordinal)));
            if (startsMethod)
            {
                if (result.Results.Count >= MaxResultsPerField)
                {
                    result.IsTruncated = true;
                    break;
                }

                current = new MethodResult(Bound(method), val.ToLowerInvariant()) { MethodVersion = methodVersion };
                result.Results.Add(current);
                atResInfoStart = false;
            }
            else if (current is not null)
            {
                if (string.Equals(lowerKey, "reason", StringComparison.Ordinal))
                {
                    current.Reason ??= val;
                }
                else if (current.Properties.Count < MaxPropertiesPerResult)
                {
                    current.Properties.Add(new KeyValuePair<string, string>(Bound(lowerKey), val));
                }
            }
        }

        return result;
    }

    /// <summary>Parses the value of a Received-SPF field: "result (comment) key=value; ..."; null when no result word can be read.</summary>
    public static ReceivedSpf? ParseReceivedSpf(string value, int position = 0)
    {
        var s = new Scanner(value);
        s.SkipCfws();
        var word = s.ReadToken(stopAtEquals: true);
        if (word.Length == 0 || s.Peek() == '=')
        {
            return null;
        }

        var spf = new ReceivedSpf { Position = position, Result = Bound(word.ToLowerInvariant()) };
        while (!s.AtEnd && spf.Pairs.Count < MaxPairs)
        {
            var comment = s.SkipCfws();
            spf.Comment ??= comment;
            if (s.AtEnd)
            {
                break;
            }

            if (s.TryConsume(';'))
            {
                continue;
            }

            var start = s.Pos;
            var key = s.ReadToken(stopAtEquals: true);
            if (key.Length == 0)
            {
                s.Pos = Math.Max(start + 1, s.Pos);
                continue;
            }

            s.SkipCfws();
            if (!s.TryConsume('='))
            {
                continue;
            }

            s.SkipCfws();
            spf.Pairs.TryAdd(Bound(key.ToLowerInvariant()), Bound(s.ReadToken(stopAtEquals: false)));
        }

        return spf;
    }

    /// <summary>Parses Microsoft's "KEY:value;KEY:value;" fields (X-Forefront-Antispam-Report, X-Microsoft-Antispam); every pair is kept up to <see cref="MaxPairs"/>.</summary>
    public static ForefrontReport ParsePairs(string value)
    {
        var report = new ForefrontReport();
        var span = value.AsSpan();
        while (!span.IsEmpty && report.Pairs.Count < MaxPairs)
        {
            var semi = span.IndexOf(';');
            var item = (semi < 0 ? span : span[..semi]).Trim();
            span = semi < 0 ? [] : span[(semi + 1)..];
            if (item.IsEmpty)
            {
                continue;
            }

            var colon = item.IndexOf(':');
            var key = (colon < 0 ? item : item[..colon]).Trim();
            var val = colon < 0 ? [] : item[(colon + 1)..].Trim();
            if (key.IsEmpty)
            {
                continue;
            }

            report.Pairs.Add(new KeyValuePair<string, string>(Bound(key.ToString()), Bound(val.ToString())));
        }

        return report;
    }

    /// <summary>An integer as written ("5", "-1"), or null.</summary>
    public static int? ParseInt(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static bool IsDigits(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string Bound(string text) => text.Length <= MaxTextLength ? text : text[..MaxTextLength];

    /// <summary>A cursor over a structured field value: CFWS (nested comments, quoted pairs), tokens, quoted strings.</summary>
    private sealed class Scanner(string text)
    {
        public int Pos { get; set; }

        public bool AtEnd => Pos >= text.Length;

        public char Peek() => Pos < text.Length ? text[Pos] : '\0';

        public bool TryConsume(char c)
        {
            if (Pos < text.Length && text[Pos] == c)
            {
                Pos++;
                return true;
            }

            return false;
        }

        /// <summary>Skips white space and comments; returns the first comment's text (bounded), or null. An unclosed comment runs to the end.</summary>
        public string? SkipCfws()
        {
            string? first = null;
            while (Pos < text.Length)
            {
                var c = text[Pos];
                if (c is ' ' or '\t' or '\r' or '\n')
                {
                    Pos++;
                }
                else if (c == '(')
                {
                    var start = Pos + 1;
                    var depth = 0;
                    while (Pos < text.Length)
                    {
                        var d = text[Pos];
                        if (d == '\\')
                        {
                            Pos++;
                        }
                        else if (d == '(')
                        {
                            depth++;
                        }
                        else if (d == ')' && --depth == 0)
                        {
                            break;
                        }

                        Pos++;
                    }

                    var end = Math.Min(Pos, text.Length);
                    Pos = Math.Min(Pos + 1, text.Length);
                    first ??= Bound(text[start..Math.Min(end, start + MaxTextLength)].Trim());
                }
                else
                {
                    break;
                }
            }

            return first;
        }

        /// <summary>
        /// Reads a quoted string (without its quotes) or a run of characters up to white space, ";",
        /// "(" or, when <paramref name="stopAtEquals"/>, "=". May return "" without moving.
        /// </summary>
        public string ReadToken(bool stopAtEquals)
        {
            if (Pos < text.Length && text[Pos] == '"')
            {
                Pos++;
                var sb = new System.Text.StringBuilder();
                while (Pos < text.Length && text[Pos] != '"')
                {
                    if (text[Pos] == '\\' && Pos + 1 < text.Length)
                    {
                        Pos++;
                    }

                    if (sb.Length < MaxTextLength)
                    {
                        sb.Append(text[Pos]);
                    }

                    Pos++;
                }

                Pos = Math.Min(Pos + 1, text.Length);
                return sb.ToString();
            }

            var start = Pos;
            while (Pos < text.Length)
            {
                var c = text[Pos];
                if (c is ' ' or '\t' or '\r' or '\n' or ';' or '(' || (stopAtEquals && c is '=' or '"'))
                {
                    break;
                }

                Pos++;
            }

            return text[start..Pos];
        }
    }
}
