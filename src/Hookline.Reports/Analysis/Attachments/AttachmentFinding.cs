namespace Hookline.Reports.Analysis.Attachments;

/// <summary>One attachment (a leaf part with a file name or disposition attachment, or an attached message), and what it really is.</summary>
public sealed class AttachmentFinding
{
    public string? FileName { get; init; }

    /// <summary>The declared MIME type, lower-case.</summary>
    public required string ContentType { get; init; }

    /// <summary>Size of the decoded content in bytes.</summary>
    public long Size { get; init; }

    /// <summary>SHA-256 of the decoded content, lower-case hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The file name's last extension, lower-case, without the dot.</summary>
    public string? Extension { get; init; }

    /// <summary>What the content is (magic bytes, refined by the ZIP or OLE directory).</summary>
    public FileKind Kind { get; set; }

    /// <summary>An attached message (message/rfc822, or an .eml, .msg or TNEF file), analysed in <see cref="MessageAnalysis.AttachedMessages"/>.</summary>
    public bool IsMessage { get; set; }

    /// <summary>The archive's directory when the attachment is a ZIP (or OOXML document).</summary>
    public ArchiveSummary? Archive { get; set; }

    /// <summary>Characters of <see cref="Text"/> kept at most, whatever the kind of file.</summary>
    public const int MaxTextChars = 16 * 1024;

    /// <summary>The words on its first pages, for the lexicon (a PDF, see <see cref="PdfText"/>; an Office document, see <see cref="OfficeDocuments.Words"/>; an invitation, see <see cref="Urls.CalendarText"/>); at most <see cref="MaxTextChars"/>; not part of the JSON contract.</summary>
    public string? Text { get; set; }

    /// <summary>The <c>attachment.*</c> signals this attachment raised.</summary>
    public List<string> Signals { get; } = [];
}

/// <summary>A ZIP's directory in brief.</summary>
public sealed class ArchiveSummary
{
    /// <summary>Listed at most in <see cref="Entries"/>.</summary>
    public const int MaxListed = 200;

    /// <summary>Entries read from the directory (may be fewer than claimed).</summary>
    public int EntryCount { get; init; }

    /// <summary>Entries the end record claims.</summary>
    public ulong ClaimedEntries { get; init; }

    /// <summary>Sum of the declared uncompressed sizes.</summary>
    public long TotalUncompressed { get; init; }

    public bool Encrypted { get; init; }

    public bool Damaged { get; init; }

    /// <summary>The first <see cref="MaxListed"/> entries; nested archives' entries as <c>outer.zip/inner.exe</c>.</summary>
    public List<ArchiveEntrySummary> Entries { get; } = [];
}

public sealed record ArchiveEntrySummary(string Name, long Size, long CompressedSize, bool Encrypted);
