using BenchmarkDotNet.Attributes;

namespace Hookline.Mime.Benchmarks;

/// <summary>
/// (a) Real mixed mail: the SpamAssassin public corpus (6,046 messages, 32.5 MB; scripts/corpus.sh
/// installs it). One operation parses every message; the decode variant also undoes the transfer
/// encoding of every leaf part, as MimeKit's reference figure does.
/// </summary>
[MemoryDiagnoser]
public class CorpusBenchmarks : IThroughputBenchmark
{
    private byte[][] _messages = [];

    public long BytesPerOperation => _messages.Sum(m => (long)m.Length);

    public int MessagesPerOperation => _messages.Length;

    [GlobalSetup]
    public void Setup() => _messages = BenchmarkInputs.SpamAssassinCorpus();

    [Benchmark]
    public int ParseCorpus()
    {
        var entities = 0;
        foreach (var bytes in _messages)
        {
            entities += MimeMessage.Parse(bytes).Body.Depth + 1;
        }

        return entities;
    }

    [Benchmark]
    public long ParseCorpusAndDecodeEveryPart() => Workloads.ParseAndDecodeEveryPart(_messages);
}
