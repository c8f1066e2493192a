using Hookline.Configuration;
using Hookline.Intake.Filters;
using Hookline.Reports.Pipeline;
using Hookline.Reports.Settings;
using Hookline.Storage;

namespace Hookline.Hosting;

/// <summary>
/// A data folder, opened: its path, hookline.yaml, the store (migrated), the analyzer with the
/// organisation's settings, and the intake filter. The commands open one; <see cref="HooklineServer.Build"/>
/// hands its parts to the libraries' registrations, so no service depends on the folder as a whole.
/// </summary>
internal sealed class DataFolder
{
    private DataFolder(string dataDirectory, HooklineConfig config, HooklineStore store, ReportAnalyzer analyzer, IntakeFilter filter)
    {
        DataDirectory = dataDirectory;
        Config = config;
        Store = store;
        Analyzer = analyzer;
        Filter = filter;
    }

    public string DataDirectory { get; }

    public HooklineConfig Config { get; }

    public HooklineStore Store { get; }

    public ReportAnalyzer Analyzer { get; }

    public IntakeFilter Filter { get; }

    /// <summary>The organisation's own domains from its settings file (empty without one).</summary>
    public IReadOnlyList<string> OrganizationDomains => Analyzer.Settings.OrganizationDomains;

    /// <summary>The data folder: the --data value, else HOOKLINE_DATA, else ./data.</summary>
    public static string ResolveDataDirectory(string? option) =>
        Path.GetFullPath(option ?? Environment.GetEnvironmentVariable("HOOKLINE_DATA") ?? "data");

    /// <summary>Opens the data folder (creating it 0700; an existing one open to others, and the settings' rule warnings, are written to standard error) and migrates the store. Throws <see cref="ConfigException"/> or <see cref="SettingsException"/> with what is wrong.</summary>
    public static async Task<DataFolder> OpenAsync(string dataDirectory, CancellationToken cancellationToken, TextWriter? warnings = null)
    {
        var warning = PrivateFiles.CreateFolder(dataDirectory);
        if (warning is not null)
        {
            await (warnings ?? Console.Error).WriteLineAsync($"hookline: warning: {warning}");
        }

        var config = HooklineConfig.Load(Path.Combine(dataDirectory, "hookline.yaml"));
        var postgres = Environment.GetEnvironmentVariable("HOOKLINE_DATABASE") ?? config.Storage.Postgres;
        var store = new HooklineStore(string.IsNullOrWhiteSpace(postgres) ? StorageOptions.Sqlite(dataDirectory) : StorageOptions.Postgres(postgres));
        await store.MigrateAsync(cancellationToken);

        var settingsPath = config.Settings is null ? Path.Combine(dataDirectory, "settings.yaml") : Path.Combine(dataDirectory, config.Settings);
        var analyzer = ReportAnalyzer.Default;
        if (config.Settings is not null || File.Exists(settingsPath))
        {
            var settings = OrganizationSettings.Load(settingsPath);
            // As analyze prints them: a rule naming a signal no stage reports would otherwise never match, silently.
            foreach (var settingsWarning in settings.Warnings)
            {
                await (warnings ?? Console.Error).WriteLineAsync($"hookline: {settingsWarning}");
            }

            analyzer = new ReportAnalyzer(settings.Analysis, settings.Assessor);
        }

        var filters = config.Filters;
        var filter = new IntakeFilter
        {
            Reporters = filters.Reporters,
            ReporterDomains = filters.ReporterDomains,
            Groups = filters.Groups.ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Value, StringComparer.OrdinalIgnoreCase),
            UserVerdicts = filters.UserVerdicts,
            HeaderContains = filters.HeaderContains.Select(h => new HeaderCondition(h.Header, h.Word)).ToList(),
        };
        return new DataFolder(dataDirectory, config, store, analyzer, filter);
    }
}
