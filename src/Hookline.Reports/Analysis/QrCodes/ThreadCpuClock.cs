using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Hookline.Reports.Analysis.QrCodes;

/// <summary>
/// The CPU time of the calling thread, so that a budget measures the work done and not how busy the
/// machine is: the same report gets the same QR findings on a quiet and on a loaded server. Linux's
/// <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>; elsewhere, or when it fails, wall-clock time.
/// </summary>
internal static class ThreadCpuClock
{
    private const int ClockThreadCpuTime = 3;

    private static readonly bool Available = Probe();

    /// <summary>True when <see cref="Now"/> is CPU time (false: wall-clock time).</summary>
    public static bool IsCpuTime => Available;

    /// <summary>The current reading, in <see cref="TimeSpan"/> ticks (100 ns).</summary>
    public static long Now()
    {
        if (Available && ClockGetTime(ClockThreadCpuTime, out var value) == 0)
        {
            return (value.Seconds * TimeSpan.TicksPerSecond) + (value.Nanoseconds / 100);
        }

        return Stopwatch.GetElapsedTime(0).Ticks;
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return ClockGetTime(ClockThreadCpuTime, out _) == 0;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out TimeSpec value);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
