using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Hookline.Mime.Benchmarks;

// In-process, so the throughput column sees the same inputs the benchmarks measured.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10))
    .AddColumn(new ThroughputColumn(ThroughputColumn.Unit.MegabytesPerSecond), new ThroughputColumn(ThroughputColumn.Unit.MessagesPerSecond))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(ThroughputColumn).Assembly).Run(args, config);
