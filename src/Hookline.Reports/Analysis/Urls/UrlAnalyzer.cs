namespace Hookline.Reports.Analysis.Urls;

/// <summary>
/// URLs from text and HTML: hrefs with their visible text, forms, meta refresh, unwrapped rewriters,
/// IP-literal and punycode hosts, shorteners.
/// FIRST VERSION (keeps the pipeline whole): finds nothing yet.
/// </summary>
public sealed class UrlAnalyzer : IMessageAnalyzer
{
    public void Analyze(AnalysisContext context)
    {
    }
}
