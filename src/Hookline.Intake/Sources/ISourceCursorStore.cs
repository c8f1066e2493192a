namespace Hookline.Intake.Sources;

/// <summary>
/// Small, durable per-source state: an IMAP folder's UIDVALIDITY and highest UID handled, a Graph
/// delta link. Kept in the same store as the reports.
/// </summary>
public interface ISourceCursorStore
{
    /// <summary>The value stored under <paramref name="key"/>, or null when none is.</summary>
    Task<string?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores (or, with null, removes) the value under <paramref name="key"/>, durably.</summary>
    Task SetAsync(string key, string? value, CancellationToken cancellationToken);
}
