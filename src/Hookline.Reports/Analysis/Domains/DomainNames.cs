using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Hookline.Reports.Analysis.Domains;

/// <summary>
/// Small helpers on host names as mail and URLs carry them: normalising, registrable domains (through
/// <see cref="PublicSuffixList.Default"/>), parent-domain tests, IP literals. Culture-free; never throw.
/// </summary>
public static class DomainNames
{
    private static readonly System.Buffers.SearchValues<char> BadHostChars = System.Buffers.SearchValues.Create(" \t\r\n@/\\[]()<>,;:\"");

    /// <summary>
    /// A host in comparable form: trimmed, lower case, without a trailing dot, without the brackets of
    /// an address literal. Null when nothing is left.
    /// </summary>
    public static string? Normalize(string? host)
    {
        if (string.IsNullOrWhiteSpace(host))
        {
            return null;
        }

        var h = host.Trim().TrimEnd('.');
        if (h.Length > 2 && h[0] == '[' && h[^1] == ']')
        {
            h = h[1..^1];
            if (h.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
            {
                h = h[5..];
            }
        }

        return h.Length == 0 ? null : h.ToLowerInvariant();
    }

    /// <summary>The registrable domain of a host ("evil.co.uk" for "login.evil.co.uk"), or null (IP, public suffix, malformed).</summary>
    public static string? RegistrableDomain(string? host) => PublicSuffixList.Default.GetRegistrableDomain(host);

    /// <summary>The host's labels with punycode ("xn--") turned into Unicode, e.g. "xn--pypal-4ve.com" → "pаypal.com"; the host as normalised when it cannot be decoded.</summary>
    public static string? ToUnicode(string? host)
    {
        var h = Normalize(host);
        if (h is null || !h.Contains("xn--", StringComparison.Ordinal))
        {
            return h;
        }

        var labels = h.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = LabelToUnicode(labels[i]);
        }

        return string.Join('.', labels);
    }

    /// <summary>True when a label of the host is punycode ("xn--") or the host holds non-ASCII characters: an internationalised name.</summary>
    public static bool IsInternationalized(string? host)
    {
        var h = Normalize(host);
        if (h is null)
        {
            return false;
        }

        if (!System.Text.Ascii.IsValid(h))
        {
            return true;
        }

        return h.StartsWith("xn--", StringComparison.Ordinal) || h.Contains(".xn--", StringComparison.Ordinal);
    }

    /// <summary>True when <paramref name="host"/> is <paramref name="domain"/> or a name under it ("a.b.contoso.com" under "contoso.com"), case-blind.</summary>
    public static bool IsSameOrSubdomain(string? host, string? domain) => IsNormalizedUnder(Normalize(host), domain);

    /// <summary>True when the host is under any of the domains.</summary>
    public static bool IsUnderAny(string? host, IEnumerable<string> domains)
    {
        // The host is normalized once, not once per domain.
        var h = Normalize(host);
        if (h is null)
        {
            return false;
        }

        foreach (var d in domains)
        {
            if (IsNormalizedUnder(h, d))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><see cref="IsSameOrSubdomain"/> for a host already through <see cref="Normalize"/> (for loops over many domains).</summary>
    internal static bool IsNormalizedUnder(string? h, string? domain)
    {
        var d = Normalize(domain);
        if (h is null || d is null)
        {
            return false;
        }

        if (d.StartsWith("*.", StringComparison.Ordinal))
        {
            d = d[2..];
        }

        return string.Equals(h, d, StringComparison.Ordinal)
            || (h.Length > d.Length && h[h.Length - d.Length - 1] == '.' && h.EndsWith(d, StringComparison.Ordinal));
    }


    /// <summary>
    /// Reads an IP address strictly: a dotted quad of four decimal parts for IPv4 (so a version like
    /// "8.11.6" is not an address), or IPv6 with at least two colons; brackets and an "IPv6:" prefix
    /// are allowed.
    /// </summary>
    public static bool TryParseIp(ReadOnlySpan<char> text, out IPAddress? address)
    {
        address = null;
        text = text.Trim();
        if (text.Length > 2 && text[0] == '[' && text[^1] == ']')
        {
            text = text[1..^1];
        }

        if (text.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..];
        }

        if (text.Length is < 2 or > 64)
        {
            return false;
        }

        if (text.Contains(':'))
        {
            if (text.Count(':') < 2)
            {
                return false;
            }

            foreach (var c in text)
            {
                if (!(char.IsAsciiHexDigit(c) || c is ':' or '.' or '%'))
                {
                    return false;
                }
            }

            return IPAddress.TryParse(text, out address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = 0;
        var value = -1;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (value < 0 || ++parts > 3)
                {
                    return false;
                }

                value = -1;
            }
            else if (char.IsAsciiDigit(c))
            {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return parts == 3 && value >= 0 && IPAddress.TryParse(text, out address);
    }

    /// <summary>True for an address no public internet host has: private (RFC 1918, RFC 4193), loopback, link-local, CGNAT (RFC 6598), unspecified.</summary>
    public static bool IsPrivateOrLocal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            address.TryWriteBytes(b, out _);
            return b[0] == 10
                || b[0] == 0
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
    }

    /// <summary>Splits a host into lower-case labels; null when it is empty, an IP, too long, or has an empty label.</summary>
    internal static string[]? SplitHost(string? host, int maxLength, int maxLabels)
    {
        var h = Normalize(host);
        if (h is null || h.Length > maxLength || TryParseIp(h, out _))
        {
            return null;
        }

        var labels = h.Split('.');
        if (labels.Length > maxLabels)
        {
            return null;
        }

        foreach (var label in labels)
        {
            if (label.Length == 0 || label.AsSpan().IndexOfAny(BadHostChars) >= 0)
            {
                return null;
            }
        }

        return labels;
    }

    /// <summary>One label from punycode to Unicode; the label itself when it is not valid punycode.</summary>
    internal static string LabelToUnicode(string label)
    {
        if (!label.StartsWith("xn--", StringComparison.Ordinal))
        {
            return label;
        }

        try
        {
            return new IdnMapping().GetUnicode(label);
        }
        catch (ArgumentException)
        {
            return label;
        }
    }
}
