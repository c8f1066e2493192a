using BenchmarkDotNet.Attributes;
using Hookline.Testing.Generation;

namespace Hookline.Mime.Benchmarks;

/// <summary>(c) A 10 MB message with a text and HTML body and several base64 attachments.</summary>
[MemoryDiagnoser]
public class LargeMessageBenchmarks : IThroughputBenchmark
{
    private byte[] _message = [];

    public long BytesPerOperation => _message.Length;

    public int MessagesPerOperation => 1;

    [GlobalSetup]
    public void Setup() => _message = MailGenerator.LargeWithAttachments(10 * 1024 * 1024);

    [Benchmark]
    public int ParseLarge() => MimeMessage.Parse(_message).Entities().Count;

    [Benchmark]
    public long ParseLargeAndDecodeEveryPart() => Workloads.ParseAndDecodeEveryPart([_message]);
}
