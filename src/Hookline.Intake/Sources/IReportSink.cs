namespace Hookline.Intake.Sources;

/// <summary>
/// Where sources hand their messages. A call returns only once the messages are durably committed,
/// so a source may acknowledge them (answer 250, move them to the processed folder, advance its
/// cursor) as soon as the call returns, and never before.
/// </summary>
/// <remarks>
/// Accepting is idempotent: a message already stored (the same bytes, or the same report delivered
/// again) comes back as <see cref="IntakeOutcome.Duplicate"/> with the existing report's id, so a
/// source that crashed before acknowledging can simply hand the same message in again.
/// </remarks>
public interface IReportSink
{
    /// <summary>Commits every message of the batch in one transaction; one receipt per message, in order.</summary>
    Task<IReadOnlyList<IntakeReceipt>> AcceptAsync(IReadOnlyList<IncomingReport> batch, CancellationToken cancellationToken);
}

/// <summary>What became of one accepted message.</summary>
public enum IntakeOutcome
{
    /// <summary>A new report was stored.</summary>
    Stored,

    /// <summary>The report was already stored; nothing new was written except an audit entry.</summary>
    Duplicate,
}

/// <summary>The outcome for one message and the id of the report that holds it.</summary>
public readonly record struct IntakeReceipt(IntakeOutcome Outcome, long ReportId);
