using Hookline.Mime;
using Hookline.Reports.Analysis.QrCodes;

namespace Hookline.Reports.Analysis;

/// <summary>What an analyzer works on: the message, the organisation's settings, and the result being built.</summary>
public sealed class AnalysisContext
{
    private readonly Func<MimeMessage, int, MessageAnalysis> _analyzeAttached;

    internal AnalysisContext(MimeMessage message, AnalysisSettings settings, int depth, Func<MimeMessage, int, MessageAnalysis> analyzeAttached, QrBudget? qrBudget = null)
    {
        Message = message;
        Settings = settings;
        Depth = depth;
        _analyzeAttached = analyzeAttached;
        QrBudget = qrBudget ?? new QrBudget(settings.QrCodes);
    }

    public MimeMessage Message { get; }

    public AnalysisSettings Settings { get; }

    public MessageAnalysis Result { get; } = new();

    /// <summary>What QR-code searching may still cost: one budget for the analysed message and the messages attached to it.</summary>
    public QrBudget QrBudget { get; }

    /// <summary>0 for the analysed message; one more for each attached message it is inside.</summary>
    public int Depth { get; }

    /// <summary>Analyses a message attached to this one with the same stages (bounded by <see cref="AnalysisSettings.MaxAttachedMessageDepth"/>).</summary>
    public MessageAnalysis? AnalyzeAttached(MimeMessage attached) =>
        Depth + 1 > Settings.MaxAttachedMessageDepth ? null : _analyzeAttached(attached, Depth + 1);
}
