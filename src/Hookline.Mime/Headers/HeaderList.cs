using System.Collections;

namespace Hookline.Mime.Headers;

/// <summary>The fields of one header block, in the order written, duplicates kept. Names compare case-blind.</summary>
public sealed class HeaderList : IReadOnlyList<Header>
{
    public static HeaderList Empty { get; } = new([]);

    private readonly List<Header> _items;

    internal HeaderList(List<Header> items) => _items = items;

    public int Count => _items.Count;

    public Header this[int index] => _items[index];

    /// <summary>The decoded value of the first field with this name, or null.</summary>
    public string? this[string name] => Find(name)?.Value;

    /// <summary>The first field with this name, or null.</summary>
    public Header? Find(string name)
    {
        foreach (var header in _items)
        {
            if (header.IsValid && string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return header;
            }
        }

        return null;
    }

    /// <summary>Every field with this name, in order.</summary>
    public IEnumerable<Header> FindAll(string name)
    {
        foreach (var header in _items)
        {
            if (header.IsValid && string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                yield return header;
            }
        }
    }

    public bool Contains(string name) => Find(name) is not null;

    public IEnumerator<Header> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
