using System.Collections;

namespace Hookline.Mime.Headers;

/// <summary>One decoded parameter of a structured header (Content-Type, Content-Disposition).</summary>
public sealed record Parameter(string Name, string Value);

/// <summary>
/// The parameters of a Content-Type or Content-Disposition value, decoded.
/// FIRST VERSION: plain name=value and quoted strings only. To be replaced by the full RFC 2045/2231
/// grammar (continuations, charsets, RFC 2047 in quoted values, broken forms).
/// </summary>
public sealed class ParameterList : IReadOnlyList<Parameter>
{
    public static ParameterList Empty { get; } = new([]);

    private readonly List<Parameter> _items;

    public ParameterList(List<Parameter> items) => _items = items;

    public int Count => _items.Count;

    public Parameter this[int index] => _items[index];

    /// <summary>The value of the first parameter with this name (case-insensitive), or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var p in _items)
            {
                if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return p.Value;
                }
            }

            return null;
        }
    }

    public IEnumerator<Parameter> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Parses "; name=value; name2="quoted"" (the text after the type or disposition token).</summary>
    public static ParameterList Parse(ReadOnlySpan<char> text, List<MimeWarning>? warnings = null, long offset = 0)
    {
        var items = new List<Parameter>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ';' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ';')
            {
                i++;
            }

            var name = text[nameStart..i].Trim().ToString();
            if (i >= text.Length || text[i] != '=')
            {
                continue;
            }

            i++;
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            string value;
            if (i < text.Length && text[i] == '"')
            {
                i++;
                var sb = new System.Text.StringBuilder();
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    sb.Append(text[i]);
                    i++;
                }

                i++;
                value = sb.ToString();
            }
            else
            {
                var valueStart = i;
                while (i < text.Length && text[i] != ';')
                {
                    i++;
                }

                value = text[valueStart..i].Trim().ToString();
            }

            if (name.Length > 0)
            {
                items.Add(new Parameter(name, value));
            }
        }

        return items.Count == 0 ? Empty : new ParameterList(items);
    }
}
