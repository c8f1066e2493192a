namespace Hookline.Reports.Analysis.Attachments;

/// <summary>One attachment (a leaf part with a file name or disposition attachment, or an attached message). FIRST VERSION: the contract's fields.</summary>
public sealed class AttachmentFinding
{
    public string? FileName { get; init; }

    public required string ContentType { get; init; }

    public long Size { get; init; }

    /// <summary>SHA-256 of the decoded content, lower-case hex.</summary>
    public required string Sha256 { get; init; }
}
