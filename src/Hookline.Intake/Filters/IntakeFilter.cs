using Hookline.Mime;
using Hookline.Reports.Recognition;

namespace Hookline.Intake.Filters;

/// <summary>
/// The transport-rule conditions organisations put on reports: only from listed reporters, domains or
/// groups; only the verdicts listed (e.g. phishing only); only when a header contains a word. Every
/// configured condition must hold; a report that fails one is recorded as skipped with the reason.
/// </summary>
public sealed record IntakeFilter
{
    /// <summary>No conditions: every report is kept.</summary>
    public static IntakeFilter None { get; } = new();

    /// <summary>Reporter addresses allowed (case-blind). With domains and groups: any of them admits a reporter.</summary>
    public IReadOnlyList<string> Reporters { get; init; } = [];

    /// <summary>Reporter domains allowed (the domain itself, not its subdomains).</summary>
    public IReadOnlyList<string> ReporterDomains { get; init; } = [];

    /// <summary>Groups whose members are allowed, by name, each a list of member addresses (Hookline cannot read the directory).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Groups { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The user verdicts kept (<c>phishing</c>, <c>junk</c>, <c>notJunk</c>); empty: all.</summary>
    public IReadOnlyList<string> UserVerdicts { get; init; } = [];

    /// <summary>Header conditions on the report as delivered: the named header must contain the word (case-blind).</summary>
    public IReadOnlyList<HeaderCondition> HeaderContains { get; init; } = [];

    public bool IsEmpty => Reporters.Count == 0 && ReporterDomains.Count == 0 && Groups.Count == 0 && UserVerdicts.Count == 0 && HeaderContains.Count == 0;

    /// <summary>Null when the report passes; otherwise why it is skipped.</summary>
    public string? Check(MimeMessage envelope, Report? report)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (IsEmpty)
        {
            return null;
        }

        if (Reporters.Count > 0 || ReporterDomains.Count > 0 || Groups.Count > 0)
        {
            var address = report?.Reporter?.Address;
            if (address is null)
            {
                return "no reporter could be read, and only listed reporters, domains or groups are accepted";
            }

            if (!IsListedReporter(address))
            {
                return $"reporter {address} is not among the listed reporters, domains or groups";
            }
        }

        if (UserVerdicts.Count > 0)
        {
            var verdict = report is null ? null : VerdictName(report.UserVerdict);
            if (verdict is null || !UserVerdicts.Contains(verdict, StringComparer.OrdinalIgnoreCase))
            {
                return $"user verdict {verdict ?? "(not a report)"} is not one of {string.Join(", ", UserVerdicts)}";
            }
        }

        foreach (var condition in HeaderContains)
        {
            var found = envelope.Headers.FindAll(condition.Header)
                .Any(h => h.Value.Contains(condition.Word, StringComparison.OrdinalIgnoreCase));
            if (!found)
            {
                return $"header {condition.Header} does not contain \"{condition.Word}\"";
            }
        }

        return null;
    }

    /// <summary>The contract's name for a user verdict.</summary>
    public static string VerdictName(UserVerdict verdict) => verdict switch
    {
        UserVerdict.Junk => "junk",
        UserVerdict.NotJunk => "notJunk",
        _ => "phishing",
    };

    private bool IsListedReporter(string address)
    {
        if (Reporters.Contains(address, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        var at = address.LastIndexOf('@');
        if (at >= 0 && ReporterDomains.Contains(address[(at + 1)..], StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return Groups.Values.Any(members => members.Contains(address, StringComparer.OrdinalIgnoreCase));
    }
}

/// <summary>A header that must contain a word.</summary>
public sealed record HeaderCondition(string Header, string Word);
