using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Hookline.Storage.Model;
using Markdig;

namespace Hookline.Notify;

/// <summary>Where links in alerts point, and the clock.</summary>
public sealed class NotificationComposerOptions
{
    /// <summary>The web UI's address as people reach it (e.g. <c>https://hookline.contoso.com</c>); alerts link to <c>{PublicUrl}/reports/{id}</c>.</summary>
    public Uri? PublicUrl { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// The organisation's domains (<c>organization.domains</c> in settings.yaml): only reporters there are
    /// acknowledged, and, when any are set, only they are sent results. A report is attacker-written:
    /// without this, a forged report would make the security mailbox write to any address.
    /// </summary>
    public IReadOnlyList<string> OrganizationDomains { get; init; } = [];
}

/// <summary>One day's figures for the daily digest.</summary>
public sealed record DigestSummary(DateOnly Day, int Received, int Phishing, int Spam, int Clean, int Marked, IReadOnlyList<ReportRecord> Highlights);

/// <summary>
/// Renders Hookline's emails from the notification settings: Markdown (raw HTML disabled) to an HTML
/// part and a plain-text part in multipart/alternative, inside multipart/related with the logo as an
/// inline <c>cid:</c> image. Placeholder values come from the reported message (the subject is the
/// attacker's) and are substituted after Markdown rendering, HTML-encoded in the HTML part, so they
/// can neither add markup nor Markdown links.
/// </summary>
public sealed class NotificationComposer(INotificationSettingsStore store, NotificationComposerOptions? options = null) : INotificationComposer, INotificationPreviewer
{
    private const string LogoContentId = "logo.hookline@notify";

    /// <summary>How templates are read: Markdown with raw HTML off (also for <see cref="NotificationValidation"/>).</summary>
    internal static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    // Stands in for a placeholder while the Markdown is rendered; it can be found in a link target and refused there.
    private const string TokenMarker = "HOOKLINEVALUE";

    private readonly NotificationComposerOptions _options = options ?? new NotificationComposerOptions();

    public async Task<ComposedMessage?> ComposeAcknowledgementAsync(ReportRecord report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var settings = await store.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!settings.AcknowledgementEnabled || !CanSend(settings) || !HasReporter(report) || !InOrganization(report.ReporterAddress!, _options.OrganizationDomains))
        {
            return null;
        }

        return ToReporter(settings, report, settings.AcknowledgementSubject, settings.AcknowledgementText, Values(report, null));
    }

    public async Task<ComposedMessage?> ComposeResultAsync(ReportRecord report, ReviewRecord review, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(review);
        var settings = await store.GetAsync(cancellationToken).ConfigureAwait(false);
        if (ResultBlockers(settings).Count > 0 || ReporterBlocker(report, _options.OrganizationDomains) is not null)
        {
            return null;
        }

        return ToReporter(settings, report, settings.ResultSubject, ResultText(settings, review.Verdict), Values(report, review.Verdict));
    }

    public async Task<ComposedMessage?> ComposeAlertAsync(ReportRecord report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var settings = await store.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!AlertDue(settings, report) || settings.AlertRecipients.Count == 0 || !CanSend(settings))
        {
            return null;
        }

        var values = Values(report, null);
        var markdown = new StringBuilder()
            .AppendLine("A reported message was assessed as **phishing** with score **{score}**.")
            .AppendLine()
            .AppendLine("- Subject: {originalSubject}")
            .AppendLine("- Sender: {sender}")
            .AppendLine("- Reported by: {reporterName} ({reporterAddress}) on {dateReported}")
            .AppendLine("- User's verdict: {userVerdict}")
            .AppendLine();
        var reasons = Reasons(report);
        if (reasons.Count > 0)
        {
            markdown.AppendLine("Reasons:").AppendLine();
            for (var i = 0; i < reasons.Count; i++)
            {
                var key = "reason" + i.ToString(CultureInfo.InvariantCulture);
                values[key] = new Value(reasons[i]);
                markdown.Append("- {").Append(key).AppendLine("}");
            }

            markdown.AppendLine();
        }

        markdown.AppendLine("Open the report: {reportUrl}");
        var rendered = Render(settings, "Phishing reported (score {score}): {originalSubject}", markdown.ToString(), footer: null, values);
        return Build(settings, string.Join(", ", settings.AlertRecipients), null, rendered);
    }

    /// <summary>The alert's JSON for the webhook, or null when no alert is due or no webhook is set.</summary>
    public async Task<(string Url, string Json)?> ComposeAlertWebhookAsync(ReportRecord report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var settings = await store.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!AlertDue(settings, report) || string.IsNullOrWhiteSpace(settings.AlertWebhookUrl))
        {
            return null;
        }

        var json = JsonSerializer.Serialize(
            new
            {
                type = "hookline.alert",
                reportId = report.Id,
                url = ReportUrl(report.Id),
                subject = report.Subject,
                reporter = report.ReporterAddress is null ? null : new { name = report.ReporterName, address = report.ReporterAddress },
                sender = report.SenderAddress is null ? null : new { name = report.SenderName, address = report.SenderAddress },
                reportedAt = report.ReportedAt ?? report.ReceivedAt,
                userVerdict = report.UserVerdict,
                assessment = new { verdict = report.Assessment, score = report.Score, reasons = Reasons(report) },
            },
            NotificationSettingsStore.Json);
        return (settings.AlertWebhookUrl!, json);
    }

    /// <summary>The daily digest for the alert recipients, or null when it is off.</summary>
    public async Task<ComposedMessage?> ComposeDigestAsync(DigestSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var settings = await store.GetAsync(cancellationToken).ConfigureAwait(false);
        if (!settings.DailyDigest || settings.AlertRecipients.Count == 0 || !CanSend(settings))
        {
            return null;
        }

        var values = new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            ["day"] = new(summary.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        };
        var markdown = new StringBuilder()
            .AppendLine("Reports received on {day} (UTC):")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- Received: {summary.Received}")
            .AppendLine(CultureInfo.InvariantCulture, $"- Assessed phishing: {summary.Phishing}, spam: {summary.Spam}, clean: {summary.Clean}")
            .AppendLine(CultureInfo.InvariantCulture, $"- Marked by analysts: {summary.Marked}")
            .AppendLine();
        if (summary.Highlights.Count > 0)
        {
            markdown.AppendLine("Highest scores:").AppendLine();
            foreach (var (report, i) in summary.Highlights.Select((r, i) => (r, i)))
            {
                var key = "h" + i.ToString(CultureInfo.InvariantCulture);
                values[key + "s"] = new(report.Subject ?? "(no subject)");
                values[key + "u"] = new(ReportUrl(report.Id), IsLink: true);
                markdown.Append(CultureInfo.InvariantCulture, $"- {report.Score ?? 0} {report.Assessment}: {{{key}s}} {{{key}u}}").AppendLine();
            }
        }

        var rendered = Render(settings, "Hookline daily digest for {day}", markdown.ToString(), footer: null, values);
        return Build(settings, string.Join(", ", settings.AlertRecipients), null, rendered);
    }

    public NotificationPreview Preview(NotificationSettings settings, string kind)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var sample = new ReportRecord
        {
            RawSha256 = "",
            Source = "preview",
            SourceKey = "preview",
            ReporterName = "Avery Example",
            ReporterAddress = "avery@example.com",
            Subject = "Your mailbox is almost full <action required>",
            ReportedAt = _options.Time.GetUtcNow().UtcDateTime,
            ReceivedAt = _options.Time.GetUtcNow().UtcDateTime,
        };
        var (subject, text) = kind switch
        {
            "acknowledgement" => (settings.AcknowledgementSubject, settings.AcknowledgementText),
            ReviewVerdicts.Phishing or ReviewVerdicts.Spam or ReviewVerdicts.NoThreatsFound => (settings.ResultSubject, ResultText(settings, kind)),
            _ => throw new ArgumentException($"unknown kind '{kind}' (acknowledgement, phishing, spam, noThreatsFound)", nameof(kind)),
        };
        var rendered = Render(settings, subject, text, settings.Footer, Values(sample, kind == "acknowledgement" ? null : kind));
        return new NotificationPreview(rendered.Subject, rendered.Html, rendered.Text);
    }

    /// <summary>The address in the From header of a message this composer wrote (the envelope sender).</summary>
    public static string? SenderOf(ReadOnlySpan<byte> message)
    {
        var text = Encoding.ASCII.GetString(message[..Math.Min(message.Length, 16 * 1024)]);
        foreach (var line in text.Split("\r\n"))
        {
            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith("From:", StringComparison.OrdinalIgnoreCase))
            {
                var open = line.LastIndexOf('<');
                var close = line.LastIndexOf('>');
                return open >= 0 && close > open ? line[(open + 1)..close] : line[5..].Trim();
            }
        }

        return null;
    }

    internal static string VerdictName(string? verdict) => verdict switch
    {
        ReviewVerdicts.Phishing => "Phishing",
        ReviewVerdicts.Spam => "Spam",
        ReviewVerdicts.NoThreatsFound => "No threats found",
        _ => "",
    };

    /// <summary>
    /// Why these settings let no result email be composed for any report (each reason one clause, for an
    /// analyst to read), or none: result emails switched off, no sender mailbox.
    /// <see cref="ComposeResultAsync"/> returns null exactly when one of these, or <see cref="ReporterBlocker"/>, holds.
    /// </summary>
    public static IReadOnlyList<string> ResultBlockers(NotificationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var reasons = new List<string>(2);
        if (!settings.ResultsEnabled)
        {
            reasons.Add("result emails are switched off in the notification settings");
        }

        if (!CanSend(settings))
        {
            reasons.Add("no sender address is set in the notification settings");
        }

        return reasons;
    }

    /// <summary>Why this report's reporter cannot be sent a result (no usable address, or one outside the organisation's domains when they are set), or null.</summary>
    public static string? ReporterBlocker(ReportRecord report, IReadOnlyList<string> organizationDomains)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(organizationDomains);
        if (!HasReporter(report))
        {
            return "the report has no reporter address to write to";
        }

        return organizationDomains.Count == 0 || InOrganization(report.ReporterAddress!, organizationDomains)
            ? null
            : "the reporter's address is outside the organisation's domains (organization.domains in settings.yaml)";
    }

    /// <summary>The address's domain is one of <paramref name="domains"/> or a subdomain of one (an empty list holds nothing).</summary>
    public static bool InOrganization(string address, IReadOnlyList<string> domains)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(domains);
        var at = address.LastIndexOf('@');
        var domain = at < 0 ? "" : address[(at + 1)..].TrimEnd('.');
        foreach (var own in domains)
        {
            var d = own.Trim().TrimEnd('.');
            if (d.Length > 0 && (domain.Equals(d, StringComparison.OrdinalIgnoreCase) || domain.EndsWith("." + d, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A logo of an allowed type (an SVG saved before SVG was refused is never mailed: it may hold script).</summary>
    private static bool HasLogo(NotificationSettings settings) =>
        settings.LogoBase64 is not null && settings.LogoContentType is { } type && NotificationValidation.LogoTypes.Contains(type, StringComparer.Ordinal);

    private static bool CanSend(NotificationSettings settings) => NotificationValidation.IsMailbox(settings.SenderAddress);

    private static bool HasReporter(ReportRecord report) => report.ReporterAddress is { } address && NotificationValidation.IsMailbox(address);

    private static bool AlertDue(NotificationSettings settings, ReportRecord report) =>
        settings.AlertsEnabled && report.Assessment == "phishing" && (report.Score ?? 0) >= settings.AlertMinimumScore;

    private static string ResultText(NotificationSettings settings, string verdict) => verdict switch
    {
        ReviewVerdicts.Phishing => settings.PhishingText,
        ReviewVerdicts.Spam => settings.SpamText,
        _ => settings.NoThreatsFoundText,
    };

    private static List<string> Reasons(ReportRecord report)
    {
        if (report.AnalysisJson is null)
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(report.AnalysisJson);
            return document.RootElement.TryGetProperty("assessment", out var assessment) && assessment.TryGetProperty("reasons", out var reasons) && reasons.ValueKind == JsonValueKind.Array
                ? reasons.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!).Take(20).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private Dictionary<string, Value> Values(ReportRecord report, string? verdict)
    {
        var reported = DateTime.SpecifyKind(report.ReportedAt ?? report.ReceivedAt, DateTimeKind.Utc);
        var name = string.IsNullOrWhiteSpace(report.ReporterName)
            ? (report.ReporterAddress?.Split('@')[0] ?? "")
            : report.ReporterName!;
        return new Dictionary<string, Value>(StringComparer.Ordinal)
        {
            ["reporterName"] = new(name),
            ["reporterAddress"] = new(report.ReporterAddress ?? ""),
            ["originalSubject"] = new(string.IsNullOrEmpty(report.Subject) ? "(no subject)" : report.Subject),
            ["dateReported"] = new(reported.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture)),
            ["verdict"] = new(VerdictName(verdict ?? report.MarkedAs)),
            ["sender"] = new(report.SenderAddress is null ? "(unknown)" : string.IsNullOrEmpty(report.SenderName) ? report.SenderAddress : $"{report.SenderName} <{report.SenderAddress}>"),
            ["score"] = new((report.Score ?? 0).ToString(CultureInfo.InvariantCulture)),
            ["userVerdict"] = new(report.UserVerdict ?? ""),
            ["reportUrl"] = new(ReportUrl(report.Id), IsLink: true),
        };
    }

    private string ReportUrl(long id)
    {
        var root = _options.PublicUrl?.ToString().TrimEnd('/') ?? "";
        return root + "/reports/" + id.ToString(CultureInfo.InvariantCulture);
    }

    private ComposedMessage ToReporter(NotificationSettings settings, ReportRecord report, string subject, string text, Dictionary<string, Value> values) =>
        Build(settings, report.ReporterAddress!, report.ReporterName, Render(settings, subject, text, settings.Footer, values));

    private ComposedMessage Build(NotificationSettings settings, string to, string? toName, Rendered rendered)
    {
        var alternative = new MimeNode { ContentType = "multipart/alternative" };
        alternative.Children.Add(MimeBuilder.Text("text/plain", rendered.Text));
        alternative.Children.Add(MimeBuilder.Text("text/html", rendered.Html));
        var body = alternative;
        var logo = NotificationValidation.DecodeLogo(settings.LogoBase64);
        if (logo is { Length: > 0 } && HasLogo(settings) && settings.LogoContentType is { } type)
        {
            body = new MimeNode { ContentType = "multipart/related; type=\"multipart/alternative\"" };
            body.Children.Add(alternative);
            var extension = type switch { "image/png" => "png", "image/jpeg" => "jpg", _ => "gif" };
            var image = new MimeNode { ContentType = type + "; name=\"logo." + extension + "\"", Content = logo };
            image.Headers.Add(("Content-ID", "<" + LogoContentId + ">"));
            image.Headers.Add(("Content-Disposition", "inline; filename=\"logo." + extension + "\""));
            body.Children.Add(image);
        }

        var recipients = to.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var toHeader = recipients.Length == 1 ? MimeBuilder.Mailbox(toName, recipients[0]) : string.Join(",\r\n ", recipients.Select(r => "<" + r + ">"));
        var headers = new List<(string, string)>
        {
            ("From", MimeBuilder.Mailbox(settings.SenderName, settings.SenderAddress)),
            ("To", toHeader),
            ("Subject", MimeBuilder.Unstructured(rendered.Subject)),
            ("Date", MimeBuilder.Date(_options.Time.GetUtcNow())),
            ("Message-ID", MimeBuilder.MessageId(settings.SenderAddress)),
            ("Auto-Submitted", "auto-generated"),
            ("X-Auto-Response-Suppress", "All"),
        };
        return new ComposedMessage(string.Join(", ", recipients), rendered.Subject, MimeBuilder.Write(headers, body));
    }

    private static Rendered Render(NotificationSettings settings, string subjectTemplate, string bodyTemplate, string? footer, Dictionary<string, Value> values)
    {
        var subject = Substitute(subjectTemplate, values, v => InSubject(v.Text));
        var tokens = new Dictionary<string, Value>(StringComparer.Ordinal);
        string Tokenise(string template) => System.Text.RegularExpressions.Regex.Replace(template, @"\{([A-Za-z0-9]+)\}", m =>
        {
            if (!values.TryGetValue(m.Groups[1].Value, out var value))
            {
                return m.Value;
            }

            var token = TokenMarker + tokens.Count.ToString(CultureInfo.InvariantCulture) + "Z";
            tokens[token] = value;
            return token;
        });

        var bodyMarkdown = Tokenise(bodyTemplate);
        var footerMarkdown = string.IsNullOrWhiteSpace(footer) ? null : Tokenise(footer);
        string Html(string markdown) => Untokenise(SafeHtml(markdown), tokens, v => v.IsLink
            ? "<a href=\"" + WebUtility.HtmlEncode(v.Text) + "\">" + WebUtility.HtmlEncode(v.Text) + "</a>"
            : WebUtility.HtmlEncode(v.Text));
        string Plain(string markdown) => Untokenise(Markdown.ToPlainText(markdown, Pipeline), tokens, v => v.Text).Trim();

        var logo = HasLogo(settings)
            ? "<p><img src=\"cid:" + LogoContentId + "\" alt=\"" + WebUtility.HtmlEncode(settings.SenderName) + "\" style=\"max-height:64px\"></p>\n"
            : "";
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(WebUtility.HtmlEncode(subject)).Append("</title></head>\n")
            .Append("<body style=\"font-family:'Segoe UI',Arial,sans-serif;color:#1f1f1f;max-width:640px;margin:0 auto;padding:16px\">\n")
            .Append(logo)
            .Append("<div>").Append(Html(bodyMarkdown)).Append("</div>\n");
        var text = new StringBuilder(Plain(bodyMarkdown)).Append('\n');
        if (footerMarkdown is not null)
        {
            html.Append("<hr style=\"border:none;border-top:1px solid #ddd\">\n<div style=\"color:#666;font-size:12px\">").Append(Html(footerMarkdown)).Append("</div>\n");
            text.Append("\n--\n").Append(Plain(footerMarkdown)).Append('\n');
        }

        html.Append("</body></html>\n");
        return new Rendered(subject, html.ToString(), text.ToString());
    }

    /// <summary>
    /// The template's HTML with only allowed links and images (<see cref="TemplateLinks"/>): settings saved
    /// before the check, or a placeholder's stand-in in a link target, lose the link, never the text.
    /// </summary>
    private static string SafeHtml(string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        TemplateLinks.Neutralise(document, TokenMarker);
        return document.ToHtml(Pipeline);
    }

    /// <summary>Characters of one placeholder's value in a subject at most (the attacker's subject, a forged name).</summary>
    public const int MaxSubjectValueChars = 100;

    /// <summary>
    /// A value as it may stand in a subject: on one line, without control or direction-changing
    /// characters, spaces collapsed, and at most <see cref="MaxSubjectValueChars"/> characters (cut with "…").
    /// </summary>
    internal static string InSubject(string value)
    {
        var text = new StringBuilder(Math.Min(value.Length, MaxSubjectValueChars + 1));
        var space = false;
        foreach (var rune in value.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            var blank = Rune.IsWhiteSpace(rune) || category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;
            if (blank)
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(rune.ToString());
            if (text.Length > MaxSubjectValueChars)
            {
                break;
            }
        }

        if (text.Length <= MaxSubjectValueChars)
        {
            return text.ToString();
        }

        var cut = MaxSubjectValueChars - 1;
        if (char.IsLowSurrogate(text[cut]))
        {
            cut--;
        }

        return text.ToString(0, cut).TrimEnd() + "…";
    }

    private static string Substitute(string template, Dictionary<string, Value> values, Func<Value, string> format) =>
        System.Text.RegularExpressions.Regex.Replace(template, @"\{([A-Za-z0-9]+)\}", m => values.TryGetValue(m.Groups[1].Value, out var v) ? format(v) : m.Value);

    private static string Untokenise(string text, Dictionary<string, Value> tokens, Func<Value, string> format)
    {
        // Longest tokens first, so HOOKLINEVALUE1Z never matches inside HOOKLINEVALUE11Z (the Z ends each one anyway).
        foreach (var (token, value) in tokens.OrderByDescending(t => t.Key.Length))
        {
            text = text.Replace(token, format(value), StringComparison.Ordinal);
        }

        return text;
    }

    private sealed record Rendered(string Subject, string Html, string Text);

    private sealed record Value(string Text, bool IsLink = false);
}
