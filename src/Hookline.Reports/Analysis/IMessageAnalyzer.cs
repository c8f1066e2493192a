namespace Hookline.Reports.Analysis;

/// <summary>One stage of the analysis: reads the message, writes what it finds into <see cref="AnalysisContext.Result"/>.</summary>
public interface IMessageAnalyzer
{
    void Analyze(AnalysisContext context);
}
