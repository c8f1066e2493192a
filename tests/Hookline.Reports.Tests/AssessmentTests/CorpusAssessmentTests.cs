using System.Globalization;
using System.Runtime.CompilerServices;
using Hookline.Reports.Assessment;
using Hookline.Reports.Pipeline;
using Xunit.Abstractions;

namespace Hookline.Reports.Tests.AssessmentTests;

/// <summary>
/// The default rules on real mail: the SpamAssassin public corpus (2002). Ham: easy-ham-1, easy-ham-2,
/// hard-ham-1; spam: spam-1, spam-2. Goals and why: docs/rules.md ("Evaluation").
/// </summary>
public class CorpusAssessmentTests(ITestOutputHelper output)
{
    private static readonly string[] HamFolders = ["easy-ham-1", "easy-ham-2", "hard-ham-1"];
    private static readonly string[] SpamFolders = ["spam-1", "spam-2"];

    [Fact]
    public void DefaultRules_WhenRunOverTheSpamAssassinCorpus_KeepHamCleanAndReportTheConfusionTable()
    {
        var root = CorpusDirectory();
        var ham = Run(root, HamFolders);
        var spam = Run(root, SpamFolders);

        output.WriteLine("default rules on the SpamAssassin public corpus (rows: truth, columns: verdict)");
        output.WriteLine("            clean    spam  phishing   total");
        Row("ham", ham);
        Row("spam", spam);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ham called phishing: {Percent(ham.Phishing, ham.Total)}; ham called spam or phishing: {Percent(ham.Spam + ham.Phishing, ham.Total)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"spam detected (spam or phishing): {Percent(spam.Spam + spam.Phishing, spam.Total)}"));
        output.WriteLine(string.Empty);
        output.WriteLine("rule matches (ham / spam):");
        foreach (var rule in Assessor.Default.Rules.Rules)
        {
            var h = ham.RuleHits.GetValueOrDefault(rule.Id);
            var s = spam.RuleHits.GetValueOrDefault(rule.Id);
            if (h + s > 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rule.Id,-32} {h,6} {s,6}"));
            }
        }

        output.WriteLine(string.Empty);
        output.WriteLine("messages with the signal (ham / spam):");
        foreach (var signal in ham.SignalHits.Keys.Union(spam.SignalHits.Keys).Order(StringComparer.Ordinal))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {signal,-40} {ham.SignalHits.GetValueOrDefault(signal),6} {spam.SignalHits.GetValueOrDefault(signal),6}"));
        }

        output.WriteLine(string.Empty);
        output.WriteLine("ham not called clean:");
        foreach (var line in ham.Misses.Take(40))
        {
            output.WriteLine("  " + line);
        }

        Assert.True(ham.Total >= 4000 && spam.Total >= 1800, $"expected the whole corpus, found {ham.Total} ham and {spam.Total} spam");
        Assert.True(ham.Phishing * 1000 <= ham.Total * 5, $"ham called phishing: {Percent(ham.Phishing, ham.Total)} (goal at most 0.5%)");
        Assert.True((ham.Spam + ham.Phishing) * 100 <= ham.Total * 3, $"ham not called clean: {Percent(ham.Spam + ham.Phishing, ham.Total)} (goal at most 3%)");
        Assert.True((spam.Spam + spam.Phishing) * 100 >= spam.Total * SpamRecallFloorPercent, $"spam detected: {Percent(spam.Spam + spam.Phishing, spam.Total)} (floor {SpamRecallFloorPercent}%, a regression guard)");
    }

    /// <summary>Not a goal (see docs/rules.md): a guard that the content rules keep working.</summary>
    private const int SpamRecallFloorPercent = 75;

    private void Row(string name, Tally tally) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-8} {tally.Clean,8} {tally.Spam,7} {tally.Phishing,9} {tally.Total,7}"));

    private static string Percent(int part, int total) =>
        string.Create(CultureInfo.InvariantCulture, $"{part}/{total} = {(total == 0 ? 0 : 100.0 * part / total):F2}%");

    private static Tally Run(string root, string[] folders)
    {
        var files = new List<string>();
        foreach (var folder in folders)
        {
            files.AddRange(Directory.EnumerateFiles(Path.Combine(root, folder), "*.txt"));
        }

        files.Sort(StringComparer.Ordinal);
        var tally = new Tally();
        var results = new (AssessmentVerdict Verdict, Assessment.Assessment Assessment)[files.Count];
        var signals = new HashSet<string>[files.Count];
        Parallel.For(0, files.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var outcome = ReportAnalyzer.Default.Analyze(File.ReadAllBytes(files[i]));
            var assessment = outcome.Assessment;
            results[i] = (assessment.Verdict, assessment);
            signals[i] = [.. outcome.Analysis.Findings.Select(f => f.Signal)];
        });

        for (var i = 0; i < files.Count; i++)
        {
            var (verdict, assessment) = results[i];
            tally.Total++;
            switch (verdict)
            {
                case AssessmentVerdict.Clean:
                    tally.Clean++;
                    break;
                case AssessmentVerdict.Spam:
                    tally.Spam++;
                    break;
                default:
                    tally.Phishing++;
                    break;
            }

            foreach (var signal in signals[i])
            {
                tally.SignalHits[signal] = tally.SignalHits.GetValueOrDefault(signal) + 1;
            }

            foreach (var match in assessment.Matches)
            {
                tally.RuleHits[match.RuleId] = tally.RuleHits.GetValueOrDefault(match.RuleId) + 1;
            }

            if (verdict != AssessmentVerdict.Clean)
            {
                tally.Misses.Add(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(Path.GetDirectoryName(files[i]))}/{Path.GetFileName(files[i])[..5]} {verdict} {assessment.Score}: {string.Join(" | ", assessment.Matches.Select(m => m.RuleId))}"));
            }
        }

        return tally;
    }

    private static string CorpusDirectory([CallerFilePath] string source = "")
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("HOOKLINE_SPAMASSASSIN_DIR");
        var repository = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", ".."));
        var path = string.IsNullOrEmpty(fromEnvironment)
            ? Path.Combine(repository, ".cache", "corpus", "node_modules", "@stdlib", "datasets-spam-assassin", "data")
            : fromEnvironment;
        Assert.True(Directory.Exists(path), $"The SpamAssassin corpus is not at {path}: run scripts/corpus.sh (or set HOOKLINE_SPAMASSASSIN_DIR).");
        return path;
    }

    private sealed class Tally
    {
        public int Total;
        public int Clean;
        public int Spam;
        public int Phishing;
        public Dictionary<string, int> RuleHits { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, int> SignalHits { get; } = new(StringComparer.Ordinal);

        public List<string> Misses { get; } = [];
    }
}
