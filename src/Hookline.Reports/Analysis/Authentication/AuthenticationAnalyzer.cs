using System.Globalization;
using Hookline.Mime;
using Hookline.Reports.Analysis.Domains;

namespace Hookline.Reports.Analysis.Authentication;

/// <summary>
/// Authentication-Results, ARC-Authentication-Results, Received-SPF, X-Forefront-Antispam-Report,
/// X-Microsoft-Antispam and X-MS-Exchange-Organization-* into verdicts and findings.
/// <para>
/// Trust rule. Anyone can write an Authentication-Results field into the message they send, so only
/// fields written by the organisation's own mail system count for <see cref="AuthenticationSummary"/>:
/// <list type="bullet">
/// <item>When <see cref="AnalysisSettings.TrustedAuthServIds"/> lists ids, a field counts when its
/// authserv-id is one of them or a name under one (case-blind). Exchange Online writes its field
/// without an authserv-id; listing <see cref="ExchangeOnlineAuthServId"/> trusts the topmost field
/// when it has none.</item>
/// <item>When the list is empty, only the topmost (most recently added) Authentication-Results
/// field counts, whatever its id: it is the one the last receiving server wrote.</item>
/// </list>
/// For each method the topmost trusted field that reports it decides (a forged copy of a trusted id is
/// further down). The other fields are kept in <see cref="AuthenticationSummary.Results"/> with
/// <see cref="AuthenticationResult.IsTrusted"/> false; one that claims a pass the trusted results do
/// not give, below a trusted field, is the mark of a forged header (<c>auth.untrusted-results-conflict</c>).
/// Received-SPF counts only when no trusted field reports SPF, under the same rule (its receiver= must
/// be trusted when the list is non-empty). The Microsoft fields are read from the topmost field of
/// each name (Exchange adds its own at the top).
/// </para>
/// </summary>
public sealed class AuthenticationAnalyzer : IMessageAnalyzer
{
    /// <summary>The trusted-id entry that stands for Exchange Online's Authentication-Results, which carries no authserv-id.</summary>
    public const string ExchangeOnlineAuthServId = "protection.outlook.com";

    /// <summary>At most this many fields of each name are parsed; the rest are counted.</summary>
    public const int MaxFields = 50;

    /// <summary>SCL from this value up is the spam filter's "spam" (Microsoft: 5 and 6 spam, 8 and 9 high confidence).</summary>
    public const int HighScl = 5;

    /// <summary>BCL from this value up is bulk mail that draws many complaints.</summary>
    public const int HighBcl = 7;

    private static readonly string[] SpfSignals = ["fail", "softfail", "neutral", "none", "permerror", "temperror"];
    private static readonly string[] DkimSignals = ["fail", "none", "neutral", "policy", "permerror", "temperror"];
    private static readonly string[] DmarcSignals = ["fail", "none", "permerror", "temperror"];
    private static readonly string[] CompauthSignals = ["fail", "softfail", "none"];

    public void Analyze(AnalysisContext context)
    {
        var headers = context.Message.Headers;
        var settings = context.Settings;
        var summary = context.Result.Authentication;

        var position = 0;
        foreach (var header in headers.FindAll("Authentication-Results"))
        {
            if (position < MaxFields)
            {
                summary.Results.Add(AuthenticationParser.ParseAuthenticationResults(header.Value, header.Name, position));
            }

            position++;
        }

        summary.ResultFieldCount = position;

        position = 0;
        foreach (var header in headers.FindAll("ARC-Authentication-Results"))
        {
            if (position >= MaxFields)
            {
                break;
            }

            summary.ArcResults.Add(AuthenticationParser.ParseAuthenticationResults(header.Value, header.Name, position++, arc: true));
        }

        position = 0;
        foreach (var header in headers.FindAll("Received-SPF"))
        {
            if (position >= MaxFields)
            {
                break;
            }

            if (AuthenticationParser.ParseReceivedSpf(header.Value, position) is { } spf)
            {
                summary.ReceivedSpf.Add(spf);
            }

            position++;
        }

        MarkTrusted(summary, settings.TrustedAuthServIds);
        Summarize(summary);
        ReadMicrosoftFields(context.Message, summary);
        AddFindings(context.Result, summary);
    }

    private static void MarkTrusted(AuthenticationSummary summary, IReadOnlyList<string> trustedIds)
    {
        if (trustedIds.Count == 0)
        {
            if (summary.Results.Count > 0)
            {
                summary.Results[0].IsTrusted = true;
            }
        }
        else
        {
            foreach (var field in summary.Results)
            {
                field.IsTrusted = field.AuthServId is null
                    ? field.Position == 0 && ContainsId(trustedIds, ExchangeOnlineAuthServId)
                    : IsTrustedId(field.AuthServId, trustedIds);
            }
        }

        foreach (var field in summary.Results)
        {
            var id = field.AuthServId ?? string.Empty;
            if (field.IsTrusted && !summary.TrustedAuthServIds.Contains(id, StringComparer.OrdinalIgnoreCase))
            {
                summary.TrustedAuthServIds.Add(id);
            }
        }

        // Received-SPF: only when no trusted Authentication-Results reports SPF.
        if (summary.Results.Exists(f => f.IsTrusted && f.Find("spf") is not null) || summary.ReceivedSpf.Count == 0)
        {
            return;
        }

        if (trustedIds.Count == 0)
        {
            summary.ReceivedSpf[0].IsTrusted = summary.ReceivedSpf[0].Position == 0;
            return;
        }

        foreach (var spf in summary.ReceivedSpf)
        {
            var receiver = spf.Get("receiver") ?? FirstWord(spf.Comment);
            spf.IsTrusted = receiver is not null && IsTrustedId(receiver, trustedIds);
        }
    }

    private static bool ContainsId(IReadOnlyList<string> ids, string id)
    {
        foreach (var candidate in ids)
        {
            if (string.Equals(candidate.Trim(), id, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTrustedId(string id, IReadOnlyList<string> trustedIds)
    {
        foreach (var trusted in trustedIds)
        {
            if (!string.IsNullOrWhiteSpace(trusted) && DomainNames.IsSameOrSubdomain(id, trusted))
            {
                return true;
            }
        }

        return false;
    }

    private static string? FirstWord(string? comment)
    {
        if (string.IsNullOrEmpty(comment))
        {
            return null;
        }

        var end = comment.AsSpan().IndexOfAny(" :;\t");
        return end <= 0 ? comment : comment[..end];
    }

    private static void Summarize(AuthenticationSummary summary)
    {
        MethodResult? Decide(string method, bool anyPass)
        {
            foreach (var field in summary.Results)
            {
                if (!field.IsTrusted)
                {
                    continue;
                }

                MethodResult? first = null;
                foreach (var r in field.Results)
                {
                    if (!string.Equals(r.Method, method, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    first ??= r;
                    if (anyPass && string.Equals(r.Result, "pass", StringComparison.Ordinal))
                    {
                        return r;
                    }
                }

                if (first is not null)
                {
                    return first;
                }
            }

            return null;
        }

        if (Decide("spf", anyPass: false) is { } spf)
        {
            summary.Spf = spf.Result;
            summary.SpfMailFrom = spf.Property("smtp.mailfrom");
        }
        else if (summary.ReceivedSpf.Find(r => r.IsTrusted) is { } receivedSpf)
        {
            summary.Spf = receivedSpf.Result;
            summary.SpfMailFrom = receivedSpf.Get("envelope-from");
            summary.SpfSource = "Received-SPF";
        }

        if (Decide("dkim", anyPass: true) is { } dkim)
        {
            summary.Dkim = dkim.Result;
            summary.DkimDomain = dkim.Property("header.d") ?? dkim.Property("header.i");
        }

        if (Decide("dmarc", anyPass: false) is { } dmarc)
        {
            summary.Dmarc = dmarc.Result;
            summary.DmarcFrom = dmarc.Property("header.from");
            summary.DmarcAction = dmarc.Property("action");
        }

        if (Decide("compauth", anyPass: false) is { } compauth)
        {
            summary.Compauth = compauth.Result;
            summary.CompauthReason = compauth.Reason;
        }
    }

    private static void ReadMicrosoftFields(MimeMessage message, AuthenticationSummary summary)
    {
        var headers = message.Headers;
        if (headers.Find("X-Forefront-Antispam-Report") is { } forefront)
        {
            summary.Forefront = AuthenticationParser.ParsePairs(forefront.Value);
        }

        summary.Scl = AuthenticationParser.ParseInt(headers.Find("X-MS-Exchange-Organization-SCL")?.Value) ?? summary.Forefront?.Scl;
        if (headers.Find("X-Microsoft-Antispam") is { } antispam)
        {
            summary.Bcl = AuthenticationParser.ParseInt(AuthenticationParser.ParsePairs(antispam.Value).Get("BCL"));
        }

        summary.AuthAs = Bounded(headers.Find("X-MS-Exchange-Organization-AuthAs")?.Value);
        summary.AuthSource = Bounded(headers.Find("X-MS-Exchange-Organization-AuthSource")?.Value);
    }

    private static string? Bounded(string? value) =>
        value is null ? null : value.Length <= AuthenticationParser.MaxTextLength ? value.Trim() : value[..AuthenticationParser.MaxTextLength].Trim();

    private static void AddFindings(MessageAnalysis result, AuthenticationSummary summary)
    {
        var anyTrusted = summary.Results.Exists(f => f.IsTrusted && f.Results.Count > 0) || summary.ReceivedSpf.Exists(r => r.IsTrusted);
        if (!anyTrusted)
        {
            var why = summary.Results.Count == 0 && summary.ReceivedSpf.Count == 0
                ? "The message carries no Authentication-Results or Received-SPF field."
                : summary.Results.Exists(f => f.IsTrusted && f.IsNone)
                    ? "The trusted server checked nothing (\"none\")."
                    : string.Create(CultureInfo.InvariantCulture, $"None of the {summary.ResultFieldCount} Authentication-Results field(s) comes from a trusted authserv-id.");
            result.Add("auth.none", why);
        }

        AddMethodFinding(result, "spf", summary.Spf, SpfSignals, summary.SpfMailFrom);
        AddMethodFinding(result, "dkim", summary.Dkim, DkimSignals, summary.DkimDomain);
        AddMethodFinding(result, "dmarc", summary.Dmarc, DmarcSignals, summary.DmarcFrom);
        AddMethodFinding(result, "compauth", summary.Compauth, CompauthSignals, summary.CompauthReason is null ? null : "reason " + summary.CompauthReason);

        var untrusted = summary.Results.FindAll(f => !f.IsTrusted && f.Results.Count > 0);
        if (untrusted.Count > 0)
        {
            var ids = string.Join(", ", untrusted.Select(f => f.AuthServId ?? "(none)").Distinct(StringComparer.OrdinalIgnoreCase).Take(5));
            result.Add("auth.untrusted-results-present", string.Create(CultureInfo.InvariantCulture, $"{untrusted.Count} Authentication-Results field(s) from untrusted authserv-id(s): {ids}."));
            AddConflict(result, summary, untrusted);
        }

        AddForefrontFindings(result, summary);
    }

    private static void AddMethodFinding(MessageAnalysis result, string method, string? value, string[] signalled, string? about)
    {
        if (value is null || Array.IndexOf(signalled, value) < 0)
        {
            return;
        }

        var detail = about is null ? $"{method}={value}" : $"{method}={value} ({about})";
        result.Add($"auth.{method}.{value}", detail);
    }

    // An untrusted field below the first trusted one that claims a pass the trusted results do not give.
    private static void AddConflict(MessageAnalysis result, AuthenticationSummary summary, List<AuthenticationResult> untrusted)
    {
        var firstTrusted = summary.Results.Find(f => f.IsTrusted);
        if (firstTrusted is null)
        {
            return;
        }

        foreach (var field in untrusted)
        {
            if (field.Position <= firstTrusted.Position)
            {
                continue;
            }

            foreach (var r in field.Results)
            {
                var trusted = r.Method switch
                {
                    "spf" => summary.Spf,
                    "dkim" => summary.Dkim,
                    "dmarc" => summary.Dmarc,
                    "compauth" => summary.Compauth,
                    _ => "pass",
                };
                if (string.Equals(r.Result, "pass", StringComparison.Ordinal) && !string.Equals(trusted, "pass", StringComparison.Ordinal))
                {
                    result.Add("auth.untrusted-results-conflict", $"A field below the trusted one, from {field.AuthServId ?? "(no authserv-id)"}, claims {r.Method}=pass; the trusted result is {trusted ?? "absent"}.");
                    return;
                }
            }
        }
    }

    private static void AddForefrontFindings(MessageAnalysis result, AuthenticationSummary summary)
    {
        var ff = summary.Forefront;
        var sfv = ff?.Sfv?.ToUpperInvariant();
        var cat = ff?.Cat?.ToUpperInvariant();
        if (ff is not null)
        {
            var detail = $"X-Forefront-Antispam-Report SFV:{ff.Sfv} CAT:{ff.Cat}";
            if (sfv == "PHSH" || cat is "PHISH" or "HPHISH")
            {
                result.Add("auth.forefront.phish", detail);
            }

            if (cat is "SPOOF")
            {
                result.Add("auth.forefront.spoof", detail);
            }

            if (cat is "GIMP" or "UIMP" or "DIMP")
            {
                result.Add("auth.forefront.impersonation", detail);
            }

            if (sfv == "SPM" || cat is "SPM" or "HSPM")
            {
                result.Add("auth.forefront.spam", detail);
            }

            if (cat is "BULK")
            {
                result.Add("auth.forefront.bulk", detail);
            }

            if (cat is "MALW")
            {
                result.Add("auth.forefront.malware", detail);
            }

            if (sfv == "BLK")
            {
                result.Add("auth.forefront.blocked", detail);
            }

            if (sfv is "SKA" or "SKN")
            {
                result.Add("auth.forefront.filter-skipped", detail + " (an allow list or a mail flow rule skipped filtering)");
            }
        }

        if (summary.Scl >= HighScl)
        {
            result.Add("auth.scl.high", string.Create(CultureInfo.InvariantCulture, $"SCL {summary.Scl}"));
        }

        if (summary.Bcl >= HighBcl)
        {
            result.Add("auth.bcl.high", string.Create(CultureInfo.InvariantCulture, $"BCL {summary.Bcl}"));
        }
    }
}
