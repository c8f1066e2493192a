using Hookline.Configuration;
using Hookline.Intake.Sources;
using Hookline.Intake.Sources.Folder;
using Hookline.Intake.Sources.Graph;

namespace Hookline.Hosting;

/// <summary>Builds the configured sources. The data folder's <c>inbox</c> drop folder is always one of them.</summary>
internal static class SourceFactory
{
    public static List<IReportSource> Create(Runtime runtime, IReportSink sink, ISourceCursorStore cursors, ILoggerFactory logging)
    {
        var sources = new List<IReportSource>
        {
            new FolderSource(new FolderSourceOptions { Name = "inbox", Path = Path.Combine(runtime.DataDirectory, "inbox") }, sink, logging.CreateLogger<FolderSource>()),
        };
        foreach (var (config, index) in runtime.Config.Sources.Select((s, i) => (s, i)))
        {
            var name = config.Name ?? $"{config.Type}-{index + 1}";
            sources.Add(config.Type.ToLowerInvariant() switch
            {
                "folder" => new FolderSource(
                    new FolderSourceOptions
                    {
                        Name = name,
                        Path = Path.Combine(runtime.DataDirectory, config.Path ?? throw new ConfigException($"source {name}: 'path' is required")),
                        PollInterval = TimeSpan.FromSeconds(config.PollSeconds ?? 2),
                        MaxMessageBytes = config.MaxMessageBytes ?? 100L * 1024 * 1024,
                    },
                    sink,
                    logging.CreateLogger<FolderSource>()),
                "graph" => new GraphSource(
                    new GraphSourceOptions
                    {
                        Name = name,
                        TenantId = Required(config.TenantId, name, "tenantId"),
                        ClientId = Required(config.ClientId, name, "clientId"),
                        ClientSecret = Required(config.ClientSecret, name, "clientSecret"),
                        Mailbox = Required(config.Mailbox, name, "mailbox"),
                        Folder = config.Folder ?? "inbox",
                        ProcessedFolder = config.ProcessedFolder,
                        PollInterval = TimeSpan.FromSeconds(config.PollSeconds ?? 60),
                        MaxMessageBytes = config.MaxMessageBytes ?? 100L * 1024 * 1024,
                        BaseUrl = config.BaseUrl is null ? GraphSourceOptions.GlobalBaseUrl : new Uri(config.BaseUrl),
                    },
                    sink,
                    cursors,
                    logging.CreateLogger<GraphSource>()),
                _ => throw new ConfigException($"source {name}: unknown type '{config.Type}' (imap, smtp, graph or folder)"),
            });
        }

        return sources;
    }

    private static string Required(string? value, string source, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new ConfigException($"source {source}: '{field}' is required") : value;
}
