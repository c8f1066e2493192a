namespace Hookline.Storage.Model;

/// <summary>The verbatim bytes of a report as it arrived, addressed by their SHA-256.</summary>
public sealed class RawMessage
{
    /// <summary>Lower-case hex SHA-256 of <see cref="Content"/>.</summary>
    public required string Sha256 { get; set; }

    public required byte[] Content { get; set; }

    public long Size { get; set; }

    public DateTime StoredAt { get; set; }
}
