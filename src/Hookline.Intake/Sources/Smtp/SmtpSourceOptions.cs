using System.Net;

namespace Hookline.Intake.Sources.Smtp;

/// <summary>Configuration of the SMTP intake: where to listen, which recipients are reports, TLS.</summary>
public sealed class SmtpSourceOptions
{
    /// <summary>The source's name, written into each <see cref="IncomingReport.Source"/>.</summary>
    public string Name { get; set; } = "smtp";

    /// <summary>Where to listen (port 0: any free port; see <see cref="SmtpSource.Listening"/>).</summary>
    public IPEndPoint EndPoint { get; set; } = new(IPAddress.Loopback, 2525);

    /// <summary>The host name in the greeting.</summary>
    public string ServerName { get; set; } = "localhost";

    /// <summary>Report addresses accepted as recipients (case-insensitive).</summary>
    public ICollection<string> Recipients { get; } = new List<string>();

    /// <summary>Domains whose every address is accepted.</summary>
    public ICollection<string> Domains { get; } = new List<string>();

    /// <summary>The largest message accepted, in octets.</summary>
    public long MaxMessageSize { get; set; } = 25 * 1024 * 1024;

    /// <summary>A PEM certificate file for STARTTLS, with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>A PKCS#12 (.pfx) file holding certificate and key, instead of the PEM pair.</summary>
    public string? PfxPath { get; set; }

    /// <summary>The password of <see cref="PfxPath"/>, if any.</summary>
    public string? PfxPassword { get; set; }

    /// <summary>Refuse MAIL until the client has started TLS.</summary>
    public bool RequireTls { get; set; }

    /// <summary>Where message text beyond the memory threshold is spooled while it arrives; null: the system's temporary folder.</summary>
    public string? SpoolDirectory { get; set; }

    /// <summary>Sessions at once from one client address.</summary>
    public int MaxSessionsPerClient { get; set; } = 10;

    /// <summary>Bytes of messages held in memory at once while being committed, over all sessions.</summary>
    public long MaxBytesInFlight { get; set; } = 256L * 1024 * 1024;
}
