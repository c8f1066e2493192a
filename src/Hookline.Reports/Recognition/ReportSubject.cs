using System.Buffers;
using System.Net;

namespace Hookline.Reports.Recognition;

/// <summary>Which subject layout a report's subject follows.</summary>
public enum SubjectLayout
{
    /// <summary>No verdict prefix.</summary>
    None,

    /// <summary>A verdict prefix ("1|"…"3|", "Junk:", "Not junk:", "Phishing:") without Microsoft's fields.</summary>
    Prefix,

    /// <summary>"Phishing:" / "Junk:" / "Not junk:" followed by a Network Message ID and "|" fields.</summary>
    Current,

    /// <summary>"Action|NetworkMessageId|SenderIp|FromAddress|(Subject)".</summary>
    Legacy,
}

/// <summary>
/// What a report's subject says: the user's verdict and, for Microsoft's layouts, the fields about
/// the original. Parsing is linear in the subject and looks at no more than <see cref="MaxFields"/>
/// "|" fields and <see cref="MaxSubjectChars"/> characters, whatever the attacker wrote.
/// </summary>
public sealed record ReportSubject
{
    /// <summary>Most "|" fields examined for the Network Message ID, the sender IP and address (Microsoft writes about five).</summary>
    public const int MaxFields = 32;

    /// <summary>Most characters of the subject examined.</summary>
    public const int MaxSubjectChars = 64 * 1024;

    private static readonly SearchValues<char> Ipv4Chars = SearchValues.Create("0123456789.");
    private static readonly SearchValues<char> Ipv6Chars = SearchValues.Create("0123456789abcdefABCDEF:.");
    private static readonly SearchValues<char> NotInAddress = SearchValues.Create(" \t()<>,;|");

    public static ReportSubject Empty { get; } = new();

    public SubjectLayout Layout { get; init; }

    /// <summary>The verdict the prefix states, or null when there is no prefix.</summary>
    public UserVerdict? Verdict { get; init; }

    /// <summary>The Network Message ID (lower-case "D" format), when a valid one was found.</summary>
    public string? NetworkMessageId { get; init; }

    public string? SenderIp { get; init; }

    public string? SenderAddress { get; init; }

    /// <summary>The original's subject as the report's subject carried it (possibly cut by the reporting tool).</summary>
    public string? OriginalSubject { get; init; }

    /// <summary>True when the subject starts with a forward prefix (FW:, Fwd:, TR:, WG:, …).</summary>
    public bool IsForward { get; init; }

    /// <summary>What looked wrong in the subject.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Parses a decoded subject. Never throws.</summary>
    public static ReportSubject Parse(string? subject)
    {
        if (string.IsNullOrEmpty(subject))
        {
            return Empty;
        }

        var warnings = new List<string>();
        if (subject.Length > MaxSubjectChars)
        {
            warnings.Add($"The subject is {subject.Length} characters long; only the first {MaxSubjectChars} were read.");
            subject = subject[..MaxSubjectChars];
        }

        var text = subject.AsSpan().Trim();
        if (TryNumericPrefix(text, out var verdict, out var rest))
        {
            return ParseFields(rest, verdict, numeric: true, warnings);
        }

        if (TryWordPrefix(text, out verdict, out rest))
        {
            return ParseFields(rest, verdict, numeric: false, warnings);
        }

        return new ReportSubject { IsForward = HasForwardPrefix(text), Warnings = warnings };
    }

    /// <summary>True when a subject starts (after optional "[TAG]" markers) with a forward prefix in a common client language.</summary>
    public static bool HasForwardPrefix(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        for (var i = 0; i < 3 && text.Length > 0 && text[0] == '['; i++)
        {
            var close = text.IndexOf(']');
            if (close < 0)
            {
                break;
            }

            text = text[(close + 1)..].TrimStart();
        }

        var colon = text.IndexOfAny(':', '：');
        if (colon <= 0 || colon > 8)
        {
            return false;
        }

        var word = text[..colon].Trim();
        ReadOnlySpan<string> prefixes = ["fw", "fwd", "tr", "wg", "rv", "enc", "vs", "vl", "doorst", "i"];
        foreach (var prefix in prefixes)
        {
            if (word.Equals(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"1|", "2|", "3|" (white space allowed before the bar).</summary>
    private static bool TryNumericPrefix(ReadOnlySpan<char> text, out UserVerdict verdict, out ReadOnlySpan<char> rest)
    {
        verdict = default;
        rest = default;
        if (text.Length < 2 || text[0] is not ('1' or '2' or '3'))
        {
            return false;
        }

        var after = text[1..].TrimStart();
        if (after.Length == 0 || after[0] != '|')
        {
            return false;
        }

        verdict = text[0] switch
        {
            '1' => UserVerdict.Junk,
            '2' => UserVerdict.NotJunk,
            _ => UserVerdict.Phishing,
        };
        rest = after[1..];
        return true;
    }

    /// <summary>"Junk:", "Not junk:", "Phishing:", any case, any white space between the words and before the colon.</summary>
    private static bool TryWordPrefix(ReadOnlySpan<char> text, out UserVerdict verdict, out ReadOnlySpan<char> rest)
    {
        verdict = default;
        rest = default;
        ReadOnlySpan<char> after;
        if (StartsWithWord(text, "phishing", out after))
        {
            verdict = UserVerdict.Phishing;
        }
        else if (StartsWithWord(text, "junk", out after))
        {
            verdict = UserVerdict.Junk;
        }
        else if (StartsWithWord(text, "not", out var notRest) && notRest.Length > 0 && char.IsWhiteSpace(notRest[0])
            && StartsWithWord(notRest.TrimStart(), "junk", out after))
        {
            verdict = UserVerdict.NotJunk;
        }
        else
        {
            return false;
        }

        after = after.TrimStart();
        if (after.Length == 0 || after[0] != ':')
        {
            return false;
        }

        rest = after[1..];
        return true;
    }

    private static bool StartsWithWord(ReadOnlySpan<char> text, string word, out ReadOnlySpan<char> rest)
    {
        rest = default;
        if (!text.StartsWith(word, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        rest = text[word.Length..];
        return rest.Length == 0 || !char.IsLetterOrDigit(rest[0]);
    }

    private static ReportSubject ParseFields(ReadOnlySpan<char> rest, UserVerdict verdict, bool numeric, List<string> warnings)
    {
        var body = rest.Trim();

        // Current layout: the 36-character Network Message ID right after the prefix (with or without a space).
        string? leadingId = null;
        if (!numeric && body.Length >= 36 && TryGuid(body[..36], out var id) && (body.Length == 36 || body[36] == '|' || char.IsWhiteSpace(body[36])))
        {
            leadingId = id;
        }
        else if (!numeric && body.Length >= 36 && LooksLikeGuid(body[..36]))
        {
            warnings.Add($"The subject's field '{body[..36]}' is shaped like a Network Message ID but is not a valid GUID; ignored.");
        }

        // Split on '|': the fields before the subject group are Microsoft's; the subject group is
        // the first field that starts with '(' and runs to the end (the original subject may hold
        // '|' and '(' unescaped, and is attacker-written, so nothing after it is read as a field).
        string? networkMessageId = leadingId;
        string? senderIp = null;
        string? senderAddress = null;
        string? originalSubject = null;
        var fieldIndex = 0;
        var position = 0;
        var fieldsRead = 0;
        var firstFieldIsGuid = false;
        while (position <= body.Length && fieldsRead < MaxFields)
        {
            var remaining = body[position..];
            var bar = remaining.IndexOf('|');
            var field = (bar < 0 ? remaining : remaining[..bar]).Trim();
            if (field.Length > 0 && field[0] == '(')
            {
                originalSubject = SubjectGroup(remaining.Trim());
                break;
            }

            if (fieldIndex == 0 && leadingId is not null)
            {
                firstFieldIsGuid = true;
                if (field.Length > 36)
                {
                    // "Phishing:<guid> something" without a bar after the ID.
                    ClassifyField(field[36..].Trim(), ref networkMessageId, ref senderIp, ref senderAddress, warnings);
                }
            }
            else
            {
                var wasNull = networkMessageId is null;
                ClassifyField(field, ref networkMessageId, ref senderIp, ref senderAddress, warnings);
                if (fieldIndex == 0 && wasNull && networkMessageId is not null)
                {
                    firstFieldIsGuid = true;
                }
            }

            fieldsRead++;
            fieldIndex++;
            if (bar < 0)
            {
                break;
            }

            position += bar + 1;
        }

        if (fieldsRead >= MaxFields && originalSubject is null)
        {
            warnings.Add($"The subject has more than {MaxFields} '|' fields; the rest was not read.");
        }

        SubjectLayout layout;
        if (numeric && firstFieldIsGuid)
        {
            layout = SubjectLayout.Legacy;
        }
        else if (!numeric && leadingId is not null)
        {
            layout = SubjectLayout.Current;
        }
        else
        {
            layout = SubjectLayout.Prefix;
            networkMessageId = null;
            senderIp = null;
            senderAddress = null;

            // A third-party tool's subject after the prefix is usually the original's subject.
            var plain = body.Trim();
            originalSubject = plain.Length == 0 ? null : plain.Length >= 2 && plain[0] == '(' ? SubjectGroup(plain) : plain.ToString();
        }

        return new ReportSubject
        {
            Layout = layout,
            Verdict = verdict,
            NetworkMessageId = networkMessageId,
            SenderIp = senderIp,
            SenderAddress = senderAddress,
            OriginalSubject = originalSubject,
            Warnings = warnings,
        };
    }

    private static void ClassifyField(ReadOnlySpan<char> field, ref string? networkMessageId, ref string? senderIp, ref string? senderAddress, List<string> warnings)
    {
        if (field.Length == 0)
        {
            return;
        }

        if (field.Length == 36 && TryGuid(field, out var id))
        {
            networkMessageId ??= id;
            return;
        }

        if (field.Length == 36 && LooksLikeGuid(field))
        {
            warnings.Add($"The subject's field '{field}' is shaped like a Network Message ID but is not a valid GUID; ignored.");
            return;
        }

        if (senderIp is null && TryIp(field, out var ip))
        {
            senderIp = ip;
            return;
        }

        if (senderAddress is null && IsAddress(field))
        {
            senderAddress = field.Trim("<>").ToString();
        }
    }

    /// <summary>"(subject)" → "subject"; a group the tool cut before its ")" keeps what there is.</summary>
    private static string SubjectGroup(ReadOnlySpan<char> group)
    {
        group = group[1..];
        if (group.Length > 0 && group[^1] == ')')
        {
            group = group[..^1];
        }

        return group.ToString();
    }

    internal static bool TryGuid(ReadOnlySpan<char> text, out string value)
    {
        if (text.Length == 36 && Guid.TryParseExact(text, "D", out var guid))
        {
            value = guid.ToString("D");
            return true;
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Eight-four-four-four-twelve with hyphens where a GUID has them.</summary>
    private static bool LooksLikeGuid(ReadOnlySpan<char> text) =>
        text.Length == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' && text[23] == '-';

    /// <summary>A dotted-quad IPv4 or an IPv6 address (IPAddress.TryParse alone also takes "1" or "0x7f").</summary>
    private static bool TryIp(ReadOnlySpan<char> text, out string value)
    {
        value = string.Empty;
        if (text.Length > 45)
        {
            return false;
        }

        var isV4 = text.Count('.') == 3 && !text.ContainsAnyExcept(Ipv4Chars);
        var isV6 = text.Contains(':') && !text.ContainsAnyExcept(Ipv6Chars);
        if ((isV4 || isV6) && IPAddress.TryParse(text, out var address))
        {
            value = address.ToString();
            return true;
        }

        return false;
    }

    private static bool IsAddress(ReadOnlySpan<char> text)
    {
        text = text.Trim("<>");
        var at = text.LastIndexOf('@');
        return at > 0 && at < text.Length - 1 && text.Length <= 320 && !text.ContainsAny(NotInAddress);
    }
}
