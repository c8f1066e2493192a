namespace Hookline.Reports.Analysis.Urls;

/// <summary>The stable ids of the signals the URL analysis emits.</summary>
public static class UrlSignals
{
    public const string TextMismatch = "url.text-mismatch";
    public const string IpLiteral = "url.ip-literal";
    public const string Punycode = "url.punycode";
    public const string Shortener = "url.shortener";
    public const string CredentialForm = "url.credential-form";
    public const string MetaRefresh = "url.meta-refresh";
    public const string DataUri = "url.data-uri";
    public const string JavaScript = "url.javascript";
    public const string BlockedHost = "url.blocked-host";
    public const string UserInfo = "url.userinfo";
    public const string NonstandardPort = "url.nonstandard-port";
    public const string Defanged = "url.defanged";
    public const string Wrapped = "url.wrapped";
    public const string WrappedOpaque = "url.wrapped-opaque";
    public const string Many = "url.many";
    public const string Truncated = "url.truncated";
    public const string QrCode = "url.qr-code";
    public const string QrCodeLogin = "url.qr-code-login";
    public const string QrCodeOffsite = "url.qr-code-offsite";
    public const string QrBudget = "url.qr-budget";
    public const string QrUnreadable = "url.qr-unreadable";
    public const string HtmlScript = "html.script";
    public const string HtmlTooLarge = "html.too-large";
    public const string HtmlTooDeep = "html.too-deep";
}
