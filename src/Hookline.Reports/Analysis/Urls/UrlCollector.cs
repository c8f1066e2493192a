namespace Hookline.Reports.Analysis.Urls;

/// <summary>
/// Gathers URLs into <see cref="MessageAnalysis.Urls"/> for one analysis stage: inspects each, drops
/// duplicates (same URL, source and visible text), keeps at most <see cref="MaxUrls"/> per message,
/// and at the end turns the flags of what it added into findings (a few per signal, with a count).
/// </summary>
public sealed class UrlCollector
{
    /// <summary>At most this many URLs are kept per message; past it <c>url.truncated</c> says how many were not.</summary>
    public const int MaxUrls = 500;

    /// <summary>From this many distinct URLs on, <c>url.many</c>.</summary>
    public const int ManyUrls = 100;

    /// <summary>Findings written per signal before the rest are summarised in one.</summary>
    public const int FindingsPerSignal = 5;

    private static readonly (UrlFlags Flag, string Signal)[] FlagSignals =
    [
        (UrlFlags.TextMismatch, UrlSignals.TextMismatch),
        (UrlFlags.CredentialForm, UrlSignals.CredentialForm),
        (UrlFlags.IpLiteral, UrlSignals.IpLiteral),
        (UrlFlags.Punycode, UrlSignals.Punycode),
        (UrlFlags.UserInfo, UrlSignals.UserInfo),
        (UrlFlags.BlockedHost, UrlSignals.BlockedHost),
        (UrlFlags.Shortener, UrlSignals.Shortener),
        (UrlFlags.DataUri, UrlSignals.DataUri),
        (UrlFlags.JavaScript, UrlSignals.JavaScript),
        (UrlFlags.NonstandardPort, UrlSignals.NonstandardPort),
        (UrlFlags.Defanged, UrlSignals.Defanged),
        (UrlFlags.Wrapped, UrlSignals.Wrapped),
        (UrlFlags.WrappedOpaque, UrlSignals.WrappedOpaque),
    ];

    private readonly AnalysisContext _context;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _distinct = new(StringComparer.Ordinal);
    private readonly int _first;
    private int _dropped;

    public UrlCollector(AnalysisContext context)
    {
        _context = context;
        _first = context.Result.Urls.Count;
        foreach (var url in context.Result.Urls)
        {
            _seen.Add(Key(url.Url, url.Source, url.VisibleText));
            _distinct.Add(url.Url);
        }
    }

    /// <summary>How many more URLs can be kept.</summary>
    public int Remaining => Math.Max(0, MaxUrls - _context.Result.Urls.Count);

    /// <summary>Distinct URLs that were found but not kept because of <see cref="MaxUrls"/>.</summary>
    public int Dropped => _dropped;

    /// <summary>Inspects and keeps one URL; null when it is a duplicate or past the limit.</summary>
    public UrlFinding? Add(string url, UrlSource source, string? visibleText = null, bool defanged = false, bool credentialForm = false)
    {
        if (!_seen.Add(Key(url, source, visibleText)))
        {
            return null;
        }

        var isNew = _distinct.Count < MaxUrls * 4 && _distinct.Add(url);
        if (_context.Result.Urls.Count >= MaxUrls)
        {
            if (isNew)
            {
                _dropped++;
            }

            return null;
        }

        var finding = UrlInspector.Inspect(url, source, visibleText, _context.Settings, defanged, credentialForm);
        _context.Result.Urls.Add(finding);
        return finding;
    }

    /// <summary>Keeps the links of an HTML scan; <paramref name="asSource"/> overrides their source (e.g. HTML attachments).</summary>
    public void AddHtml(HtmlScan scan, UrlSource? asSource = null)
    {
        foreach (var link in scan.Links)
        {
            Add(link.Url, asSource ?? link.Source, link.VisibleText, link.Defanged, asSource is null && link.CredentialForm);
        }

        if (scan.Truncated)
        {
            _dropped++;
        }
    }

    /// <summary>Writes the findings for the URLs this collector added.</summary>
    public void Report()
    {
        var urls = _context.Result.Urls;
        foreach (var (flag, signal) in FlagSignals)
        {
            var count = 0;
            for (var i = _first; i < urls.Count; i++)
            {
                if ((urls[i].Flags & flag) == 0)
                {
                    continue;
                }

                if (++count <= FindingsPerSignal)
                {
                    _context.Result.Add(signal, Describe(urls[i], flag));
                }
            }

            if (count > FindingsPerSignal)
            {
                _context.Result.Add(signal, $"and {count - FindingsPerSignal} more URL(s) like this");
            }
        }

        var metaRefresh = 0;
        for (var i = _first; i < urls.Count; i++)
        {
            if (urls[i].Source == UrlSource.MetaRefresh && ++metaRefresh <= FindingsPerSignal)
            {
                _context.Result.Add(UrlSignals.MetaRefresh, $"meta refresh to {urls[i].Url}");
            }
        }

        if (_first == 0 && _distinct.Count >= ManyUrls)
        {
            _context.Result.Add(UrlSignals.Many, $"{_distinct.Count}{(_distinct.Count >= MaxUrls * 4 ? "+" : string.Empty)} distinct URLs");
        }

        if (_dropped > 0)
        {
            _context.Result.Add(UrlSignals.Truncated, $"only the first {MaxUrls} URLs were kept; more were found");
        }
    }

    private static string Key(string url, UrlSource source, string? visibleText) =>
        visibleText is null ? $"{(int)source}\n{url}" : $"{(int)source}\n{url}\n{visibleText}";

    private static string Describe(UrlFinding url, UrlFlags flag) => flag switch
    {
        UrlFlags.TextMismatch => $"text \"{url.VisibleText}\" links to {url.Host}: {url.Url}",
        UrlFlags.CredentialForm => $"form asking for credentials posts to {url.Url}",
        UrlFlags.Wrapped when url.Unwrapped is not null => $"{url.WrittenHost} wraps {url.Unwrapped}",
        UrlFlags.WrappedOpaque => $"{url.WrittenHost} hides the target: {url.Url}",
        UrlFlags.NonstandardPort => $"port {url.Port}: {url.Url}",
        _ => url.Unwrapped is null ? url.Url : $"{url.Url} -> {url.Unwrapped}",
    };
}
