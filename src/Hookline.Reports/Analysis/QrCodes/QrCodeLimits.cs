namespace Hookline.Reports.Analysis.QrCodes;

/// <summary>
/// How much QR-code searching one report may cost. Decoding images is the most expensive thing the
/// analysis does, and a hostile message can carry hundreds of them or one that claims to be huge, so
/// every bound here is checked before the work and turned into a <c>url.qr-budget</c> finding when it
/// cuts work off. The analysed message and the messages attached to it share one budget.
/// </summary>
public sealed record QrCodeLimits
{
    public static QrCodeLimits Default { get; } = new();

    /// <summary>Images searched at most per report (inline, attached, and inside PDF and Office files).</summary>
    public int MaxImages { get; init; } = 8;

    /// <summary>Encoded images larger than this are not decoded (a QR code needs a few kilobytes, a phone photo a few megabytes).</summary>
    public int MaxImageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Images narrower or lower than this cannot hold a readable QR code (icons, spacers, tracking pixels): skipped silently.</summary>
    public int MinSide { get; init; } = 40;

    /// <summary>Images whose header claims more pixels than this are not decoded at all (decompression bombs, 30000×30000 headers).</summary>
    public long MaxDecodePixels { get; init; } = 16_000_000;

    /// <summary>Decoded images larger than this are scaled down (by a whole factor) before the QR search, whose cost grows with the pixels.</summary>
    public long MaxScanPixels { get; init; } = 2_000_000;

    /// <summary>
    /// The analysing thread's CPU time spent decoding and searching images per report (wall-clock time
    /// where CPU time cannot be read), checked between images and inside JPEG decoding (which can be cancelled).
    /// </summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromMilliseconds(250);
}
