using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Hookline.Smtp;

/// <summary>Configuration of an <see cref="SmtpServer"/>. Defaults follow RFC 5321 where it names a value.</summary>
public sealed class SmtpServerOptions
{
    /// <summary>Where to listen. Port 0 picks a free port; <see cref="SmtpServer.LocalEndPoint"/> tells which.</summary>
    public IPEndPoint EndPoint { get; set; } = new(IPAddress.Loopback, 25);

    /// <summary>The name the server gives in its greeting and its EHLO reply.</summary>
    public string ServerName { get; set; } = "localhost";

    /// <summary>
    /// Addresses accepted as recipients, compared case-insensitively in both the local part and the
    /// domain. Together with <see cref="AcceptedDomains"/>: a recipient is accepted when either matches.
    /// When both are empty, no recipient is accepted. Postmaster is no exception (every accepted message
    /// becomes a report): list <c>postmaster@&lt;server name&gt;</c> to accept it, bare or not.
    /// </summary>
    public ICollection<string> AcceptedRecipients { get; } = new List<string>();

    /// <summary>Domains whose every address is accepted (case-insensitive, exact domain, no subdomains).</summary>
    public ICollection<string> AcceptedDomains { get; } = new List<string>();

    /// <summary>The largest message accepted, in octets after dot-unstuffing; advertised with SIZE.</summary>
    public long MaxMessageSize { get; set; } = 25 * 1024 * 1024;

    /// <summary>Message text kept in memory per session; beyond it the text goes to a spool file in <see cref="SpoolDirectory"/>.</summary>
    public int SpoolThreshold { get; set; } = 1024 * 1024;

    /// <summary>Where spool files are written (created 0600, deleted as soon as the message is handed over or refused); null: the system's temporary folder.</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>
    /// Bytes of messages held in memory at once while being handed to the handler, over all sessions;
    /// a session past it waits its turn. A message larger than this still goes through, alone.
    /// </summary>
    public long MaxBytesInFlight { get; set; } = 256L * 1024 * 1024;

    /// <summary>Sessions served at once for one client address; one more gets 421 4.3.2, so one client cannot take every session.</summary>
    public int MaxSessionsPerClient { get; set; } = 10;

    /// <summary>Recipients per transaction; more get 452 4.5.3 (RFC 5321 4.5.3.1.8 asks for at least 100).</summary>
    public int MaxRecipients { get; set; } = 100;

    /// <summary>Sessions served at once; a connection beyond this gets 421 4.3.2 and is closed.</summary>
    public int MaxSessions { get; set; } = 100;

    /// <summary>How long the server waits for a command (RFC 5321 4.5.3.2.7: at least five minutes).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the server waits for each further block of message data (RFC 5321 4.5.3.2.5: three minutes).</summary>
    public TimeSpan DataTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The longest command line, in octets including CRLF. RFC 5321 4.5.3.1.4 sets 512 as the minimum a
    /// server must accept; the default leaves room for parameters and internationalised addresses.
    /// Message text lines are not limited (only the message size is).
    /// </summary>
    public int MaxLineLength { get; set; } = 1000;

    /// <summary>Error replies to commands (syntax, sequence, unknown recipient...) after which the session is closed with 421.</summary>
    public int MaxBadCommands { get; set; } = 20;

    /// <summary>The certificate for STARTTLS; STARTTLS is offered only when one is set.</summary>
    public X509Certificate2? Certificate { get; set; }

    /// <summary>When true, MAIL is refused with 530 5.7.0 until the session has negotiated TLS.</summary>
    public bool RequireTls { get; set; }

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(EndPoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(ServerName);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxMessageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxMessageSize, Array.MaxLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRecipients, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSessions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSessionsPerClient, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(SpoolThreshold, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytesInFlight, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineLength, 512);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxLineLength, 32 * 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBadCommands, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CommandTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(DataTimeout, TimeSpan.Zero);
        if (ServerName.Any(c => c <= ' ' || c > '~'))
        {
            throw new ArgumentException("The server name must be printable ASCII without spaces.", nameof(ServerName));
        }

        if (RequireTls && Certificate is null)
        {
            throw new ArgumentException("RequireTls needs a Certificate for STARTTLS.", nameof(RequireTls));
        }
    }
}
