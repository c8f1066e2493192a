using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Hookline.Mime.Benchmarks;

if (args is ["write-mix", var folder, var countText, ..])
{
    // Writes generated real-shaped messages as .eml files, for whole-process benchmarks (scripts/bench-analyze.sh).
    var count = int.Parse(countText, System.Globalization.CultureInfo.InvariantCulture);
    Directory.CreateDirectory(folder);
    foreach (var (message, index) in Hookline.Testing.Generation.MailGenerator.Corpus(count, seed: 7).Select((m, i) => (m, i)))
    {
        File.WriteAllBytes(Path.Combine(folder, $"generated-{index:D5}.eml"), message.Bytes);
    }

    return;
}

// In-process, so the throughput column sees the same inputs the benchmarks measured.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10))
    .AddColumn(new ThroughputColumn(ThroughputColumn.Unit.MegabytesPerSecond), new ThroughputColumn(ThroughputColumn.Unit.MessagesPerSecond))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(ThroughputColumn).Assembly).Run(args, config);
