namespace Hookline.Mime.Addresses;

/// <summary>A named group ("Team: a@x, b@y;" or "undisclosed-recipients:;"), RFC 5322 section 3.4.</summary>
public sealed class GroupAddress : InternetAddress
{
    public GroupAddress(string? name, IReadOnlyList<MailboxAddress> members)
        : base(name)
    {
        Members = members;
    }

    /// <summary>The group's mailboxes, in order; empty for "name:;".</summary>
    public IReadOnlyList<MailboxAddress> Members { get; }

    public override string ToString() => $"{Name}: {string.Join(", ", Members)};";
}
