using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Hookline.Reports.Assessment;

namespace Hookline.Reports.Tests.AssessmentTests;

/// <summary>Every signal id an analyzer writes as a literal is in the catalogue, so rule files that use it load without a "did you mean" warning.</summary>
public partial class SignalCatalogueCoverageTests
{
    [GeneratedRegex("\"((?:auth|relay|sender|url|html|attachment|content|structure)\\.[a-z0-9.-]*[a-z0-9])\"")]
    private static partial Regex SignalLiteral();

    [Fact]
    public void Known_WhenAnalyzersEmitLiteralSignals_ListsEveryOne()
    {
        var analysis = Path.Combine(RepositoryRoot(), "src", "Hookline.Reports", "Analysis");
        var emitted = Directory.EnumerateFiles(analysis, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => SignalLiteral().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.True(emitted.Count > 50, $"Expected the analyzers' signal literals, found {emitted.Count}.");
        Assert.Empty(emitted.Except(SignalCatalogue.Known, StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", ".."));
}
