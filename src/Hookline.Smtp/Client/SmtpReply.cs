using System.Globalization;

namespace Hookline.Smtp.Client;

/// <summary>
/// One server reply (RFC 5321 4.2): a three-digit code, the enhanced status code when the server
/// sends them (RFC 3463, advertised by ENHANCEDSTATUSCODES, RFC 2034), and the text of every line.
/// </summary>
public sealed class SmtpReply
{
    public SmtpReply(int code, string? enhancedCode, IReadOnlyList<string> lines)
    {
        Code = code;
        EnhancedCode = enhancedCode;
        Lines = lines;
    }

    /// <summary>The reply code, 200 to 599.</summary>
    public int Code { get; }

    /// <summary>The enhanced status code of the first line (e.g. <c>5.1.1</c>), if there is one.</summary>
    public string? EnhancedCode { get; }

    /// <summary>The text of each line, without the code, the separator or the enhanced code.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>2yz.</summary>
    public bool IsPositive => Code is >= 200 and < 300;

    /// <summary>3yz: the server waits for more (354 after DATA, 334 during AUTH).</summary>
    public bool IsIntermediate => Code is >= 300 and < 400;

    /// <summary>4yz: try again later.</summary>
    public bool IsTransientFailure => Code is >= 400 and < 500;

    /// <summary>5yz: do not repeat this as it is.</summary>
    public bool IsPermanentFailure => Code >= 500;

    /// <summary>All lines as one string, for messages and logs.</summary>
    public string Text => string.Join(" / ", Lines);

    public override string ToString() =>
        EnhancedCode is null
            ? string.Create(CultureInfo.InvariantCulture, $"{Code} {Text}")
            : string.Create(CultureInfo.InvariantCulture, $"{Code} {EnhancedCode} {Text}");
}
