namespace Hookline.Reports.Analysis.Authentication;

/// <summary>
/// Authentication-Results, ARC-Authentication-Results, Received-SPF, X-Forefront-Antispam-Report and X-MS-Exchange-Organization-* into verdicts, trusting only the organisation's authserv-ids.
/// FIRST VERSION (keeps the pipeline whole): finds nothing yet.
/// </summary>
public sealed class AuthenticationAnalyzer : IMessageAnalyzer
{
    public void Analyze(AnalysisContext context)
    {
    }
}
