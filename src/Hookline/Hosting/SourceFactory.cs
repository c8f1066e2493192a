using System.Net;
using Hookline.Configuration;
using Hookline.Imap;
using Hookline.Intake.Sources;
using Hookline.Intake.Sources.Folder;
using Hookline.Intake.Sources.Graph;
using Hookline.Intake.Sources.Imap;
using Hookline.Intake.Sources.Smtp;

namespace Hookline.Hosting;

/// <summary>Builds the configured sources. The data folder's <c>inbox</c> drop folder is always one of them.</summary>
internal static class SourceFactory
{
    public static List<IReportSource> Create(string dataDirectory, IReadOnlyList<SourceConfig> configured, IReportSink sink, ISourceCursorStore cursors, ILoggerFactory logging)
    {
        var sources = new List<IReportSource>
        {
            new FolderSource(new FolderSourceOptions { Name = "inbox", Path = Path.Combine(dataDirectory, "inbox") }, sink, logging.CreateLogger<FolderSource>()),
        };
        foreach (var (config, index) in configured.Select((s, i) => (s, i)))
        {
            // Required fields and their shapes were checked when hookline.yaml was read (SourceConfig's Problems).
            var type = config.Type!.Value;
            var name = config.Name ?? $"{ConfigChoiceConverter.Name(type.ToString())}-{index + 1}";
            sources.Add(type switch
            {
                SourceType.Folder => new FolderSource(
                    new FolderSourceOptions
                    {
                        Name = name,
                        Path = DropFolder(dataDirectory, name, config.Path),
                        PollInterval = TimeSpan.FromSeconds(config.PollSeconds ?? 2),
                        MaxMessageBytes = config.MaxMessageBytes ?? 100L * 1024 * 1024,
                        Owners = config.Owners,
                    },
                    sink,
                    logging.CreateLogger<FolderSource>()),
                SourceType.Imap => new ImapSource(ImapOptions(dataDirectory, config, name), sink, cursors, logging.CreateLogger<ImapSource>()),
                SourceType.Smtp => new SmtpSource(SmtpOptions(dataDirectory, config, name), sink, loggers: logging),
                SourceType.Graph => new GraphSource(
                    new GraphSourceOptions
                    {
                        Name = name,
                        TenantId = config.TenantId!,
                        ClientId = config.ClientId!,
                        ClientSecret = config.ClientSecret!,
                        Mailbox = config.Mailbox!,
                        Folder = config.Folder ?? "inbox",
                        ProcessedFolder = config.ProcessedFolder,
                        PollInterval = TimeSpan.FromSeconds(config.PollSeconds ?? 60),
                        MaxMessageBytes = config.MaxMessageBytes ?? 100L * 1024 * 1024,
                        BaseUrl = config.BaseUrl is null ? GraphSourceOptions.GlobalBaseUrl : new Uri(config.BaseUrl),
                    },
                    sink,
                    cursors,
                    logging.CreateLogger<GraphSource>()),
                _ => throw new ConfigException($"source {name}: unknown type {type}"),
            });
        }

        return sources;
    }

    /// <summary>
    /// A folder source's folder, relative to the data folder. It may not be the data folder or hold it:
    /// the source would take <c>hookline.yaml</c>, the database and the keys in as reports.
    /// </summary>
    internal static string DropFolder(string dataDirectory, string name, string? path)
    {
        var folder = Path.GetFullPath(Path.Combine(dataDirectory, path ?? throw new ConfigException($"source {name}: 'path' is required")));
        var data = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDirectory));
        var relative = Path.GetRelativePath(folder, data);
        var outside = relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative);
        if (!outside)
        {
            throw new ConfigException($"source {name}: path '{path}' is the data folder or holds it; a drop folder must be a folder of its own (for example 'drop')");
        }

        return folder;
    }

    private static ImapSourceOptions ImapOptions(string dataDirectory, SourceConfig config, string name)
    {
        var security = (config.Security ?? TransportSecurity.Tls) switch
        {
            TransportSecurity.StartTls => ImapSecurity.StartTls,
            TransportSecurity.None => ImapSecurity.None,
            _ => ImapSecurity.Tls,
        };
        var xoauth2 = config.Auth == AuthMechanism.XOAuth2;
        var secret = config.Password!;
        return new ImapSourceOptions
        {
            Name = name,
            Host = config.Host!,
            Port = config.Port ?? (security == ImapSecurity.Tls ? 993 : 143),
            Security = security,
            User = config.User!,
            Password = xoauth2 ? null : secret,
            AccessTokenProvider = xoauth2 ? _ => ValueTask.FromResult(secret) : null,
            Folder = config.Folder ?? "INBOX",
            ProcessedFolder = config.ProcessedFolder ?? "Hookline/Processed",
            PollInterval = TimeSpan.FromSeconds(config.PollSeconds ?? 60),
            MaxMessageSize = config.MaxMessageBytes ?? 100L * 1024 * 1024,
        };
    }

    private static SmtpSourceOptions SmtpOptions(string dataDirectory, SourceConfig config, string name)
    {
        var options = new SmtpSourceOptions
        {
            Name = name,
            EndPoint = IPEndPoint.Parse(config.Listen ?? "127.0.0.1:2525"),
            ServerName = config.Host ?? Environment.MachineName,
            MaxMessageSize = config.MaxMessageBytes ?? 100L * 1024 * 1024,
            CertificatePath = config.Certificate is null ? null : Path.Combine(dataDirectory, config.Certificate),
            KeyPath = config.CertificateKey is null ? null : Path.Combine(dataDirectory, config.CertificateKey),
            RequireTls = config.RequireTls,
            MaxSessionsPerClient = config.MaxSessionsPerClient ?? 10,
            SpoolDirectory = Path.Combine(dataDirectory, "spool", "smtp"),
        };
        foreach (var recipient in config.Recipients)
        {
            options.Recipients.Add(recipient);
        }

        return options;
    }
}
