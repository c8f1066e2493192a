namespace Hookline.Reports.Analysis.Relay;

/// <summary>One Received field (RFC 5321 section 4.4): who handed the message to whom, from which IP, when.</summary>
public sealed class ReceivedHop
{
    /// <summary>The name after "from" as written (the client's HELO name, or an address literal), without a trailing dot.</summary>
    public string? From { get; set; }

    /// <summary>The name after "by": the server that added the field.</summary>
    public string? By { get; set; }

    /// <summary>The client's IP address (IPv4 or IPv6), from the brackets or parentheses after "from".</summary>
    public string? Ip { get; set; }

    /// <summary>The date after the last ";", or null when absent or unreadable.</summary>
    public DateTimeOffset? At { get; set; }

    /// <summary>Position among the Received fields, 0 for the topmost (newest).</summary>
    public int Index { get; set; }

    /// <summary>The client's name as the server looked it up ("mail.example.com" in "(mail.example.com [192.0.2.1])"), when written.</summary>
    public string? FromReverseDns { get; set; }

    /// <summary>The HELO name when written apart from the "from" name ("helo=x", "(HELO x)").</summary>
    public string? Helo { get; set; }

    /// <summary>The server's own IP, when written ("by mx (10.0.0.1)").</summary>
    public string? ByIp { get; set; }

    /// <summary>The protocol and software words after "with" ("ESMTPS", "Microsoft SMTP Server").</summary>
    public string? With { get; set; }

    /// <summary>The link after "via" ("Frontend Transport").</summary>
    public string? Via { get; set; }

    /// <summary>The server's queue id.</summary>
    public string? Id { get; set; }

    /// <summary>The recipient after "for", without angle brackets.</summary>
    public string? For { get; set; }

    /// <summary>The comments of the field, joined and bounded (software versions, TLS details, "qmail 123 invoked from network").</summary>
    public string? Comments { get; set; }

    /// <summary>The date text as written after the last ";".</summary>
    public string? DateText { get; set; }

    /// <summary>This hop's time minus the previous (older, next below) hop's time, when both are known; negative when the clocks disagree.</summary>
    public TimeSpan? DelayFromPrevious { get; set; }

    /// <summary>The country of the client IP when Exchange Online says (Forefront CTRY), on the first external hop.</summary>
    public string? Country { get; set; }

    /// <summary>The field's value, unfolded and bounded to <see cref="ReceivedParser.MaxRawLength"/> characters.</summary>
    public string Raw { get; set; } = string.Empty;

    public override string ToString() => $"from {From} [{Ip}] by {By} at {At:O}";
}
