using System.Collections.Frozen;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hookline.Mime.Addresses;
using Hookline.Reports.Pipeline;
using Hookline.Reports.Recognition;

namespace Hookline.Reports.Contracts;

/// <summary>
/// The JSON object `hookline analyze --json` writes per file (docs/cli.md): field names
/// and shapes are a contract that outside scripts rely on. Written with <see cref="Utf8JsonWriter"/>
/// in the contract's order.
/// </summary>
public static class AnalyzeJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static JsonWriterOptions WriterOptions => Options;

    /// <summary>The most header fields <c>message.headers</c> keeps, in order; a message with more is cut off there.</summary>
    public const int MaxHeaders = 1000;

    /// <summary>The longest header value <c>message.headers</c> keeps, in characters.</summary>
    public const int MaxHeaderChars = 16 * 1024;

    /// <summary>
    /// One analysis as the analyze contract's JSON object. With <paramref name="headers"/> the message
    /// also carries its decoded header fields (<c>message.headers</c>: what the stored analysis keeps for
    /// the report page; <c>analyze --json</c> leaves them out).
    /// </summary>
    public static void Write(Utf8JsonWriter json, string file, AnalysisOutcome? outcome, string? error, bool headers = false)
    {
        json.WriteStartObject();
        json.WriteString("file", file);
        if (error is null)
        {
            json.WriteNull("error");
        }
        else
        {
            json.WriteString("error", error);
        }

        if (outcome is null)
        {
            json.WriteNull("report");
            json.WriteNull("message");
            json.WriteNull("assessment");
        }
        else
        {
            WriteReport(json, outcome.Report);
            WriteMessage(json, outcome, headers);
            WriteAssessment(json, outcome.Assessment);
        }

        json.WriteEndObject();
    }

    private static void WriteReport(Utf8JsonWriter json, Report? report)
    {
        if (report is null)
        {
            json.WriteNull("report");
            return;
        }

        json.WriteStartObject("report");
        json.WriteString("format", CamelName(report.Format));
        if (report.Reporter is { } reporter)
        {
            json.WriteStartObject("reporter");
            json.WriteString("name", reporter.Name);
            json.WriteString("address", reporter.Address);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("reporter");
        }

        json.WriteString("userVerdict", CamelName(report.UserVerdict));
        json.WriteBoolean("verdictAssumed", report.VerdictAssumed);
        WriteStringOrNull(json, "networkMessageId", report.NetworkMessageId);
        WriteStringOrNull(json, "reportedAt", Iso(report.ReportedAt));
        json.WriteNumber("originals", report.Originals.Count);
        json.WriteStartArray("warnings");
        foreach (var warning in report.Warnings)
        {
            json.WriteStringValue(warning);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter json, AnalysisOutcome outcome, bool headers)
    {
        var message = outcome.Message;
        var analysis = outcome.Analysis;
        json.WriteStartObject("message");
        WriteStringOrNull(json, "messageId", message.MessageId);
        WriteStringOrNull(json, "subject", message.Subject);
        WriteStringOrNull(json, "date", Iso(message.Date));
        var from = Analysis.Senders.DisplayedSender.Of(message) ?? message.From.OfType<MailboxAddress>().FirstOrDefault();
        if (from is null)
        {
            json.WriteNull("from");
        }
        else
        {
            json.WritePropertyName("from");
            WriteMailbox(json, from);
        }

        json.WriteStartArray("replyTo");
        foreach (var mailbox in message.ReplyTo.OfType<MailboxAddress>())
        {
            WriteMailbox(json, mailbox);
        }

        json.WriteEndArray();
        WriteStringOrNull(json, "returnPath", message.ReturnPath);

        json.WriteStartObject("authentication");
        WriteStringOrNull(json, "spf", analysis.Authentication.Spf);
        WriteStringOrNull(json, "dkim", analysis.Authentication.Dkim);
        WriteStringOrNull(json, "dmarc", analysis.Authentication.Dmarc);
        WriteStringOrNull(json, "compauth", analysis.Authentication.Compauth);
        WriteStringOrNull(json, "compauthReason", analysis.Authentication.CompauthReason);
        WriteNumberOrNull(json, "scl", analysis.Authentication.Scl);
        WriteNumberOrNull(json, "bcl", analysis.Authentication.Bcl);
        json.WriteEndObject();

        json.WriteStartArray("received");
        foreach (var hop in analysis.Received)
        {
            json.WriteStartObject();
            WriteStringOrNull(json, "from", hop.From);
            WriteStringOrNull(json, "by", hop.By);
            WriteStringOrNull(json, "ip", hop.Ip);
            WriteStringOrNull(json, "at", Iso(hop.At));
            json.WriteEndObject();
        }

        json.WriteEndArray();

        if (analysis.FirstExternalHop is { } external)
        {
            json.WriteStartObject("firstExternalHop");
            WriteStringOrNull(json, "from", external.From);
            WriteStringOrNull(json, "ip", external.Ip);
            WriteStringOrNull(json, "at", Iso(external.At));
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("firstExternalHop");
        }

        json.WriteStartArray("urls");
        foreach (var url in analysis.Urls)
        {
            json.WriteStringValue(url.Url);
        }

        json.WriteEndArray();

        // Each URL with where it leads after unwrapping and what is notable about it (the Links table).
        json.WriteStartArray("links");
        foreach (var url in analysis.Urls)
        {
            json.WriteStartObject();
            json.WriteString("url", url.Url);
            WriteStringOrNull(json, "host", url.Host);
            WriteStringOrNull(json, "unwrapped", url.Unwrapped);
            json.WriteString("source", CamelName(url.Source));
            WriteStringOrNull(json, "text", url.VisibleText);
            json.WriteStartArray("flags");
            foreach (var (flag, name) in UrlFlagNames)
            {
                if (url.Flags.HasFlag(flag))
                {
                    json.WriteStringValue(name);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("attachments");
        foreach (var attachment in analysis.Attachments)
        {
            json.WriteStartObject();
            WriteStringOrNull(json, "fileName", attachment.FileName);
            json.WriteString("contentType", attachment.ContentType);
            json.WriteNumber("size", attachment.Size);
            json.WriteString("sha256", attachment.Sha256);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("findings");
        foreach (var finding in analysis.Findings)
        {
            json.WriteStartObject();
            json.WriteString("signal", finding.Signal);
            json.WriteString("detail", finding.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("warnings");
        foreach (var warning in message.Warnings)
        {
            json.WriteStringValue(warning.ToString());
        }

        json.WriteEndArray();
        if (headers)
        {
            json.WriteStartArray("headers");
            foreach (var header in message.Headers.Take(MaxHeaders))
            {
                json.WriteStartObject();
                json.WriteString("name", header.Name);
                var value = header.Value;
                json.WriteString("value", value.Length > MaxHeaderChars ? value[..MaxHeaderChars] : value);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    private static void WriteAssessment(Utf8JsonWriter json, Assessment.Assessment assessment)
    {
        json.WriteStartObject("assessment");
        json.WriteString("verdict", CamelName(assessment.Verdict));
        json.WriteNumber("score", assessment.Score);
        json.WriteNumber("risk", assessment.Risk);
        json.WriteString("summary", assessment.Summary);
        json.WriteStartArray("reasons");
        foreach (var reason in assessment.Reasons)
        {
            json.WriteStringValue(reason);
        }

        json.WriteEndArray();
        json.WriteStartArray("matches");
        foreach (var match in assessment.Matches)
        {
            json.WriteStartObject();
            json.WriteString("rule", match.RuleId);
            json.WriteString("category", CamelName(match.Category));
            json.WriteNumber("weight", match.Weight);
            json.WriteString("reason", match.Reason);
            WriteStringOrNull(json, "evidence", match.Evidence);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteMailbox(Utf8JsonWriter json, MailboxAddress mailbox)
    {
        json.WriteStartObject();
        json.WriteString("name", mailbox.Name ?? string.Empty);
        json.WriteString("address", mailbox.Address);
        json.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, int? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string? Iso(DateTimeOffset? value) => value?.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>Each URL flag but None with its camelCase name, in declaration order: named once, not per link.</summary>
    private static readonly (Analysis.Urls.UrlFlags Flag, string Name)[] UrlFlagNames =
        [.. Enum.GetValues<Analysis.Urls.UrlFlags>().Where(f => f != Analysis.Urls.UrlFlags.None).Select(f => (f, JsonNamingPolicy.CamelCase.ConvertName(f.ToString())))];

    private static string CamelName<T>(T value)
        where T : struct, Enum => EnumNames<T>.Of(value);

    /// <summary>The camelCase JSON names of an enumeration's values, made once per type.</summary>
    private static class EnumNames<T>
        where T : struct, Enum
    {
        private static readonly FrozenDictionary<T, string> Names =
            Enum.GetValues<T>().Distinct().ToDictionary(v => v, v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString())).ToFrozenDictionary();

        public static string Of(T value) => Names.TryGetValue(value, out var name) ? name : JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
    }
}
