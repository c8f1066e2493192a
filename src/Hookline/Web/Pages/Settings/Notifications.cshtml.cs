using System.Net;
using System.Text.RegularExpressions;
using Hookline.Notify;
using Hookline.Web.Security;
using Hookline.Web.Ui;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Hookline.Web.Pages.Settings;

/// <summary>
/// The notification settings: analysts see them (read-only), admins change them. Save, Restore defaults
/// and the logo go through <see cref="INotificationSettingsStore"/>, which validates and audits. The
/// preview is rendered here and shown in a sandboxed frame (its own CSP, see <see cref="UiSetup.PreviewPolicy"/>).
/// </summary>
public sealed partial class NotificationsModel(INotificationSettingsStore store, IAuthorizationService authorization) : PageModel
{
    /// <summary>What a preview can show: the acknowledgement, or the result email for a verdict.</summary>
    public static IReadOnlyList<(string Kind, string Label)> Kinds { get; } =
        [("phishing", "Result: Phishing"), ("spam", "Result: Spam"), ("noThreatsFound", "Result: No threats found"), ("acknowledgement", "Acknowledgement")];

    [BindProperty]
    public SettingsForm Input { get; set; } = new();

    [BindProperty]
    public IFormFile? Logo { get; set; }

    [BindProperty]
    public bool RemoveLogo { get; set; }

    internal bool CanEdit { get; private set; }

    /// <summary>The saved logo as a data: URL, or null.</summary>
    internal string? LogoUrl { get; private set; }

    internal Dictionary<string, string[]> Errors { get; private set; } = new(StringComparer.Ordinal);

    internal string? Message { get; private set; }

    /// <summary>Restore was asked for without the confirmation: show the confirm step.</summary>
    internal bool ConfirmRestore { get; private set; }

    internal string Kind { get; private set; } = "phishing";

    public async Task OnGetAsync(bool saved, bool restored, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Message = saved ? "Saved." : restored ? "The default settings are back." : null;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await IsAdminAsync())
        {
            return Forbid();
        }

        var current = await store.GetAsync(cancellationToken);
        var (settings, logoError) = await FromFormAsync(current, cancellationToken);
        if (logoError is not null)
        {
            Errors["logo"] = [logoError];
        }
        else
        {
            try
            {
                await store.SaveAsync(settings, User.Actor(), cancellationToken);
                return RedirectToPage(new { saved = true });
            }
            catch (NotificationSettingsException e)
            {
                Errors = e.Errors.ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);
            }
        }

        // Show the form again as typed, with the errors next to their fields.
        CanEdit = true;
        LogoUrl = DataUrl(current);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }

    public async Task<IActionResult> OnPostRestoreAsync(bool confirmed, CancellationToken cancellationToken)
    {
        if (!await IsAdminAsync())
        {
            return Forbid();
        }

        if (!confirmed)
        {
            await LoadAsync(cancellationToken);
            ConfirmRestore = true;
            return Page();
        }

        await store.RestoreDefaultsAsync(User.Actor(), cancellationToken);
        return RedirectToPage(new { restored = true });
    }

    /// <summary>The saved settings rendered (the frame's first content, and what read-only viewers see).</summary>
    public async Task<IActionResult> OnGetPreviewAsync(string? kind, CancellationToken cancellationToken) =>
        PreviewOf(await store.GetAsync(cancellationToken), kind);

    /// <summary>The unsaved form rendered: the settings form posts here into the frame (the script does it as the admin types).</summary>
    public async Task<IActionResult> OnPostPreviewAsync(string? kind, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(cancellationToken);
        if (!await IsAdminAsync())
        {
            // Read-only viewers post no fields (they are disabled): they see what is saved.
            return PreviewOf(current, kind);
        }

        var (settings, logoError) = await FromFormAsync(current, cancellationToken);
        return PreviewOf(logoError is null ? settings : settings with { LogoBase64 = current.LogoBase64, LogoContentType = current.LogoContentType }, kind);
    }

    private async Task<bool> IsAdminAsync() => (await authorization.AuthorizeAsync(User, Policies.Admin)).Succeeded;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var settings = await store.GetAsync(cancellationToken);
        Input = SettingsForm.From(settings);
        LogoUrl = DataUrl(settings);
        CanEdit = await IsAdminAsync();
    }

    /// <summary>The settings as the form says, keeping the saved logo unless a new one was chosen or Remove was ticked.</summary>
    private async Task<(NotificationSettings Settings, string? LogoError)> FromFormAsync(NotificationSettings current, CancellationToken cancellationToken)
    {
        var settings = Input.ToSettings(current);
        if (RemoveLogo)
        {
            return (settings with { LogoBase64 = null, LogoContentType = null }, null);
        }

        if (Logo is not { Length: > 0 })
        {
            return (settings, null);
        }

        var type = Logo.ContentType.Split(';')[0].Trim().ToLowerInvariant();
        if (!NotificationValidation.LogoTypes.Contains(type, StringComparer.Ordinal))
        {
            return (settings, "the logo must be PNG, JPEG or GIF (SVG is refused: it may carry script)");
        }

        if (Logo.Length > NotificationValidation.MaxLogoBytes)
        {
            return (settings, $"the logo is limited to {NotificationValidation.MaxLogoBytes / 1024} KB (it is {Logo.Length / 1024} KB)");
        }

        using var memory = new MemoryStream();
        await Logo.CopyToAsync(memory, cancellationToken);
        // The store checks the bytes against the type when saving.
        return (settings with { LogoContentType = type, LogoBase64 = Convert.ToBase64String(memory.ToArray()) }, null);
    }

    private IActionResult PreviewOf(NotificationSettings settings, string? kind)
    {
        Kind = Kinds.Any(k => k.Kind == kind) ? kind! : "phishing";
        var previewer = HttpContext.RequestServices.GetService<INotificationPreviewer>();
        string html;
        if (previewer is null)
        {
            html = Notice("No preview: this server has no notification composer.");
        }
        else
        {
            var errors = NotificationValidation.ValidateForPreview(settings);
            if (errors.Count > 0)
            {
                // Only what would break rendering stops the preview (the same rule as the API's); the rest is for Save.
                html = Notice("No preview: " + string.Join("; ", errors.SelectMany(e => e.Value)));
            }
            else
            {
                var preview = previewer.Preview(settings, Kind);
                html = WithSubject(WithLogo(preview.Html, settings), preview.Subject);
            }
        }

        Response.Headers.ContentSecurityPolicy = UiSetup.PreviewPolicy;
        Response.Headers.XFrameOptions = "SAMEORIGIN";
        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.CacheControl = "no-store";
        return Content(html, "text/html; charset=utf-8");
    }

    private static string Notice(string text) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p id=\"preview-error\">" + WebUtility.HtmlEncode(text) + "</p></body></html>";

    /// <summary>A browser cannot follow the email's <c>cid:</c> reference: the frame gets the logo as a data: URL instead.</summary>
    private static string WithLogo(string html, NotificationSettings settings) =>
        DataUrl(settings) is { } url ? CidImage().Replace(html, "src=\"" + url + "\"") : html;

    /// <summary>The subject above the body (the email's own HTML only has it in the title).</summary>
    private static string WithSubject(string html, string subject)
    {
        var body = html.IndexOf("<body", StringComparison.Ordinal);
        var end = body < 0 ? -1 : html.IndexOf('>', body);
        var line = "<p id=\"preview-subject\" style=\"border-bottom:1px solid #ddd;padding-bottom:8px;color:#444\">Subject: <strong>" + WebUtility.HtmlEncode(subject) + "</strong></p>\n";
        return end < 0 ? line + html : html.Insert(end + 1, "\n" + line);
    }

    private static string? DataUrl(NotificationSettings settings) =>
        settings.LogoBase64 is { Length: > 0 } data && settings.LogoContentType is { } type && NotificationValidation.LogoTypes.Contains(type, StringComparer.Ordinal)
            ? "data:" + type + ";base64," + data
            : null;

    [GeneratedRegex("src=\"cid:[^\"]*\"")]
    private static partial Regex CidImage();
}

/// <summary>The settings form's fields (the logo is separate: a file upload).</summary>
public sealed class SettingsForm
{
    public bool ResultsEnabled { get; set; }

    public bool AcknowledgementEnabled { get; set; }

    public string? SenderName { get; set; }

    public string? SenderAddress { get; set; }

    public string? AcknowledgementSubject { get; set; }

    public string? AcknowledgementText { get; set; }

    public string? ResultSubject { get; set; }

    public string? PhishingText { get; set; }

    public string? SpamText { get; set; }

    public string? NoThreatsFoundText { get; set; }

    public string? Footer { get; set; }

    public bool AlertsEnabled { get; set; }

    /// <summary>One address a line (commas and semicolons also separate).</summary>
    public string? AlertRecipients { get; set; }

    public int AlertMinimumScore { get; set; }

    public string? AlertWebhookUrl { get; set; }

    public bool DailyDigest { get; set; }

    public static SettingsForm From(NotificationSettings s) => new()
    {
        ResultsEnabled = s.ResultsEnabled,
        AcknowledgementEnabled = s.AcknowledgementEnabled,
        SenderName = s.SenderName,
        SenderAddress = s.SenderAddress,
        AcknowledgementSubject = s.AcknowledgementSubject,
        AcknowledgementText = s.AcknowledgementText,
        ResultSubject = s.ResultSubject,
        PhishingText = s.PhishingText,
        SpamText = s.SpamText,
        NoThreatsFoundText = s.NoThreatsFoundText,
        Footer = s.Footer,
        AlertsEnabled = s.AlertsEnabled,
        AlertRecipients = string.Join("\n", s.AlertRecipients),
        AlertMinimumScore = s.AlertMinimumScore,
        AlertWebhookUrl = s.AlertWebhookUrl,
        DailyDigest = s.DailyDigest,
    };

    /// <summary>The settings with this form's values; the logo comes from <paramref name="current"/>.</summary>
    public NotificationSettings ToSettings(NotificationSettings current) => current with
    {
        ResultsEnabled = ResultsEnabled,
        AcknowledgementEnabled = AcknowledgementEnabled,
        SenderName = (SenderName ?? "").Trim(),
        SenderAddress = (SenderAddress ?? "").Trim(),
        AcknowledgementSubject = AcknowledgementSubject ?? "",
        AcknowledgementText = Lines(AcknowledgementText),
        ResultSubject = ResultSubject ?? "",
        PhishingText = Lines(PhishingText),
        SpamText = Lines(SpamText),
        NoThreatsFoundText = Lines(NoThreatsFoundText),
        Footer = Lines(Footer),
        AlertsEnabled = AlertsEnabled,
        AlertRecipients = (AlertRecipients ?? "").Split(['\r', '\n', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        AlertMinimumScore = AlertMinimumScore,
        AlertWebhookUrl = string.IsNullOrWhiteSpace(AlertWebhookUrl) ? null : AlertWebhookUrl.Trim(),
        DailyDigest = DailyDigest,
    };

    /// <summary>Browsers send textarea line ends as CRLF; the stored texts use LF.</summary>
    private static string Lines(string? text) => (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal);
}
