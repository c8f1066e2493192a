using System.Text;
using Hookline.Reports.Analysis;
using Hookline.Reports.Assessment;
using Hookline.Reports.Pipeline;

namespace Hookline.Reports.Tests;

/// <summary>Raw MIME messages written in a test, run through the whole pipeline; finding look-ups for the assertions.</summary>
internal static class TestMail
{
    /// <summary>The organisation the signal tests run for.</summary>
    public static readonly AnalysisSettings Contoso = new()
    {
        OrganizationName = "Contoso",
        OrganizationDomains = ["contoso.com"],
    };

    private static readonly ReportAnalyzer ContosoAnalyzer = new(Contoso, Assessor.Default);

    public static byte[] Bytes(string mime) => Encoding.UTF8.GetBytes(mime.ReplaceLineEndings("\r\n"));

    /// <summary>Every stage and the default assessment, with the default settings.</summary>
    public static AnalysisOutcome Analyze(string mime) => ReportAnalyzer.Default.Analyze(Bytes(mime));

    /// <summary>Every stage and the default assessment, for Contoso (contoso.com).</summary>
    public static AnalysisOutcome AnalyzeForContoso(string mime) => ContosoAnalyzer.Analyze(Bytes(mime));

    public static string[] SignalIds(this MessageAnalysis analysis) => [.. analysis.Findings.Select(f => f.Signal).Distinct(StringComparer.Ordinal)];

    /// <summary>The details of every finding of one signal, in the order found.</summary>
    public static string[] DetailsOf(this MessageAnalysis analysis, string signal) =>
        [.. analysis.Findings.Where(f => string.Equals(f.Signal, signal, StringComparison.Ordinal)).Select(f => f.Detail)];

    /// <summary>The detail of the one finding of a signal (fails when there is none or more than one).</summary>
    public static string DetailOf(this MessageAnalysis analysis, string signal) => Assert.Single(analysis.DetailsOf(signal));
}
