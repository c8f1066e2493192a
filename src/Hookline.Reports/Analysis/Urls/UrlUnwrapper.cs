using System.Text;

namespace Hookline.Reports.Analysis.Urls;

/// <summary>The result of unwrapping: the innermost target (null when the URL is not wrapped), and whether a layer could not be opened.</summary>
public readonly record struct Unwrapping(string? Target, int Layers, bool Opaque);

/// <summary>
/// Reads the real target out of link rewriters, layer after layer: Microsoft Safe Links
/// (<c>*.safelinks.protection.outlook.com/?url=</c>), Proofpoint URL Defense v1/v2 (<c>/v2/url?u=</c>,
/// <c>-</c> for <c>%</c> and <c>_</c> for <c>/</c>) and v3 (<c>/v3/__URL__;…</c>), Google redirects
/// (<c>www.google.com/url?q=</c>), Bing click links (<c>bing.com/ck/a?…&amp;u=a1</c> and the target in
/// base64url) and open redirects in general: a query parameter named as a redirect's target (<c>url</c>,
/// <c>redirect</c>, <c>goto</c>, <c>dest</c>, …) whose value is a whole http(s) URL on another host.
/// Mimecast (<c>protect-*.mimecast.com/s/…</c>) keeps its target on its servers: it is reported as opaque.
/// </summary>
public static class UrlUnwrapper
{
    /// <summary>How many rewriter layers are opened at most.</summary>
    public const int MaxLayers = 8;

    public static Unwrapping Unwrap(string url)
    {
        string? target = null;
        var current = url;
        var layers = 0;
        var opaque = false;
        while (layers < MaxLayers && UrlParser.TryParse(current, out var parts))
        {
            if (IsMimecast(parts.Host) && parts.Rest.StartsWith("/s/", StringComparison.OrdinalIgnoreCase))
            {
                opaque = true;
                break;
            }

            var inner = UnwrapOnce(parts);
            if (string.IsNullOrEmpty(inner) || string.Equals(inner, current, StringComparison.Ordinal))
            {
                break;
            }

            target = inner;
            current = inner;
            layers++;
        }

        return new Unwrapping(target, layers, opaque);
    }

    /// <summary>A query parameter's raw (still percent-encoded) value, first occurrence, or null.</summary>
    public static string? QueryParameter(string rest, string name)
    {
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return null;
        }

        var fragment = rest.IndexOf('#', query);
        var span = rest.AsSpan(query + 1, (fragment < 0 ? rest.Length : fragment) - query - 1);
        foreach (var range in span.Split('&'))
        {
            var pair = span[range];
            var equals = pair.IndexOf('=');
            var key = equals < 0 ? pair : pair[..equals];
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return equals < 0 ? string.Empty : pair[(equals + 1)..].ToString();
            }
        }

        return null;
    }

    private static string? UnwrapOnce(UrlParts parts)
    {
        var host = parts.Host;
        if (host.EndsWith(".safelinks.protection.outlook.com", StringComparison.Ordinal))
        {
            return Decode(QueryParameter(parts.Rest, "url"));
        }

        if (host is "urldefense.proofpoint.com" or "urldefense.com" or "urldefense.us")
        {
            if (parts.Rest.StartsWith("/v3/__", StringComparison.Ordinal))
            {
                return ProofpointV3(parts.Rest);
            }

            if (parts.Rest.StartsWith("/v2/url", StringComparison.Ordinal))
            {
                var value = QueryParameter(parts.Rest, "u");
                return value is null ? null : Decode(value.Replace('-', '%').Replace('_', '/'));
            }

            if (parts.Rest.StartsWith("/v1/url", StringComparison.Ordinal))
            {
                return Decode(QueryParameter(parts.Rest, "u"));
            }

            return null;
        }

        if (IsGoogle(host) && parts.Rest.StartsWith("/url", StringComparison.Ordinal))
        {
            return Decode(QueryParameter(parts.Rest, "q") ?? QueryParameter(parts.Rest, "url"));
        }

        if (UrlParser.StripWww(host) == "bing.com" && parts.Rest.StartsWith("/ck/a", StringComparison.Ordinal)
            && QueryParameter(parts.Rest, "u") is { Length: > 2 } bing && bing.StartsWith("a1", StringComparison.Ordinal))
        {
            return DecodeBase64Url(Uri.UnescapeDataString(bing[2..]));
        }

        return OpenRedirect(parts);
    }

    /// <summary>Query parameters that redirectors name their target with.</summary>
    private static readonly string[] RedirectParameters =
    [
        "url", "u", "redirect", "redirect_url", "redirect_uri", "redirecturl", "redir", "target", "targeturl", "dest", "destination",
        "goto", "go", "link", "out", "to", "rurl", "r", "next", "continue", "returnurl", "return_url", "brandurl", "adurl", "fwd", "forward",
    ];

    /// <summary>
    /// The target of a generic open redirect: the first redirect parameter whose decoded value is a whole
    /// http(s) URL on another host than the redirector's; null otherwise.
    /// </summary>
    private static string? OpenRedirect(UrlParts parts)
    {
        if (parts.Rest.IndexOf('?', StringComparison.Ordinal) < 0)
        {
            return null;
        }

        foreach (var name in RedirectParameters)
        {
            if (QueryParameter(parts.Rest, name) is not { Length: > 10 } raw)
            {
                continue;
            }

            var value = Uri.UnescapeDataString(raw).Trim();
            if ((value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
                && UrlParser.TryParse(value, out var inner) && !string.Equals(UrlParser.StripWww(inner.Host), UrlParser.StripWww(parts.Host), StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }

    private static bool IsGoogle(string host)
    {
        // google.com, google.de, google.co.uk, google.com.au, ...
        var name = UrlParser.StripWww(host);
        if (!name.StartsWith("google.", StringComparison.Ordinal))
        {
            return false;
        }

        var labels = 0;
        foreach (var range in name.AsSpan(7).Split('.'))
        {
            var length = range.End.Value - range.Start.Value;
            if (++labels > 2 || length is < 2 or > 3)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsMimecast(string host) =>
        host.EndsWith(".mimecast.com", StringComparison.Ordinal) && host.StartsWith("protect", StringComparison.Ordinal);

    private static string? Decode(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var decoded = Uri.UnescapeDataString(value).Trim();
        return UrlParser.TryParse(decoded, out _) || decoded.Contains(':', StringComparison.Ordinal) ? decoded : null;
    }

    private static string? ProofpointV3(string rest)
    {
        // /v3/__<url with some characters replaced by '*'>__;<base64url of the replaced characters>!!<tokens>
        const string Prefix = "/v3/__";
        var end = rest.IndexOf("__;", Prefix.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }

        var encoded = rest.AsSpan(Prefix.Length, end - Prefix.Length);
        if (!encoded.Contains('*'))
        {
            return encoded.ToString();
        }

        var tail = rest.AsSpan(end + 3);
        var bang = tail.IndexOf("!!", StringComparison.Ordinal);
        var replacement = DecodeBase64Url(bang < 0 ? tail : tail[..bang]);
        if (replacement is null)
        {
            return encoded.ToString();
        }

        // Each '*' takes the next character; "**" followed by a length character (A=2, B=3, ...) takes a run.
        var builder = new StringBuilder(encoded.Length + replacement.Length);
        var next = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] != '*')
            {
                builder.Append(encoded[i]);
                continue;
            }

            var count = 1;
            if (i + 2 < encoded.Length && encoded[i + 1] == '*')
            {
                count = RunLength(encoded[i + 2]);
                i += 2;
            }

            for (var k = 0; k < count && next < replacement.Length; k++)
            {
                // Surrogate pairs are one replaced character.
                var take = char.IsHighSurrogate(replacement[next]) && next + 1 < replacement.Length ? 2 : 1;
                builder.Append(replacement, next, take);
                next += take;
            }
        }

        return builder.ToString();
    }

    private static int RunLength(char c)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var index = Alphabet.IndexOf(c, StringComparison.Ordinal);
        return index < 0 ? 1 : index + 2;
    }

    private static string? DecodeBase64Url(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length > 4096)
        {
            return null;
        }

        Span<char> padded = stackalloc char[text.Length + 3];
        var length = 0;
        foreach (var c in text)
        {
            padded[length++] = c switch { '-' => '+', '_' => '/', _ => c };
        }

        while (length % 4 != 0)
        {
            padded[length++] = '=';
        }

        var bytes = new byte[length];
        return Convert.TryFromBase64Chars(padded[..length], bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : null;
    }
}
