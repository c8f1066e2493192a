using Hookline.Mime;

namespace Hookline.Reports.Analysis.Content;

/// <summary>
/// A scoring aid of the assessment: cheap content markers the other analyzers do not look at.
/// <list type="bullet">
/// <item><c>content.bulk</c> (Precedence: bulk/list/junk, or List-Id) and <c>content.list-unsubscribe</c>:
/// markers of mail sent to a list; neutral on their own (newsletters and mailing lists are legitimate).</item>
/// <item><c>content.html-only</c>: an HTML body without a plain-text alternative.</item>
/// <item><c>content.subject-shouting</c>: a subject mostly in capitals, or with "!!" / "$$".</item>
/// <item><c>content.no-recipient</c>: no To and no Cc, or only "undisclosed recipients".</item>
/// <item><c>content.spam-phrase</c>: one finding per distinct stock phrase of unsolicited sales mail in the
/// body text (bounded: the first 64 KB of each text part).</item>
/// <item><c>content.subject-tag</c>: the subject padded with a run of spaces or dots and then a tag
/// (a number or a random token; anything after ten spaces), or ending in a run that alternates letters
/// and digits ("…f5k2m8"), written by bulk mailers so that every copy differs.</item>
/// <item><c>content.hash-buster</c>: a line of random letter-and-digit groups in a plain-text part
/// ("4kQf2-881Lpz3"), written so that no two copies have the same checksum.</item>
/// <item><c>content.date-implausible</c>: a Date field whose year is written with fewer than four digits
/// or lies before 1990 (forged by broken bulk-mail software).</item>
/// <item><c>content.body-shouting</c>: at least three lines of the text written in capitals.</item>
/// </list>
/// It never reads X-Spam-* (or any other upstream filter's) headers: a filter's earlier verdict would make
/// an evaluation on filtered mail meaningless. Runs on the message itself, not its attached messages.
/// </summary>
public sealed partial class ContentSignalAnalyzer : IMessageAnalyzer
{
    private const int MaxTextChars = 64 * 1024;

    private static readonly string[] SpamPhrases =
    [
        "click here",
        "remove you from",
        "to be removed",
        "removed from our list",
        "remove me",
        "opt-out",
        "opt out",
        "this is not spam",
        "not a spam",
        "bulk email",
        "mass email",
        "dear friend",
        "100% free",
        "100% guaranteed",
        "risk free",
        "risk-free",
        "no obligation",
        "act now",
        "order now",
        "limited time",
        "special promotion",
        "credit card",
        "money back",
        "earn $",
        "make money",
        "extra income",
        "work from home",
        "financial freedom",
        "lowest rate",
        "mortgage",
        "debt",
        "viagra",
        "weight loss",
        "lose weight",
        "free trial",
        "call now",
        "toll free",
        "toll-free",
        "million dollars",
        "winner",
        "you have been selected",
        "$$$",
        "per cent commission",
        "cash bonus",
        "investment opportunity",
        "offshore",
        "adult",
        "casino",
    ];

    private static readonly System.Buffers.SearchValues<string> SpamPhraseSearch = System.Buffers.SearchValues.Create(SpamPhrases, StringComparison.OrdinalIgnoreCase);

    public void Analyze(AnalysisContext context) => AddSignals(context.Message, context.Result);

    /// <summary>Adds the content signals of <paramref name="message"/> to <paramref name="result"/>.</summary>
    public static void AddSignals(MimeMessage message, MessageAnalysis result)
    {
        var headers = message.Headers;
        var precedence = headers["Precedence"]?.Trim();
        if (precedence is not null && (Is(precedence, "bulk") || Is(precedence, "list") || Is(precedence, "junk")))
        {
            result.Add("content.bulk", "Precedence: " + precedence);
        }
        else if (headers.Contains("List-Id"))
        {
            result.Add("content.bulk", "List-Id: " + headers["List-Id"]?.Trim());
        }

        if (headers.Contains("List-Unsubscribe"))
        {
            result.Add("content.list-unsubscribe", "List-Unsubscribe: " + Shorten(headers["List-Unsubscribe"]?.Trim() ?? string.Empty));
        }

        var to = headers["To"];
        var cc = headers["Cc"];
        if ((string.IsNullOrWhiteSpace(to) && string.IsNullOrWhiteSpace(cc))
            || (to is not null && to.Contains("undisclosed", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(cc)))
        {
            result.Add("content.no-recipient", string.IsNullOrWhiteSpace(to) ? "No To or Cc" : "To: " + Shorten(to.Trim()));
        }

        if (message.Subject is { } subject && IsShouting(subject))
        {
            result.Add("content.subject-shouting", "Subject: " + Shorten(subject.Trim()));
        }

        if (message.Subject is { } tagged && SubjectTag(tagged) is { } tag)
        {
            result.Add("content.subject-tag", $"\"{Shorten(tag)}\" after the subject's padding");
        }

        if (headers["Date"] is { } date && ImplausibleYear(date) is { } year)
        {
            result.Add("content.date-implausible", "Date: " + Shorten(date.Trim()) + " (the year " + year + ")");
        }

        var hasHtml = false;
        var hasPlain = false;
        Span<bool> seen = stackalloc bool[SpamPhrases.Length];
        string? hashBuster = null;
        var shoutingLines = 0;
        foreach (var entity in message.Entities(intoAttachedMessages: false))
        {
            if (entity is not MimePart { IsText: true } part || part.IsAttachment)
            {
                continue;
            }

            var isHtml = string.Equals(part.ContentType.MimeType, "text/html", StringComparison.OrdinalIgnoreCase);
            hasHtml |= isHtml;
            hasPlain |= !isHtml;
            var text = part.GetText();
            // One vectorized pass for all phrases; at each hit, find which phrase it was.
            var rest = text.AsSpan(0, Math.Min(text.Length, MaxTextChars));
            int at;
            while ((at = rest.IndexOfAny(SpamPhraseSearch)) >= 0)
            {
                rest = rest[at..];
                for (var i = 0; i < SpamPhrases.Length; i++)
                {
                    if (rest.StartsWith(SpamPhrases[i], StringComparison.OrdinalIgnoreCase))
                    {
                        if (!seen[i])
                        {
                            seen[i] = true;
                            result.Add("content.spam-phrase", "\"" + SpamPhrases[i] + "\"");
                        }

                        break;
                    }
                }

                rest = rest[1..];
            }

            var body = text.AsSpan(0, Math.Min(text.Length, MaxTextChars));
            if (!isHtml)
            {
                foreach (var line in body.EnumerateLines())
                {
                    hashBuster ??= IsHashBuster(line) ? line.Trim().ToString() : null;
                    shoutingLines += IsShoutingLine(line) ? 1 : 0;
                }
            }
        }

        if (hashBuster is not null)
        {
            result.Add("content.hash-buster", $"A line of random characters: \"{Shorten(hashBuster)}\"");
        }

        if (shoutingLines >= 3)
        {
            result.Add("content.body-shouting", $"{shoutingLines} lines of the text in capitals");
        }

        if (hasHtml && !hasPlain)
        {
            result.Add("content.html-only", "An HTML body without a plain-text alternative");
        }
    }

    /// <summary>
    /// The tag after a subject's padding (three or more spaces, or four or more dots): a number, or a
    /// token that mixes letters and digits, or letters without vowels; null for an ordinary subject.
    /// A tag in brackets counts without padding when it mixes letters and digits ("[ab12x]").
    /// </summary>
    internal static string? SubjectTag(string subject)
    {
        var text = subject.TrimEnd();
        var start = text.Length;
        while (start > 0 && !char.IsWhiteSpace(text[start - 1]) && text[start - 1] != '.')
        {
            start--;
        }

        var token = text[start..];
        if (token.Length == 0 || start == 0)
        {
            return null;
        }

        if (AlternatingTail(token) >= 6)
        {
            return token;
        }

        var bracketed = token.Length >= 3 && token[0] is '[' or '(' && token[^1] is ']' or ')';
        var core = bracketed ? token[1..^1] : token;
        if (core.Length < 2 || !core.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '#' or '_' || (bracketed && c == '@')))
        {
            return null;
        }

        var padding = 0;
        var dots = 0;
        for (var i = start - 1; i >= 0 && (char.IsWhiteSpace(text[i]) || text[i] == '.'); i--)
        {
            padding += char.IsWhiteSpace(text[i]) ? 1 : 0;
            dots += text[i] == '.' ? 1 : 0;
        }

        var digits = core.Count(char.IsAsciiDigit);
        var letters = core.Count(char.IsAsciiLetter);
        var vowels = core.Count(c => "aeiouyAEIOUY".Contains(c));
        var mixed = digits > 0 && letters > 0;
        var random = mixed || (letters == 0 && digits >= 2) || (letters >= 4 && vowels == 0);
        if (bracketed && mixed && core.Length >= 4)
        {
            return token;
        }

        // Header folding leaves a few spaces inside a long subject; a run of ten is padding whatever follows it.
        return ((padding >= 3 || dots >= 4) && random) || (padding >= 10 && core.Length >= 3) ? token : null;
    }

    /// <summary>The length of the run at the end of <paramref name="token"/> that alternates letters and digits ("…f5k2m8").</summary>
    private static int AlternatingTail(string token)
    {
        var length = 0;
        for (var i = token.Length - 1; i >= 0 && char.IsAsciiLetterOrDigit(token[i]); i--)
        {
            if (length > 0 && char.IsAsciiDigit(token[i]) == char.IsAsciiDigit(token[i + 1]))
            {
                break;
            }

            length++;
        }

        return length;
    }

    /// <summary>
    /// A line that is one run of letter-and-digit groups joined by hyphens ("4kQf2-881Lpz3-09aZ"), with
    /// upper and lower case letters and digits mixed within the groups: checksum noise, not a word,
    /// a number or an identifier of ordinary text.
    /// </summary>
    internal static bool IsHashBuster(ReadOnlySpan<char> line)
    {
        line = line.Trim();
        if (line.Length is < 16 or > 120 || line[0] == '-' || line[^1] == '-')
        {
            return false;
        }

        int groups = 1, upper = 0, lower = 0, digits = 0, switches = 0;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '-')
            {
                groups++;
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }

            upper += char.IsAsciiLetterUpper(c) ? 1 : 0;
            lower += char.IsAsciiLetterLower(c) ? 1 : 0;
            digits += char.IsAsciiDigit(c) ? 1 : 0;
            if (i > 0 && char.IsAsciiLetterOrDigit(line[i - 1]) && char.IsAsciiDigit(line[i - 1]) != char.IsAsciiDigit(c))
            {
                switches++;
            }
        }

        return groups >= 2 && upper > 0 && lower > 0 && digits > 0 && switches >= 4;
    }

    private static bool IsShoutingLine(ReadOnlySpan<char> line)
    {
        int upper = 0, letters = 0;
        foreach (var c in line)
        {
            if (char.IsLetter(c))
            {
                letters++;
                upper += char.IsUpper(c) ? 1 : 0;
            }
        }

        return letters >= 20 && upper * 10 >= letters * 9;
    }

    /// <summary>The year of a Date field when it is written with one to three digits or is before 1990; otherwise null.</summary>
    internal static string? ImplausibleYear(string date)
    {
        // A Date field is short; a hostile one is cut to 256 characters, which bounds the match (no timeout needed).
        var match = MonthAndDay().Match(date.Length > 256 ? date[..256] : date);
        if (!match.Success)
        {
            return null;
        }

        var year = match.Groups[1].Value;
        return year.Length == 3 || (year.Length == 4 && int.Parse(year, System.Globalization.CultureInfo.InvariantCulture) < 1990) ? year : null;
    }

    private static bool IsShouting(string subject)
    {
        if (subject.Contains("!!", StringComparison.Ordinal) || subject.Contains("$$", StringComparison.Ordinal))
        {
            return true;
        }

        int upper = 0, letters = 0;
        foreach (var c in subject)
        {
            if (char.IsLetter(c))
            {
                letters++;
                if (char.IsUpper(c))
                {
                    upper++;
                }
            }
        }

        return letters >= 12 && upper * 10 >= letters * 8;
    }

    private static bool Is(string value, string expected) => string.Equals(value, expected, StringComparison.OrdinalIgnoreCase);

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\s+(\d{1,4})\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex MonthAndDay();
}
