using System.Globalization;
using System.Text;

namespace Hookline.Imap;

/// <summary>UID sets (RFC 3501 <c>sequence-set</c>) written compactly as ranges, and read back.</summary>
public static class ImapUidSet
{
    /// <summary>The most UIDs a set read from the server may expand to.</summary>
    public const int MaxExpandedCount = 10_000_000;

    /// <summary>Writes UIDs as a set, e.g. <c>1:3,7,9:12</c>; order and duplicates do not matter.</summary>
    public static string Format(IEnumerable<uint> uids)
    {
        var sorted = uids.Where(u => u != 0).Distinct().Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A UID set needs at least one non-zero UID.", nameof(uids));
        }

        var output = new StringBuilder();
        var i = 0;
        while (i < sorted.Length)
        {
            var j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }

            if (output.Length > 0)
            {
                output.Append(',');
            }

            output.Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            if (j > i)
            {
                output.Append(':').Append(sorted[j].ToString(CultureInfo.InvariantCulture));
            }

            i = j + 1;
        }

        return output.ToString();
    }

    /// <summary>Reads a set of numbers (no <c>*</c>), in the order written; throws <see cref="FormatException"/>.</summary>
    public static List<uint> Parse(string set)
    {
        var result = new List<uint>();
        foreach (var part in set.Split(','))
        {
            var colon = part.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                result.Add(Number(part));
                continue;
            }

            var a = Number(part[..colon]);
            var b = Number(part[(colon + 1)..]);
            var (low, high) = a <= b ? (a, b) : (b, a);
            if (result.Count + (long)(high - low) + 1 > MaxExpandedCount)
            {
                throw new FormatException($"The set expands to more than {MaxExpandedCount} numbers.");
            }

            for (var u = low; ; u++)
            {
                result.Add(u);
                if (u == high)
                {
                    break;
                }
            }
        }

        return result;
    }

    private static uint Number(string text)
    {
        return text.Length > 0 && text.Length <= 10 && text.All(char.IsAsciiDigit)
            && uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value != 0
            ? value
            : throw new FormatException($"'{text}' is not a non-zero 32-bit number.");
    }
}
