using System.Runtime.ExceptionServices;

namespace Hookline.Cli;

/// <summary>
/// Runs one function over many inputs on every core and hands the results over in input order, as
/// soon as each is ready, with at most <c>window</c> results computed ahead of the one being handed
/// over (memory stays bounded however many inputs there are). Unlike fixed batches, a slow input
/// holds back only the hand-over, never the other workers: they go on with the next inputs while it
/// runs. An exception thrown by the function is rethrown to the caller at that input's turn.
/// </summary>
internal static class OrderedWork
{
    public static void Run<TResult>(int count, Func<int, TResult> work, Action<int, TResult> deliver, int window, int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        if (count == 0)
        {
            return;
        }

        var results = new TResult[window];
        var errors = new ExceptionDispatchInfo?[window];
        var ready = new ManualResetEventSlim[window];
        for (var i = 0; i < window; i++)
        {
            ready[i] = new ManualResetEventSlim(false);
        }

        // A worker takes a permit before it takes an input; the hand-over returns it after delivering one.
        // So the inputs taken but not delivered are never more than the window, and slot i % window is free.
        using var space = new SemaphoreSlim(window, window);
        using var stop = new CancellationTokenSource();
        var next = -1;
        var threads = new Thread[Math.Min(workers, count)];
        for (var t = 0; t < threads.Length; t++)
        {
            threads[t] = new Thread(() =>
            {
                while (true)
                {
                    try
                    {
                        space.Wait(stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    var index = Interlocked.Increment(ref next);
                    if (index >= count)
                    {
                        space.Release();
                        return;
                    }

                    var slot = index % window;
                    try
                    {
                        results[slot] = work(index);
                    }
                    catch (Exception exception)
                    {
                        errors[slot] = ExceptionDispatchInfo.Capture(exception);
                    }

                    ready[slot].Set();
                }
            })
            {
                IsBackground = true,
                Name = $"analyze worker {t + 1}",
            };
            threads[t].Start();
        }

        try
        {
            for (var index = 0; index < count; index++)
            {
                var slot = index % window;
                ready[slot].Wait();
                ready[slot].Reset();
                if (errors[slot] is { } error)
                {
                    errors[slot] = null;
                    error.Throw();
                }

                var result = results[slot];
                results[slot] = default!;
                deliver(index, result);
                space.Release();
            }
        }
        finally
        {
            stop.Cancel();
            foreach (var thread in threads)
            {
                thread.Join();
            }

            foreach (var signal in ready)
            {
                signal.Dispose();
            }
        }
    }
}
