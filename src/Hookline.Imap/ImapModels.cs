namespace Hookline.Imap;

/// <summary>A mailbox after SELECT or EXAMINE.</summary>
public sealed class ImapMailboxInfo
{
    public required string Name { get; init; }

    /// <summary>True after EXAMINE, or when the server opened the mailbox read-only.</summary>
    public bool ReadOnly { get; internal set; }

    /// <summary>The number of messages; kept current by EXISTS and EXPUNGE responses.</summary>
    public uint Exists { get; internal set; }

    public uint Recent { get; internal set; }

    public uint UidValidity { get; internal set; }

    /// <summary>The next UID, or 0 when the server did not say.</summary>
    public uint UidNext { get; internal set; }

    public IReadOnlyList<string> Flags { get; internal set; } = [];

    public IReadOnlyList<string> PermanentFlags { get; internal set; } = [];
}

/// <summary>One mailbox from LIST: its decoded name, hierarchy delimiter and attributes (e.g. <c>\Noselect</c>).</summary>
public sealed record ImapListEntry(string Name, char? Delimiter, IReadOnlyList<string> Attributes);

/// <summary>A message's UID, size and internal date, without its body.</summary>
public sealed record ImapMessageSummary(uint Uid, long Size, DateTimeOffset InternalDate);

/// <summary>A fetched message: UID, internal date and its exact bytes.</summary>
public sealed record ImapFetchedMessage(uint Uid, DateTimeOffset InternalDate, byte[] Body);

/// <summary>
/// What a bounded fetch brought: the messages that fitted, and those it read and dropped, each with its
/// real size: <see cref="ImapDroppedMessage.TooLarge"/> over the per-message limit, else over the
/// batch's byte budget (fetch it again in another batch).
/// </summary>
public sealed record ImapFetchResult(IReadOnlyList<ImapFetchedMessage> Messages, IReadOnlyList<ImapDroppedMessage> Dropped);

/// <summary>A message read and not kept by a bounded fetch: its UID, its real size, and whether it is over the per-message limit.</summary>
public sealed record ImapDroppedMessage(uint Uid, long Size, bool TooLarge);

/// <summary>A message to APPEND, with optional flags and internal date.</summary>
public sealed record ImapAppendMessage(ReadOnlyMemory<byte> Body, IReadOnlyList<string>? Flags = null, DateTimeOffset? InternalDate = null);

/// <summary>Why <see cref="ImapClient.IdleAsync"/> returned.</summary>
public enum ImapIdleResult
{
    /// <summary>The time passed with nothing new.</summary>
    Timeout,

    /// <summary>The server reported new messages (EXISTS).</summary>
    NewMessages,

    /// <summary>The server reported messages removed (EXPUNGE or VANISHED) or changed.</summary>
    MailboxChanged,
}
