using System.Net;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Hookline.Configuration;

/// <summary>A part of <c>hookline.yaml</c> that checks itself as soon as it is read: what is missing or contradicts itself.</summary>
internal interface IConfigSection
{
    /// <summary>What is wrong, each as one sentence naming the key; empty when nothing is.</summary>
    IEnumerable<string> Problems();
}

/// <summary>
/// Runs <see cref="IConfigSection.Problems"/> on every section the file holds, right after YamlDotNet
/// built it, and stops the load at the first problem with the line and column where that section starts:
/// a source without a host fails when the file is read, not when the source first connects, and a bad
/// notifications block fails the start, not the notification worker an hour later.
/// </summary>
internal sealed class CheckedSections(INodeDeserializer inner) : INodeDeserializer
{
    public bool Deserialize(IParser reader, Type expectedType, Func<IParser, Type, object?> nestedObjectDeserializer, out object? value, ObjectDeserializer rootDeserializer)
    {
        var start = reader.Current?.Start ?? Mark.Empty;
        var end = reader.Current?.End ?? Mark.Empty;
        if (!inner.Deserialize(reader, expectedType, nestedObjectDeserializer, out value, rootDeserializer))
        {
            return false;
        }

        if (value is IConfigSection section && section.Problems().FirstOrDefault() is { } problem)
        {
            throw new YamlException(start, end, problem);
        }

        return true;
    }

    /// <summary>The problem when <paramref name="value"/> is set but is not an absolute http or https URL.</summary>
    public static string? NotHttpUrl(string key, string? value, string example) =>
        value is null || (Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "https" or "http") ? null
            : $"{key}: '{value}' is not an http(s) URL (e.g. {example})";

    /// <summary>The problem when <paramref name="value"/> is empty.</summary>
    public static string? Missing(string where, string key, string? value) =>
        string.IsNullOrWhiteSpace(value) ? $"{where}: '{key}' is required" : null;

    /// <summary>The problem when <paramref name="value"/> is set and outside <paramref name="min"/>–<paramref name="max"/>.</summary>
    public static string? OutOfRange(string key, double? value, double min, double max) =>
        value is { } v && (v < min || v > max) ? $"{key}: {v} is not between {min} and {max}" : null;

    /// <summary>The problem when <paramref name="value"/> is not an address:port.</summary>
    public static string? NotEndPoint(string where, string value) =>
        IPEndPoint.TryParse(value, out _) ? null : $"{where}: listen '{value}' is not an address:port";
}
