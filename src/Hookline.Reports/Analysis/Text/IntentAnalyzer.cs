namespace Hookline.Reports.Analysis.Text;

/// <summary>
/// The intent of the text (<see cref="Lexicon.Lures"/>): one <c>intent.FAMILY</c> finding per distinct
/// phrase of a family (credential, payment, parcel, prize, advance-fee, extortion, legal, bec, callback,
/// crypto, urgency; and the unwanted-mail families adult, pharma, health, casino, money, marketing,
/// goods), found in the subject, the sender's display name or the visible body (<see cref="MessageText"/>).
/// The detail says the phrase and where ("in the subject"). Runs after <see cref="MessageTextReader"/>.
/// </summary>
public sealed class IntentAnalyzer : IMessageAnalyzer
{
    /// <summary>Distinct phrases reported per family at most.</summary>
    private const int MaxPerFamily = 6;

    public void Analyze(AnalysisContext context)
    {
        if (context.Result.Text is not { } text)
        {
            return;
        }

        var lexicon = Lexicon.Lures;
        var reported = new HashSet<(int, string)>();
        var perFamily = new int[lexicon.Families.Count];
        var hits = new List<LexiconHit>();
        Report(context.Result, lexicon, text.Subject, "in the subject", headers: true, hits, reported, perFamily);
        Report(context.Result, lexicon, text.DisplayName, "in the sender's name", headers: true, hits, reported, perFamily);
        Report(context.Result, lexicon, text.Body, "in the body", headers: false, hits, reported, perFamily);

        // The subject and the sender's name read past look-alike spelling ("V!agra", "Iocked",
        // "verify_your_identity"): a lure found only so was disguised on purpose.
        ReportDisguised(context, lexicon, context.Message.Subject, text.Subject, "the subject", hits, reported, perFamily);
        ReportDisguised(context, lexicon, text.DisplayNameAsWritten, text.DisplayName, "the sender's name", hits, reported, perFamily);
    }

    private static void ReportDisguised(AnalysisContext context, Lexicon lexicon, string? original, string folded, string field, List<LexiconHit> hits, HashSet<(int, string)> reported, int[] perFamily)
    {
        var read = TextFolding.Fold(LookalikeSpelling.Undo(original ?? string.Empty), 4096);
        if (read.Length == 0 || string.Equals(read, folded, StringComparison.Ordinal))
        {
            return;
        }

        var before = context.Result.Findings.Count;
        Report(context.Result, lexicon, read, $"in {field}, read past look-alike spelling", headers: true, hits, reported, perFamily);
        if (context.Result.Findings.Count > before)
        {
            context.Result.Add("text.disguised-lure", $"{field} spells a lure so that filters miss it: {context.Result.Findings[before].Detail}");
        }
    }

    private static void Report(MessageAnalysis result, Lexicon lexicon, string text, string where, bool headers, List<LexiconHit> hits, HashSet<(int, string)> reported, int[] perFamily)
    {
        if (text.Length == 0)
        {
            return;
        }

        hits.Clear();
        lexicon.Find(text, hits, headers: headers);
        foreach (var hit in hits)
        {
            if (perFamily[hit.Family] >= MaxPerFamily || !reported.Add((hit.Family, hit.Phrase)))
            {
                continue;
            }

            perFamily[hit.Family]++;
            result.Add("intent." + lexicon.Families[hit.Family], $"\"{hit.Phrase}\" {where}");
        }
    }
}
