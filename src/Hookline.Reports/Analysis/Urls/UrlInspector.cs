namespace Hookline.Reports.Analysis.Urls;

/// <summary>
/// Builds a <see cref="UrlFinding"/> from a URL as found: unwraps rewriters and sets the host-level
/// flags that need no public suffix list (IP literal, punycode, shortener, user info, port, blocked
/// host, visible-text mismatch). Registrable-domain and lookalike checks belong to the domain
/// analysis, which reads <see cref="UrlFinding.Host"/>.
/// </summary>
public static class UrlInspector
{
    /// <summary>Hosts of common URL shorteners (the <c>www.</c> form is matched too).</summary>
    public static IReadOnlySet<string> Shorteners { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly", "rebrand.ly",
        "cutt.ly", "rb.gy", "t.ly", "shorturl.at", "tiny.cc", "s.id", "v.gd", "bl.ink", "lnkd.in", "qrco.de",
        "short.io", "shorte.st", "adf.ly", "tr.im", "soo.gd", "clck.ru", "u.to", "bit.do", "x.co", "urlz.fr",
        "surl.li", "shrtco.de", "cutt.us", "gg.gg", "tiny.one", "t2m.io", "l.ead.me",
    };

    // Visible text ending in one of these is a file name, not a domain, even where it is also a TLD.
    private static readonly HashSet<string> FileExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "pdf", "doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "txt", "csv", "htm", "html", "php", "asp", "aspx",
        "jsp", "jpg", "jpeg", "png", "gif", "zip", "rar", "exe", "msg", "eml", "rtf", "mov", "mp4", "mp3", "wav", "one", "svg",
    };

    public static UrlFinding Inspect(string url, UrlSource source, string? visibleText, AnalysisSettings settings, bool defanged = false, bool credentialForm = false)
    {
        var flags = UrlFlags.None;
        if (defanged)
        {
            flags |= UrlFlags.Defanged;
        }

        if (credentialForm)
        {
            flags |= UrlFlags.CredentialForm;
        }

        var scheme = UrlParser.SchemeOf(url);
        if (scheme == "data")
        {
            return new UrlFinding { Url = url, Scheme = scheme, Source = source, VisibleText = visibleText, Flags = flags | UrlFlags.DataUri };
        }

        if (scheme is "javascript" or "vbscript")
        {
            return new UrlFinding { Url = url, Scheme = scheme, Source = source, VisibleText = visibleText, Flags = flags | UrlFlags.JavaScript };
        }

        if (!UrlParser.TryParse(url, out var written))
        {
            return new UrlFinding { Url = url, Scheme = scheme, Source = source, VisibleText = visibleText, Flags = flags };
        }

        var unwrapping = UrlUnwrapper.Unwrap(url);
        var effective = written;
        if (unwrapping.Target is { } target)
        {
            flags |= UrlFlags.Wrapped;
            if (UrlParser.TryParse(target, out var inner))
            {
                effective = inner;
            }
            else if (UrlParser.SchemeOf(target) is "data")
            {
                flags |= UrlFlags.DataUri;
            }
            else if (UrlParser.SchemeOf(target) is "javascript" or "vbscript")
            {
                flags |= UrlFlags.JavaScript;
            }
        }

        if (unwrapping.Opaque)
        {
            flags |= UrlFlags.Wrapped | UrlFlags.WrappedOpaque;
        }

        flags |= HostFlags(written, settings);
        if (!ReferenceEquals(effective.Host, written.Host))
        {
            flags |= HostFlags(effective, settings);
        }

        if (visibleText is not null && !unwrapping.Opaque && TextHost(visibleText) is { } textHost && !SameSite(textHost, effective.Host))
        {
            flags |= UrlFlags.TextMismatch;
        }

        return new UrlFinding
        {
            Url = url,
            Host = effective.Host,
            WrittenHost = written.Host,
            Scheme = written.Scheme,
            Port = written.Port,
            Source = source,
            VisibleText = visibleText,
            Unwrapped = unwrapping.Target,
            Flags = flags,
        };
    }

    /// <summary>The host the visible text names, when the whole text is a URL or a bare domain; else null.</summary>
    public static string? TextHost(string visibleText)
    {
        var text = visibleText.AsSpan().Trim().Trim("<>()[]\"'");
        if (text.IsEmpty || text.Length > 2048 || text.ContainsAny(' ', '\t', '\n'))
        {
            return null;
        }

        if (text.Contains("://", StringComparison.Ordinal) || text.StartsWith("www.", StringComparison.OrdinalIgnoreCase))
        {
            return UrlParser.HostOf(text.ToString());
        }

        if (text.Contains('@'))
        {
            return null;
        }

        var slash = text.IndexOf('/');
        var domain = (slash < 0 ? text : text[..slash]).TrimEnd('.');
        return LooksLikeDomain(domain) ? domain.ToString().ToLowerInvariant() : null;
    }

    /// <summary>Hosts name the same site: equal ignoring <c>www.</c>, or one a subdomain of the other.</summary>
    public static bool SameSite(string a, string b)
    {
        a = UrlParser.StripWww(a);
        b = UrlParser.StripWww(b);
        return UrlParser.IsSameOrSubdomain(a, b) || UrlParser.IsSameOrSubdomain(b, a);
    }

    private static bool LooksLikeDomain(ReadOnlySpan<char> text)
    {
        var labels = 0;
        var lastStart = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (i == lastStart || i - lastStart > 63)
                {
                    return false;
                }

                labels++;
                if (i < text.Length)
                {
                    lastStart = i + 1;
                }

                continue;
            }

            var c = text[i];
            if (!(char.IsLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        var tld = text[lastStart..];
        if (labels < 2 || tld.Length is < 2 or > 24 || FileExtensions.GetAlternateLookup<ReadOnlySpan<char>>().Contains(tld))
        {
            return false;
        }

        foreach (var c in tld)
        {
            if (!char.IsLetter(c))
            {
                return false;
            }
        }

        return true;
    }

    private static UrlFlags HostFlags(UrlParts parts, AnalysisSettings settings)
    {
        var flags = UrlFlags.None;
        if (parts.IsIpLiteral)
        {
            flags |= UrlFlags.IpLiteral;
        }

        if (parts.IsInternationalized)
        {
            flags |= UrlFlags.Punycode;
        }

        if (Shorteners.Contains(UrlParser.StripWww(parts.Host)))
        {
            flags |= UrlFlags.Shortener;
        }

        if (!string.IsNullOrEmpty(parts.UserInfo))
        {
            flags |= UrlFlags.UserInfo;
        }

        if (parts.HasNonstandardPort)
        {
            flags |= UrlFlags.NonstandardPort;
        }

        foreach (var blocked in settings.BlockedUrlHosts)
        {
            var domain = blocked.Trim().TrimEnd('.');
            if (domain.Length > 0 && UrlParser.IsSameOrSubdomain(parts.Host, domain))
            {
                flags |= UrlFlags.BlockedHost;
                break;
            }
        }

        return flags;
    }
}
