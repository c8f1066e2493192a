using Hookline.Mime;

namespace Hookline.Reports.Analysis.Structure;

/// <summary>
/// Turns the parser's limits into evidence. A message that has more parts than
/// <see cref="MimeLimits.MaxParts"/>, nests deeper than <see cref="MimeLimits.MaxDepth"/> or decodes
/// past <see cref="MimeLimits.MaxDecodedBytes"/> was either built to exhaust a scanner or is not mail
/// anyone sends: <c>structure.part-limit</c>, <c>structure.depth-limit</c>,
/// <c>structure.decode-limit</c>. What the part and depth limits left unparsed is still looked at,
/// within <see cref="ScanBudget"/> bytes per message: a cheap scan of the raw bytes for part headers
/// naming a program, script, disk image, shortcut or HTML page (<c>attachment.beyond-limit</c>).
/// Runs after the other stages, which decode the parts they read. Looks at the message's own
/// entities; its attached messages are analysed (and looked at) on their own.
/// </summary>
public sealed class StructureAnalyzer : IMessageAnalyzer
{
    /// <summary>Bytes the parser left unparsed that are scanned per message for hidden files.</summary>
    public const int ScanBudget = 16 * 1024 * 1024;

    /// <summary>Hidden files reported at most per message.</summary>
    public const int MaxHiddenFiles = 10;

    public void Analyze(AnalysisContext context) => Check(context.Message, context.Result, string.Empty);

    /// <summary>
    /// The limits a report's envelope ran into, added to the analysis of its original: the envelope
    /// is analysed no further, but when it is really the sender's own message taken for a forward
    /// (a message with a message attached), what its limits hid counts as well.
    /// </summary>
    public static void CheckEnvelope(MimeMessage envelope, MessageAnalysis analysis) => Check(envelope, analysis, "in the report's envelope: ");

    private static void Check(MimeMessage message, MessageAnalysis result, string where)
    {
        var limits = message.Limits;
        long partLimitBytes = 0, depthLimitBytes = 0;
        var decodeCut = new List<string>();
        var budget = ScanBudget;
        var scannedAll = true;
        var hidden = new List<(HiddenFile File, MimeWarningCode Limit)>();

        foreach (var entity in message.Entities(intoAttachedMessages: false))
        {
            switch (entity)
            {
                case Multipart { PartLimitReached: true } multipart:
                    partLimitBytes += multipart.Epilogue.Length;
                    Scan(multipart.Source.Span.Slice(multipart.Epilogue.Start, multipart.Epilogue.Length), MimeWarningCode.TooManyParts);
                    break;
                case MimePart { KeptUnparsedBy: { } limit } part:
                    if (limit == MimeWarningCode.TooManyParts)
                    {
                        partLimitBytes += part.ContentRange.Length;
                    }
                    else
                    {
                        depthLimitBytes += part.ContentRange.Length;
                    }

                    // An attached message kept whole may be base64: scan what it decodes to (its start, within the budget).
                    if (part.TransferEncoding is "base64" or "quoted-printable" && budget > 0)
                    {
                        var decoded = part.DecodeContentPrefix(budget);
                        scannedAll &= decoded.Length < budget;
                        Scan(decoded, limit);
                    }
                    else
                    {
                        Scan(part.Source.Span.Slice(part.ContentRange.Start, part.ContentRange.Length), limit);
                    }

                    break;
                case MimePart { DecodedSizeLimitReached: true } part:
                    decodeCut.Add(Label(part));
                    break;
                case MessagePart { DecodedSizeLimitReached: true } attached:
                    decodeCut.Add(Label(attached));
                    break;
            }
        }

        var unscanned = scannedAll ? string.Empty : $"; only the first {HiddenFiles.Bytes(ScanBudget)} bytes were scanned";
        if (partLimitBytes > 0)
        {
            result.Add(StructureSignals.PartLimit, $"{where}more than {HiddenFiles.Bytes(limits.MaxParts)} parts: the last {HiddenFiles.Bytes(partLimitBytes)} bytes were not parsed{unscanned}");
        }

        if (depthLimitBytes > 0)
        {
            result.Add(StructureSignals.DepthLimit, $"{where}parts nested deeper than {limits.MaxDepth} levels: {HiddenFiles.Bytes(depthLimitBytes)} bytes were not parsed{unscanned}");
        }

        if (decodeCut.Count > 0)
        {
            result.Add(StructureSignals.DecodeLimit, $"{where}{string.Join(", ", decodeCut.Take(3))} decode{(decodeCut.Count == 1 ? "s" : string.Empty)} to more than {HiddenFiles.Bytes(limits.MaxDecodedBytes)} bytes; only the start was read");
        }

        foreach (var (file, limit) in hidden)
        {
            var past = limit == MimeWarningCode.TooManyParts ? $"past the part limit ({HiddenFiles.Bytes(limits.MaxParts)} parts)" : $"past the depth limit ({limits.MaxDepth} levels)";
            result.Add(StructureSignals.BeyondLimit, $"{where}{file.Label} ({file.What}), {past}, not parsed");
        }

        void Scan(ReadOnlySpan<byte> region, MimeWarningCode limit)
        {
            if (region.Length > budget)
            {
                scannedAll = false;
                region = region[..budget];
            }

            budget -= region.Length;
            if (region.IsEmpty || hidden.Count >= MaxHiddenFiles)
            {
                return;
            }

            foreach (var file in HiddenFiles.ScanRaw(region, MaxHiddenFiles - hidden.Count))
            {
                if (!hidden.Exists(h => h.File == file))
                {
                    hidden.Add((file, limit));
                }
            }
        }
    }

    private static string Label(MimeEntity entity) => entity.FileName is { Length: > 0 } name ? name : $"a {entity.ContentType.MimeType} part";
}
