using Hookline.Storage;

namespace Hookline.Intake.Tests.Storage;

/// <summary>
/// <see cref="WakeSignal"/>: a wake-up is never lost and several collapse into one. The timeouts are
/// generous bounds for a wait that must end by a wake-up; nothing here measures how long a wait took.
/// </summary>
public sealed class WakeSignalTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task WaitAsync_WhenNotifiedBeforeTheWait_ReturnsTrue()
    {
        var signal = new WakeSignal();

        signal.Notify();

        Assert.True(await signal.WaitAsync(Generous, CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_WhenNotifiedBeforeAZeroWait_ReturnsTrue()
    {
        var signal = new WakeSignal();

        signal.Notify();

        Assert.True(await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_WhenNotifiedManyTimesBeforeTheWait_WakesOnce()
    {
        var signal = new WakeSignal();

        for (var i = 0; i < 10; i++)
        {
            signal.Notify();
        }

        Assert.True(await signal.WaitAsync(Generous, CancellationToken.None));
        Assert.False(await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_WhenNotifiedDuringTheWait_ReturnsTrue()
    {
        var signal = new WakeSignal();
        var wait = signal.WaitAsync(Generous, CancellationToken.None);

        signal.Notify();

        Assert.True(await wait);
    }

    [Fact]
    public async Task WaitAsync_WhenNobodyNotifies_ReturnsFalse()
    {
        var signal = new WakeSignal();

        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));
        Assert.False(await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_WhenNotifiedAfterAWaitTimedOut_ReturnsTrueAtTheNextWait()
    {
        var signal = new WakeSignal();
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(20), CancellationToken.None));

        signal.Notify();

        Assert.True(await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_WhenTwoWaitAndOneNotify_WakesOneOfThem()
    {
        var signal = new WakeSignal();
        using var cancel = new CancellationTokenSource();
        var first = signal.WaitAsync(Timeout.InfiniteTimeSpan, cancel.Token);
        var second = signal.WaitAsync(Timeout.InfiniteTimeSpan, cancel.Token);

        signal.Notify();
        var woken = await Task.WhenAny(first, second);

        Assert.True(await woken);
        // The other has no wake-up left to take: only the cancellation ends it.
        var other = woken == first ? second : first;
        Assert.False(other.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => other);
    }

    [Fact]
    public async Task WaitAsync_WhenCancelledDuringTheWait_ThrowsOperationCanceled()
    {
        var signal = new WakeSignal();
        using var cancel = new CancellationTokenSource();
        var wait = signal.WaitAsync(Timeout.InfiniteTimeSpan, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public async Task WaitAsync_WhenAlreadyCancelled_ThrowsAndKeepsThePendingWakeUp()
    {
        var signal = new WakeSignal();
        signal.Notify();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signal.WaitAsync(Generous, new CancellationToken(canceled: true)));

        Assert.True(await signal.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }
}
