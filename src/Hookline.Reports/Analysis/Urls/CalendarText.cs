using System.Text;

namespace Hookline.Reports.Analysis.Urls;

/// <summary>
/// The text of an iCalendar object (RFC 5545) as a reader sees it: folded lines joined (a line break
/// followed by a space or tab continues the line, so a long URL is split every 75 octets) and the text
/// escapes of DESCRIPTION and LOCATION (<c>\n</c>, <c>\,</c>, <c>\;</c>, <c>\\</c>) undone. Invitations
/// carry links in those fields, where the calendar shows them as clickable text.
/// </summary>
public static class CalendarText
{
    /// <summary>True for a part that is a calendar object: <c>text/calendar</c>, <c>application/ics</c>, or a <c>.ics</c>/<c>.ical</c>/<c>.ifb</c> file.</summary>
    public static bool IsCalendar(string? mediaType, string? mediaSubtype, string? extension) =>
        (string.Equals(mediaType, "text", StringComparison.OrdinalIgnoreCase) && string.Equals(mediaSubtype, "calendar", StringComparison.OrdinalIgnoreCase))
        || (string.Equals(mediaType, "application", StringComparison.OrdinalIgnoreCase) && mediaSubtype is not null
            && (mediaSubtype.Equals("ics", StringComparison.OrdinalIgnoreCase) || mediaSubtype.Equals("calendar", StringComparison.OrdinalIgnoreCase)))
        || extension is "ics" or "ical" or "icalendar" or "ifb";

    /// <summary>The unfolded, unescaped text.</summary>
    public static string Read(string calendar)
    {
        var text = new StringBuilder(calendar.Length);
        for (var i = 0; i < calendar.Length; i++)
        {
            var c = calendar[i];
            if (c == '\r' && i + 1 < calendar.Length && calendar[i + 1] == '\n')
            {
                continue;
            }

            if (c == '\n' && i + 1 < calendar.Length && calendar[i + 1] is ' ' or '\t')
            {
                i++;
                continue;
            }

            if (c == '\\' && i + 1 < calendar.Length)
            {
                var next = calendar[i + 1];
                if (next is 'n' or 'N')
                {
                    text.Append('\n');
                    i++;
                    continue;
                }

                if (next is ',' or ';' or '\\')
                {
                    text.Append(next);
                    i++;
                    continue;
                }
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
