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
