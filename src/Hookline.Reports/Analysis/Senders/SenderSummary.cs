namespace Hookline.Reports.Analysis.Senders;

/// <summary>Who the message says it is from, in its different headers. FIRST VERSION.</summary>
public sealed class SenderSummary
{
    public string? FromDomain { get; set; }
}
