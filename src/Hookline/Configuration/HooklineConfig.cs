using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Hookline.Configuration;

/// <summary>
/// The server's configuration file, <c>DATA/hookline.yaml</c> (docs/configuration.md): the database,
/// the organisation's settings file, intake filters, analysis workers and the sources. Every part is
/// optional; an absent file means SQLite in the data folder, default settings, no sources but the
/// data folder's <c>inbox</c>.
/// </summary>
public sealed class HooklineConfig
{
    public StorageConfig Storage { get; set; } = new();

    /// <summary>The organisation's settings file (docs/rules.md), relative to the data folder. Default: <c>settings.yaml</c> when it exists.</summary>
    public string? Settings { get; set; }

    public FilterConfig Filters { get; set; } = new();

    public WorkerConfig Workers { get; set; } = new();

    public List<SourceConfig> Sources { get; set; } = [];

    /// <summary>How notifications are delivered (docs/notifications.md); the texts are edited in the web UI.</summary>
    public NotificationsConfig Notifications { get; set; } = new();

    /// <summary>The web server behind a TLS proxy: which proxies to believe, and whether cookies are always Secure.</summary>
    public WebConfig Web { get; set; } = new();

    /// <summary>Reads the file; a missing file gives the defaults. Throws <see cref="ConfigException"/> with the position of what is wrong.</summary>
    public static HooklineConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            return new HooklineConfig();
        }

        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).WithTypeConverter(new ConfigChoiceConverter())
            .WithNodeDeserializer(inner => new CheckedSections(inner), where => where.InsteadOf<YamlDotNet.Serialization.NodeDeserializers.ObjectNodeDeserializer>())
            .Build();
        try
        {
            return deserializer.Deserialize<HooklineConfig?>(File.ReadAllText(path)) ?? new HooklineConfig();
        }
        catch (YamlException e)
        {
            var detail = e.InnerException?.Message ?? e.Message;
            throw new ConfigException($"{path}:{e.Start.Line}:{e.Start.Column}: {detail}", e);
        }
    }
}

public sealed class StorageConfig
{
    /// <summary>An Npgsql connection string; when set, PostgreSQL is used instead of SQLite. The environment variable HOOKLINE_DATABASE overrides it.</summary>
    public string? Postgres { get; set; }
}

public sealed class FilterConfig
{
    public List<string> Reporters { get; set; } = [];

    public List<string> ReporterDomains { get; set; } = [];

    public Dictionary<string, List<string>> Groups { get; set; } = [];

    public List<string> UserVerdicts { get; set; } = [];

    public List<HeaderContainsConfig> HeaderContains { get; set; } = [];
}

public sealed class HeaderContainsConfig
{
    public string Header { get; set; } = "";

    public string Word { get; set; } = "";
}

public sealed class WorkerConfig : IConfigSection
{
    /// <summary>Analysis workers in this process (each analyses a batch on every core). 0 runs none: intake only.</summary>
    public int Analysis { get; set; } = 1;

    /// <summary>Seconds a claimed batch stays leased before other workers may take it.</summary>
    public int LeaseSeconds { get; set; } = 60;

    IEnumerable<string> IConfigSection.Problems()
    {
        string?[] problems =
        [
            CheckedSections.OutOfRange("workers.analysis", Analysis, 0, 64),
            CheckedSections.OutOfRange("workers.leaseSeconds", LeaseSeconds, 1, 86_400),
        ];
        return problems.OfType<string>();
    }
}

/// <summary>One source. <see cref="Type"/> says which fields apply: imap, smtp, graph or folder.</summary>
public sealed class SourceConfig : IConfigSection
{
    /// <summary>Required: imap, smtp, graph or folder.</summary>
    public SourceType? Type { get; set; }

    public string? Name { get; set; }

    /// <summary>
    /// folder: the accounts (numeric user ids) whose files are taken; others go to <c>failed/</c>. Default:
    /// the account Hookline runs as (root's files are always taken).
    /// </summary>
    public List<uint>? Owners { get; set; }

    // imap
    public string? Host { get; set; }

    public int? Port { get; set; }

    /// <summary>imap: <c>tls</c> (default), <c>starttls</c> or <c>none</c>.</summary>
    public TransportSecurity? Security { get; set; }

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>imap: with the password (default: LOGIN/PLAIN), or <c>xoauth2</c> with <see cref="Password"/> holding the token.</summary>
    public AuthMechanism? Auth { get; set; }

    public string? Folder { get; set; }

    public string? ProcessedFolder { get; set; }

    public int? PollSeconds { get; set; }

    // smtp
    public string? Listen { get; set; }

    public List<string> Recipients { get; set; } = [];

    public long? MaxMessageBytes { get; set; }

    public string? Certificate { get; set; }

    public string? CertificateKey { get; set; }

    /// <summary>smtp: refuse MAIL until the client has started TLS (needs <see cref="Certificate"/>).</summary>
    public bool RequireTls { get; set; }

    /// <summary>smtp: sessions at once from one client address (default 10).</summary>
    public int? MaxSessionsPerClient { get; set; }

    // graph
    public string? TenantId { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string? Mailbox { get; set; }

    public string? BaseUrl { get; set; }

    // folder
    public string? Path { get; set; }

    IEnumerable<string> IConfigSection.Problems()
    {
        if (Type is not { } type)
        {
            yield return $"source {Name ?? "without a name"}: 'type' is required (imap, smtp, graph or folder)";
            yield break;
        }

        var where = $"source {Name ?? ConfigChoiceConverter.Name(type.ToString())}";
        var required = type switch
        {
            SourceType.Imap => new[] { ("host", Host), ("user", User), ("password", Password) },
            SourceType.Graph => [("tenantId", TenantId), ("clientId", ClientId), ("clientSecret", ClientSecret), ("mailbox", Mailbox)],
            SourceType.Folder => [("path", Path)],
            _ => [],
        };
        foreach (var (key, value) in required)
        {
            if (CheckedSections.Missing(where, key, value) is { } missing)
            {
                yield return missing;
            }
        }

        if (type == SourceType.Graph && CheckedSections.NotHttpUrl($"{where}: baseUrl", BaseUrl, "https://graph.microsoft.com/v1.0") is { } url)
        {
            yield return url;
        }

        if (type == SourceType.Smtp)
        {
            if (CheckedSections.NotEndPoint(where, Listen ?? "127.0.0.1:2525") is { } listen)
            {
                yield return listen;
            }

            if (Recipients.Count == 0)
            {
                yield return $"{where}: list the reporting addresses it accepts under 'recipients'";
            }

            if (RequireTls && Certificate is null)
            {
                yield return $"{where}: requireTls needs a certificate and certificateKey for STARTTLS";
            }
        }

        if (CheckedSections.OutOfRange($"{where}: port", Port, 1, 65_535) is { } port)
        {
            yield return port;
        }
    }
}

/// <summary>The web server's place in the network (docs/configuration.md, Behind a TLS proxy).</summary>
public sealed class WebConfig
{
    /// <summary>
    /// Addresses (or networks, <c>10.0.0.0/24</c>) of the reverse proxies in front of the server. Only a
    /// request from one of them may say, in X-Forwarded-For and X-Forwarded-Proto, who the client is and
    /// that it came over https; from anywhere else those headers are ignored. Empty: none is believed.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Mark the cookies Secure even on a plain-http request (the proxy speaks https to browsers); by default only on https.</summary>
    public bool SecureCookies { get; set; }

    /// <summary>
    /// A certificate (PEM, with <see cref="KeyCertificateKey"/> its private key, both relative to the data
    /// folder) whose public key encrypts the cookie-signing keys kept in the store: whoever reads the
    /// database alone then cannot forge a session. Servers sharing one PostgreSQL need the same
    /// certificate. Without it the keys are stored as they are (a warning at start says so).
    /// </summary>
    public string? KeyCertificate { get; set; }

    public string? KeyCertificateKey { get; set; }
}

/// <summary>Delivery of the emails Hookline sends: over SMTP, or through Microsoft Graph.</summary>
public sealed class NotificationsConfig : IConfigSection
{
    /// <summary>The web UI's address as people reach it; alerts link to <c>{publicUrl}/reports/{id}</c>.</summary>
    public string? PublicUrl { get; set; }

    public NotificationSmtpConfig? Smtp { get; set; }

    public NotificationGraphConfig? Graph { get; set; }

    /// <summary>Attempts before a message that keeps failing transiently is given up.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's delay in seconds; it doubles with each attempt.</summary>
    public double RetrySeconds { get; set; } = 30;

    /// <summary>How often the outbox and the acknowledgement/alert scan look for work when nothing wakes them.</summary>
    public double PollSeconds { get; set; } = 5;

    /// <summary>Let the alert webhook reach loopback, link-local and private addresses (a receiver inside the network); off, only public addresses are connected to.</summary>
    public bool AllowPrivateWebhooks { get; set; }

    /// <summary>A mail delivery is configured (an SMTP host or a Graph tenant): the condition under which the notification worker has a sender.</summary>
    public bool HasDelivery() => Smtp is { Host.Length: > 0 } || Graph is { TenantId.Length: > 0 };

    IEnumerable<string> IConfigSection.Problems()
    {
        string?[] problems =
        [
            Smtp is { Host.Length: > 0 } && Graph is { TenantId.Length: > 0 } ? "notifications: both smtp and graph are set; keep one" : null,
            CheckedSections.NotHttpUrl("notifications.publicUrl", PublicUrl, "https://hookline.contoso.com"),
            CheckedSections.OutOfRange("notifications.maxAttempts", MaxAttempts, 1, 100),
            CheckedSections.OutOfRange("notifications.retrySeconds", RetrySeconds, 0.1, 86_400),
            CheckedSections.OutOfRange("notifications.pollSeconds", PollSeconds, 0.2, 3_600),
        ];
        return problems.OfType<string>();
    }
}

public sealed class NotificationSmtpConfig : IConfigSection
{
    public string Host { get; set; } = "";

    /// <summary>Default: 587 for starttls, 465 for tls, 25 for none.</summary>
    public int? Port { get; set; }

    /// <summary><c>starttls</c> (default), <c>tls</c> (implicit) or <c>none</c>.</summary>
    public TransportSecurity? Security { get; set; }

    public string? User { get; set; }

    /// <summary>The password, or the OAuth 2.0 access token with <c>auth: xoauth2</c>.</summary>
    public string? Password { get; set; }

    /// <summary><c>plain</c>, <c>login</c> or <c>xoauth2</c>; by default (<c>auto</c>) the best the server offers.</summary>
    public AuthMechanism? Auth { get; set; }

    /// <summary>The name Hookline gives in EHLO (default: the machine's name).</summary>
    public string? ClientName { get; set; }

    /// <summary>MAIL FROM; by default the sender mailbox of the notification settings.</summary>
    public string? EnvelopeFrom { get; set; }

    public int? TimeoutSeconds { get; set; }

    IEnumerable<string> IConfigSection.Problems()
    {
        string?[] problems =
        [
            CheckedSections.Missing("notifications.smtp", "host", Host),
            CheckedSections.OutOfRange("notifications.smtp.port", Port, 1, 65_535),
            CheckedSections.OutOfRange("notifications.smtp.timeoutSeconds", TimeoutSeconds, 1, 3_600),
        ];
        return problems.OfType<string>();
    }
}

public sealed class NotificationGraphConfig : IConfigSection
{
    public string TenantId { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>The mailbox to send as; by default the sender mailbox of the notification settings.</summary>
    public string? Sender { get; set; }

    public string? BaseUrl { get; set; }

    IEnumerable<string> IConfigSection.Problems()
    {
        string?[] problems =
        [
            CheckedSections.Missing("notifications.graph", "tenantId", TenantId),
            CheckedSections.Missing("notifications.graph", "clientId", ClientId),
            CheckedSections.Missing("notifications.graph", "clientSecret", ClientSecret),
            CheckedSections.NotHttpUrl("notifications.graph.baseUrl", BaseUrl, "https://graph.microsoft.com/v1.0"),
        ];
        return problems.OfType<string>();
    }
}

public sealed class ConfigException(string message, Exception? inner = null) : Exception(message, inner);
