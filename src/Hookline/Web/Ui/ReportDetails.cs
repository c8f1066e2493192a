using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hookline.Mime;
using Hookline.Reports.Pipeline;
using Hookline.Reports.Rendering;
using Hookline.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Ui;

/// <summary>One header of the original, decoded.</summary>
internal sealed record HeaderRow(string Name, string Value);

/// <summary>One relay hop in the order the message travelled, with the delay since the previous hop.</summary>
internal sealed record HopRow(string? From, string? By, string? Ip, DateTimeOffset? At, TimeSpan? Delay, bool FirstExternal);

/// <summary>
/// One link of the original: as written, its visible text, the host it really leads to, the target
/// behind a link rewriter, where it was found and its flags (camelCase, as the analysis JSON has them).
/// <see cref="Recorded"/> is false for an analysis stored before links were recorded: then only the URL
/// is the stored analysis's, the text and host come from reading the raw bytes again, and there are no flags.
/// </summary>
internal sealed record LinkRow(string Url, string? VisibleText, string? Host, string? Unwrapped, string? Source, IReadOnlyList<string> Flags, bool Recorded);

/// <summary>One rule that matched: its signed weight on the risk, the reason, the finding that made it hold, the rule id.</summary>
internal sealed record MatchRow(string Rule, string? Category, int Weight, string Reason, string? Evidence);

internal sealed record AttachmentRow(string? FileName, string ContentType, long Size, string Sha256);


/// <summary>What the analyze contract JSON says about the original.</summary>
internal sealed class AnalysisView
{
    public string? ReportFormat { get; init; }

    public IReadOnlyList<string> ReportWarnings { get; init; } = [];

    public string? MessageId { get; init; }

    public string? Subject { get; init; }

    public string? Date { get; init; }

    public string? From { get; init; }

    public IReadOnlyList<string> ReplyTo { get; init; } = [];

    public string? ReturnPath { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Authentication { get; init; } = [];

    public IReadOnlyList<HopRow> Hops { get; init; } = [];

    public IReadOnlyList<string> Urls { get; init; } = [];

    public IReadOnlyList<AttachmentRow> Attachments { get; init; } = [];

    public IReadOnlyList<KeyValuePair<string, string>> Findings { get; init; } = [];

    /// <summary>Every link with its target and flags (<c>message.links</c>); null for an analysis stored before they were recorded.</summary>
    public IReadOnlyList<LinkRow>? Links { get; init; }

    /// <summary>The original's decoded header fields (<c>message.headers</c>); null for an analysis stored before they were kept.</summary>
    public IReadOnlyList<HeaderRow>? Headers { get; init; }

    public string? Verdict { get; init; }

    /// <summary>The risk (<c>assessment.risk</c>); null for an analysis stored before the risk scale.</summary>
    public int? Risk { get; init; }

    /// <summary>The stored <c>assessment.score</c>: the risk, or for an older analysis how sure the verdict was.</summary>
    public int? Score { get; init; }

    /// <summary>The one sentence the analyst reads first; null for an older analysis.</summary>
    public string? Summary { get; init; }

    /// <summary>Each matched rule with its weight and evidence, most weighty on the verdict's side first; empty for an older analysis.</summary>
    public IReadOnlyList<MatchRow> Matches { get; init; } = [];

    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Analysed before the risk scale, the summary and the weighted matches (reprocessing brings them).</summary>
    public bool IsBeforeRisk => Risk is null;
}

internal sealed class ReportDetail
{
    public required ReportRecord Report { get; init; }

    public required IReadOnlyList<ReviewRecord> Reviews { get; init; }

    public required IReadOnlyList<NotificationRow> Notifications { get; init; }

    public required IReadOnlyList<AuditEvent> Audit { get; init; }

    public AnalysisView? Analysis { get; init; }

    public IReadOnlyList<HeaderRow> Headers { get; init; } = [];

    public IReadOnlyList<LinkRow> Links { get; init; } = [];

    public int CampaignSize { get; init; }
}

/// <summary>
/// Loads a report for its page: the stored row, review history, outbox and audit trail, and the stored
/// analysis (analyze contract JSON with the original's decoded headers and every link's text). Only the
/// body is read from the raw bytes, and only a report analysed before the analysis kept the headers is
/// analysed again.
/// </summary>
internal sealed class ReportDetails(ReportQueries queries, ReportAnalyzer analyzer)
{
    private const int MaxBodyChars = 2 * 1024 * 1024;

    /// <summary>The longest one body may take to render (a hostile body is cut off, the server goes on).</summary>
    private static readonly TimeSpan MaxRenderTime = TimeSpan.FromSeconds(5);

    public async Task<ReportDetail?> LoadAsync(long id, CancellationToken cancellationToken)
    {
        if (await queries.HistoryAsync(id, cancellationToken) is not { } history)
        {
            return null;
        }

        var report = history.Report;
        var campaign = report.SenderAddress is null || report.Subject is null ? 0
            : (await queries.CampaignSizesAsync([report], cancellationToken)).GetValueOrDefault((report.SenderAddress, report.Subject));
        var analysis = report.AnalysisJson is null ? null : ReadAnalysis(report.AnalysisJson);
        // The stored analysis has the headers and the links: the page reads the raw bytes (and analyses them
        // again) only for a report without one, or with one stored before it kept them.
        IReadOnlyList<HeaderRow> headers = analysis?.Headers ?? [];
        IReadOnlyList<LinkRow> reread = [];
        var raw = analysis?.Headers is not null && analysis.Links is not null ? null : await queries.RawByHashAsync(report.RawSha256, cancellationToken);
        if (raw is not null)
        {
            try
            {
                var outcome = analyzer.Analyze(raw);
                headers = outcome.Message.Headers.Select(h => new HeaderRow(h.Name, h.Value)).ToList();
                reread = outcome.Analysis.Urls.Select(u => new LinkRow(u.Url, u.VisibleText, u.Host, null, null, [], Recorded: false)).ToList();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                headers = [new HeaderRow("(unreadable)", e.Message)];
            }
        }

        return new ReportDetail
        {
            Report = report,
            Reviews = history.Reviews,
            Notifications = history.Notifications,
            Audit = history.Audit,
            Analysis = analysis,
            Headers = headers,
            Links = Links(analysis, reread),
            CampaignSize = campaign,
        };
    }

    /// <summary>
    /// The Links table: the stored analysis's links (target, flags) when it recorded them; for an older
    /// analysis its URLs, with the visible text and host from reading the raw bytes again; without an
    /// analysis, what reading the raw bytes again found.
    /// </summary>
    internal static IReadOnlyList<LinkRow> Links(AnalysisView? analysis, IReadOnlyList<LinkRow> reread)
    {
        if (analysis?.Links is { } recorded)
        {
            return recorded;
        }

        if (analysis is null)
        {
            return reread;
        }

        var byUrl = new Dictionary<string, LinkRow>(StringComparer.Ordinal);
        foreach (var row in reread)
        {
            byUrl.TryAdd(row.Url, row);
        }

        return analysis.Urls.Select(url => byUrl.TryGetValue(url, out var row) ? row : new LinkRow(url, null, null, null, null, [], Recorded: false)).ToList();
    }

    /// <summary>The original's body as a standalone HTML document (HTML as sent; plain text escaped), or null when the report does not exist.</summary>
    public async Task<string?> LoadBodyAsync(long id, CancellationToken cancellationToken)
    {
        if (await queries.RawAsync(id, cancellationToken) is not { } raw)
        {
            return null;
        }

        var message = ReportQueries.OriginalMessage(raw);
        var parts = message.Entities(intoAttachedMessages: false).OfType<MimePart>().Where(p => p.IsText && !p.IsAttachment).ToList();
        var html = parts.FirstOrDefault(p => p.ContentType.MediaSubtype == "html");
        if (html is not null)
        {
            var text = html.GetText();
            // Links, forms and remote resources defanged; the message's own cid: images inline.
            var images = new InlineImages(message);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bounded.CancelAfter(MaxRenderTime);
            try
            {
                return BodyDefanger.Render(text.Length > MaxBodyChars ? text[..MaxBodyChars] : text, images.Resolve, bounded.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return "<!doctype html><html><body><p>The body took longer than " + MaxRenderTime.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s to render and is not shown. The raw message can be downloaded.</p></body></html>";
            }
        }

        var plain = parts.FirstOrDefault(p => p.ContentType.MediaSubtype == "plain")?.GetText() ?? "(no text body)";
        if (plain.Length > MaxBodyChars)
        {
            plain = plain[..MaxBodyChars];
        }

        return "<!doctype html><html><body><pre style=\"white-space:pre-wrap;font:13px/1.4 monospace\">" + HtmlEncoder.Default.Encode(plain) + "</pre></body></html>";
    }

    internal static AnalysisView ReadAnalysis(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var report = Object(root, "report");
        var message = Object(root, "message");
        var assessment = Object(root, "assessment");

        var hops = new List<HopRow>();
        if (message is { } m && Array(m, "received") is { } received)
        {
            var external = Object(m, "firstExternalHop");
            var externalKey = external is { } x ? (Str(x, "from"), Str(x, "ip"), Str(x, "at")) : default;
            DateTimeOffset? previous = null;
            var marked = false;
            // Received lines are newest first; the path reads in the order the message travelled.
            foreach (var hop in received.EnumerateArray().Reverse())
            {
                var at = Time(Str(hop, "at"));
                var isExternal = !marked && external is not null && (Str(hop, "from"), Str(hop, "ip"), Str(hop, "at")) == externalKey;
                marked |= isExternal;
                hops.Add(new HopRow(Str(hop, "from"), Str(hop, "by"), Str(hop, "ip"), at, at is not null && previous is not null ? at - previous : null, isExternal));
                previous = at ?? previous;
            }
        }

        return new AnalysisView
        {
            ReportFormat = report is { } r ? Str(r, "format") : null,
            ReportWarnings = report is { } rw ? Strings(rw, "warnings") : [],
            MessageId = message is { } m1 ? Str(m1, "messageId") : null,
            Subject = message is { } m2 ? Str(m2, "subject") : null,
            Date = message is { } m3 ? Str(m3, "date") : null,
            From = message is { } m4 && Object(m4, "from") is { } from ? Mailbox(from) : null,
            ReplyTo = message is { } m5 && Array(m5, "replyTo") is { } replyTo ? replyTo.EnumerateArray().Select(Mailbox).ToList() : [],
            ReturnPath = message is { } m6 ? Str(m6, "returnPath") : null,
            Authentication = message is { } m7 && Object(m7, "authentication") is { } auth
                ? auth.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).Select(p => KeyValuePair.Create(p.Name, p.Value.ToString())).ToList()
                : [],
            Hops = hops,
            Urls = message is { } m8 ? Strings(m8, "urls") : [],
            Attachments = message is { } m9 && Array(m9, "attachments") is { } attachments
                ? attachments.EnumerateArray().Select(a => new AttachmentRow(Str(a, "fileName"), Str(a, "contentType") ?? "", a.TryGetProperty("size", out var size) && size.TryGetInt64(out var s) ? s : 0, Str(a, "sha256") ?? "")).ToList()
                : [],
            Findings = message is { } m10 && Array(m10, "findings") is { } findings
                ? findings.EnumerateArray().Select(f => KeyValuePair.Create(Str(f, "signal") ?? "", Str(f, "detail") ?? "")).ToList()
                : [],
            Links = message is { } m11 && Array(m11, "links") is { } links
                ? links.EnumerateArray().Where(l => Str(l, "url") is not null).Select(l => new LinkRow(Str(l, "url")!, Str(l, "text"), Str(l, "host"), Str(l, "unwrapped"), Str(l, "source"), Strings(l, "flags"), Recorded: true)).ToList()
                : null,
            Headers = message is { } m12 && Array(m12, "headers") is { } fields
                ? fields.EnumerateArray().Select(h => new HeaderRow(Str(h, "name") ?? "", Str(h, "value") ?? "")).ToList()
                : null,
            Verdict = assessment is { } a1 ? Str(a1, "verdict") : null,
            Risk = assessment is { } a2 ? Int(a2, "risk") : null,
            Score = assessment is { } a3 ? Int(a3, "score") : null,
            Summary = assessment is { } a4 && Str(a4, "summary") is { Length: > 0 } summary ? summary : null,
            Matches = assessment is { } a5 && Array(a5, "matches") is { } matches
                ? matches.EnumerateArray().Where(x => Str(x, "reason") is not null).Select(x => new MatchRow(Str(x, "rule") ?? "", Str(x, "category"), Int(x, "weight") ?? 0, Str(x, "reason")!, Str(x, "evidence"))).ToList()
                : [],
            Reasons = assessment is { } a6 ? Strings(a6, "reasons") : [],
        };
    }

    private static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static JsonElement? Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value : null;

    private static int? Int(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Strings(JsonElement element, string name) =>
        Array(element, name) is { } array ? array.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList() : [];

    private static string Mailbox(JsonElement mailbox)
    {
        var name = Str(mailbox, "name");
        var address = Str(mailbox, "address") ?? "";
        return string.IsNullOrEmpty(name) ? address : $"{name} <{address}>";
    }

    private static DateTimeOffset? Time(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
}
