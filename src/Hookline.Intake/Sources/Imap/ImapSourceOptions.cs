using Hookline.Imap;

namespace Hookline.Intake.Sources.Imap;

/// <summary>Where and how an <see cref="ImapSource"/> reads the reporting mailbox.</summary>
public sealed class ImapSourceOptions
{
    /// <summary>The source's name, written into <see cref="IncomingReport.Source"/> (e.g. <c>imap:reports</c>).</summary>
    public string Name { get; set; } = "imap";

    public required string Host { get; set; }

    public int Port { get; set; } = 993;

    public ImapSecurity Security { get; set; } = ImapSecurity.Tls;

    public required string User { get; set; }

    /// <summary>The password (AUTHENTICATE PLAIN when offered, else LOGIN); unused when <see cref="AccessTokenProvider"/> is set.</summary>
    public string? Password { get; set; }

    /// <summary>Gives a current OAuth 2.0 access token for AUTHENTICATE XOAUTH2; asked on every connection.</summary>
    public Func<CancellationToken, ValueTask<string>>? AccessTokenProvider { get; set; }

    /// <summary>The folder reports arrive in.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>
    /// Where handed-in messages are moved, created if missing. <c>/</c> separates levels and is replaced by
    /// the server's hierarchy delimiter.
    /// </summary>
    public string ProcessedFolder { get; set; } = "Hookline/Processed";

    /// <summary>The most messages handed to the sink in one batch.</summary>
    public int BatchMessages { get; set; } = 50;

    /// <summary>The most bytes handed to the sink in one batch (a larger single message still goes alone).</summary>
    public long BatchBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Larger messages are not fetched: they stay in the folder and are logged once per UID.</summary>
    public long MaxMessageSize { get; set; } = 50L * 1024 * 1024;

    /// <summary>How often to look for new mail: a poll without IDLE; with IDLE, how often it is re-issued at the latest.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one IDLE lasts before it is re-issued; at most 29 minutes (RFC 2177).</summary>
    public TimeSpan IdleInterval { get; set; } = TimeSpan.FromMinutes(25);

    /// <summary>The first wait before reconnecting after a failure; it doubles up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeouts, limits and TLS validation of the connection.</summary>
    public ImapClientOptions Client { get; set; } = new();
}
