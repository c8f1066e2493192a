using System.Security.Cryptography;

namespace Hookline.Reports.Analysis.QrCodes;

/// <summary>
/// What searching an encoded image found, remembered per process by the image's SHA-256 (and the
/// scan size, which can change the outcome). Reported phishing arrives in campaigns — the same
/// message from many reporters, the same logo and QR banner in every copy — and a sender's logos
/// repeat in every mail it sends, so most images a busy mailbox sees have been searched before.
/// A search is a pure function of the bytes, so a remembered outcome is the outcome; only finished
/// searches are kept (never one the time budget cut off). Bounded: when full it starts over.
/// </summary>
internal static class QrResultCache
{
    /// <summary>Outcomes kept at most (each a hash and a short text: a few megabytes when full).</summary>
    public const int Capacity = 16_384;

    private static readonly BoundedCache<Key, Outcome> Outcomes = new(Capacity);

    /// <summary>A finished search: the code's text (null when the image holds none), or why the image could not be read.</summary>
    public readonly record struct Outcome(string? Text, Exception? Unreadable);

    public readonly record struct Key(UInt128 High, UInt128 Low, long ScanPixels);

    public static Key KeyOf(ReadOnlySpan<byte> encoded, long scanPixels)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(encoded, digest);
        return FromDigest(digest, scanPixels);
    }

    /// <summary>The key of pixels described by <paramref name="description"/> (size, format, palette…) and made from <paramref name="data"/>.</summary>
    public static Key KeyOf(string description, ReadOnlySpan<byte> data, long scanPixels)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(description));
        hash.AppendData([0]);
        hash.AppendData(data);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        hash.GetHashAndReset(digest);
        return FromDigest(digest, scanPixels);
    }

    public static bool TryGet(Key key, out Outcome outcome) => Outcomes.TryGet(key, out outcome);

    public static void Add(Key key, Outcome outcome) => Outcomes.Add(key, outcome);

    private static Key FromDigest(ReadOnlySpan<byte> digest, long scanPixels) => new(
        System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(digest),
        System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(digest[16..]),
        scanPixels);
}
