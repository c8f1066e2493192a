using System.Text;

namespace Hookline.Reports.Analysis.Domains;

/// <summary>How a domain resembles a protected one.</summary>
public enum LookalikeKind
{
    /// <summary>The same characters once confusables are mapped (Cyrillic "а" for "a", "rn" for "m", "0" for "o", ...).</summary>
    Confusable,

    /// <summary>A small edit distance on the registrable label ("micros0ft", "paypa1", "contoso" → "contosso").</summary>
    EditDistance,

    /// <summary>The same registrable label under another public suffix ("contoso.co" for "contoso.com").</summary>
    OtherSuffix,

    /// <summary>The protected name as a hyphenated word of the registrable label ("paypal-login.example"), or the whole protected domain as labels of the host ("paypal.com.evil.example").</summary>
    Embedded,
}

/// <summary>A domain that resembles a protected one: what it is, which one it imitates, how.</summary>
public sealed record LookalikeMatch(string Domain, string Target, LookalikeKind Kind, int Distance)
{
    public override string ToString() => $"{Domain} resembles {Target} ({Kind}, distance {Distance})";
}

/// <summary>
/// Lookalike detection for host names: a Unicode skeleton (a small table of confusable characters and
/// sequences), a bounded Damerau-Levenshtein distance on the registrable label, and the protected
/// name embedded in another domain. Culture-free, allocation-light, never throws.
/// </summary>
public static class Lookalikes
{
    /// <summary>Well-known brands phishing most often imitates; kept small on purpose.</summary>
    public static IReadOnlyList<string> WellKnownBrandDomains { get; } =
    [
        "microsoft.com", "office.com", "office365.com", "outlook.com", "live.com", "sharepoint.com", "onedrive.com",
        "paypal.com", "apple.com", "icloud.com", "amazon.com", "google.com", "gmail.com", "facebook.com",
        "instagram.com", "linkedin.com", "netflix.com", "docusign.com", "dropbox.com", "adobe.com", "dhl.com",
        "fedex.com", "wellsfargo.com", "chase.com", "bankofamerica.com", "coinbase.com", "binance.com",
    ];

    /// <summary>A label shorter than this is only compared by skeleton, never by edit distance (too many innocent near misses).</summary>
    public const int MinLabelForDistanceOne = 6;

    /// <summary>A label at least this long may be two edits away.</summary>
    public const int MinLabelForDistanceTwo = 8;

    /// <summary>A longer label is not compared by edit distance (a real label is at most 63 characters).</summary>
    private const int MaxLabel = 63;

    // Single characters that look like another (lower case): Cyrillic and Greek homoglyphs, digits, common accents.
    private static readonly Dictionary<char, char> Confusables = new()
    {
        // Cyrillic
        ['а'] = 'a',
        ['в'] = 'b',
        ['е'] = 'e',
        ['ё'] = 'e',
        ['һ'] = 'h',
        ['і'] = 'i',
        ['ї'] = 'i',
        ['ј'] = 'j',
        ['к'] = 'k',
        ['ӏ'] = 'l',
        ['м'] = 'm',
        ['н'] = 'h',
        ['о'] = 'o',
        ['р'] = 'p',
        ['с'] = 'c',
        ['ѕ'] = 's',
        ['т'] = 't',
        ['у'] = 'y',
        ['х'] = 'x',
        ['ԁ'] = 'd',
        ['ԛ'] = 'q',
        ['ԝ'] = 'w',
        ['ɡ'] = 'g',
        ['ь'] = 'b',
        ['п'] = 'n',
        // Greek
        ['α'] = 'a',
        ['β'] = 'b',
        ['ε'] = 'e',
        ['η'] = 'n',
        ['ι'] = 'i',
        ['κ'] = 'k',
        ['ν'] = 'v',
        ['ο'] = 'o',
        ['ρ'] = 'p',
        ['τ'] = 't',
        ['υ'] = 'u',
        ['χ'] = 'x',
        ['γ'] = 'y',
        ['ω'] = 'w',
        // Digits and ASCII look-alikes
        ['0'] = 'o',
        ['1'] = 'l',
        ['i'] = 'l',
        ['|'] = 'l',
        // Latin with diacritics
        ['à'] = 'a',
        ['á'] = 'a',
        ['â'] = 'a',
        ['ã'] = 'a',
        ['ä'] = 'a',
        ['å'] = 'a',
        ['ā'] = 'a',
        ['ç'] = 'c',
        ['è'] = 'e',
        ['é'] = 'e',
        ['ê'] = 'e',
        ['ë'] = 'e',
        ['ē'] = 'e',
        ['ì'] = 'l',
        ['í'] = 'l',
        ['î'] = 'l',
        ['ï'] = 'l',
        ['ı'] = 'l',
        ['ł'] = 'l',
        ['ñ'] = 'n',
        ['ò'] = 'o',
        ['ó'] = 'o',
        ['ô'] = 'o',
        ['õ'] = 'o',
        ['ö'] = 'o',
        ['ø'] = 'o',
        ['ù'] = 'u',
        ['ú'] = 'u',
        ['û'] = 'u',
        ['ü'] = 'u',
        ['ý'] = 'y',
        ['ÿ'] = 'y',
        ['ś'] = 's',
        ['š'] = 's',
        ['ž'] = 'z',
    };

    /// <summary>
    /// The skeleton of a text for confusable comparison: lower case, each confusable character mapped
    /// to its Latin look-alike, "rn" → "m", "vv" → "w", "cl" → "d"; "i" and "1" both become "l". Two
    /// names with the same skeleton look alike to a reader.
    /// </summary>
    public static string Skeleton(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var raw in text)
        {
            var c = char.ToLowerInvariant(raw);
            sb.Append(Confusables.TryGetValue(c, out var mapped) ? mapped : c);
        }

        sb.Replace("rn", "m").Replace("vv", "w").Replace("cl", "d");
        return sb.ToString();
    }

    /// <summary>
    /// The Damerau-Levenshtein distance (optimal string alignment: insert, delete, substitute, swap
    /// neighbours) between two strings, or <paramref name="max"/> + 1 once it is known to be larger.
    /// </summary>
    public static int EditDistance(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max)
        {
            return max + 1;
        }

        if (a.Length > MaxLabel * 4 || b.Length > MaxLabel * 4)
        {
            return max + 1;
        }

        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    v = Math.Min(v, previous2[j - 2] + 1);
                }

                current[j] = v;
                rowMin = Math.Min(rowMin, v);
            }

            if (rowMin > max)
            {
                return max + 1;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return Math.Min(previous[b.Length], max + 1);
    }

    /// <summary>
    /// Whether <paramref name="host"/> imitates one of <paramref name="protectedDomains"/>; the closest
    /// match, or null. A host that is one of the protected domains (or under one) is not a lookalike.
    /// </summary>
    public static LookalikeMatch? Find(string? host, IEnumerable<string> protectedDomains, bool includeOtherSuffix = true)
    {
        var unicodeHost = DomainNames.ToUnicode(host);
        var registrable = PublicSuffixList.Default.GetRegistrableDomain(unicodeHost);
        if (unicodeHost is null || registrable is null)
        {
            return null;
        }

        var suffix = PublicSuffixList.Default.GetPublicSuffix(unicodeHost) ?? string.Empty;
        var label = registrable[..^(suffix.Length + 1)];
        var labelSkeleton = Skeleton(label);
        LookalikeMatch? best = null;
        var normalizedHost = DomainNames.Normalize(unicodeHost);
        foreach (var target in protectedDomains)
        {
            if (ProtectedTarget.Of(target) is not { } protectedTarget)
            {
                continue;
            }

            if (DomainNames.IsNormalizedUnder(normalizedHost, protectedTarget.Registrable))
            {
                return null;
            }

            var match = Compare(registrable, label, labelSkeleton, unicodeHost, protectedTarget.Registrable, protectedTarget.Label, protectedTarget.LabelSkeleton, includeOtherSuffix);
            if (match is not null && (best is null || Rank(match) < Rank(best)))
            {
                best = match;
            }
        }

        return best;
    }

    /// <summary>
    /// <see cref="Find"/> against <see cref="WellKnownBrandDomains"/> (no other-suffix matches),
    /// remembered per host: the brand list is fixed, and the same senders' domains come back in message
    /// after message, each compared with every brand otherwise. Bounded: when full it starts over.
    /// </summary>
    public static LookalikeMatch? FindWellKnownBrand(string host) =>
        BrandMatches.GetOrAdd(host, static h => Find(h, WellKnownBrandDomains, includeOtherSuffix: false));

    private static readonly BoundedCache<string, LookalikeMatch?> BrandMatches = new(16_384, StringComparer.Ordinal);

    /// <summary>
    /// A protected domain's registrable domain, label and skeleton, computed once: protected domains
    /// come from the settings and the brand list, not from mail, so the cache stays small (and is bounded anyway).
    /// </summary>
    private sealed record ProtectedTarget(string Registrable, string Label, string LabelSkeleton)
    {
        private const int MaxCached = 4096;

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, ProtectedTarget?> Cache = new(StringComparer.Ordinal);

        public static ProtectedTarget? Of(string domain)
        {
            if (Cache.TryGetValue(domain, out var cached))
            {
                return cached;
            }

            var target = Compute(domain);
            if (Cache.Count < MaxCached)
            {
                Cache.TryAdd(domain, target);
            }

            return target;
        }

        private static ProtectedTarget? Compute(string domain)
        {
            var host = DomainNames.ToUnicode(domain);
            var registrable = PublicSuffixList.Default.GetRegistrableDomain(host);
            if (registrable is null)
            {
                return null;
            }

            var suffix = PublicSuffixList.Default.GetPublicSuffix(registrable) ?? string.Empty;
            var label = registrable[..^(suffix.Length + 1)];
            return new ProtectedTarget(registrable, label, Lookalikes.Skeleton(label));
        }
    }

    private static int Rank(LookalikeMatch m) => (int)m.Kind * 10 + m.Distance;

    private static LookalikeMatch? Compare(string registrable, string label, string labelSkeleton, string host, string target, string targetLabel, string targetSkeleton, bool includeOtherSuffix)
    {
        if (string.Equals(label, targetLabel, StringComparison.Ordinal))
        {
            return includeOtherSuffix ? new LookalikeMatch(registrable, target, LookalikeKind.OtherSuffix, 0) : null;
        }

        if (string.Equals(labelSkeleton, targetSkeleton, StringComparison.Ordinal))
        {
            return new LookalikeMatch(registrable, target, LookalikeKind.Confusable, 0);
        }

        var max = targetLabel.Length >= MinLabelForDistanceTwo ? 2 : targetLabel.Length >= MinLabelForDistanceOne ? 1 : 0;
        if (max > 0 && label.Length <= MaxLabel)
        {
            var distance = EditDistance(labelSkeleton, targetSkeleton, max);
            if (distance <= max)
            {
                return new LookalikeMatch(registrable, target, LookalikeKind.EditDistance, Math.Max(distance, 1));
            }
        }

        if (targetLabel.Length >= MinLabelForDistanceOne && (IsHyphenWord(labelSkeleton, targetSkeleton) || ContainsLabels(host, target)))
        {
            return new LookalikeMatch(registrable, target, LookalikeKind.Embedded, 0);
        }

        return null;
    }

    // The protected label as a hyphen-separated word of the registrable label ("paypal-login").
    private static bool IsHyphenWord(string label, string targetLabel)
    {
        foreach (var range in label.AsSpan().Split('-'))
        {
            if (label.AsSpan()[range].Equals(targetLabel, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // The whole protected domain as labels of the host ("paypal.com.evil.example").
    private static bool ContainsLabels(string host, string target) =>
        host.StartsWith(target + ".", StringComparison.Ordinal) || host.Contains("." + target + ".", StringComparison.Ordinal);
}
