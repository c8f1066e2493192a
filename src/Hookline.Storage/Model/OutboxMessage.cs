namespace Hookline.Storage.Model;

/// <summary>
/// An email Hookline must send (an acknowledgement, a result, an alert, a digest), rendered when it was
/// decided and sent by the outbox worker with retries. <see cref="IdempotencyKey"/> is unique, so one
/// decision can never queue two messages.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary><c>acknowledgement</c>, <c>result</c>, <c>alert</c>, <c>digest</c>.</summary>
    public required string Kind { get; set; }

    public long? ReportId { get; set; }

    public long? ReviewId { get; set; }

    /// <summary>E.g. <c>result:review:42</c>, <c>ack:report:7</c>.</summary>
    public required string IdempotencyKey { get; set; }

    public required string Recipient { get; set; }

    public required string Subject { get; set; }

    /// <summary>The whole message, ready for SMTP (RFC 5322 bytes with its own Message-ID).</summary>
    public required byte[] Content { get; set; }

    public OutboxStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTime NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? SentAt { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseUntil { get; set; }
}

public enum OutboxStatus
{
    /// <summary>Waiting (or waiting for a retry at <see cref="OutboxMessage.NextAttemptAt"/>).</summary>
    Pending,

    /// <summary>The message was handed over and the server was about to confirm; if the process stopped here, whether it went out is unknown, and it is not sent again by itself.</summary>
    Committing,

    Sent,

    /// <summary>Given up (permanent error or too many attempts), or unknown after a crash at the commit point; visible on the report.</summary>
    Failed,
}
