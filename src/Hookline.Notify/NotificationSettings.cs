namespace Hookline.Notify;

/// <summary>
/// What the reporter and the incident-response team receive, edited on the settings page and by
/// <c>PUT /api/settings/notifications</c>. Texts are Markdown with placeholders:
/// <c>{reporterName}</c>, <c>{originalSubject}</c>, <c>{dateReported}</c>, <c>{verdict}</c> (and, in alerts,
/// <c>{reportUrl}</c>, <c>{score}</c>, <c>{reporterAddress}</c>, <c>{sender}</c>). Delivery settings that hold secrets (SMTP host and
/// password, Graph credentials) live in <c>hookline.yaml</c>, not here.
/// </summary>
public sealed record NotificationSettings
{
    /// <summary>Send the reporter the result when a report is marked.</summary>
    public bool ResultsEnabled { get; init; } = true;

    /// <summary>Send the reporter an acknowledgement when a report is received.</summary>
    public bool AcknowledgementEnabled { get; init; }

    /// <summary>The mailbox notifications come from (e.g. <c>security@contoso.com</c>); nothing is sent while it is empty.</summary>
    public string SenderAddress { get; init; } = "";

    public string SenderName { get; init; } = "Security team";

    /// <summary>The organisation's logo (PNG, JPEG, GIF or SVG; at most 256 KB), sent as an inline image.</summary>
    public string? LogoContentType { get; init; }

    public string? LogoBase64 { get; init; }

    public string AcknowledgementSubject { get; init; } = "";

    public string AcknowledgementText { get; init; } = "";

    public string ResultSubject { get; init; } = "";

    /// <summary>The result text when marked Phishing.</summary>
    public string PhishingText { get; init; } = "";

    /// <summary>The result text when marked Spam (Microsoft calls it Junk).</summary>
    public string SpamText { get; init; } = "";

    /// <summary>The result text when marked No threats found.</summary>
    public string NoThreatsFoundText { get; init; } = "";

    /// <summary>One footer under every email to reporters.</summary>
    public string Footer { get; init; } = "";

    /// <summary>Alert the incident-response team about reports assessed as phishing at or above <see cref="AlertMinimumScore"/>.</summary>
    public bool AlertsEnabled { get; init; }

    public IReadOnlyList<string> AlertRecipients { get; init; } = [];

    public int AlertMinimumScore { get; init; } = 80;

    /// <summary>Also POST each alert as JSON to this URL (optional).</summary>
    public string? AlertWebhookUrl { get; init; }

    /// <summary>Send the alert recipients a daily digest of the day's reports.</summary>
    public bool DailyDigest { get; init; }
}

/// <summary>A rendered email for the settings page's live preview.</summary>
public sealed record NotificationPreview(string Subject, string Html, string Text);

/// <summary>Where the notification settings are kept (the store's settings table), with the defaults that Restore brings back.</summary>
public interface INotificationSettingsStore
{
    /// <summary>The current settings (the defaults when none were saved).</summary>
    Task<NotificationSettings> GetAsync(CancellationToken cancellationToken);

    /// <summary>Saves after validating; throws <see cref="ArgumentException"/> naming what is wrong. Audited with <paramref name="actor"/>.</summary>
    Task SaveAsync(NotificationSettings settings, string actor, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the logo alone (null and null remove it), validated on its own: a logo can be set before
    /// the sender and the texts are. Throws <see cref="NotificationSettingsException"/> for a bad logo. Audited.
    /// </summary>
    Task SaveLogoAsync(string? contentType, string? base64, string actor, CancellationToken cancellationToken);

    /// <summary>Brings the defaults back (the logo and sender too). Audited.</summary>
    Task<NotificationSettings> RestoreDefaultsAsync(string actor, CancellationToken cancellationToken);
}

/// <summary>Renders what a reporter would receive, from unsaved settings, for the live preview.</summary>
public interface INotificationPreviewer
{
    /// <summary><paramref name="kind"/>: <c>acknowledgement</c>, or a review verdict (<c>phishing</c>, <c>spam</c>, <c>noThreatsFound</c>) for the result email.</summary>
    NotificationPreview Preview(NotificationSettings settings, string kind);
}
