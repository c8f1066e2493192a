namespace Hookline.Intake.Sources;

/// <summary>
/// One message as a source received it, before anything is made of it: the raw bytes exactly as
/// delivered, where they came from, and when.
/// </summary>
/// <param name="Source">The source's name as configured (e.g. <c>imap:reports</c>, <c>smtp</c>, <c>graph:reports</c>, <c>folder</c>, <c>ingest</c>).</param>
/// <param name="SourceKey">
/// What identifies the message inside its source, for the audit trail and diagnostics
/// (e.g. <c>INBOX;UIDVALIDITY=1700000000;UID=42</c>, a Graph message id, a file path, an SMTP session id).
/// Deduplication does not rely on it: a mailbox can renumber its messages.
/// </param>
/// <param name="Raw">The message bytes, verbatim.</param>
/// <param name="ReceivedAt">When the source received the message (the server's internal date when it has one).</param>
public sealed record IncomingReport(string Source, string SourceKey, byte[] Raw, DateTimeOffset ReceivedAt);
