using System.Collections.Concurrent;
using System.Text;
using Hookline.Mime.Text;

namespace Hookline.Mime.Headers;

/// <summary>
/// Charset lookups for header decoding that can never throw: <see cref="Charsets.GetEncoding"/> is
/// asked once per label, and a label whose lookup throws (UTF-7, disabled in .NET, throws
/// NotSupportedException) is remembered and decoded with the unlabelled fallback from then on.
/// </summary>
internal static class LabelledText
{
    private const int MaxRemembered = 1024;

    private static readonly ConcurrentDictionary<string, bool> Unusable = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The encoding for a label, or null (unknown, unusable, or one that decodes as unlabelled text).</summary>
    public static Encoding? GetEncoding(string? label)
    {
        if (string.IsNullOrWhiteSpace(label) || Unusable.ContainsKey(label))
        {
            return null;
        }

        try
        {
            return Charsets.GetEncoding(label);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or PlatformNotSupportedException)
        {
            if (Unusable.Count < MaxRemembered)
            {
                Unusable.TryAdd(label, true);
            }

            return null;
        }
    }

    /// <summary>Decodes with the label's encoding; unlabelled, unknown, US-ASCII and UTF-8 labels get the UTF-8-else-Windows-1252 fallback.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string? label)
    {
        if (bytes.IsEmpty)
        {
            return string.Empty;
        }

        var encoding = GetEncoding(label);
        return encoding is null || encoding.CodePage is 20127 or 65001 ? Charsets.DecodeUnlabelled(bytes) : encoding.GetString(bytes);
    }
}
