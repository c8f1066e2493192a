using Hookline.Reports.Analysis.Domains;
using Hookline.Reports.Analysis.Text;

namespace Hookline.Reports.Analysis.Brands;

/// <summary>One brand phishing imitates: its names, its own domains, and the tokens that betray it inside another domain.</summary>
public sealed record Brand(string Name, IReadOnlyList<string> Domains, IReadOnlyList<string> Tokens);

/// <summary>
/// The catalogue of imitated brands (Analysis/Brands/brands.txt), with three lexicons of their names:
/// names that count anywhere, names that count only in the display name and subject (<c>~</c>), and
/// names that count only as the whole display name (<c>=</c>).
/// </summary>
public sealed class BrandCatalogue
{
    /// <summary>Words that may stand beside a brand in a display name that is "only" the brand ("PayPal Support").</summary>
    private static readonly HashSet<string> GenericWords = new(StringComparer.Ordinal)
    {
        "team", "support", "service", "services", "account", "accounts", "security", "notification", "notifications", "alert",
        "alerts", "no", "reply", "noreply", "no-reply", "customer", "care", "online", "help", "center", "centre", "billing", "info",
        "admin", "mail", "email", "e-mail", "the", "de", "du", "la", "le", "via", "web", "portal", "app", "id", "inc", "official",
    };

    private static readonly string[] LureWords =
    [
        "secure", "login", "verify", "support", "service", "services", "account", "online", "help", "update", "mail", "notify",
        "id", "app", "web", "team", "center", "alert", "auth", "signin", "security", "my",
    ];

    private readonly Dictionary<string, int> _exact;
    private readonly Dictionary<string, int> _pieces = new(StringComparer.Ordinal);
    private readonly DomainSet<int> _owned;
    private readonly Dictionary<string, int> _ownedAsWritten = new(StringComparer.Ordinal);

    private BrandCatalogue(List<Brand> brands, Lexicon anywhere, Lexicon headers, Dictionary<string, int> exact)
    {
        Brands = brands;
        Anywhere = anywhere;
        HeadersOnly = headers;
        _exact = exact;
        // A brand's domain that is itself a public suffix (gov.uk, gov.br) is the brand's only as written: the
        // names registered under it (any council, school or ministry) belong to others.
        var suffixes = PublicSuffixList.Default;
        bool IsSuffix(string domain) => suffixes.GetRegistrableDomain(domain) is null && domain.Contains('.', StringComparison.Ordinal);
        _owned = new DomainSet<int>(brands.SelectMany((b, i) => b.Domains.Where(d => !IsSuffix(d)).Select(d => (d, i))));
        foreach (var (domain, brand) in brands.SelectMany((b, i) => b.Domains.Where(IsSuffix).Select(d => (d, i))))
        {
            _ownedAsWritten.TryAdd(domain, brand);
        }

        // Every piece of a domain label that betrays a brand: the token, or the token joined to a lure word ("paypalsecure").
        for (var b = 0; b < brands.Count; b++)
        {
            foreach (var token in brands[b].Tokens)
            {
                _pieces.TryAdd(token, b);
                foreach (var word in LureWords)
                {
                    _pieces.TryAdd(token + word, b);
                    _pieces.TryAdd(word + token, b);
                }
            }
        }
    }

    public static BrandCatalogue Default { get; } = Load();

    public IReadOnlyList<Brand> Brands { get; }

    /// <summary>Names that count in any zone (family index = brand index).</summary>
    public Lexicon Anywhere { get; }

    /// <summary>Names that count only in the display name and subject.</summary>
    public Lexicon HeadersOnly { get; }

    public static BrandCatalogue Parse(string text)
    {
        var brands = new List<Brand>();
        var anywhere = new List<(string, IEnumerable<string>)>();
        var headers = new List<(string, IEnumerable<string>)>();
        var exact = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split('|');
            if (fields.Length != 4)
            {
                throw new FormatException($"A brand line needs four fields separated by '|': {line}");
            }

            var names = List(fields[1]);
            var index = brands.Count;
            brands.Add(new Brand(fields[0].Trim(), List(fields[2]).Select(d => d.ToLowerInvariant()).ToArray(), List(fields[3]).Select(t => t.ToLowerInvariant()).ToArray()));
            anywhere.Add((fields[0].Trim(), names.Where(n => n[0] is not ('~' or '='))));
            headers.Add((fields[0].Trim(), names.Where(n => n[0] == '~').Select(n => n[1..])));
            foreach (var name in names.Where(n => n[0] == '='))
            {
                exact.TryAdd(TextFolding.Fold(name[1..]), index);
            }
        }

        return new BrandCatalogue(brands, Lexicon.Create(anywhere), Lexicon.Create(headers), exact);
    }

    /// <summary>The brand a display name is, when it is only an "=" name and generic words ("Outlook Team"), or -1.</summary>
    public int ExactDisplayName(string foldedName)
    {
        var words = foldedName.Split([' ', ',', '-', '_', '.', ':', '|', '"', '\'', '(', ')', '[', ']'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => !GenericWords.Contains(w)).ToArray();
        return words.Length == 1 && _exact.TryGetValue(words[0], out var brand) ? brand : -1;
    }

    /// <summary>True when <paramref name="host"/> is one of the brand's own domains or under one.</summary>
    public bool Owns(int brand, string? host) => host is not null && Brands[brand].Domains.Any(d => _ownedAsWritten.ContainsKey(d) ? string.Equals(DomainNames.Normalize(host), d, StringComparison.Ordinal) : DomainNames.IsUnderAny(host, [d]));

    /// <summary>The brand that owns <paramref name="host"/> (one of its domains or under one), or -1.</summary>
    public int Owner(string? host) =>
        DomainNames.Normalize(host) is { Length: > 0 } normalized && _ownedAsWritten.TryGetValue(normalized, out var exact) ? exact
        : _owned.TryMatch(host, out var brand) ? brand : -1;

    /// <summary>
    /// The brand whose token is a whole piece of a label of <paramref name="host"/> (between dots,
    /// hyphens, underscores and digits), alone or joined to a lure word ("paypalsecure"), when that
    /// brand does not own the host; or -1.
    /// </summary>
    public int TokenIn(string host)
    {
        var pieces = host.ToLowerInvariant().Split(['.', '-', '_', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var piece in pieces)
        {
            if (_pieces.TryGetValue(piece, out var brand) && !Owns(brand, host))
            {
                return brand;
            }
        }

        return -1;
    }

    private static List<string> List(string field) =>
        field.Split(',').Select(x => x.Trim()).Where(x => x.Length > 0).ToList();

    private static BrandCatalogue Load()
    {
        const string resource = "Hookline.Reports.Analysis.Brands.brands.txt";
        using var stream = typeof(BrandCatalogue).Assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException("Missing embedded resource " + resource);
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
