using Hookline.Storage;

namespace Hookline.Notify;

/// <summary>
/// Wakes the notification worker: a review just queued a result, or an analysis batch has reports to
/// acknowledge. Wake-ups while it is busy make it run one more pass, not one per wake-up. It lives here,
/// beside the outbox it is about, so that the review library can wake the worker without the host.
/// </summary>
public sealed class NotificationSignal
{
    /// <summary>The worker waits on it between passes; at most one wake-up is pending.</summary>
    public WakeSignal Wake { get; } = new();

    /// <summary>Asks for one more pass; a no-op while one is already asked for.</summary>
    public void Notify() => Wake.Notify();
}
