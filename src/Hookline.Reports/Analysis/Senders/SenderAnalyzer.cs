namespace Hookline.Reports.Analysis.Senders;

/// <summary>
/// From vs Reply-To vs Return-Path domains, display names carrying addresses or the organisation's name, lookalike domains.
/// FIRST VERSION (keeps the pipeline whole): finds nothing yet.
/// </summary>
public sealed class SenderAnalyzer : IMessageAnalyzer
{
    public void Analyze(AnalysisContext context)
    {
    }
}
