using Hookline.Reports.Analysis;
using Xunit.Abstractions;

namespace Hookline.Reports.Tests.DomainsTests;

/// <summary>The header analyzers over the SpamAssassin public corpus (installed by scripts/corpus.sh).</summary>
public sealed class CorpusTests(ITestOutputHelper output)
{
    private static readonly AnalysisSettings Settings = new() { OrganizationDomains = ["example.com"], OrganizationName = "Example Corp" };

    [Fact]
    public void HeaderAnalyzers_WhenRunOverSpamAssassinCorpus_NeverThrowAndRecoverMostIpsAndDates()
    {
        var root = FindCorpus();
        Assert.True(root is not null, "The SpamAssassin corpus is missing: run scripts/corpus.sh.");
        var files = Directory.EnumerateFiles(root, "*.txt", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count > 6000, $"Only {files.Count} corpus files found.");

        long hops = 0, withIp = 0, withDate = 0, withFrom = 0, withFromClause = 0;
        var messages = 0;
        var authSeen = 0;
        var samples = new List<string>();
        var findings = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var analysis = AnalysisHarness.Run(File.ReadAllBytes(file), Settings);
            messages++;
            authSeen += analysis.Authentication.Results.Count > 0 || analysis.Authentication.ReceivedSpf.Count > 0 ? 1 : 0;
            foreach (var hop in analysis.Received)
            {
                hops++;
                withDate += hop.At is null ? 0 : 1;
                var hasFromClause = hop.Raw.TrimStart().StartsWith("from", StringComparison.OrdinalIgnoreCase);
                withFromClause += hasFromClause ? 1 : 0;
                withFrom += hop.From is null ? 0 : 1;
                withIp += hasFromClause && hop.Ip is not null ? 1 : 0;
                if (hasFromClause && hop.Ip is null && samples.Count < 10)
                {
                    samples.Add("no ip: " + hop.Raw);
                }
            }

            foreach (var f in analysis.Findings)
            {
                if (f.Signal == "sender.lookalike-domain" && samples.Count < 80)
                {
                    samples.Add(f.Detail);
                }

                findings[f.Signal] = findings.GetValueOrDefault(f.Signal) + 1;
            }
        }

        output.WriteLine($"messages {messages}, hops {hops}, dated {withDate} ({100.0 * withDate / hops:0.0}%), 'from' hops {withFromClause}, with IP {withIp} ({100.0 * withIp / withFromClause:0.0}%), from host {withFrom}, with auth fields {authSeen}");
        foreach (var (signal, count) in findings.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{signal}: {count}");
        }

        foreach (var sample in samples)
        {
            output.WriteLine(sample);
        }

        Assert.Equal(files.Count, messages);
        Assert.True(withDate >= hops * 0.95, $"Only {withDate} of {hops} hops dated.");
        Assert.True(withIp >= withFromClause * 0.90, $"Only {withIp} of {withFromClause} 'from' hops have an IP.");
    }

    private static string? FindCorpus()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            var candidate = Path.Combine(dir.FullName, ".cache", "corpus", "node_modules", "@stdlib", "datasets-spam-assassin", "data");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }

            dir = dir.Parent;
        }

        // scripts/test.sh says where scripts/corpus.sh put it (a git worktree has no .cache of its own).
        var fromEnvironment = Environment.GetEnvironmentVariable("HOOKLINE_SPAMASSASSIN_DIR");
        return !string.IsNullOrEmpty(fromEnvironment) && Directory.Exists(fromEnvironment) ? fromEnvironment : null;
    }
}
