namespace Hookline.Mime.Headers;

/// <summary>
/// A parsed Content-Type (RFC 2045 section 5). Type and subtype are lower-case; a value that cannot
/// be parsed gives the RFC default (text/plain; charset=us-ascii) and a warning.
/// FIRST VERSION: to be hardened with the full RFC 2045/2231 grammar.
/// </summary>
public sealed class ContentType
{
    public static ContentType Default { get; } = new("text", "plain", ParameterList.Empty);

    /// <summary>RFC 2046 5.1.5: the default type of a part inside multipart/digest.</summary>
    public static ContentType DigestDefault { get; } = new("message", "rfc822", ParameterList.Empty);

    public ContentType(string mediaType, string mediaSubtype, ParameterList parameters)
    {
        MediaType = mediaType;
        MediaSubtype = mediaSubtype;
        Parameters = parameters;
        MimeType = mediaType + "/" + mediaSubtype;
    }

    public string MediaType { get; }

    public string MediaSubtype { get; }

    /// <summary>"type/subtype", lower-case.</summary>
    public string MimeType { get; }

    public ParameterList Parameters { get; }

    public string? Boundary => Parameters["boundary"];

    public string? Charset => Parameters["charset"];

    public string? Name => Parameters["name"];

    public bool IsMultipart => MediaType == "multipart";

    /// <summary>An encapsulated message (message/rfc822, message/global): parsed as a message.</summary>
    public bool IsEncapsulatedMessage => MediaType == "message" && MediaSubtype is "rfc822" or "global" or "news";

    public bool Is(string mediaType, string mediaSubtype) =>
        MediaType == mediaType && (mediaSubtype == "*" || MediaSubtype == mediaSubtype);

    /// <summary>Parses a raw header value (as written, possibly folded). Never throws.</summary>
    public static ContentType Parse(ReadOnlySpan<byte> rawValue, List<MimeWarning>? warnings = null, long offset = 0)
    {
        var text = Text.Charsets.DecodeUnlabelled(rawValue).AsSpan().Trim();
        var semi = text.IndexOf(';');
        var typeText = (semi < 0 ? text : text[..semi]).Trim();
        var slash = typeText.IndexOf('/');
        if (slash <= 0 || slash == typeText.Length - 1)
        {
            warnings?.Add(new MimeWarning(MimeWarningCode.InvalidContentType, offset, "Content-Type has no type/subtype; using text/plain."));
            return Default;
        }

        var type = typeText[..slash].Trim().ToString().ToLowerInvariant();
        var subtype = typeText[(slash + 1)..].Trim().ToString().ToLowerInvariant();
        var parameters = semi < 0 ? ParameterList.Empty : ParameterList.Parse(text[(semi + 1)..], warnings, offset);
        return new ContentType(type, subtype, parameters);
    }

    public override string ToString() => MimeType;
}
