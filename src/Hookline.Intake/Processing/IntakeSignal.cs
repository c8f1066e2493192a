using Hookline.Storage;

namespace Hookline.Intake.Processing;

/// <summary>Lets sources wake the analysis workers as soon as something new is committed.</summary>
public sealed class IntakeSignal
{
    /// <summary>The analysis workers wait on it when the queue is empty; at most one wake-up is pending.</summary>
    public WakeSignal Wake { get; } = new();

    /// <summary>Asks for a worker to look at the queue; a no-op while one is already asked for.</summary>
    public void Notify() => Wake.Notify();
}
