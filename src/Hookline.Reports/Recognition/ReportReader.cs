using Hookline.Mime;

namespace Hookline.Reports.Recognition;

/// <summary>
/// Recognises a report envelope and extracts the reporter, the user's verdict and the original.
/// FIRST VERSION (compiles the pipeline): treats nothing as a report. To be replaced by the full
/// recognition of every format in shared/docs/report-formats.md.
/// </summary>
public static class ReportReader
{
    /// <summary>The report this message is, or null when it is a plain message (analysed as itself).</summary>
    public static Report? Read(MimeMessage envelope, ReadOnlyMemory<byte> envelopeBytes) => null;
}
