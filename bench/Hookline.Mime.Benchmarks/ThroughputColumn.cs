using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Hookline.Mime.Benchmarks;

/// <summary>A benchmark whose one operation processes a known number of bytes and messages.</summary>
public interface IThroughputBenchmark
{
    long BytesPerOperation { get; }

    int MessagesPerOperation { get; }
}

/// <summary>MB/s (10^6 bytes) or messages/s, from the mean time of one operation.</summary>
public sealed class ThroughputColumn(ThroughputColumn.Unit unit) : IColumn
{
    public enum Unit
    {
        MegabytesPerSecond,
        MessagesPerSecond,
    }

    public string Id => nameof(ThroughputColumn) + unit;

    public string ColumnName => unit == Unit.MegabytesPerSecond ? "MB/s" : "msg/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => (int)unit;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => unit == Unit.MegabytesPerSecond ? "Input bytes processed per second, in 10^6 bytes" : "Messages processed per second";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } statistics || benchmarkCase.Descriptor.Type.GetConstructor(Type.EmptyTypes) is null)
        {
            return "-";
        }

        var instance = Activator.CreateInstance(benchmarkCase.Descriptor.Type);
        if (instance is not IThroughputBenchmark throughput)
        {
            return "-";
        }

        benchmarkCase.Descriptor.GlobalSetupMethod?.Invoke(instance, null);
        var seconds = statistics.Mean / 1e9;
        var value = unit == Unit.MegabytesPerSecond
            ? throughput.BytesPerOperation / 1e6 / seconds
            : throughput.MessagesPerOperation / seconds;
        return value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
