using BenchmarkDotNet.Attributes;
using Hookline.Testing.Generation;

namespace Hookline.Mime.Benchmarks;

/// <summary>
/// (b) A header-heavy 4 KB message: about 50 fields (a Received chain, Exchange X-MS-* fields,
/// authentication results, DKIM/ARC signatures) and a short body. One operation parses it once.
/// </summary>
[MemoryDiagnoser]
public class HeaderHeavyBenchmarks : IThroughputBenchmark
{
    private byte[] _message = [];

    public long BytesPerOperation => _message.Length;

    public int MessagesPerOperation => 1;

    [GlobalSetup]
    public void Setup() => _message = MailGenerator.HeaderHeavy(4096);

    [Benchmark]
    public int ParseHeaderHeavy() => MimeMessage.Parse(_message).Headers.Count;

    /// <summary>Parse, then decode the fields an analyst reads first.</summary>
    [Benchmark]
    public int ParseHeaderHeavyAndReadEnvelope()
    {
        var message = MimeMessage.Parse(_message);
        return (message.Subject?.Length ?? 0) + (message.Headers["From"]?.Length ?? 0) + (message.Headers["Authentication-Results"]?.Length ?? 0);
    }

    /// <summary>Only the header block (the reader stops at its end).</summary>
    [Benchmark]
    public int ParseHeadersOnly() => MimeMessage.ParseHeaders(_message).Headers.Count;
}
