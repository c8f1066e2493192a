namespace Hookline.Reports.Analysis.Structure;

/// <summary>The stable ids of the signals for limits the parser and the analysis ran into: what a limit hid is itself evidence.</summary>
public static class StructureSignals
{
    /// <summary>More parts than <c>MimeLimits.MaxParts</c>: the rest of the message was not parsed.</summary>
    public const string PartLimit = "structure.part-limit";

    /// <summary>Multiparts or attached messages nested deeper than <c>MimeLimits.MaxDepth</c>: the deepest were not parsed.</summary>
    public const string DepthLimit = "structure.depth-limit";

    /// <summary>A part (or an encoded attached message) that decodes to more than <c>MimeLimits.MaxDecodedBytes</c>: only its start was read.</summary>
    public const string DecodeLimit = "structure.decode-limit";

    /// <summary>Attached messages nested deeper than <c>AnalysisSettings.MaxAttachedMessageDepth</c>: the deepest were not analysed.</summary>
    public const string MessageDepthLimit = "structure.message-depth-limit";

    /// <summary>A risky file (a program, script, disk image, shortcut or HTML page) named where a limit stopped the parse or the analysis.</summary>
    public const string BeyondLimit = "attachment.beyond-limit";
}
