namespace Hookline.Mime.Headers;

/// <summary>
/// Turns a raw header value into text: unfolds it and decodes RFC 2047 encoded words.
/// FIRST VERSION: unfolding and raw-byte decoding only; encoded words come with the full implementation.
/// </summary>
public static class HeaderText
{
    /// <summary>Decodes an unstructured value (Subject, Comments, ...). Never throws.</summary>
    public static string DecodeUnstructured(ReadOnlySpan<byte> rawValue)
    {
        var text = Text.Charsets.DecodeUnlabelled(rawValue);
        return Unfold(text).Trim();
    }

    /// <summary>RFC 5322 3.2.2: a line break followed by white space is unfolded by removing the break.</summary>
    public static string Unfold(string text)
    {
        if (text.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            return text;
        }

        return text.Replace("\r\n", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
    }
}
