using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hookline.Notify;

/// <summary>One MIME entity to write: a leaf with its bytes, or a multipart with children.</summary>
internal sealed class MimeNode
{
    public required string ContentType { get; init; }

    public List<(string Name, string Value)> Headers { get; } = [];

    public byte[]? Content { get; init; }

    public List<MimeNode> Children { get; } = [];
}

/// <summary>
/// Writes Hookline's outgoing messages (RFC 5322 and MIME, RFC 2045–2047) as 7-bit text: leaf bodies
/// in base64 lines of 76 characters, header text outside ASCII as RFC 2047 encoded words, boundaries
/// drawn at random so no body can contain them.
/// </summary>
internal static class MimeBuilder
{
    public static byte[] Write(IEnumerable<(string Name, string Value)> headers, MimeNode body)
    {
        var output = new StringBuilder();
        foreach (var (name, value) in headers)
        {
            output.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        output.Append("MIME-Version: 1.0\r\n");
        WriteEntity(output, body);
        return Encoding.ASCII.GetBytes(output.ToString());
    }

    public static MimeNode Text(string mediaType, string text) => new()
    {
        ContentType = mediaType + "; charset=utf-8",
        Content = Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n")),
    };

    /// <summary>An RFC 5322 date-time in UTC (section 3.3).</summary>
    public static string Date(DateTimeOffset at) => at.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    /// <summary>
    /// Unstructured header text (Subject): kept as is when it is short printable ASCII, otherwise RFC
    /// 2047 "B" encoded words of UTF-8, each at most 75 characters, folded onto continuation lines. Line
    /// breaks and other controls in the value are replaced by spaces (they would end the header).
    /// </summary>
    public static string Unstructured(string value)
    {
        var clean = new string(value.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        if (clean.All(c => c is >= ' ' and < (char)127) && clean.Length <= 900 && !clean.Contains("=?", StringComparison.Ordinal))
        {
            return Fold(clean);
        }

        return EncodedWords(clean);
    }

    /// <summary>A mailbox with a display name (RFC 5322 3.4): a quoted string when ASCII, encoded words otherwise.</summary>
    public static string Mailbox(string? name, string address)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "<" + address + ">";
        }

        var clean = new string(name.Trim().Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        var phrase = clean.All(c => c is >= ' ' and < (char)127) && !clean.Contains("=?", StringComparison.Ordinal)
            ? "\"" + clean.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : EncodedWords(clean);
        return phrase + " <" + address + ">";
    }

    /// <summary>A fresh Message-ID (RFC 5322 3.6.4) in the sender's domain.</summary>
    public static string MessageId(string senderAddress)
    {
        var at = senderAddress.LastIndexOf('@');
        var domain = at >= 0 ? senderAddress[(at + 1)..] : "hookline.invalid";
        return "<" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + ".hookline@" + domain + ">";
    }

    private static string EncodedWords(string text)
    {
        // At most 39 bytes per word: 52 base64 characters plus 12 of "=?utf-8?B?" and "?=", so even the first, after "Subject: ", stays within 78 characters (RFC 2047 2 allows 75 per word); never split a character.
        var words = new List<string>();
        var chunk = new StringBuilder();
        var chunkBytes = 0;
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement();
            var size = Encoding.UTF8.GetByteCount(element);
            if (chunkBytes + size > 39 && chunk.Length > 0)
            {
                words.Add(Word(chunk.ToString()));
                chunk.Clear();
                chunkBytes = 0;
            }

            chunk.Append(element);
            chunkBytes += size;
        }

        if (chunk.Length > 0 || words.Count == 0)
        {
            words.Add(Word(chunk.ToString()));
        }

        return string.Join("\r\n ", words);

        static string Word(string s) => "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) + "?=";
    }

    private static string Fold(string text)
    {
        // Fold long ASCII text at spaces so that lines stay under 78 characters where possible (RFC 5322 2.2.3).
        if (text.Length <= 66)
        {
            return text;
        }

        var output = new StringBuilder();
        var line = 9;
        foreach (var word in text.Split(' '))
        {
            if (line + word.Length + 1 > 76 && line > 1)
            {
                output.Append("\r\n");
                line = 0;
            }

            output.Append(' ').Append(word);
            line += word.Length + 1;
        }

        return output.ToString(1, output.Length - 1);
    }

    private static void WriteEntity(StringBuilder output, MimeNode node)
    {
        if (node.Children.Count > 0)
        {
            var boundary = "=_hookline_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            output.Append("Content-Type: ").Append(node.ContentType).Append(";\r\n boundary=\"").Append(boundary).Append("\"\r\n");
            foreach (var (name, value) in node.Headers)
            {
                output.Append(name).Append(": ").Append(value).Append("\r\n");
            }

            output.Append("\r\n");
            foreach (var child in node.Children)
            {
                output.Append("--").Append(boundary).Append("\r\n");
                WriteEntity(output, child);
            }

            output.Append("--").Append(boundary).Append("--\r\n");
            return;
        }

        output.Append("Content-Type: ").Append(node.ContentType).Append("\r\n");
        output.Append("Content-Transfer-Encoding: base64\r\n");
        foreach (var (name, value) in node.Headers)
        {
            output.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        output.Append("\r\n");
        var base64 = Convert.ToBase64String(node.Content ?? []);
        for (var i = 0; i < base64.Length; i += 76)
        {
            output.Append(base64, i, Math.Min(76, base64.Length - i)).Append("\r\n");
        }
    }
}
