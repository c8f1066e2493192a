using BenchmarkDotNet.Attributes;
using Hookline.Testing.Generation;

namespace Hookline.Mime.Benchmarks;

/// <summary>
/// (a') Today's real-shaped mix from the generator (Exchange headers, HTML, attachments, forwarded
/// messages; 2 KB to 3 MB): 2,000 messages, parsed and every part decoded. Complements the 2002-era
/// SpamAssassin corpus, whose messages are smaller and mostly single-part.
/// </summary>
[MemoryDiagnoser]
public class GeneratedMixBenchmarks : IThroughputBenchmark
{
    private byte[][] _messages = [];

    public long BytesPerOperation => _messages.Sum(m => (long)m.Length);

    public int MessagesPerOperation => _messages.Length;

    [GlobalSetup]
    public void Setup() => _messages = MailGenerator.Corpus(2000, seed: 42).Select(m => m.Bytes).ToArray();

    [Benchmark]
    public long ParseMixAndDecodeEveryPart() => Workloads.ParseAndDecodeEveryPart(_messages);
}
