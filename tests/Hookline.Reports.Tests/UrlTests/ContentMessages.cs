using System.Text;
using Hookline.Mime;
using Hookline.Reports.Analysis;

namespace Hookline.Reports.Tests.UrlTests;

/// <summary>Builds test messages (text, HTML, attachments) and runs one analyzer over them.</summary>
internal static class ContentMessages
{
    public static MessageAnalysis Run(IMessageAnalyzer analyzer, string mime, AnalysisSettings? settings = null) =>
        Run(analyzer, Encoding.UTF8.GetBytes(mime.ReplaceLineEndings("\r\n")), settings);

    public static MessageAnalysis Run(IMessageAnalyzer analyzer, byte[] mime, AnalysisSettings? settings = null) =>
        Run([analyzer], MailFile.Read(mime), settings ?? AnalysisSettings.Default, 0);

    public static MessageAnalysis RunAll(IMessageAnalyzer[] analyzers, byte[] mime, AnalysisSettings? settings = null) =>
        Run(analyzers, MailFile.Read(mime), settings ?? AnalysisSettings.Default, 0);

    /// <summary>Runs the analyzers over a message parsed by the caller (e.g. with small limits).</summary>
    public static MessageAnalysis Run(IMessageAnalyzer[] analyzers, MimeMessage message, AnalysisSettings? settings = null) =>
        Run(analyzers, message, settings ?? AnalysisSettings.Default, 0);

    private static MessageAnalysis Run(IMessageAnalyzer[] analyzers, MimeMessage message, AnalysisSettings settings, int depth)
    {
        var context = new AnalysisContext(message, settings, depth, (inner, d) => Run(analyzers, inner, settings, d));
        foreach (var analyzer in analyzers)
        {
            analyzer.Analyze(context);
        }

        return context.Result;
    }

    public static string Text(string body) =>
        $"From: a@example.test\nTo: b@example.test\nSubject: t\nContent-Type: text/plain; charset=utf-8\n\n{body}\n";

    public static string Html(string body) =>
        $"From: a@example.test\nTo: b@example.test\nSubject: t\nContent-Type: text/html; charset=utf-8\n\n{body}\n";

    /// <summary>A multipart/mixed message with a text body and one base64 attachment.</summary>
    public static byte[] WithAttachment(string fileName, string contentType, byte[] content, string body = "see attached")
    {
        var base64 = Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks);
        var mime = $"From: a@example.test\r\nTo: b@example.test\r\nSubject: t\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
            + $"--b1\r\nContent-Type: text/plain\r\n\r\n{body}\r\n"
            + $"--b1\r\nContent-Type: {contentType}; name=\"{fileName}\"\r\nContent-Disposition: attachment; filename=\"{fileName}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{base64}\r\n--b1--\r\n";
        return Encoding.UTF8.GetBytes(mime);
    }

    public static string[] Signals(this MessageAnalysis analysis) => [.. analysis.Findings.Select(f => f.Signal).Distinct()];
}
