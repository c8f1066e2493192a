using System.Text;

namespace Hookline.Mime.Tests.Outlook;

/// <summary>Reads synthesized messages back for assertions, independent of how far the header decoders have come.</summary>
internal static class OutlookTestHelpers
{
    public static List<MimePart> Leaves(MimeMessage message, bool intoAttachedMessages = false) =>
        message.Entities(intoAttachedMessages).OfType<MimePart>().ToList();

    public static MimePart Leaf(MimeMessage message, string mimeType) =>
        Assert.Single(Leaves(message), p => p.ContentType.MimeType == mimeType);

    /// <summary>The raw value of a top-level header, unfolded and with RFC 2047 "B"/"Q" words of UTF-8 decoded.</summary>
    public static string? Header(MimeMessage message, string name)
    {
        var field = message.Headers.Find(name);
        return field is null ? null : DecodeWords(Encoding.UTF8.GetString(field.RawValue.Span));
    }

    public static string DecodeWords(string raw)
    {
        var text = raw.Replace("\r\n", string.Empty, StringComparison.Ordinal).Trim();
        var sb = new StringBuilder();
        var i = 0;
        var lastWasWord = false;
        while (i < text.Length)
        {
            var start = text.IndexOf("=?", i, StringComparison.Ordinal);
            if (start < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }

            var between = text[i..start];
            if (!(lastWasWord && string.IsNullOrWhiteSpace(between)))
            {
                sb.Append(between);
            }

            var q1 = text.IndexOf('?', start + 2);
            var q2 = q1 < 0 ? -1 : text.IndexOf('?', q1 + 1);
            var end = q2 < 0 ? -1 : text.IndexOf("?=", q2 + 1, StringComparison.Ordinal);
            if (end < 0)
            {
                sb.Append(text, start, text.Length - start);
                break;
            }

            var payload = text[(q2 + 1)..end];
            var encoding = text[(q1 + 1)..q2];
            sb.Append(string.Equals(encoding, "B", StringComparison.OrdinalIgnoreCase)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(payload))
                : payload.Replace('_', ' '));
            i = end + 2;
            lastWasWord = true;
        }

        return sb.ToString();
    }

    /// <summary>A parameter by name, decoding RFC 2231 (name*, name*0*, name*1*, ...) itself.</summary>
    public static string? Rfc2231(Headers.ParameterList parameters, string name)
    {
        if (parameters[name + "*"] is { } single)
        {
            return DecodeExtended(single);
        }

        if (parameters[name + "*0*"] is { } first)
        {
            var sb = new StringBuilder(first);
            for (var n = 1; parameters[name + "*" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "*"] is { } next; n++)
            {
                sb.Append(next);
            }

            return DecodeExtended(sb.ToString());
        }

        return parameters[name];
    }

    public static string? FileName(MimeEntity entity) =>
        entity.ContentDisposition is { } disposition ? Rfc2231(disposition.Parameters, "filename") : null;

    private static string DecodeExtended(string value)
    {
        var parts = value.Split('\'', 3);
        var data = parts.Length == 3 ? parts[2] : value;
        var bytes = new List<byte>();
        for (var i = 0; i < data.Length; i++)
        {
            if (data[i] == '%' && i + 2 < data.Length)
            {
                bytes.Add(Convert.ToByte(data.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)data[i]);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public static bool HasWarning(MimeMessage message, string fragment) =>
        message.Warnings.Any(w => w.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase));

    public static void NoInternalErrors(MimeMessage message) =>
        Assert.DoesNotContain(message.Warnings, w => w.Message.Contains("Internal error", StringComparison.Ordinal));
}
