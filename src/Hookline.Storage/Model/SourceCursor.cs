namespace Hookline.Storage.Model;

/// <summary>A source's durable position (an IMAP folder's UIDVALIDITY, a Graph delta link).</summary>
public sealed class SourceCursor
{
    public required string Key { get; set; }

    public string? Value { get; set; }

    public DateTime UpdatedAt { get; set; }
}
