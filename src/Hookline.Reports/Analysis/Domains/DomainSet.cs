namespace Hookline.Reports.Analysis.Domains;

/// <summary>
/// A set of domains, normalised once, that answers "is this host one of them or under one" by
/// walking the host's own suffixes (a few hash look-ups) instead of comparing it with every entry.
/// Each domain carries a value (e.g. which brand owns it).
/// </summary>
public sealed class DomainSet<T>
{
    private readonly Dictionary<string, T> _domains = new(StringComparer.Ordinal);

    public DomainSet(IEnumerable<(string Domain, T Value)> domains)
    {
        foreach (var (domain, value) in domains)
        {
            if (DomainNames.Normalize(domain.StartsWith("*.", StringComparison.Ordinal) ? domain[2..] : domain) is { } normalized)
            {
                _domains.TryAdd(normalized, value);
            }
        }
    }

    /// <summary>The value of the nearest listed domain the host is or is under; false when there is none.</summary>
    public bool TryMatch(string? host, out T value)
    {
        var h = DomainNames.Normalize(host);
        value = default!;
        if (h is null)
        {
            return false;
        }

        var start = 0;
        while (true)
        {
            if (_domains.TryGetValue(start == 0 ? h : h[start..], out value!))
            {
                return true;
            }

            var dot = h.IndexOf('.', start);
            if (dot < 0)
            {
                return false;
            }

            start = dot + 1;
        }
    }

    public bool Contains(string? host) => TryMatch(host, out _);
}
