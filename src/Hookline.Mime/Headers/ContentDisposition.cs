using System.Text;
using Hookline.Mime.Text;

namespace Hookline.Mime.Headers;

/// <summary>
/// A parsed Content-Disposition (RFC 2183), with the file name decoded (RFC 2231 / RFC 2047).
/// A value that starts with parameters and no disposition token is read as "attachment" when it
/// names a file, "inline" otherwise, with a warning.
/// </summary>
public sealed class ContentDisposition
{
    public ContentDisposition(string disposition, ParameterList parameters)
    {
        Disposition = disposition;
        Parameters = parameters;
    }

    /// <summary>"inline", "attachment" or whatever token was written, lower-case.</summary>
    public string Disposition { get; }

    public ParameterList Parameters { get; }

    public bool IsAttachment => Disposition == "attachment";

    public string? FileName => Parameters["filename"];

    public static ContentDisposition Parse(ReadOnlySpan<byte> rawValue, List<MimeWarning>? warnings = null, long offset = 0)
    {
        if (rawValue.Length <= 512 && Ascii.IsValid(rawValue))
        {
            Span<char> chars = stackalloc char[rawValue.Length];
            Ascii.ToUtf16(rawValue, chars, out _);
            return Parse(chars, warnings, offset);
        }

        return Parse(Charsets.DecodeUnlabelled(rawValue).AsSpan(), warnings, offset);
    }

    /// <summary>Parses an already decoded value. Never throws.</summary>
    public static ContentDisposition Parse(ReadOnlySpan<char> text, List<MimeWarning>? warnings = null, long offset = 0)
    {
        var i = HeaderSyntax.SkipCfws(text, 0);
        var start = i;
        while (i < text.Length && HeaderSyntax.IsTokenChar(text[i]))
        {
            i++;
        }

        var token = text[start..i];
        var after = HeaderSyntax.SkipCfws(text, i);
        if (after < text.Length && text[after] == '=')
        {
            // No disposition, just parameters ("filename=a.pdf").
            var onlyParameters = ParameterList.Parse(text[start..], warnings, offset + start);
            var guessed = onlyParameters["filename"] is null ? "inline" : "attachment";
            warnings?.Add(new MimeWarning(MimeWarningCode.InvalidParameter, offset + start, $"Content-Disposition has no disposition type; read as {guessed}."));
            return new ContentDisposition(guessed, onlyParameters);
        }

        var parameters = after < text.Length ? ParameterList.Parse(text[after..], warnings, offset + after) : ParameterList.Empty;
        return new ContentDisposition(Intern(token), parameters);
    }

    private static string Intern(ReadOnlySpan<char> token)
    {
        if (token.Equals("attachment", StringComparison.OrdinalIgnoreCase))
        {
            return "attachment";
        }

        if (token.Equals("inline", StringComparison.OrdinalIgnoreCase))
        {
            return "inline";
        }

        return token.ToString().ToLowerInvariant();
    }
}
