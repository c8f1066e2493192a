using Hookline.Cli;

namespace Hookline.Tests.Cli;

/// <summary>OrderedWork: every core busy, results handed over in input order, a bounded number ahead.</summary>
public sealed class OrderedWorkTests
{
    [Fact]
    public void Run_WhenInputsFinishOutOfOrder_DeliversEachInInputOrder()
    {
        var delivered = new List<int>();

        // Early inputs are the slow ones, so later ones finish first.
        OrderedWork.Run(200, i => { Thread.SpinWait((200 - i) * 200); return i * 2; }, (i, result) => delivered.Add(result / 2 == i ? i : -1), window: 16, workers: 4);

        Assert.Equal(Enumerable.Range(0, 200), delivered);
    }

    [Fact]
    public void Run_WhenOneInputIsSlow_TheOthersGoOnUpToTheWindowAndNoFurther()
    {
        const int Window = 8;
        using var release = new ManualResetEventSlim();
        var started = 0;
        var maxAhead = 0;
        var delivered = 0;

        OrderedWork.Run(
            100,
            i =>
            {
                var ahead = Interlocked.Increment(ref started) - Volatile.Read(ref delivered);
                InterlockedMax(ref maxAhead, ahead);
                if (i == 0)
                {
                    // Input 0 waits until the other worker has filled the window behind it.
                    SpinWait.SpinUntil(() => Volatile.Read(ref started) >= Window, TimeSpan.FromSeconds(10));
                    release.Set();
                }

                return i;
            },
            (_, _) => Interlocked.Increment(ref delivered),
            Window,
            workers: 2);

        Assert.True(release.IsSet);
        Assert.Equal(100, delivered);
        Assert.InRange(maxAhead, 1, Window);
    }

    [Fact]
    public void Run_WhenTheWorkThrows_DeliversWhatCameBeforeAndRethrowsAtItsTurn()
    {
        var delivered = new List<int>();

        var error = Assert.Throws<InvalidDataException>(() => OrderedWork.Run(
            50,
            i => i == 20 ? throw new InvalidDataException("input 20") : i,
            (_, result) => delivered.Add(result),
            window: 4,
            workers: 2));

        Assert.Equal("input 20", error.Message);
        Assert.Equal(Enumerable.Range(0, 20), delivered);
    }

    [Fact]
    public void Run_WhenThereIsNothingToDo_DeliversNothing()
    {
        var calls = 0;

        OrderedWork.Run(0, i => i, (_, _) => calls++, window: 4, workers: 2);

        Assert.Equal(0, calls);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
