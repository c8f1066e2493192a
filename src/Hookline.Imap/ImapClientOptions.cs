using System.Net.Security;
using Microsoft.Extensions.Logging;

namespace Hookline.Imap;

/// <summary>How the connection is secured.</summary>
public enum ImapSecurity
{
    /// <summary>Plain TCP. Only for loopback and tests.</summary>
    None,

    /// <summary>Plain TCP upgraded with STARTTLS before authenticating (usually port 143). Fails if the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 993).</summary>
    Tls,
}

/// <summary>Limits, timeouts and TLS settings of an <see cref="ImapClient"/>.</summary>
public sealed class ImapClientOptions
{
    /// <summary>How long connecting (TCP, greeting and TLS) may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one command may wait for the server in all. A command that runs over closes the
    /// connection with an <see cref="ImapException"/>: its state is unknown after that.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest response line (without its literals) the client accepts.</summary>
    public int MaxLineLength { get; set; } = 4 * 1024 * 1024;

    /// <summary>The largest literal the client accepts; a larger announced literal is a protocol error.</summary>
    public long MaxLiteralSize { get; set; } = 128L * 1024 * 1024;

    /// <summary>Validates the server's certificate. Null: the platform's strict validation.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; set; }

    /// <summary>
    /// Capabilities the client acts as if the server had not advertised (e.g. <c>MOVE</c>, <c>LITERAL+</c>,
    /// <c>IDLE</c>): to work around a broken server, or to exercise fallback paths.
    /// </summary>
    public ISet<string> IgnoredCapabilities { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The most messages one MULTIAPPEND command carries.</summary>
    public int AppendBatchMessages { get; set; } = 250;

    /// <summary>The most message bytes one MULTIAPPEND command carries.</summary>
    public long AppendBatchBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>Where the client logs commands (never credentials) at Debug.</summary>
    public ILogger? Logger { get; set; }
}
