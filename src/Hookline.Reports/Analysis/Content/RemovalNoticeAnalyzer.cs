using Hookline.Reports.Analysis.Text;

namespace Hookline.Reports.Analysis.Content;

/// <summary>
/// <c>content.removal-notice</c>: one finding per distinct phrase of the removal boilerplate of bulk mail
/// sent to bought lists (<see cref="Lexicon.RemovalNotices"/>: "reply with remove in the subject",
/// "this is not spam", "one-time mailing") in the visible body (<see cref="MessageText"/>, so that a
/// phrase broken over lines or HTML tags still counts). The sender offers to stop rather than being a
/// list the recipient joined; the rules count it only without a List-Unsubscribe field. Runs after
/// <see cref="MessageTextReader"/>.
/// </summary>
public sealed class RemovalNoticeAnalyzer : IMessageAnalyzer
{
    /// <summary>Distinct phrases reported at most.</summary>
    private const int MaxPhrases = 6;

    public void Analyze(AnalysisContext context)
    {
        if (context.Result.Text is not { Body.Length: > 0 } text)
        {
            return;
        }

        var hits = new List<LexiconHit>();
        Lexicon.RemovalNotices.Find(text.Body, hits, headers: false);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var hit in hits)
        {
            if (reported.Count < MaxPhrases && reported.Add(hit.Phrase))
            {
                context.Result.Add("content.removal-notice", $"\"{hit.Phrase}\"");
            }
        }
    }
}
