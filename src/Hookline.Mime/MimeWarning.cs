namespace Hookline.Mime;

/// <summary>What kind of damage or limit a parse ran into. Stable names: they appear in JSON output.</summary>
public enum MimeWarningCode
{
    InvalidHeaderLine,
    HeaderFieldTooLong,
    HeaderBlockTooLarge,
    TooManyHeaderFields,
    MissingHeaderSeparator,
    InvalidContentType,
    MissingBoundary,
    MissingFinalBoundary,
    NoBoundaryFound,
    TooDeeplyNested,
    TooManyParts,
    InvalidBase64,
    InvalidQuotedPrintable,
    InvalidUuencode,
    UnknownTransferEncoding,
    EncodedMessageBody,
    DecodedSizeLimit,
    UnknownCharset,
    InvalidParameter,
    InvalidAddress,
    InvalidDate,
    OutlookFormat,
    Truncated,
}

/// <summary>A parse problem kept as data: what, where (byte offset in the parsed buffer) and a readable message.</summary>
public sealed record MimeWarning(MimeWarningCode Code, long Offset, string Message)
{
    public override string ToString() => $"{Code} at {Offset}: {Message}";
}
