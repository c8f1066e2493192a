using Hookline.Reports.Analysis;
using Hookline.Reports.Assessment;
using Hookline.Reports.Recognition;

namespace Hookline.Reports.Tests.AssessmentTests;

/// <summary>Hand-made analyses, reports and rule sets for the assessment tests.</summary>
internal static class Build
{
    /// <summary>An analysis with one finding per signal; a signal written "name=detail" gets that detail.</summary>
    public static MessageAnalysis Analysis(params string[] signals)
    {
        var analysis = new MessageAnalysis();
        foreach (var signal in signals)
        {
            var equals = signal.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                analysis.Add(signal, "detail of " + signal);
            }
            else
            {
                analysis.Add(signal[..equals], signal[(equals + 1)..]);
            }
        }

        return analysis;
    }

    public static MessageAnalysis WithAttached(this MessageAnalysis analysis, MessageAnalysis attached)
    {
        analysis.AttachedMessages.Add(attached);
        return analysis;
    }

    public static Report Report(UserVerdict verdict, ReportFormat format = ReportFormat.Microsoft, bool assumed = false) =>
        new() { Format = format, UserVerdict = verdict, VerdictAssumed = assumed };

    /// <summary>A rule set of exactly this YAML (thresholds phishing 50, spam 30 unless the text sets its own).</summary>
    public static RuleSet Rules(string yaml)
    {
        var text = yaml.Contains("thresholds:", StringComparison.Ordinal) ? yaml : "thresholds: { phishing: 50, spam: 30 }\n" + yaml;
        return RuleSet.Load([new RuleSource("test.yaml", text)]);
    }

    public static Assessor Assessor(string yaml) => new(Rules(yaml));

    /// <summary>One rule of the given category and points whose condition is <paramref name="when"/> (YAML, flow style).</summary>
    public static Assessor OneRule(string when, string category = "phishing", int points = 50, string reason = "matched") =>
        Assessor($$"""
            rules:
              - id: only
                category: {{category}}
                points: {{points}}
                when: {{when}}
                reason: "{{reason}}"
            """);
}
