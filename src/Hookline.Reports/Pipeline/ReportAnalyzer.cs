using System.Diagnostics.CodeAnalysis;
using Hookline.Mime;
using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Attachments;
using Hookline.Reports.Analysis.Authentication;
using Hookline.Reports.Analysis.Brands;
using Hookline.Reports.Analysis.Content;
using Hookline.Reports.Analysis.Forwards;
using Hookline.Reports.Analysis.QrCodes;
using Hookline.Reports.Analysis.Relay;
using Hookline.Reports.Analysis.Senders;
using Hookline.Reports.Analysis.Structure;
using Hookline.Reports.Analysis.Text;
using Hookline.Reports.Analysis.Urls;
using Hookline.Reports.Assessment;
using Hookline.Reports.Recognition;

namespace Hookline.Reports.Pipeline;

/// <summary>What one file became: the envelope, the report it is (if any), the analysed message and the assessment.</summary>
public sealed record AnalysisOutcome(
    MimeMessage Envelope,
    Report? Report,
    MimeMessage Message,
    MessageAnalysis Analysis,
    Assessment.Assessment Assessment);

/// <summary>
/// Bytes → report → analysis → assessment: recognises the envelope, picks the original (or the
/// message itself when it is not a report), runs every analysis stage on it (and, through the
/// attachment stage, on messages attached to it), and assesses the findings.
/// Thread-safe: one instance serves any number of files in parallel.
/// </summary>
public sealed class ReportAnalyzer(AnalysisSettings settings, Assessor assessor)
{
    private readonly IMessageAnalyzer[] _stages =
    [
        new AuthenticationAnalyzer(),
        new RelayAnalyzer(),
        new SenderAnalyzer(),
        new UrlAnalyzer(),
        new QrCodeAnalyzer(),
        new AttachmentAnalyzer(),
        new InlineForwardAnalyzer(),
        new ContentSignalAnalyzer(),
        new StructureAnalyzer(),
        new MessageTextReader(),
        new InfrastructureAnalyzer(),
        new BrandAnalyzer(),
        new IntentAnalyzer(),
        new ContactElsewhereAnalyzer(),
        new RemovalNoticeAnalyzer(),
    ];

    private readonly ReportReaderOptions _readerOptions = new() { ReportingMailboxes = settings.ReportingMailboxes };

    public static ReportAnalyzer Default { get; } = new(AnalysisSettings.Default, Assessor.Default);

    public AnalysisSettings Settings { get; } = settings;

    /// <summary>The assessor (its rule set holds the thresholds the risk is measured against).</summary>
    public Assessor Assessor { get; } = assessor;

    /// <summary>
    /// Analyses input that may not be mail at all: for bytes that are not a mail message
    /// (<see cref="MailFile.NotMailReason"/>: empty, binary garbage, text with no header field)
    /// returns false with the reason and no outcome, because such input must get an error, never a
    /// verdict. Everything that takes input from outside (the CLI, intake) analyses through this.
    /// </summary>
    public bool TryAnalyze(ReadOnlyMemory<byte> bytes, [NotNullWhen(true)] out AnalysisOutcome? outcome, [NotNullWhen(false)] out string? notMail)
    {
        notMail = MailFile.NotMailReason(bytes);
        outcome = notMail is null ? Analyze(bytes) : null;
        return outcome is not null;
    }

    /// <summary>Analyses the bytes as mail, whatever they are (see <see cref="TryAnalyze"/> for input that may not be mail).</summary>
    public AnalysisOutcome Analyze(ReadOnlyMemory<byte> bytes)
    {
        var envelope = MailFile.Read(bytes);
        var report = ReportReader.Read(envelope, bytes, _readerOptions);
        var message = report is { Originals.Count: > 0 } ? report.Originals[0].Message : envelope;
        var analysis = AnalyzeMessage(message, 0, new QrBudget(Settings.QrCodes));
        if (!ReferenceEquals(message, envelope))
        {
            StructureAnalyzer.CheckEnvelope(envelope, analysis);
        }

        return new AnalysisOutcome(envelope, report, message, analysis, Assessor.Assess(analysis, report));
    }

    private MessageAnalysis AnalyzeMessage(MimeMessage message, int depth, QrBudget qrBudget)
    {
        // Attached messages share the report's QR budget: nesting must not multiply it.
        var context = new AnalysisContext(message, Settings, depth, (attached, d) => AnalyzeMessage(attached, d, qrBudget), qrBudget);
        foreach (var stage in _stages)
        {
            stage.Analyze(context);
        }

        return context.Result;
    }
}
