using System.Globalization;
using Hookline.Storage.Model;

namespace Hookline.Web.Ui;

/// <summary>How the UI words and formats stored values.</summary>
internal static class Display
{
    public static string Verdict(string? value) => value switch
    {
        null or "" => "",
        "phishing" => "Phishing",
        "junk" => "Junk",
        "notJunk" => "Not junk",
        "spam" => "Spam",
        "clean" => "Clean",
        "noThreatsFound" => "No threats found",
        _ => value,
    };

    /// <summary>A CSS class for a verdict (the same colour for a threat whoever called it).</summary>
    public static string VerdictClass(string? value) => value switch
    {
        "phishing" => "v-phish",
        "junk" or "spam" => "v-spam",
        "notJunk" or "clean" or "noThreatsFound" => "v-clean",
        _ => "v-none",
    };

    /// <summary>
    /// A CSS class for Hookline's assessment: the verdict's colour, except a clean verdict near the threshold
    /// (<see cref="RiskScale.IsNear"/>), which is amber (<c>v-near</c>), not green.
    /// </summary>
    public static string AssessmentClass(string? verdict, int? risk, RiskScale scale)
    {
        ArgumentNullException.ThrowIfNull(scale);
        return scale.IsNear(verdict, risk) ? "v-near" : VerdictClass(verdict);
    }

    /// <summary>The assessment in words; a clean verdict near the threshold says so (the colour is not the only sign).</summary>
    public static string Assessment(string? verdict, int? risk, RiskScale scale)
    {
        ArgumentNullException.ThrowIfNull(scale);
        return scale.IsNear(verdict, risk) ? "Clean, near threshold" : Verdict(verdict);
    }

    /// <summary>What "near threshold" means, for a title or a note; empty when the assessment is not near it.</summary>
    public static string NearThresholdNote(string? verdict, int? risk, RiskScale scale)
    {
        ArgumentNullException.ThrowIfNull(scale);
        return scale.IsNear(verdict, risk)
            ? string.Create(CultureInfo.InvariantCulture, $"Clean, but risk {risk} is within {RiskScale.NearMargin} of the threshold ({scale.CleanBelow}): look before marking it No threats found.")
            : "";
    }

    /// <summary>"risk 34"; empty without one (not analysed, or analysed before the risk scale and not reprocessed).</summary>
    public static string Risk(int? risk) => risk is { } value ? string.Create(CultureInfo.InvariantCulture, $"risk {value}") : "";

    /// <summary>A match's signed weight: <c>+40</c>, <c>−15</c> (a real minus sign), <c>0</c>.</summary>
    public static string Weight(int weight) => weight switch
    {
        > 0 => "+" + weight.ToString(CultureInfo.InvariantCulture),
        < 0 => "\u2212" + (-(long)weight).ToString(CultureInfo.InvariantCulture),
        _ => "0",
    };

    /// <summary>A link flag of the analysis JSON (camelCase, <c>UrlFlags</c>) in words; an unknown one as it is.</summary>
    public static string LinkFlag(string flag) => flag switch
    {
        "defanged" => "written defanged",
        "ipLiteral" => "IP address host",
        "punycode" => "punycode host",
        "shortener" => "URL shortener",
        "userInfo" => "user info before the host",
        "nonstandardPort" => "unusual port",
        "dataUri" => "data: URI",
        "javaScript" => "javascript: URI",
        "blockedHost" => "blocked host",
        "textMismatch" => "text names another host",
        "credentialForm" => "asks for credentials",
        "wrapped" => "wrapped by a link rewriter",
        "wrappedOpaque" => "wrapped, target hidden",
        _ => flag,
    };

    /// <summary>Where in the message a link was found (<c>UrlSource</c>, camelCase), in words.</summary>
    public static string LinkSource(string? source) => source switch
    {
        null => "",
        "text" => "text",
        "href" => "link",
        "area" => "image map",
        "form" => "form action",
        "metaRefresh" => "meta refresh",
        "trackingPixel" => "tracking pixel",
        "frame" => "frame",
        "pdf" => "PDF attachment",
        "htmlAttachment" => "HTML attachment",
        "qrCode" => "QR code",
        "office" => "Office attachment",
        "calendar" => "calendar invitation",
        _ => source,
    };

    /// <summary>Flags that make a link suspicious on their own (shown in the phishing colour); the rest are neutral facts.</summary>
    public static bool IsAlarmingFlag(string flag) => flag is "ipLiteral" or "punycode" or "userInfo" or "dataUri" or "javaScript" or "blockedHost" or "textMismatch" or "credentialForm";

    public static string Status(ReportStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Stored times are UTC; the UI shows them as UTC, minute precision.</summary>
    public static string Time(DateTime? value) => value is { } v ? v.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";

    public static string Time(DateTimeOffset? value) => value is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "";

    /// <summary>UTC to the second (the audit log, where order within a minute matters).</summary>
    public static string Seconds(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    public static string IsoTime(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc).ToString("o", CultureInfo.InvariantCulture) : "";

    public static string Duration(TimeSpan? value)
    {
        if (value is not { } span)
        {
            return "";
        }

        var sign = span < TimeSpan.Zero ? "-" : "";
        span = span.Duration();
        return sign + (span.TotalSeconds < 60 ? $"{span.TotalSeconds:0}s"
            : span.TotalMinutes < 60 ? $"{span.TotalMinutes:0}m"
            : span.TotalHours < 48 ? $"{span.TotalHours:0.#}h"
            : $"{span.TotalDays:0.#}d");
    }

    public static string Size(long bytes) => bytes < 1024 ? $"{bytes} B" : bytes < 1024 * 1024 ? $"{bytes / 1024.0:0.#} KB" : $"{bytes / 1024.0 / 1024.0:0.#} MB";

    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
