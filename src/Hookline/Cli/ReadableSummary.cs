using System.Globalization;
using System.Text;
using Hookline.Mime.Addresses;
using Hookline.Reports.Pipeline;

namespace Hookline.Cli;

/// <summary>The human-readable form of one file's analysis: what an analyst reads first, a line each.</summary>
internal static class ReadableSummary
{
    public static string Describe(string file, AnalysisOutcome? outcome, string? error)
    {
        var text = new StringBuilder();
        text.Append(file).Append('\n');
        if (outcome is null)
        {
            return text.Append("  error: ").Append(error).Append("\n\n").ToString();
        }

        if (outcome.Report is { } report)
        {
            text.Append(CultureInfo.InvariantCulture, $"  report: {report.Format}, user says {report.UserVerdict}{(report.VerdictAssumed ? " (assumed: the envelope states no verdict)" : string.Empty)}");
            if (report.Reporter is { } reporter)
            {
                text.Append(CultureInfo.InvariantCulture, $", reported by {reporter.Name} <{reporter.Address}>");
            }

            if (report.ReportedAt is { } reportedAt)
            {
                text.Append(CultureInfo.InvariantCulture, $" on {reportedAt:yyyy-MM-dd HH:mm zzz}");
            }

            text.Append('\n');
            if (report.NetworkMessageId is { } networkMessageId)
            {
                text.Append("  network message id: ").Append(networkMessageId).Append('\n');
            }

            if (report.HasSeveralOriginals)
            {
                text.Append(CultureInfo.InvariantCulture, $"  originals: {report.Originals.Count} attached (the first is analysed)\n");
            }

            foreach (var warning in report.Warnings)
            {
                text.Append("  report warning: ").Append(warning).Append('\n');
            }
        }
        else
        {
            text.Append("  not a report: the message itself is analysed\n");
        }

        var message = outcome.Message;
        var from = Hookline.Reports.Analysis.Senders.DisplayedSender.Of(message) ?? message.From.OfType<MailboxAddress>().FirstOrDefault();
        text.Append("  subject: ").Append(message.Subject ?? "(none)").Append('\n');
        text.Append("  from: ").Append(from?.ToString() ?? "(none)");
        if (message.Date is { } date)
        {
            text.Append(CultureInfo.InvariantCulture, $", sent {date:yyyy-MM-dd HH:mm zzz}");
        }

        text.Append('\n');
        var authentication = outcome.Analysis.Authentication;
        text.Append(CultureInfo.InvariantCulture, $"  authentication: spf={authentication.Spf ?? "?"} dkim={authentication.Dkim ?? "?"} dmarc={authentication.Dmarc ?? "?"} compauth={authentication.Compauth ?? "?"}\n");
        text.Append(CultureInfo.InvariantCulture, $"  relay: {outcome.Analysis.Received.Count} hops");
        if (outcome.Analysis.FirstExternalHop is { } hop)
        {
            text.Append(CultureInfo.InvariantCulture, $", first external {hop.From ?? "?"} [{hop.Ip ?? "?"}]");
        }

        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"  urls: {outcome.Analysis.Urls.Count}");
        foreach (var url in outcome.Analysis.Urls.Take(5))
        {
            text.Append("\n    ").Append(url.Url);
        }

        if (outcome.Analysis.Urls.Count > 5)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n    … {outcome.Analysis.Urls.Count - 5} more");
        }

        text.Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"  attachments: {outcome.Analysis.Attachments.Count}");
        foreach (var attachment in outcome.Analysis.Attachments)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n    {attachment.FileName ?? "(no name)"} ({attachment.ContentType}, {attachment.Size:N0} bytes, sha256 {attachment.Sha256[..16]}…)");
        }

        text.Append('\n');
        var assessment = outcome.Assessment;
        text.Append(CultureInfo.InvariantCulture, $"  assessment: {assessment.Verdict.ToString().ToUpperInvariant()} (score {assessment.Score})\n");
        foreach (var reason in assessment.Reasons)
        {
            text.Append("    - ").Append(reason).Append('\n');
        }

        if (message.Warnings.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  parse warnings: {message.Warnings.Count}\n");
            foreach (var warning in message.Warnings.Take(5))
            {
                text.Append("    ").Append(warning.ToString()).Append('\n');
            }
        }

        return text.Append('\n').ToString();
    }
}
