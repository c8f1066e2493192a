using System.Globalization;

namespace Hookline.Reports.Analysis.Domains;

/// <summary>
/// The Public Suffix List (https://publicsuffix.org/list/): which suffixes anyone can register
/// names under ("com", "co.uk", "github.io"), so that the registrable domain of a host can be told
/// ("login.evil.co.uk" → "evil.co.uk"). Rules are matched as the list's own algorithm says: the
/// longest matching rule wins, an exception rule ("!www.ck") beats the wildcard it excepts
/// ("*.ck"), and a host no rule matches has its last label as its public suffix (the implicit "*").
/// Immutable once built; every method is thread-safe and never throws.
/// </summary>
public sealed class PublicSuffixList
{
    /// <summary>Where Debian/Ubuntu's publicsuffix package installs the list.</summary>
    public const string SystemPath = "/usr/share/publicsuffix/public_suffix_list.dat";

    /// <summary>A host longer than DNS allows is not looked up.</summary>
    private const int MaxHostLength = 253;

    private const int MaxLabels = 127;

    private static readonly Lazy<PublicSuffixList> DefaultList = new(LoadDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    // Rule text (Unicode, lower case, no "*." or "!") → whether it comes from the PRIVATE section.
    private readonly Dictionary<string, bool> _rules;
    private readonly Dictionary<string, bool> _wildcards;
    private readonly Dictionary<string, bool> _exceptions;

    private PublicSuffixList(Dictionary<string, bool> rules, Dictionary<string, bool> wildcards, Dictionary<string, bool> exceptions, string source, bool isFallback)
    {
        _rules = rules;
        _wildcards = wildcards;
        _exceptions = exceptions;
        Source = source;
        IsFallback = isFallback;
    }

    /// <summary>
    /// The list read once, on first use, from <see cref="SystemPath"/>; when that file is missing or
    /// unreadable, a small built-in list (see <see cref="IsFallback"/> and <see cref="Source"/>).
    /// </summary>
    public static PublicSuffixList Default => DefaultList.Value;

    /// <summary>Where the rules came from: a file path, "built-in (…)", or "text".</summary>
    public string Source { get; }

    /// <summary>True when the built-in list is used because the file could not be read: results are then rougher.</summary>
    public bool IsFallback { get; }

    /// <summary>How many rules (normal, wildcard and exception) were read.</summary>
    public int RuleCount => _rules.Count + _wildcards.Count + _exceptions.Count;

    /// <summary>Reads a list in the publicsuffix.org format (comments "//", one rule a line, sections marked "===BEGIN PRIVATE DOMAINS===").</summary>
    public static PublicSuffixList Parse(string text, string source = "text") => Build(text, source, isFallback: false);

    /// <summary>Reads the list from a file; the built-in list when the file cannot be read.</summary>
    public static PublicSuffixList Load(string path)
    {
        try
        {
            return Build(File.ReadAllText(path), path, isFallback: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return BuiltIn($"built-in ({path} could not be read: {e.GetType().Name})");
        }
    }

    /// <summary>The small built-in list used when no file is available.</summary>
    public static PublicSuffixList BuiltIn(string? reason = null) =>
        Build(BuiltInRules, reason ?? "built-in", isFallback: true);

    /// <summary>The public suffix of a host ("co.uk" for "a.b.co.uk"), lower case, in the host's own form (ASCII or Unicode); null for an empty, malformed or IP host.</summary>
    public string? GetPublicSuffix(string? host)
    {
        var match = Match(host);
        return match is null ? null : Tail(match.Value.Labels, match.Value.SuffixLabels);
    }

    /// <summary>
    /// The registrable domain ("eTLD+1") of a host: its public suffix and one label more
    /// ("evil.co.uk" for "login.evil.co.uk"), lower case, in the host's own form. Null when the host
    /// is itself a public suffix, empty, malformed, or an IP address.
    /// </summary>
    public string? GetRegistrableDomain(string? host)
    {
        var match = Match(host);
        if (match is null || match.Value.Labels.Length <= match.Value.SuffixLabels)
        {
            return null;
        }

        return Tail(match.Value.Labels, match.Value.SuffixLabels + 1);
    }

    /// <summary>
    /// True when the host's last label is a top-level domain the list names (every delegated TLD is
    /// there); false for "localhost", "nyc1-05" and other names no resolver on the internet knows.
    /// The built-in fallback list is too small to say: it answers true.
    /// </summary>
    public bool HasKnownTopLevel(string? host)
    {
        if (IsFallback)
        {
            return true;
        }

        var normalized = DomainNames.Normalize(host);
        if (string.IsNullOrEmpty(normalized))
        {
            return false;
        }

        var dot = normalized.LastIndexOf('.');
        var tld = dot < 0 ? normalized : normalized[(dot + 1)..];
        if (tld.StartsWith("xn--", StringComparison.Ordinal))
        {
            tld = DomainNames.LabelToUnicode(tld);
        }

        return _rules.ContainsKey(tld) || _wildcards.ContainsKey(tld);
    }

    /// <summary>True when the rule that decided the host's public suffix is in the list's PRIVATE section (e.g. "github.io", "blogspot.com").</summary>
    public bool IsPrivateSuffix(string? host) => Match(host) is { IsPrivate: true };

    private static string Tail(string[] labels, int count) => string.Join('.', labels, labels.Length - count, count);

    private (string[] Labels, int SuffixLabels, bool IsPrivate)? Match(string? host)
    {
        var labels = DomainNames.SplitHost(host, MaxHostLength, MaxLabels);
        if (labels is null)
        {
            return null;
        }

        // Look the rules up in Unicode form (the list is written so), answer in the host's form.
        var lookup = labels;
        if (Array.Exists(labels, l => l.StartsWith("xn--", StringComparison.Ordinal)))
        {
            lookup = new string[labels.Length];
            for (var i = 0; i < labels.Length; i++)
            {
                lookup[i] = DomainNames.LabelToUnicode(labels[i]);
            }
        }

        // Longest suffix first: the first rule met is the longest that matches.
        for (var i = 0; i < lookup.Length; i++)
        {
            var suffix = string.Join('.', lookup, i, lookup.Length - i);
            if (_exceptions.TryGetValue(suffix, out var exceptionPrivate))
            {
                return (labels, lookup.Length - i - 1, exceptionPrivate);
            }

            if (_rules.TryGetValue(suffix, out var rulePrivate))
            {
                return (labels, lookup.Length - i, rulePrivate);
            }

            if (i + 1 < lookup.Length && _wildcards.TryGetValue(string.Join('.', lookup, i + 1, lookup.Length - i - 1), out var wildcardPrivate))
            {
                return (labels, lookup.Length - i, wildcardPrivate);
            }
        }

        return (labels, 1, false);
    }

    private static PublicSuffixList LoadDefault() =>
        File.Exists(SystemPath) ? Load(SystemPath) : BuiltIn($"built-in ({SystemPath} not found)");

    private static PublicSuffixList Build(string text, string source, bool isFallback)
    {
        var rules = new Dictionary<string, bool>(StringComparer.Ordinal);
        var wildcards = new Dictionary<string, bool>(StringComparer.Ordinal);
        var exceptions = new Dictionary<string, bool>(StringComparer.Ordinal);
        var isPrivate = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                if (line.Contains("===BEGIN PRIVATE DOMAINS===", StringComparison.Ordinal))
                {
                    isPrivate = true;
                }
                else if (line.Contains("===BEGIN ICANN DOMAINS===", StringComparison.Ordinal) || line.Contains("===END PRIVATE DOMAINS===", StringComparison.Ordinal))
                {
                    isPrivate = false;
                }

                continue;
            }

            // A rule is the first white-space separated word of its line.
            var space = line.IndexOfAny([' ', '\t']);
            if (space >= 0)
            {
                line = line[..space];
            }

            if (line.Length == 0)
            {
                continue;
            }

            line = line.ToLowerInvariant().TrimEnd('.');
            if (line.StartsWith('!'))
            {
                exceptions[line[1..]] = isPrivate;
            }
            else if (line.StartsWith("*.", StringComparison.Ordinal))
            {
                wildcards[line[2..]] = isPrivate;
            }
            else if (line.Length > 0)
            {
                rules[line] = isPrivate;
            }
        }

        return new PublicSuffixList(rules, wildcards, exceptions, source, isFallback);
    }

    // The generic and the most mailed-from country suffixes, with their usual second levels.
    private const string BuiltInRules = """
        com
        net
        org
        edu
        gov
        mil
        int
        info
        biz
        io
        co
        me
        app
        dev
        online
        site
        xyz
        top
        shop
        eu
        us
        uk
        co.uk
        org.uk
        ac.uk
        gov.uk
        ltd.uk
        plc.uk
        me.uk
        de
        fr
        nl
        be
        ch
        at
        it
        es
        pt
        ie
        se
        no
        dk
        fi
        pl
        cz
        ru
        ua
        jp
        co.jp
        ne.jp
        or.jp
        ac.jp
        cn
        com.cn
        net.cn
        org.cn
        in
        co.in
        au
        com.au
        net.au
        org.au
        nz
        co.nz
        ca
        br
        com.br
        mx
        com.mx
        ar
        com.ar
        za
        co.za
        kr
        co.kr
        tw
        com.tw
        hk
        com.hk
        sg
        com.sg
        tr
        com.tr
        """;

    internal static string Describe(PublicSuffixList list) =>
        string.Create(CultureInfo.InvariantCulture, $"{list.Source} ({list.RuleCount} rules)");
}
