namespace Hookline.Mime.Tests.Outlook;

/// <summary>Reads synthesized messages back for assertions.</summary>
internal static class OutlookTestHelpers
{
    public static List<MimePart> Leaves(MimeMessage message, bool intoAttachedMessages = false) =>
        message.Entities(intoAttachedMessages).OfType<MimePart>().ToList();

    public static MimePart Leaf(MimeMessage message, string mimeType) =>
        Assert.Single(Leaves(message), p => p.ContentType.MimeType == mimeType);

    /// <summary>The decoded value of a top-level header.</summary>
    public static string? Header(MimeMessage message, string name) => message.Headers[name];

    /// <summary>The file name from Content-Disposition (RFC 2231 / RFC 2047 decoded), or null.</summary>
    public static string? FileName(MimeEntity entity) => entity.ContentDisposition?.FileName;

    public static bool HasWarning(MimeMessage message, string fragment) =>
        message.Warnings.Any(w => w.Message.Contains(fragment, StringComparison.OrdinalIgnoreCase));

    public static void NoInternalErrors(MimeMessage message) =>
        Assert.DoesNotContain(message.Warnings, w => w.Message.Contains("Internal error", StringComparison.Ordinal));
}
