namespace Hookline.Mime.Addresses;

/// <summary>One item of an address list (RFC 5322 section 3.4): a mailbox or a group of mailboxes.</summary>
public abstract class InternetAddress
{
    private protected InternetAddress(string? name) => Name = name;

    /// <summary>The display name, decoded (RFC 2047 words, quotes removed); null when none was written.</summary>
    public string? Name { get; }
}
