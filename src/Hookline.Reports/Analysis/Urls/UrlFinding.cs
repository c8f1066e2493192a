namespace Hookline.Reports.Analysis.Urls;

/// <summary>One URL found in the message. FIRST VERSION: the URL only.</summary>
public sealed class UrlFinding
{
    public required string Url { get; init; }
}
