namespace Hookline.Smtp;

/// <summary>
/// A process-wide allowance of bytes held at once (the messages being handed to the handler), taken
/// first come, first served. A request larger than the whole allowance waits for all of it, so one
/// message is always let through.
/// </summary>
internal sealed class ByteBudget(long total)
{
    private readonly object _gate = new();
    private readonly LinkedList<(long Bytes, TaskCompletionSource Ready)> _waiting = new();
    private readonly long _total = total;
    private long _available = total;

    public long Total => _total;

    /// <summary>Bytes not held now.</summary>
    public long Available
    {
        get
        {
            lock (_gate)
            {
                return _available;
            }
        }
    }

    /// <summary>Waits until <paramref name="bytes"/> (at most the whole allowance) can be held; dispose the result to give them back.</summary>
    public async Task<IDisposable> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        bytes = Math.Clamp(bytes, 0, _total);
        LinkedListNode<(long, TaskCompletionSource)> node;
        lock (_gate)
        {
            if (_waiting.Count == 0 && _available >= bytes)
            {
                _available -= bytes;
                return new Lease(this, bytes);
            }

            node = _waiting.AddLast((bytes, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        }

        try
        {
            await node.Value.Item2.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new Lease(this, bytes);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (node.List is not null)
                {
                    _waiting.Remove(node);
                    Grant();
                    throw;
                }
            }

            // Granted just as it was cancelled: give the bytes back.
            Release(bytes);
            throw;
        }
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _available += bytes;
            Grant();
        }
    }

    private void Grant()
    {
        while (_waiting.First is { } first && first.Value.Bytes <= _available)
        {
            _available -= first.Value.Bytes;
            _waiting.RemoveFirst();
            first.Value.Ready.TrySetResult();
        }
    }

    private sealed class Lease(ByteBudget budget, long bytes) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                budget.Release(bytes);
            }
        }
    }
}
