using Hookline.Configuration;
using Hookline.Hosting;
using Hookline.Tests.Intake;

namespace Hookline.Tests.Hosting;

/// <summary>A folder source may not be the data folder or hold it: it would take hookline.yaml, the database and the keys in as reports.</summary>
public sealed class DropFolderConfigTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("hookline-drop-config-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Theory]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData("..")]
    [InlineData("inbox/..")]
    public void The_data_folder_or_a_folder_holding_it_is_refused(string path)
    {
        var error = Assert.Throws<ConfigException>(() => SourceFactory.DropFolder(_data, "drop", path));

        Assert.Contains("is the data folder or holds it", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("drop")]
    [InlineData("../elsewhere")]
    [InlineData("..data")]
    public void A_folder_of_its_own_is_taken(string path)
    {
        Assert.Equal(Path.GetFullPath(Path.Combine(_data, path)), SourceFactory.DropFolder(_data, "drop", path));
    }

    [Fact]
    public void The_accounts_whose_files_a_folder_takes_are_read_from_hookline_yaml()
    {
        var file = Path.Combine(_data, "hookline.yaml");
        File.WriteAllText(file, "sources:\n  - type: folder\n    name: drop\n    path: drop\n    owners: [1001, 65534]\n  - type: folder\n    name: own\n    path: own\n");

        var sources = HooklineConfig.Load(file).Sources;

        Assert.Equal([1001u, 65534u], sources[0].Owners);
        Assert.Null(sources[1].Owners);
    }

    [Fact]
    public void Serve_refuses_to_start_on_such_a_source_and_says_why()
    {
        File.WriteAllText(Path.Combine(_data, "hookline.yaml"), "sources:\n  - type: folder\n    name: everything\n    path: .\n");

        using var process = HooklineProcess.Start(null, "serve", "--data", _data, "--urls", "http://127.0.0.1:0");

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), process.Output);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("source everything: path '.' is the data folder or holds it", process.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_data, "hookline.yaml")));
    }
}
