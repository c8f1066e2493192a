using System.Collections.Concurrent;

namespace Hookline.Reports.Analysis;

/// <summary>
/// A process-wide memo of a pure function, safe for any number of analysing threads, that never
/// holds more than <c>capacity</c> entries: when full it starts over (keys come from mail, so an
/// attacker must not be able to grow it; what was emptied is computed again, never wrong).
/// </summary>
internal sealed class BoundedCache<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new(comparer);

    public bool TryGet(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    public void Add(TKey key, TValue value)
    {
        if (_entries.Count >= capacity)
        {
            _entries.Clear();
        }

        _entries[key] = value;
    }

    /// <summary>The remembered value, or <paramref name="compute"/>'s, remembered.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> compute)
    {
        if (TryGet(key, out var value))
        {
            return value;
        }

        value = compute(key);
        Add(key, value);
        return value;
    }
}
