using Hookline.Reports.Analysis.Attachments;
using Hookline.Reports.Analysis.Authentication;
using Hookline.Reports.Analysis.Relay;
using Hookline.Reports.Analysis.Senders;
using Hookline.Reports.Analysis.Urls;

namespace Hookline.Reports.Analysis;

/// <summary>Everything the analyzers established about one message (the original of a report, or a plain message).</summary>
public sealed class MessageAnalysis
{
    public AuthenticationSummary Authentication { get; set; } = new();

    /// <summary>The Received hops, newest first as written (the first is the one added last).</summary>
    public List<ReceivedHop> Received { get; } = [];

    /// <summary>The first hop that entered the organisation from outside, when it can be told.</summary>
    public ReceivedHop? FirstExternalHop { get; set; }

    public SenderSummary Sender { get; set; } = new();

    public List<UrlFinding> Urls { get; } = [];

    public List<AttachmentFinding> Attachments { get; } = [];

    /// <summary>What a person reading the message sees, folded for the lexicons (the text stage); null before it ran.</summary>
    public Text.MessageText? Text { get; set; }

    /// <summary>Analyses of messages attached to this one (forwarded originals, attached .eml/.msg), recursively.</summary>
    public List<MessageAnalysis> AttachedMessages { get; } = [];

    /// <summary>Signals for the assessment, in the order found.</summary>
    public List<Finding> Findings { get; } = [];

    public void Add(string signal, string detail) => Findings.Add(new Finding(signal, detail));

    public bool Has(string signal) => Findings.Exists(f => string.Equals(f.Signal, signal, StringComparison.Ordinal));
}
