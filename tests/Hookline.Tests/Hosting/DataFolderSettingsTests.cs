using Hookline.Hosting;
using Microsoft.Data.Sqlite;

namespace Hookline.Tests.Hosting;

/// <summary>What every storing command (serve, ingest, reprocess) says about the organisation's settings when it opens the data folder.</summary>
public sealed class RuntimeSettingsTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("hookline-folder-settings-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_rule_naming_a_signal_no_stage_reports_is_warned_about_as_analyze_does()
    {
        Directory.CreateDirectory(Path.Combine(_data, "rules"));
        File.WriteAllText(Path.Combine(_data, "rules", "local.yaml"), "version: 1\nrules:\n  - { id: typo, category: phishing, points: 30, when: url.text-missmatch, reason: 'Mismatch: {detail}' }\n");
        File.WriteAllText(Path.Combine(_data, "settings.yaml"), "assessment:\n  ruleFiles: [rules/local.yaml]\n");
        var warnings = new StringWriter();

        _ = await DataFolder.OpenAsync(_data, default, warnings);

        Assert.Contains("hookline: ", warnings.ToString(), StringComparison.Ordinal);
        Assert.Contains("rule 'typo' refers to signal 'url.text-missmatch'", warnings.ToString(), StringComparison.Ordinal);
        Assert.Contains("did you mean 'url.text-mismatch'?", warnings.ToString(), StringComparison.Ordinal);
    }
}
