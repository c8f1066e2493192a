namespace Hookline.Reports.Analysis.QrCodes;

/// <summary>Why an image was not searched for a QR code.</summary>
public enum QrCutOff
{
    /// <summary>The report's image limit (<see cref="QrCodeLimits.MaxImages"/>) was reached.</summary>
    ImageLimit,

    /// <summary>The report's time budget (<see cref="QrCodeLimits.TimeBudget"/>) was spent.</summary>
    TimeLimit,
}

/// <summary>
/// What one report has spent on QR-code searching: images searched and time (the analysing thread's
/// CPU time, <see cref="ThreadCpuClock"/>). One instance per analysed report, shared by the message
/// and the messages attached to it; used by the one thread that analyses the report.
/// </summary>
public sealed class QrBudget(QrCodeLimits limits)
{
    private long _spentTicks;

    public QrCodeLimits Limits { get; } = limits;

    /// <summary>Images decoded and searched so far.</summary>
    public int ImagesSearched { get; private set; }

    /// <summary>Time spent decoding and searching so far.</summary>
    public TimeSpan Spent => TimeSpan.FromTicks(_spentTicks);

    /// <summary>Time left before <see cref="QrCodeLimits.TimeBudget"/>; zero when spent.</summary>
    public TimeSpan Remaining => Limits.TimeBudget > Spent ? Limits.TimeBudget - Spent : TimeSpan.Zero;

    /// <summary>Null when one more image may be searched (and counts it); otherwise what stops it.</summary>
    public QrCutOff? TryTake()
    {
        if (ImagesSearched >= Limits.MaxImages)
        {
            return QrCutOff.ImageLimit;
        }

        if (Remaining <= TimeSpan.Zero)
        {
            return QrCutOff.TimeLimit;
        }

        ImagesSearched++;
        return null;
    }

    /// <summary>A reading to pass to <see cref="Charge"/> when the work is done.</summary>
    public static long Start() => ThreadCpuClock.Now();

    /// <summary>Adds the time since <paramref name="start"/> (a <see cref="Start"/>) to what was spent.</summary>
    public void Charge(long start) => _spentTicks += Math.Max(0, ThreadCpuClock.Now() - start);
}
