using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Hookline.Reports.Settings;

/// <summary>What the settings reader and the rule file reader share: errors collected with their position, and scalar reads.</summary>
internal abstract class YamlFileReader(string name)
{
    /// <summary>The file's name as errors show it.</summary>
    protected string Name { get; } = name;

    /// <summary>Every problem found, "file:line:column: what".</summary>
    public List<string> Errors { get; } = [];

    protected string At(YamlNode node) =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}:{node.Start.Line}:{node.Start.Column}");

    protected string? Text(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        Errors.Add($"{At(node)}: {what} is a single value (text)");
        return null;
    }

    protected int? Integer(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { } text, Style: ScalarStyle.Plain }
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Errors.Add($"{At(node)}: {what} must be a whole number");
        return null;
    }
}
