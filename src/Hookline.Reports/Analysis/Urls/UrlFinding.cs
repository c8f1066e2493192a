namespace Hookline.Reports.Analysis.Urls;

/// <summary>Where in the message a URL was found.</summary>
public enum UrlSource
{
    /// <summary>Plain text (a text part, or HTML scanned as text: no link-bearing tags, too large or too deep).</summary>
    Text,

    /// <summary>An HTML <c>a href</c>.</summary>
    Href,

    /// <summary>An HTML image-map <c>area href</c>.</summary>
    Area,

    /// <summary>An HTML <c>form action</c>.</summary>
    Form,

    /// <summary>An HTML <c>meta http-equiv="refresh"</c>.</summary>
    MetaRefresh,

    /// <summary>An HTML <c>img src</c> that is a tracking pixel (1×1 or 0×0).</summary>
    TrackingPixel,

    /// <summary>An HTML <c>iframe src</c>.</summary>
    Frame,

    /// <summary>A <c>/URI</c> action in a PDF attachment.</summary>
    Pdf,

    /// <summary>A link in an HTML or SVG attachment (tags, and URLs in its script and text).</summary>
    HtmlAttachment,

    /// <summary>The text of a QR code in an image: inline, attached, a <c>data:</c> image, or inside a PDF or Office file.</summary>
    QrCode,

    /// <summary>An external relationship target (<c>TargetMode="External"</c>: hyperlinks, remote templates, linked images) in an Office document.</summary>
    Office,

    /// <summary>A link in a calendar invitation (an inline or attached iCalendar object: its description, location, URL and attachments).</summary>
    Calendar,
}

/// <summary>What is notable about one URL; each flag maps to a <c>url.*</c> signal (see <see cref="UrlSignals"/>).</summary>
[Flags]
public enum UrlFlags
{
    None = 0,

    /// <summary>Written defanged (<c>hxxp</c>, <c>[.]</c>) and re-fanged here.</summary>
    Defanged = 1 << 0,

    /// <summary>The host is an IP address (v4 in any notation browsers accept, or bracketed v6).</summary>
    IpLiteral = 1 << 1,

    /// <summary>A host label is punycode (<c>xn--</c>) or the host has non-ASCII characters.</summary>
    Punycode = 1 << 2,

    /// <summary>The host is a known URL shortener.</summary>
    Shortener = 1 << 3,

    /// <summary>The URL has user information before the host (<c>https://paypal.com@evil.test/</c>).</summary>
    UserInfo = 1 << 4,

    /// <summary>An explicit port other than the scheme's default.</summary>
    NonstandardPort = 1 << 5,

    /// <summary>A <c>data:</c> URI.</summary>
    DataUri = 1 << 6,

    /// <summary>A <c>javascript:</c> URI.</summary>
    JavaScript = 1 << 7,

    /// <summary>The host (or a parent domain of it) is in <see cref="AnalysisSettings.BlockedUrlHosts"/>.</summary>
    BlockedHost = 1 << 8,

    /// <summary>The visible text is a URL or domain naming another host than the link goes to.</summary>
    TextMismatch = 1 << 9,

    /// <summary>A form that asks for a password or an e-mail address.</summary>
    CredentialForm = 1 << 10,

    /// <summary>Behind a link rewriter (Safe Links, URL Defense, Google, Mimecast).</summary>
    Wrapped = 1 << 11,

    /// <summary>Behind a rewriter whose target cannot be read from the URL (Mimecast).</summary>
    WrappedOpaque = 1 << 12,
}

/// <summary>One URL found in the message.</summary>
public sealed class UrlFinding
{
    /// <summary>
    /// The URL as written, normalized: trimmed, re-fanged, white space removed, HTML entities decoded,
    /// resolved against <c>base href</c>; scheme and host otherwise as written.
    /// </summary>
    public required string Url { get; init; }

    /// <summary>
    /// The host the link really leads to: lower-case, no trailing dot, no port; the unwrapped target's
    /// host when behind a rewriter. Null for <c>data:</c>/<c>javascript:</c> and unparseable URLs.
    /// This is the seam for registrable-domain and lookalike checks.
    /// </summary>
    public string? Host { get; init; }

    /// <summary>The host of <see cref="Url"/> itself (the rewriter's host when wrapped).</summary>
    public string? WrittenHost { get; init; }

    /// <summary>Lower-case scheme (<c>http</c>, <c>https</c>, <c>ftp</c>, <c>data</c>, ...).</summary>
    public string? Scheme { get; init; }

    /// <summary>The explicit port, when one was written.</summary>
    public int? Port { get; init; }

    public UrlSource Source { get; init; }

    /// <summary>The link's visible text (HTML anchors and areas), white space collapsed, bounded.</summary>
    public string? VisibleText { get; init; }

    /// <summary>The target when <see cref="Url"/> is a link rewriter, unwrapped through every layer.</summary>
    public string? Unwrapped { get; init; }

    public UrlFlags Flags { get; set; }

    public override string ToString() => Unwrapped is null ? $"{Source}: {Url}" : $"{Source}: {Url} -> {Unwrapped}";
}
