using System.Diagnostics;

namespace Hookline.Storage;

/// <summary>
/// Named places in the intake and outbox paths where the fault tests kill the process, to prove that
/// a crash there loses and duplicates nothing (it lives here, below both). When the environment variable <c>HOOKLINE_FAULT_AT</c> names
/// a point, reaching it kills the process at once (as <c>kill -9</c> would: no finally blocks, no
/// flushing). Unset, a fault point costs one string comparison.
/// </summary>
public static class FaultPoint
{
    private static readonly string? Armed = Environment.GetEnvironmentVariable("HOOKLINE_FAULT_AT");

    /// <summary>Kills the process if <paramref name="name"/> is the armed point.</summary>
    public static void Hit(string name)
    {
        if (Armed is not null && string.Equals(Armed, name, StringComparison.Ordinal))
        {
            Process.GetCurrentProcess().Kill();
        }
    }
}
