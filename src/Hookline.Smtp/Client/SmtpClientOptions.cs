using System.Net.Security;

namespace Hookline.Smtp.Client;

/// <summary>How the connection is protected.</summary>
public enum SmtpSecurity
{
    /// <summary>Plaintext (only for loopback or a trusted network).</summary>
    None,

    /// <summary>Plaintext first, then STARTTLS (RFC 3207) before anything else; a server that does not offer it is refused.</summary>
    StartTls,

    /// <summary>TLS from the first byte (RFC 8314 "implicit TLS", port 465).</summary>
    Tls,
}

/// <summary>The SASL mechanisms the client speaks (RFC 4954).</summary>
public enum SmtpAuthMechanism
{
    /// <summary>The best the server offers of XOAUTH2 (when a token is given), PLAIN, LOGIN.</summary>
    Auto,

    /// <summary>RFC 4616.</summary>
    Plain,

    /// <summary>The widespread, never standardised LOGIN (user name and password each in its own base64 line).</summary>
    Login,

    /// <summary>Google's and Microsoft's OAuth 2.0 bearer-token mechanism; the password is the access token.</summary>
    XOAuth2,
}

/// <summary>Settings of one <see cref="SmtpClient"/>.</summary>
public sealed class SmtpClientOptions
{
    /// <summary>The name given in EHLO/HELO (RFC 5321 4.1.1.1: the client's fully qualified domain name, or an address literal).</summary>
    public string ClientName { get; set; } = "localhost";

    /// <summary>Bound on connecting, the greeting and each command's reply (RFC 5321 4.5.3.2 suggests 5 minutes).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Bound on the reply to the end of data (RFC 5321 4.5.3.2.6: 10 minutes).</summary>
    public TimeSpan DataTerminationTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Bound on writing each block of message data (RFC 5321 4.5.3.2.5: 3 minutes).</summary>
    public TimeSpan DataBlockTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Checks the server's certificate; null means the platform's validation (a trusted chain naming the host).</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>The name the certificate must carry; by default the host connected to.</summary>
    public string? TlsServerName { get; set; }

    /// <summary>Longest reply line accepted (RFC 5321 4.5.3.1.5 says 512; servers send more): longer replies are a protocol error.</summary>
    public int MaxReplyLineLength { get; set; } = 8192;

    /// <summary>Most lines in one reply.</summary>
    public int MaxReplyLines { get; set; } = 200;

    /// <summary>Use PIPELINING (RFC 2920) when the server offers it.</summary>
    public bool UsePipelining { get; set; } = true;
}

/// <summary>Credentials for AUTH. For <see cref="SmtpAuthMechanism.XOAuth2"/>, <see cref="Secret"/> is the access token.</summary>
public sealed record SmtpCredentials(string UserName, string Secret, SmtpAuthMechanism Mechanism = SmtpAuthMechanism.Auto);

/// <summary>What the server said about one message.</summary>
public sealed record SmtpSendResult(SmtpReply Reply, IReadOnlyList<string> AcceptedRecipients, IReadOnlyDictionary<string, SmtpReply> RejectedRecipients);
