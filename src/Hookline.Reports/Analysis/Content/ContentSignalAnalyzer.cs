using Hookline.Mime;
using Hookline.Reports.Analysis;

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
/// </list>
/// It never reads X-Spam-* (or any other upstream filter's) headers: a filter's earlier verdict would make
/// an evaluation on filtered mail meaningless. Runs on the message itself, not its attached messages.
/// </summary>
public sealed class ContentSignalAnalyzer : IMessageAnalyzer
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

        var hasHtml = false;
        var hasPlain = false;
        Span<bool> seen = stackalloc bool[SpamPhrases.Length];
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
        }

        if (hasHtml && !hasPlain)
        {
            result.Add("content.html-only", "An HTML body without a plain-text alternative");
        }
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
}
