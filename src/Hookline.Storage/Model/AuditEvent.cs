namespace Hookline.Storage.Model;

/// <summary>One entry of the audit trail: a state change of a report, or an action by a person or a worker.</summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    /// <summary>The report concerned, if any (logins and settings changes have none).</summary>
    public long? ReportId { get; set; }

    public DateTime At { get; set; }

    /// <summary>Who did it: a user name, <c>source:NAME</c>, <c>worker:ID</c>, <c>cli</c>.</summary>
    public required string Actor { get; set; }

    /// <summary>What happened; one of <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }

    /// <summary>Free text: the source key, the filter that skipped it, the error, the decision.</summary>
    public string? Detail { get; set; }
}

/// <summary>The audit trail's action names.</summary>
public static class AuditActions
{
    public const string Received = "received";
    public const string Duplicate = "duplicate";

    /// <summary>
    /// An arrival with a stored report's sender and Message-ID but other content (beyond the trace headers
    /// a redelivery adds): counted as that report, as a duplicate is, and said so with the arrival's hash
    /// and size; its bytes are not stored.
    /// </summary>
    public const string DuplicateDiffers = "duplicate-differs";
    public const string Analysed = "analysed";
    public const string Skipped = "skipped";
    public const string Failed = "failed";
    public const string Reprocessed = "reprocessed";
    public const string Reviewed = "reviewed";
    public const string Notified = "notified";

    /// <summary>A reporter's acknowledgement left out: the per-reporter hourly limit was reached.</summary>
    public const string AcknowledgementLimited = "acknowledgement-limited";
}
