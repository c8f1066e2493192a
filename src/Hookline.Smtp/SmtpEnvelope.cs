using System.Net;

namespace Hookline.Smtp;

/// <summary>The SMTP envelope of one received message: it travels beside the bytes, never inside them.</summary>
public sealed record SmtpEnvelope
{
    /// <summary>The reverse-path of MAIL FROM, without angle brackets; empty for the null sender <c>&lt;&gt;</c>.</summary>
    public required string MailFrom { get; init; }

    /// <summary>The accepted recipients, in the order given, as the client spelled them.</summary>
    public required IReadOnlyList<string> Recipients { get; init; }

    /// <summary>The client's address.</summary>
    public required IPEndPoint RemoteEndPoint { get; init; }

    /// <summary>The name the client gave with EHLO or HELO.</summary>
    public required string HeloName { get; init; }

    /// <summary>Whether the message travelled over TLS (negotiated with STARTTLS).</summary>
    public required bool Secure { get; init; }

    /// <summary>The server's id for the connection, also written in its log lines.</summary>
    public required string SessionId { get; init; }

    /// <summary>The message's number within its session, from 1.</summary>
    public required int MessageNumber { get; init; }

    /// <summary>Whether MAIL FROM carried SMTPUTF8 (RFC 6531).</summary>
    public bool Utf8 { get; init; }

    /// <summary>Whether MAIL FROM declared BODY=8BITMIME (RFC 6152).</summary>
    public bool EightBitMime { get; init; }
}
