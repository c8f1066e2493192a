namespace Hookline.Mime.Headers;

/// <summary>
/// A parsed Content-Disposition (RFC 2183), with the file name decoded (RFC 2231 / RFC 2047).
/// FIRST VERSION: to be hardened with the full grammar.
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
        var text = Text.Charsets.DecodeUnlabelled(rawValue).AsSpan().Trim();
        var semi = text.IndexOf(';');
        var token = (semi < 0 ? text : text[..semi]).Trim().ToString().ToLowerInvariant();
        var parameters = semi < 0 ? ParameterList.Empty : ParameterList.Parse(text[(semi + 1)..], warnings, offset);
        return new ContentDisposition(token, parameters);
    }
}
