namespace Hookline.Reports.Analysis.Attachments;

/// <summary>The stable ids of the signals the attachment analysis emits.</summary>
public static class AttachmentSignals
{
    public const string TypeMismatch = "attachment.type-mismatch";
    public const string DoubleExtension = "attachment.double-extension";
    public const string Executable = "attachment.executable";
    public const string Script = "attachment.script";
    public const string DiskImage = "attachment.disk-image";
    public const string ArchiveEncrypted = "attachment.archive-encrypted";
    public const string ArchiveBomb = "attachment.archive-bomb";
    public const string ArchiveExecutable = "attachment.archive-executable";
    public const string ArchiveDamaged = "attachment.archive-damaged";
    public const string ArchiveNested = "attachment.archive-nested";
    public const string Macro = "attachment.macro";
    public const string OlePackage = "attachment.ole-package";
    public const string PdfJavaScript = "attachment.pdf-javascript";
    public const string PdfOpenAction = "attachment.pdf-open-action";
    public const string PdfLaunch = "attachment.pdf-launch";
    public const string PdfEmbeddedFile = "attachment.pdf-embedded-file";
    public const string PdfForm = "attachment.pdf-form";
    public const string PdfSubmitForm = "attachment.pdf-submit-form";
    public const string PdfUri = "attachment.pdf-uri";
    public const string PdfObfuscated = "attachment.pdf-obfuscated";
    public const string PdfPassword = "attachment.pdf-password";
    public const string Html = "attachment.html";
    public const string HtmlCredentialForm = "attachment.html-credential-form";
    public const string HtmlSmuggling = "attachment.html-smuggling";
    public const string HtmlRedirect = "attachment.html-redirect";
    public const string HtmlObfuscated = "attachment.html-obfuscated";
}
