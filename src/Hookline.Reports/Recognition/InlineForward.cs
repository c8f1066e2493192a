using System.Globalization;
using System.Text;
using Hookline.Mime.Addresses;
using Hookline.Mime.Dates;

namespace Hookline.Reports.Recognition;

/// <summary>Which client's forward block was found in a body.</summary>
internal enum ForwardMarker
{
    /// <summary>"---------- Forwarded message ---------" (Gmail) or "-------- Forwarded Message --------" (Thunderbird).</summary>
    ForwardedMessage,

    /// <summary>"Begin forwarded message:" (Apple Mail).</summary>
    BeginForwarded,

    /// <summary>"-----Original Message-----" (Outlook, classic).</summary>
    OriginalMessage,

    /// <summary>A bare "From: … Sent: … To: … Subject: …" block (Outlook, newer).</summary>
    HeaderBlock,
}

/// <summary>The quoted headers and body of an inline forward.</summary>
internal sealed record QuotedMessage(
    ForwardMarker Marker,
    int MarkerOffset,
    string? From,
    string? To,
    string? Cc,
    string? Subject,
    string? DateText,
    DateTimeOffset? Date,
    string Body);

/// <summary>
/// Recovers the original from an inline forward: finds the first forward block in the text, reads
/// the quoted header lines (From, Sent/Date, To, Cc, Subject) and keeps the text after them as the
/// body. Linear in the text, which the caller bounds.
/// </summary>
internal static class InlineForward
{
    private static readonly System.Buffers.SearchValues<string> ForwardMarkers = System.Buffers.SearchValues.Create(["forwarded message"], StringComparison.OrdinalIgnoreCase);

    /// <summary>Most quoted header lines read after a marker (continuation lines included).</summary>
    private const int MaxHeaderLines = 16;

    /// <summary>Longest quoted header value kept.</summary>
    private const int MaxValueChars = 998;

    private static readonly string[] DateFormats =
    [
        "dddd, MMMM d, yyyy h:mm tt",
        "dddd, MMMM d, yyyy h:mm:ss tt",
        "dddd, MMMM d, yyyy H:mm",
        "dddd, MMMM d, yyyy H:mm:ss",
        "ddd, MMM d, yyyy h:mm tt",
        "ddd, MMM d, yyyy h:mm:ss tt",
        "ddd, MMM d, yyyy H:mm",
        "MMMM d, yyyy h:mm:ss tt",
        "MMMM d, yyyy h:mm tt",
        "MMMM d, yyyy H:mm:ss",
        "MMMM d, yyyy H:mm",
        "d MMMM yyyy H:mm:ss",
        "d MMMM yyyy H:mm",
        "dddd, d MMMM yyyy H:mm",
        "dddd, d MMMM yyyy H:mm:ss",
        "ddd, d MMM yyyy H:mm",
        "ddd, d MMM yyyy H:mm:ss",
        "M/d/yyyy h:mm tt",
        "M/d/yyyy h:mm:ss tt",
        "M/d/yyyy H:mm",
        "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm",
        "yyyy-MM-ddTHH:mm:ss",
    ];

    /// <summary>Finds the first forward block. <paramref name="acceptBareBlocks"/>: also take "-----Original Message-----" and bare From/Sent blocks (replies use them too).</summary>
    public static QuotedMessage? Find(string text, bool acceptBareBlocks)
    {
        // Without bare blocks only a "forwarded message" marker can start a forward: most mail has
        // none, and one vectorized pass says so before any line is split.
        if (!acceptBareBlocks && text.AsSpan().IndexOfAny(ForwardMarkers) < 0)
        {
            return null;
        }

        var lines = SplitLines(text);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = Clean(text.AsSpan(lines[i].Start, lines[i].Length));
            ForwardMarker? marker = null;
            var headerStart = i + 1;
            if (IsDashedMarker(line, "forwarded message"))
            {
                marker = ForwardMarker.ForwardedMessage;
            }
            else if (line.StartsWith("Begin forwarded message", StringComparison.OrdinalIgnoreCase))
            {
                marker = ForwardMarker.BeginForwarded;
            }
            else if (acceptBareBlocks && IsDashedMarker(line, "original message"))
            {
                marker = ForwardMarker.OriginalMessage;
            }
            else if (acceptBareBlocks && FieldName(line) is "from" && IsHeaderBlock(text, lines, i))
            {
                marker = ForwardMarker.HeaderBlock;
                headerStart = i;
            }

            if (marker is null)
            {
                continue;
            }

            var quoted = ReadBlock(text, lines, headerStart, marker.Value, lines[i].Start);
            if (quoted is not null)
            {
                return quoted;
            }
        }

        return null;
    }

    /// <summary>Builds RFC 5322 bytes for the quoted message (header values sanitised, UTF-8 body) for parsing.</summary>
    public static byte[] Synthesize(QuotedMessage quoted)
    {
        var head = new StringBuilder();
        head.Append("X-Hookline-Source: inline-forward\r\n");
        AppendField(head, "From", quoted.From);
        AppendField(head, "To", quoted.To);
        AppendField(head, "Cc", quoted.Cc);
        if (quoted.Date is { } date)
        {
            AppendField(head, "Date", date.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + Zone(date.Offset));
        }
        else
        {
            AppendField(head, "X-Hookline-Quoted-Date", quoted.DateText);
        }

        AppendField(head, "Subject", quoted.Subject);
        head.Append("MIME-Version: 1.0\r\n");
        head.Append("Content-Type: text/plain; charset=utf-8\r\n");
        head.Append("Content-Transfer-Encoding: 8bit\r\n");
        head.Append("\r\n");
        var body = quoted.Body.ReplaceLineEndings("\r\n");
        return Encoding.UTF8.GetBytes(head.Append(body).ToString());
    }

    private static string Zone(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{abs.Hours:00}{abs.Minutes:00}");
    }

    private static void AppendField(StringBuilder head, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        head.Append(name).Append(": ");
        foreach (var c in value.AsSpan(0, Math.Min(value.Length, MaxValueChars)))
        {
            // Quoted text is attacker-written: no line breaks or controls may reach the header block.
            head.Append(char.IsControl(c) ? ' ' : c);
        }

        head.Append("\r\n");
    }

    private static QuotedMessage? ReadBlock(string text, List<(int Start, int Length)> lines, int start, ForwardMarker marker, int markerOffset)
    {
        string? from = null, to = null, cc = null, subject = null, date = null;
        var i = start;

        // Blank lines may separate the marker from the headers (Apple Mail writes one).
        var blanks = 0;
        while (i < lines.Count && blanks < 3 && Clean(text.AsSpan(lines[i].Start, lines[i].Length)).IsEmpty)
        {
            i++;
            blanks++;
        }

        string? last = null;
        var read = 0;
        var fields = 0;
        for (; i < lines.Count && read < MaxHeaderLines; i++, read++)
        {
            var line = Clean(text.AsSpan(lines[i].Start, lines[i].Length));
            if (line.IsEmpty)
            {
                break;
            }

            var name = FieldName(line);
            if (name is null)
            {
                // A long quoted value wrapped onto the next line.
                if (last is not null && fields > 0)
                {
                    Append(ref from, ref to, ref cc, ref subject, ref date, last, line.Trim().ToString());
                    continue;
                }

                break;
            }

            var value = line[(line.IndexOfAny(':', '：') + 1)..].Trim().ToString();
            last = name;
            fields++;
            switch (name)
            {
                case "from":
                    from ??= value;
                    break;
                case "to":
                    to ??= value;
                    break;
                case "cc":
                    cc ??= value;
                    break;
                case "subject":
                    subject ??= value;
                    break;
                case "date":
                    date ??= value;
                    break;
                default:
                    last = null;
                    break;
            }
        }

        if (from is null && subject is null)
        {
            return null;
        }

        var bodyStart = i < lines.Count ? lines[i].Start : text.Length;
        var parsedDate = date is null ? null : ParseDate(date);
        return new QuotedMessage(marker, markerOffset, NormalizeAddresses(from), NormalizeAddresses(to), NormalizeAddresses(cc), subject, date, parsedDate, text[bodyStart..].TrimStart('\r', '\n'));
    }

    private static void Append(ref string? from, ref string? to, ref string? cc, ref string? subject, ref string? date, string field, string more)
    {
        switch (field)
        {
            case "from":
                from += " " + more;
                break;
            case "to":
                to += " " + more;
                break;
            case "cc":
                cc += " " + more;
                break;
            case "subject":
                subject += " " + more;
                break;
            case "date":
                date += " " + more;
                break;
        }
    }

    /// <summary>The field a quoted header line names, normalised ("sent" → "date"), or null.</summary>
    private static string? FieldName(ReadOnlySpan<char> line)
    {
        var colon = line.IndexOfAny(':', '：');
        if (colon <= 0 || colon > 16)
        {
            return null;
        }

        var name = line[..colon].Trim();
        ReadOnlySpan<(string Label, string Field)> names =
        [
            ("from", "from"), ("von", "from"), ("de", "from"), ("van", "from"), ("da", "from"),
            ("sent", "date"), ("date", "date"), ("datum", "date"), ("gesendet", "date"), ("envoyé", "date"), ("enviado", "date"), ("verzonden", "date"),
            ("to", "to"), ("an", "to"), ("à", "to"), ("para", "to"), ("aan", "to"), ("a", "to"),
            ("cc", "cc"),
            ("subject", "subject"), ("betreff", "subject"), ("objet", "subject"), ("asunto", "subject"), ("assunto", "subject"), ("onderwerp", "subject"), ("oggetto", "subject"),
            ("inviato", "date"), ("fecha", "date"), ("data", "date"), ("envoye", "date"), ("enviada", "date"),
            ("reply-to", "other"), ("importance", "other"), ("bcc", "other"), ("attachments", "other"), ("priority", "other"),
        ];
        foreach (var (label, field) in names)
        {
            if (name.Equals(label, StringComparison.OrdinalIgnoreCase))
            {
                return field;
            }
        }

        return null;
    }

    /// <summary>A bare Outlook block: "From:" followed within a few lines by "Sent:"/"Date:" and "Subject:".</summary>
    private static bool IsHeaderBlock(string text, List<(int Start, int Length)> lines, int from)
    {
        bool hasDate = false, hasSubject = false;
        for (var i = from + 1; i < lines.Count && i <= from + 6; i++)
        {
            var line = Clean(text.AsSpan(lines[i].Start, lines[i].Length));
            var name = FieldName(line);
            if (name is null)
            {
                if (line.IsEmpty)
                {
                    break;
                }

                continue;
            }

            hasDate |= name == "date";
            hasSubject |= name == "subject";
        }

        return hasDate && hasSubject;
    }

    /// <summary>A line of dashes around a phrase: "---------- Forwarded message ---------", "-----Original Message-----".</summary>
    private static bool IsDashedMarker(ReadOnlySpan<char> line, string phrase)
    {
        if (line.Length < 2 || line[0] != '-')
        {
            return false;
        }

        var inner = line.Trim('-').Trim();
        return inner.Equals(phrase, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A line without quoting marks ("&gt; "), bold markers ("*From:*") or surrounding white space.</summary>
    private static ReadOnlySpan<char> Clean(ReadOnlySpan<char> line)
    {
        line = line.Trim();
        while (line.Length > 0 && line[0] == '>')
        {
            line = line[1..].TrimStart();
        }

        if (line.Length > 0 && line[0] == '*')
        {
            var star = line[1..].IndexOf('*');
            if (star > 0 && line[1..(star + 1)].EndsWith(':'))
            {
                // "*From:* value" → "From: value"
                return string.Concat(line[1..(star + 1)], line[(star + 2)..]).AsSpan().Trim();
            }
        }

        return line;
    }

    /// <summary>Outlook writes "Name [mailto:a@b]" and "Name &lt;mailto:a@b&gt;": make them "Name &lt;a@b&gt;".</summary>
    private static string? NormalizeAddresses(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.Replace("[mailto:", "<", StringComparison.OrdinalIgnoreCase).Replace("<mailto:", "<", StringComparison.OrdinalIgnoreCase);
        if (!text.Equals(value, StringComparison.Ordinal))
        {
            text = text.Replace(']', '>');
        }

        // A bare address or "Name <a@b>" parses; a name without any address stays as written.
        var parsed = AddressParser.ParseList(text);
        return parsed.Count > 0 && AddressParser.Flatten(parsed).Count > 0 ? text : value;
    }

    internal static DateTimeOffset? ParseDate(string text)
    {
        if (DateParser.TryParse(text, out var rfc, out _))
        {
            return rfc;
        }

        // Client renderings: "Mon, Nov 16, 2026 at 9:12 AM", "November 16, 2026 at 9:12:44 AM GMT+1",
        // "Monday, November 16, 2026 9:12 AM". The zone, when written, is GMT±h[:mm]; otherwise UTC is assumed.
        var t = text.Replace(" at ", " ", StringComparison.OrdinalIgnoreCase).Replace('\u202F', ' ').Replace('\u00A0', ' ').Trim();
        var offset = TimeSpan.Zero;
        var gmt = t.LastIndexOf(" GMT", StringComparison.OrdinalIgnoreCase);
        if (gmt < 0)
        {
            gmt = t.LastIndexOf(" UTC", StringComparison.OrdinalIgnoreCase);
        }

        if (gmt > 0)
        {
            var zone = t[(gmt + 4)..].Trim();
            t = t[..gmt].Trim();
            if (zone.Length > 1 && zone[0] is '+' or '-')
            {
                var parts = zone[1..].Split(':');
                if (int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) && hours <= 14)
                {
                    var minutes = 0;
                    if (parts.Length > 1 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out minutes) || minutes >= 60))
                    {
                        minutes = 0;
                    }

                    offset = new TimeSpan(hours, minutes, 0);
                    if (zone[0] == '-')
                    {
                        offset = -offset;
                    }
                }
            }
        }

        if (t.Length > 80)
        {
            return null;
        }

        if (DateTime.TryParseExact(t, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
        {
            return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
        }

        return null;
    }

    private static List<(int Start, int Length)> SplitLines(string text)
    {
        var lines = new List<(int, int)>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add((start, i - start));
                start = i + 1;
            }
            else if (text[i] == '\r')
            {
                lines.Add((start, i - start));
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add((start, text.Length - start));
        }

        return lines;
    }
}
