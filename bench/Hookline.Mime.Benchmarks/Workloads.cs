namespace Hookline.Mime.Benchmarks;

/// <summary>The work the throughput benchmarks measure, written once.</summary>
internal static class Workloads
{
    /// <summary>Parses every message and undoes the transfer encoding of every leaf part; returns the decoded byte count.</summary>
    public static long ParseAndDecodeEveryPart(IEnumerable<byte[]> messages)
    {
        long decoded = 0;
        foreach (var bytes in messages)
        {
            foreach (var entity in MimeMessage.Parse(bytes).Entities())
            {
                if (entity is MimePart part)
                {
                    decoded += part.DecodeContent().Length;
                }
            }
        }

        return decoded;
    }
}
