using System.Globalization;
using System.Text;
using Hookline.Reports.Analysis;

namespace Hookline.Reports.Assessment;

/// <summary>
/// A rule's reason text, parsed once: literal text and the placeholders <c>{detail}</c> (the detail of
/// the finding that matched), <c>{count}</c> (how many findings matched that condition) and
/// <c>{signal}</c> (its signal id); <c>{{</c> and <c>}}</c> write a brace.
/// </summary>
internal sealed class ReasonTemplate
{
    public const string AttachedPrefix = "in an attached message: ";

    private enum Part
    {
        Text,
        Detail,
        Count,
        Signal,
    }

    private readonly (Part Part, string Text)[] _parts;

    private ReasonTemplate((Part, string)[] parts, bool usesEvidence)
    {
        _parts = parts;
        UsesEvidence = usesEvidence;
    }

    public bool UsesEvidence { get; }

    /// <summary>Parses a template; returns null and an error message when a brace is unbalanced or a placeholder unknown.</summary>
    public static ReasonTemplate? Parse(string text, out string? error)
    {
        var parts = new List<(Part, string)>();
        var literal = new StringBuilder();
        var usesEvidence = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '}')
            {
                if (i + 1 < text.Length && text[i + 1] == '}')
                {
                    literal.Append('}');
                    i++;
                    continue;
                }

                error = "a lone '}' in the reason (write '}}' for a brace)";
                return null;
            }

            if (c != '{')
            {
                literal.Append(c);
                continue;
            }

            if (i + 1 < text.Length && text[i + 1] == '{')
            {
                literal.Append('{');
                i++;
                continue;
            }

            var close = text.IndexOf('}', i + 1);
            if (close < 0)
            {
                error = "a '{' without '}' in the reason (write '{{' for a brace)";
                return null;
            }

            var name = text[(i + 1)..close];
            Part part;
            switch (name)
            {
                case "detail":
                    part = Part.Detail;
                    break;
                case "count":
                    part = Part.Count;
                    break;
                case "signal":
                    part = Part.Signal;
                    break;
                default:
                    error = $"unknown placeholder '{{{name}}}' in the reason (known: {{detail}}, {{count}}, {{signal}})";
                    return null;
            }

            if (literal.Length > 0)
            {
                parts.Add((Part.Text, literal.ToString()));
                literal.Clear();
            }

            parts.Add((part, string.Empty));
            usesEvidence = true;
            i = close;
        }

        if (literal.Length > 0)
        {
            parts.Add((Part.Text, literal.ToString()));
        }

        error = null;
        return new ReasonTemplate([.. parts], usesEvidence);
    }

    /// <summary>Writes the reason; <paramref name="finding"/> is null when no signal condition supplied evidence.</summary>
    public string Format(Finding? finding, bool attached, int count)
    {
        if (_parts.Length == 1 && _parts[0].Part == Part.Text)
        {
            return _parts[0].Text;
        }

        var builder = new StringBuilder();
        foreach (var (part, text) in _parts)
        {
            switch (part)
            {
                // A detail that ends its own sentence ("… no Sender field.") takes no second full stop from the template.
                case Part.Text when text.StartsWith('.') && builder.Length > 0 && builder[^1] == '.':
                    builder.Append(text.AsSpan(1));
                    break;
                case Part.Text:
                    builder.Append(text);
                    break;
                case Part.Detail when finding is not null:
                    if (attached)
                    {
                        builder.Append(AttachedPrefix);
                    }

                    builder.Append(finding.Detail);
                    break;
                case Part.Count:
                    builder.Append(count.ToString(CultureInfo.InvariantCulture));
                    break;
                case Part.Signal when finding is not null:
                    builder.Append(finding.Signal);
                    break;
            }
        }

        return builder.ToString();
    }
}
