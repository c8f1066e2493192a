using System.Globalization;
using System.Text;

namespace Hookline.Reports.Assessment;

/// <summary>
/// The one sentence an analyst reads first: the verdict and risk, then the strongest one or two
/// reasons on the verdict's side ("Phishing, risk 85: the display name names DocuSign but the sender
/// docusign-notify.example is not DocuSign's; a link goes to a bare IP address").
/// </summary>
internal static class AssessmentSummary
{
    private const int MaxReasons = 2;

    private const int MaxReasonChars = 160;

    public static string Write(AssessmentVerdict verdict, int risk, IReadOnlyList<RuleMatch> matches, string? overrideReason)
    {
        var text = new StringBuilder();
        text.Append(verdict switch
        {
            AssessmentVerdict.Phishing => "Phishing",
            AssessmentVerdict.Spam => "Spam",
            _ => "Clean",
        });
        text.Append(CultureInfo.InvariantCulture, $", risk {risk}: ");
        var written = 0;
        if (overrideReason is not null)
        {
            Append(text, overrideReason, ref written);
        }

        // The verdict's own side first; for a clean verdict, what raised the risk (if anything) comes first.
        var side = verdict switch
        {
            AssessmentVerdict.Phishing => RuleCategory.Phishing,
            AssessmentVerdict.Spam => RuleCategory.Spam,
            _ => RuleCategory.Clean,
        };
        if (verdict == AssessmentVerdict.Clean && overrideReason is null)
        {
            var strongest = Strongest(matches, m => m.Weight > 0);
            if (strongest is not null)
            {
                text.Append("below the thresholds; the strongest sign: ");
                Append(text, strongest.Reason, ref written);
                return Finish(text);
            }
        }

        foreach (var match in matches)
        {
            if (written >= MaxReasons)
            {
                break;
            }

            if (match.Category == side && match.Weight != 0)
            {
                Append(text, match.Reason, ref written);
            }
        }

        if (written == 0)
        {
            text.Append("no sign of phishing or spam was found");
        }

        return Finish(text);
    }

    private static RuleMatch? Strongest(IReadOnlyList<RuleMatch> matches, Func<RuleMatch, bool> where)
    {
        RuleMatch? best = null;
        foreach (var match in matches)
        {
            if (where(match) && (best is null || match.Weight > best.Weight))
            {
                best = match;
            }
        }

        return best;
    }

    private static void Append(StringBuilder text, string reason, ref int written)
    {
        var clause = reason.Trim().TrimEnd('.');
        if (clause.Length > MaxReasonChars)
        {
            clause = clause[..MaxReasonChars] + "…";
        }

        if (written > 0)
        {
            text.Append("; ");
            clause = LowerFirst(clause);
        }

        text.Append(clause);
        written++;
    }

    private static string LowerFirst(string clause) =>
        clause.Length > 1 && char.IsUpper(clause[0]) && !char.IsUpper(clause[1]) ? char.ToLowerInvariant(clause[0]) + clause[1..] : clause;

    private static string Finish(StringBuilder text) => text.Append('.').ToString();
}
