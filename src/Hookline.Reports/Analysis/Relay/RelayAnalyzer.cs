namespace Hookline.Reports.Analysis.Relay;

/// <summary>
/// each Received hop with host, IP, time and delay; the first external hop.
/// FIRST VERSION (keeps the pipeline whole): finds nothing yet.
/// </summary>
public sealed class RelayAnalyzer : IMessageAnalyzer
{
    public void Analyze(AnalysisContext context)
    {
    }
}
