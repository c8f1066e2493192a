using System.Buffers;
using System.Text;
using Hookline.Mime.Text;

namespace Hookline.Mime.Headers;

/// <summary>
/// A parsed Content-Type (RFC 2045 section 5). Type and subtype are lower-case. Tolerated with a
/// warning: a missing subtype ("text" gives text/plain), junk between the type and its parameters;
/// a value that cannot be parsed gives the RFC default (text/plain) and a warning.
/// </summary>
public sealed class ContentType
{
    public static ContentType Default { get; } = new("text", "plain", ParameterList.Empty);

    /// <summary>RFC 2046 5.1.5: the default type of a part inside multipart/digest.</summary>
    public static ContentType DigestDefault { get; } = new("message", "rfc822", ParameterList.Empty);

    public ContentType(string mediaType, string mediaSubtype, ParameterList parameters)
        : this(mediaType, mediaSubtype, parameters, mediaType + "/" + mediaSubtype)
    {
    }

    private ContentType(string mediaType, string mediaSubtype, ParameterList parameters, string mimeType)
    {
        MediaType = mediaType;
        MediaSubtype = mediaSubtype;
        Parameters = parameters;
        MimeType = mimeType;
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
        string.Equals(MediaType, mediaType, StringComparison.OrdinalIgnoreCase)
        && (mediaSubtype == "*" || string.Equals(MediaSubtype, mediaSubtype, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses a raw header value (as written, possibly folded). Never throws.</summary>
    public static ContentType Parse(ReadOnlySpan<byte> rawValue, List<MimeWarning>? warnings = null, long offset = 0)
    {
        if (Ascii.IsValid(rawValue))
        {
            if (rawValue.Length <= 512)
            {
                Span<char> chars = stackalloc char[rawValue.Length];
                Ascii.ToUtf16(rawValue, chars, out _);
                return Parse(chars, warnings, offset);
            }

            var rented = ArrayPool<char>.Shared.Rent(rawValue.Length);
            try
            {
                Ascii.ToUtf16(rawValue, rented, out _);
                return Parse(rented.AsSpan(0, rawValue.Length), warnings, offset);
            }
            finally
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }

        return Parse(Charsets.DecodeUnlabelled(rawValue).AsSpan(), warnings, offset);
    }

    /// <summary>Parses an already decoded value. Never throws.</summary>
    public static ContentType Parse(ReadOnlySpan<char> text, List<MimeWarning>? warnings = null, long offset = 0)
    {
        var i = HeaderSyntax.SkipCfws(text, 0);
        var typeStart = i;
        while (i < text.Length && HeaderSyntax.IsTokenChar(text[i]))
        {
            i++;
        }

        var type = text[typeStart..i];
        i = HeaderSyntax.SkipCfws(text, i);
        var subtype = ReadOnlySpan<char>.Empty;
        if (i < text.Length && text[i] == '/')
        {
            i = HeaderSyntax.SkipCfws(text, i + 1);
            var subStart = i;
            while (i < text.Length && HeaderSyntax.IsTokenChar(text[i]))
            {
                i++;
            }

            subtype = text[subStart..i];
            i = HeaderSyntax.SkipCfws(text, i);
        }

        if (i < text.Length && text[i] != ';')
        {
            warnings?.Add(new MimeWarning(MimeWarningCode.InvalidContentType, offset + i, "Unexpected text after the media type; read as parameters."));
        }

        var parameters = i < text.Length ? ParameterList.Parse(text[i..], warnings, offset + i) : ParameterList.Empty;
        if (type.IsEmpty)
        {
            warnings?.Add(new MimeWarning(MimeWarningCode.InvalidContentType, offset, "Content-Type has no media type; using text/plain."));
            return parameters.Count == 0 ? Default : new ContentType("text", "plain", parameters, "text/plain");
        }

        var mediaType = InternType(type);
        if (subtype.IsEmpty)
        {
            var fallback = mediaType switch
            {
                "text" => "plain",
                "multipart" => "mixed",
                _ => null,
            };
            if (fallback is null)
            {
                warnings?.Add(new MimeWarning(MimeWarningCode.InvalidContentType, offset, $"Content-Type \"{mediaType}\" has no subtype; using application/octet-stream."));
                return new ContentType("application", "octet-stream", parameters, "application/octet-stream");
            }

            warnings?.Add(new MimeWarning(MimeWarningCode.InvalidContentType, offset, $"Content-Type \"{mediaType}\" has no subtype; using {mediaType}/{fallback}."));
            return new ContentType(mediaType, fallback, parameters);
        }

        var mediaSubtype = InternSubtype(subtype);
        return new ContentType(mediaType, mediaSubtype, parameters, InternMimeType(mediaType, mediaSubtype));
    }

    public override string ToString() => MimeType;

    private static string InternType(ReadOnlySpan<char> type)
    {
        Span<char> lower = stackalloc char[Math.Min(type.Length, 32)];
        if (type.Length > 32)
        {
            return type.ToString().ToLowerInvariant();
        }

        type.ToLowerInvariant(lower);
        return lower switch
        {
            "text" => "text",
            "multipart" => "multipart",
            "application" => "application",
            "image" => "image",
            "message" => "message",
            "audio" => "audio",
            "video" => "video",
            "font" => "font",
            "model" => "model",
            _ => lower.ToString(),
        };
    }

    private static string InternSubtype(ReadOnlySpan<char> subtype)
    {
        if (subtype.Length > 32)
        {
            return subtype.ToString().ToLowerInvariant();
        }

        Span<char> lower = stackalloc char[subtype.Length];
        subtype.ToLowerInvariant(lower);
        return lower switch
        {
            "plain" => "plain",
            "html" => "html",
            "mixed" => "mixed",
            "alternative" => "alternative",
            "related" => "related",
            "rfc822" => "rfc822",
            "octet-stream" => "octet-stream",
            "pdf" => "pdf",
            "png" => "png",
            "jpeg" => "jpeg",
            "gif" => "gif",
            "calendar" => "calendar",
            "delivery-status" => "delivery-status",
            "report" => "report",
            "signed" => "signed",
            "pkcs7-signature" => "pkcs7-signature",
            "ms-tnef" => "ms-tnef",
            "zip" => "zip",
            _ => lower.ToString(),
        };
    }

    private static string InternMimeType(string type, string subtype) => (type, subtype) switch
    {
        ("text", "plain") => "text/plain",
        ("text", "html") => "text/html",
        ("multipart", "mixed") => "multipart/mixed",
        ("multipart", "alternative") => "multipart/alternative",
        ("multipart", "related") => "multipart/related",
        ("message", "rfc822") => "message/rfc822",
        ("application", "octet-stream") => "application/octet-stream",
        ("application", "pdf") => "application/pdf",
        ("image", "png") => "image/png",
        ("image", "jpeg") => "image/jpeg",
        _ => type + "/" + subtype,
    };
}
