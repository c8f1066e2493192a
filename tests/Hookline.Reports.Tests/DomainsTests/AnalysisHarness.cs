using System.Text;
using Hookline.Mime;
using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Authentication;
using Hookline.Reports.Analysis.Relay;
using Hookline.Reports.Analysis.Senders;

namespace Hookline.Reports.Tests.DomainsTests;

/// <summary>Runs the header analyzers over a message written in a test.</summary>
internal static class AnalysisHarness
{
    public static MessageAnalysis Run(string headers, AnalysisSettings? settings = null) =>
        Run(Encoding.UTF8.GetBytes(headers.ReplaceLineEndings("\r\n") + "\r\nbody\r\n"), settings);

    public static MessageAnalysis Run(byte[] bytes, AnalysisSettings? settings = null)
    {
        var message = MimeMessage.Parse(bytes);
        var context = new AnalysisContext(message, settings ?? AnalysisSettings.Default, 0, (_, _) => new MessageAnalysis());
        new AuthenticationAnalyzer().Analyze(context);
        new RelayAnalyzer().Analyze(context);
        new SenderAnalyzer().Analyze(context);
        return context.Result;
    }

    public static List<string> Signals(this MessageAnalysis analysis) => analysis.Findings.ConvertAll(f => f.Signal);
}
