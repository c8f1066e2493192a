using System.Net.Mail;

namespace Hookline.Notify;

/// <summary>The settings are invalid; <see cref="Errors"/> lists what is wrong, by field (camelCase, as in the API).</summary>
public sealed class NotificationSettingsException(IReadOnlyDictionary<string, string[]> errors)
    : ArgumentException("invalid notification settings: " + string.Join("; ", errors.Select(e => e.Key + ": " + string.Join(", ", e.Value))))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

/// <summary>Checks notification settings before they are saved.</summary>
public static class NotificationValidation
{
    public const int MaxLogoBytes = 256 * 1024;

    public const int MaxTextLength = 20_000;

    public const int MaxSubjectLength = 500;

    /// <summary>
    /// The logo types mail clients show inline. Not SVG: it is a document that may carry script and
    /// links, and some clients open it as one.
    /// </summary>
    public static IReadOnlyList<string> LogoTypes { get; } = ["image/png", "image/jpeg", "image/gif"];

    /// <summary>
    /// The fields whose problems stop a preview: what would break rendering it (the logo, a sender's
    /// name that is not one line). A half-edited form's other problems (a subject still empty while
    /// result emails are on, a missing sender address) are for Save, not for the preview.
    /// </summary>
    public static IReadOnlyList<string> PreviewFields { get; } = ["logoContentType", "logoBase64", "senderName"];

    /// <summary>The problems that stop a preview of <paramref name="settings"/> (<see cref="PreviewFields"/>), by field; empty when it can be rendered. The API and the settings page both ask this.</summary>
    public static Dictionary<string, string[]> ValidateForPreview(NotificationSettings settings) =>
        Validate(settings).Where(e => PreviewFields.Contains(e.Key, StringComparer.Ordinal)).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    /// <summary>
    /// Every problem, by field; empty when the settings are valid. <paramref name="organizationDomains"/>,
    /// when known, must not be empty while acknowledgements are on: they go only to reporters there.
    /// </summary>
    public static Dictionary<string, string[]> Validate(NotificationSettings settings, IReadOnlyList<string>? organizationDomains = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (!string.IsNullOrEmpty(settings.SenderAddress) && !IsMailbox(settings.SenderAddress))
        {
            Add("senderAddress", $"'{settings.SenderAddress}' is not a mailbox address (local@domain)");
        }

        if ((settings.ResultsEnabled || settings.AcknowledgementEnabled || settings.AlertsEnabled || settings.DailyDigest) && string.IsNullOrWhiteSpace(settings.SenderAddress))
        {
            Add("senderAddress", "a sender mailbox is needed while any email is switched on");
        }

        if (settings.SenderName.Length > 200 || HasLineBreak(settings.SenderName))
        {
            Add("senderName", "at most 200 characters, on one line");
        }

        foreach (var (field, value) in new[] { ("acknowledgementSubject", settings.AcknowledgementSubject), ("resultSubject", settings.ResultSubject) })
        {
            if (value.Length > MaxSubjectLength || HasLineBreak(value))
            {
                Add(field, $"at most {MaxSubjectLength} characters, on one line");
            }
        }

        foreach (var (field, value) in new[]
        {
            ("acknowledgementText", settings.AcknowledgementText), ("phishingText", settings.PhishingText), ("spamText", settings.SpamText),
            ("noThreatsFoundText", settings.NoThreatsFoundText), ("footer", settings.Footer),
        })
        {
            if (value.Length > MaxTextLength)
            {
                Add(field, $"at most {MaxTextLength} characters");
            }
            else
            {
                foreach (var problem in TemplateLinks.Problems(value, NotificationComposer.Pipeline))
                {
                    Add(field, problem);
                }
            }
        }

        if (settings.ResultsEnabled && string.IsNullOrWhiteSpace(settings.ResultSubject))
        {
            Add("resultSubject", "a subject is needed while result emails are on");
        }

        if (settings.AcknowledgementEnabled && string.IsNullOrWhiteSpace(settings.AcknowledgementSubject))
        {
            Add("acknowledgementSubject", "a subject is needed while acknowledgements are on");
        }

        if (settings.AcknowledgementEnabled && organizationDomains is { Count: 0 })
        {
            Add("acknowledgementEnabled", "acknowledgements go only to reporters in the organisation's domains, and none are set (organization.domains in settings.yaml)");
        }

        foreach (var (field, messages) in ValidateLogo(settings.LogoContentType, settings.LogoBase64))
        {
            foreach (var message in messages)
            {
                Add(field, message);
            }
        }

        if (settings.AlertRecipients.Count > 50)
        {
            Add("alertRecipients", "at most 50 recipients");
        }

        foreach (var recipient in settings.AlertRecipients)
        {
            if (!IsMailbox(recipient))
            {
                Add("alertRecipients", $"'{recipient}' is not a mailbox address");
            }
        }

        if ((settings.AlertsEnabled || settings.DailyDigest) && settings.AlertRecipients.Count == 0 && string.IsNullOrWhiteSpace(settings.AlertWebhookUrl))
        {
            Add("alertRecipients", "alerts and the digest need at least one recipient (or, for alerts, a webhook)");
        }

        if (settings.AlertMinimumScore is < 0 or > 100)
        {
            Add("alertMinimumScore", "a score from 0 to 100");
        }

        if (!string.IsNullOrWhiteSpace(settings.AlertWebhookUrl)
            && (!Uri.TryCreate(settings.AlertWebhookUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) || !string.IsNullOrEmpty(url.UserInfo)))
        {
            Add("alertWebhookUrl", "an absolute https:// (or http://) URL without credentials");
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The logo's problems alone, by field (<c>logoContentType</c>, <c>logoBase64</c>); empty when there is no logo or it is valid.</summary>
    public static Dictionary<string, string[]> ValidateLogo(string? contentType, string? base64)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (base64 is null && contentType is null)
        {
            return errors;
        }

        if (contentType is null || !LogoTypes.Contains(contentType, StringComparer.Ordinal))
        {
            errors["logoContentType"] = ["the logo must be PNG, JPEG or GIF (" + string.Join(", ", LogoTypes) + "); SVG is refused: it may carry script"];
        }

        var bytes = DecodeLogo(base64);
        if (bytes is null)
        {
            errors["logoBase64"] = ["the logo is not valid base64"];
        }
        else if (bytes.Length == 0 || bytes.Length > MaxLogoBytes)
        {
            errors["logoBase64"] = [$"the logo must be 1 byte to {MaxLogoBytes / 1024} KB (it is {bytes.Length} bytes)"];
        }
        else if (contentType is { } type && LogoTypes.Contains(type, StringComparer.Ordinal) && !LooksLike(bytes, type))
        {
            errors["logoBase64"] = [$"the logo's bytes are not a {type} image"];
        }

        return errors;
    }

    /// <summary>Throws <see cref="NotificationSettingsException"/> when the settings are invalid.</summary>
    public static void ThrowIfInvalid(NotificationSettings settings, IReadOnlyList<string>? organizationDomains = null)
    {
        var errors = Validate(settings, organizationDomains);
        if (errors.Count > 0)
        {
            throw new NotificationSettingsException(errors);
        }
    }

    /// <summary>A plain mailbox address (local@domain), no display name, no route, no line breaks.</summary>
    public static bool IsMailbox(string address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > 254 || address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';' or '"' or '(' or ')'))
        {
            return false;
        }

        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1 || address.IndexOf('@', StringComparison.Ordinal) != at)
        {
            return false;
        }

        var domain = address[(at + 1)..];
        if (domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..", StringComparison.Ordinal) || address[..at].StartsWith('.') || address[..at].EndsWith('.'))
        {
            return false;
        }

        return MailAddress.TryCreate(address, out var parsed) && string.Equals(parsed.Address, address, StringComparison.Ordinal);
    }

    public static byte[]? DecodeLogo(string? base64)
    {
        if (base64 is null)
        {
            return null;
        }

        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Checks the image's signature against its declared type.</summary>
    public static bool LooksLike(ReadOnlySpan<byte> bytes, string contentType) => contentType switch
    {
        "image/png" => bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        "image/jpeg" => bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]),
        "image/gif" => bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8),
        _ => false,
    };

    private static bool HasLineBreak(string value) => value.Any(c => c is '\r' or '\n');
}
