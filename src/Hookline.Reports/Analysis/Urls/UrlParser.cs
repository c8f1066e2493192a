using System.Text;

namespace Hookline.Reports.Analysis.Urls;

/// <summary>The pieces of an absolute URL, read the way browsers read them (WHATWG URL, tolerant).</summary>
public readonly record struct UrlParts(string Scheme, string? UserInfo, string Host, int? Port, string Rest)
{
    /// <summary>The host is an IPv4 address in any notation a browser accepts, or a bracketed IPv6 address.</summary>
    public bool IsIpLiteral => UrlParser.IsIpLiteral(Host);

    /// <summary>A label is punycode, or the host has non-ASCII characters (an IDN as written).</summary>
    public bool IsInternationalized => UrlParser.IsInternationalized(Host);

    /// <summary>The port is written and is not the scheme's default.</summary>
    public bool HasNonstandardPort => Port is { } port && port != UrlParser.DefaultPort(Scheme);
}

/// <summary>
/// A small, allocation-light URL splitter for attacker-written URLs. It never throws: what it
/// cannot read is reported as "not a URL". It accepts what browsers accept (backslashes and any
/// number of slashes after special schemes, percent-encoded hosts, hex/octal/dword IPv4).
/// </summary>
public static class UrlParser
{
    private const int MaxHostLength = 1024;

    /// <summary>Splits an absolute URL (or a <c>www.</c> URL, read as http). False when it has no host.</summary>
    public static bool TryParse(string? url, out UrlParts parts)
    {
        parts = default;
        if (string.IsNullOrEmpty(url))
        {
            return false;
        }

        var span = url.AsSpan();
        string scheme;
        int position;
        if (span.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            scheme = "http";
            position = 0;
        }
        else
        {
            var colon = SchemeEnd(span);
            if (colon <= 0)
            {
                return false;
            }

            scheme = span[..colon].ToString().ToLowerInvariant();
            position = colon + 1;
            if (!IsSpecial(scheme))
            {
                return false;
            }

            while (position < span.Length && span[position] is '/' or '\\')
            {
                position++;
            }
        }

        var rest = span[position..];
        var authorityEnd = rest.IndexOfAny("/\\?#");
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var tail = authorityEnd < 0 ? string.Empty : rest[authorityEnd..].ToString();

        string? userInfo = null;
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            userInfo = authority[..at].ToString();
            authority = authority[(at + 1)..];
        }

        ReadOnlySpan<char> hostSpan;
        int? port = null;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            hostSpan = close < 0 ? authority : authority[..(close + 1)];
            var afterHost = close < 0 ? [] : authority[(close + 1)..];
            if (afterHost.StartsWith(':'))
            {
                port = ParsePort(afterHost[1..]);
            }
        }
        else
        {
            var portColon = authority.LastIndexOf(':');
            hostSpan = portColon < 0 ? authority : authority[..portColon];
            if (portColon >= 0)
            {
                port = ParsePort(authority[(portColon + 1)..]);
            }
        }

        if (hostSpan.IsEmpty || hostSpan.Length > MaxHostLength)
        {
            return false;
        }

        var host = NormalizeHost(hostSpan);
        if (host.Length == 0)
        {
            return false;
        }

        parts = new UrlParts(scheme, userInfo, host, port, tail);
        return true;
    }

    /// <summary>The host of a URL, normalized, or null.</summary>
    public static string? HostOf(string? url) => TryParse(url, out var parts) ? parts.Host : null;

    /// <summary>The scheme of a URL (lower-case, without the colon), or null when it has none.</summary>
    public static string? SchemeOf(ReadOnlySpan<char> url)
    {
        var colon = SchemeEnd(url);
        return colon <= 0 ? null : url[..colon].ToString().ToLowerInvariant();
    }

    public static int? DefaultPort(string scheme) => scheme switch
    {
        "http" or "ws" => 80,
        "https" or "wss" => 443,
        "ftp" => 21,
        _ => null,
    };

    public static bool IsSpecial(string scheme) => scheme is "http" or "https" or "ftp" or "ws" or "wss";

    /// <summary>An IPv4 address in any notation browsers accept (1–4 decimal, octal or hex parts) or a bracketed IPv6 one.</summary>
    public static bool IsIpLiteral(string host)
    {
        if (host.StartsWith('['))
        {
            return true;
        }

        var parts = 0;
        foreach (var range in host.AsSpan().Split('.'))
        {
            var part = host.AsSpan()[range];
            if (++parts > 4 || !IsIpv4Number(part))
            {
                return false;
            }
        }

        return parts > 0;
    }

    /// <summary>A label starts with <c>xn--</c>, or the host has non-ASCII characters.</summary>
    public static bool IsInternationalized(string host) =>
        !Ascii.IsValid(host) || host.StartsWith("xn--", StringComparison.Ordinal) || host.Contains(".xn--", StringComparison.Ordinal);

    /// <summary>True when <paramref name="host"/> is <paramref name="domain"/> or a subdomain of it.</summary>
    public static bool IsSameOrSubdomain(string host, string domain) =>
        host.Length == domain.Length
            ? string.Equals(host, domain, StringComparison.OrdinalIgnoreCase)
            : host.Length > domain.Length && host[host.Length - domain.Length - 1] == '.' && host.EndsWith(domain, StringComparison.OrdinalIgnoreCase);

    /// <summary>The host without a leading <c>www.</c> label.</summary>
    public static string StripWww(string host) => host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;

    private static int SchemeEnd(ReadOnlySpan<char> span)
    {
        // RFC 3986 3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":".
        for (var i = 0; i < span.Length && i < 32; i++)
        {
            var c = span[i];
            if (c == ':')
            {
                return i;
            }

            if (!(char.IsAsciiLetter(c) || (i > 0 && (char.IsAsciiDigit(c) || c is '+' or '-' or '.'))))
            {
                return -1;
            }
        }

        return -1;
    }

    private static int? ParsePort(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length > 5)
        {
            return null;
        }

        var value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }

    private static bool IsIpv4Number(ReadOnlySpan<char> part)
    {
        if (part.IsEmpty)
        {
            return false;
        }

        if (part.Length >= 2 && part[0] == '0' && (part[1] | 0x20) == 'x')
        {
            foreach (var c in part[2..])
            {
                if (!char.IsAsciiHexDigit(c))
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var c in part)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string NormalizeHost(ReadOnlySpan<char> host)
    {
        var text = host.ToString();
        if (text.Contains('%', StringComparison.Ordinal))
        {
            text = Uri.UnescapeDataString(text);
        }

        // IDNA maps the ideographic and full-width full stops to '.'.
        if (!Ascii.IsValid(text))
        {
            text = text.Replace('\u3002', '.').Replace('\uFF0E', '.').Replace('\uFF61', '.');
        }

        return text.ToLowerInvariant().TrimEnd('.');
    }
}
