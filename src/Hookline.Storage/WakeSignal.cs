using System.Threading.Channels;

namespace Hookline.Storage;

/// <summary>
/// Wakes a worker that otherwise polls for its work (the analysis workers on the work queue, the
/// notification worker on the outbox, a drop folder on its folder) as soon as there is some. A bounded
/// channel of one: wake-ups before a wait collapse into one, and a wake-up while nobody waits is kept
/// for the next wait, never lost. One wake-up wakes one waiter; the others find the work at their next
/// poll or wake-up.
/// </summary>
public sealed class WakeSignal
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        // A wake-up while one is pending is dropped: the pending one covers it.
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    /// <summary>Asks for a wake-up; a no-op while one is already pending. Never blocks.</summary>
    public void Notify() => _pending.Writer.TryWrite(true);

    /// <summary>
    /// Waits for a wake-up for at most <paramref name="idle"/> (<see cref="Timeout.InfiniteTimeSpan"/>: no limit)
    /// and takes it; a pending one is taken at once, also with a zero <paramref name="idle"/>.
    /// </summary>
    /// <returns>True when woken, false when <paramref name="idle"/> passed first.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (before or during the wait).</exception>
    public async Task<bool> WaitAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_pending.Reader.TryRead(out _))
        {
            return true;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(idle);
        try
        {
            // Another waiter may take the wake-up between the two calls: then wait on.
            while (await _pending.Reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                if (_pending.Reader.TryRead(out _))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        // The writer is never completed, so the loop only ends by a wake-up or a cancellation.
        return false;
    }
}
