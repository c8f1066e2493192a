using Hookline.Reports.Analysis;
using Hookline.Reports.Recognition;

namespace Hookline.Reports.Assessment;

/// <summary>
/// Turns the findings into an assessment with rules kept as data (<see cref="RuleSet"/>, see
/// docs/rules.md). The findings of attached messages count like the message's own (a rule can
/// restrict a signal with <c>in: message</c> or <c>in: attached</c>); their details are prefixed
/// "in an attached message: ".
/// <list type="number">
/// <item>Every enabled rule whose <c>when</c> holds adds its points to its category.</item>
/// <item>Net phishing = phishing − clean points; net spam = spam − clean points; unwanted = the
/// larger of net spam and net phishing plus the spam points.</item>
/// <item>Phishing when net phishing reaches its threshold; otherwise spam when unwanted reaches the
/// spam threshold; otherwise clean.</item>
/// <item>Risk (0–100, one scale): phishing from its threshold to 100; spam from its threshold to just
/// under the phishing threshold; clean below the spam threshold.</item>
/// <item>Overrides: a blocked sender (<c>sender.blocked</c>) is at least spam; an allowed sender
/// (<c>sender.allowed</c>) whose trusted authentication passed (<c>auth.dmarc.pass</c> or
/// <c>auth.compauth.pass</c>) is clean with risk 0. Blocked wins over allowed.</item>
/// </list>
/// Thread-safe; per message it allocates only the result (and the reasons of matched rules).
/// </summary>
public sealed class Assessor
{
    public const string NothingMatchedReason = "No rule matched: no sign of phishing or spam was found.";

    private static readonly Finding DmarcPass = new("auth.dmarc.pass", "DMARC passed (trusted result)");
    private static readonly Finding CompauthPass = new("auth.compauth.pass", "Composite authentication passed (trusted result)");
    private static readonly Finding SpfPass = new("auth.spf.pass", "SPF passed (trusted result)");
    private static readonly Finding DkimPass = new("auth.dkim.pass", "DKIM passed (trusted result)");
    private const string NothingMatchedSummary = "No sign of phishing or spam was found.";

    private static readonly IReadOnlyList<string> NothingMatched = [NothingMatchedReason];

    [ThreadStatic]
    private static EvaluationState? t_state;

    public Assessor(RuleSet rules)
    {
        Rules = rules;
    }

    /// <summary>The embedded default rules.</summary>
    public static Assessor Default { get; } = new(RuleSet.Default);

    public RuleSet Rules { get; }

    public Assessment Assess(MessageAnalysis analysis, Report? report)
    {
        var state = t_state ??= new EvaluationState();
        var table = Rules.Signals;
        state.Reset(table.Count, report);
        var facts = default(TopFacts);
        AddFindings(state, table, analysis, top: true, ref facts);
        // A message that only forwards another in its body (message.inline-forward: the reporter's or a
        // colleague's "Fw:") is judged by the forwarded message: its sender's signals count as the
        // message's own ("in: message"). Its sender is never allowed by the allow list on the
        // forwarder's authentication, and the forwarder's authentication stays the only one.
        var forwarded = InlineForwarded(analysis);
        if (forwarded is not null)
        {
            AddFindings(state, table, forwarded, top: true, ref facts, forwardedInline: true);
        }

        state.TopCount = state.FindingCount;
        AddAttached(state, table, analysis, forwarded, ref facts);

        var rules = Rules.EnabledRules;
        int phishing = 0, spam = 0, clean = 0;
        Span<int> matchedBuffer = stackalloc int[Math.Min(rules.Length, 256)];
        var matched = 0;
        for (var i = 0; i < rules.Length; i++)
        {
            var rule = rules[i];
            if (!rule.Compiled.Evaluate(state))
            {
                continue;
            }

            switch (rule.Category)
            {
                case RuleCategory.Phishing:
                    phishing += rule.Points;
                    break;
                case RuleCategory.Spam:
                    spam += rule.Points;
                    break;
                default:
                    clean += rule.Points;
                    break;
            }

            if (matched < matchedBuffer.Length)
            {
                matchedBuffer[matched++] = i;
            }
        }

        var netPhishing = phishing - clean;
        var netSpam = spam - clean;
        // Evidence of phishing that falls short of its threshold still makes the message unwanted:
        // the spam verdict weighs both kinds of evidence together.
        var unwanted = Math.Max(netSpam, netPhishing + Math.Max(0, spam));
        AssessmentVerdict verdict;
        if (netPhishing >= Rules.PhishingThreshold)
        {
            verdict = AssessmentVerdict.Phishing;
        }
        else if (unwanted >= Rules.SpamThreshold)
        {
            verdict = AssessmentVerdict.Spam;
        }
        else
        {
            verdict = AssessmentVerdict.Clean;
        }

        var risk = Risk(verdict, netPhishing, unwanted);
        string? overrideReason = null;
        if (facts.Blocked is not null)
        {
            if (verdict == AssessmentVerdict.Clean)
            {
                verdict = AssessmentVerdict.Spam;
                risk = Risk(verdict, netPhishing, Math.Max(unwanted, Rules.SpamThreshold));
            }

            overrideReason = "The sender is on the organisation's block list: " + facts.Blocked.Detail;
        }
        else if (facts.Allowed is not null && facts.TrustedPass)
        {
            verdict = AssessmentVerdict.Clean;
            risk = 0;
            overrideReason = "The sender is on the organisation's allow list and its authentication passed: " + facts.Allowed.Detail;
        }

        if (matched == 0 && overrideReason is null)
        {
            return new Assessment(verdict, risk, NothingMatched) { Summary = NothingMatchedSummary, PhishingPoints = netPhishing, SpamPoints = netSpam };
        }

        var matches = Order(state, rules, matchedBuffer[..matched], verdict);
        var reasons = new string[matches.Length + (overrideReason is null ? 0 : 1)];
        var next = 0;
        if (overrideReason is not null)
        {
            reasons[next++] = overrideReason;
        }

        foreach (var match in matches)
        {
            reasons[next++] = match.Reason;
        }

        return new Assessment(verdict, risk, reasons)
        {
            Summary = AssessmentSummary.Write(verdict, risk, matches, overrideReason),
            Matches = matches,
            PhishingPoints = netPhishing,
            SpamPoints = netSpam,
        };
    }

    /// <summary>
    /// The 0–100 risk, on one scale for every verdict: phishing from the phishing threshold up (its net
    /// points, capped at 100); spam from the spam threshold to just under the phishing threshold;
    /// clean below the spam threshold (the larger net sum, at least 0).
    /// </summary>
    private int Risk(AssessmentVerdict verdict, int netPhishing, int netSpam)
    {
        var low = Math.Min(Rules.SpamThreshold, Rules.PhishingThreshold);
        var high = Math.Max(Rules.SpamThreshold, Rules.PhishingThreshold);
        var larger = Math.Max(netPhishing, netSpam);
        return verdict switch
        {
            AssessmentVerdict.Phishing => Math.Clamp(netPhishing, Rules.PhishingThreshold, 100),
            AssessmentVerdict.Spam => Math.Clamp(larger, Rules.SpamThreshold, Math.Max(Rules.SpamThreshold, high - 1)),
            _ => Math.Clamp(larger, 0, Math.Max(0, low - 1)),
        };
    }

    /// <summary>The matched rules as reasons: the verdict's own category first, then by weight (|points|), then in rule order.</summary>
    private static RuleMatch[] Order(EvaluationState state, Rule[] rules, Span<int> matched, AssessmentVerdict verdict)
    {
        var first = verdict switch
        {
            AssessmentVerdict.Phishing => RuleCategory.Phishing,
            AssessmentVerdict.Spam => RuleCategory.Spam,
            _ => RuleCategory.Clean,
        };

        // Insertion sort: a handful of matches; stable, so rule order breaks ties.
        for (var i = 1; i < matched.Length; i++)
        {
            var current = matched[i];
            var j = i - 1;
            while (j >= 0 && Before(rules[current], rules[matched[j]], first))
            {
                matched[j + 1] = matched[j];
                j--;
            }

            matched[j + 1] = current;
        }

        var result = new RuleMatch[matched.Length];
        for (var i = 0; i < matched.Length; i++)
        {
            var rule = rules[matched[i]];
            string reason;
            string? evidence = null;
            if (rule.Compiled.TryGetEvidence(state, out var index, out var count) && index >= 0)
            {
                var finding = state.Findings[index];
                evidence = index >= state.TopCount ? ReasonTemplate.AttachedPrefix + finding.Detail : finding.Detail;
                reason = rule.Template.Format(finding, index >= state.TopCount, count);
            }
            else
            {
                reason = rule.Template.Format(null, false, count);
            }

            result[i] = new RuleMatch(rule.Id, rule.Category, rule.Points, reason.Trim()) { Evidence = evidence };
        }

        return result;
    }

    private static bool Before(Rule a, Rule b, RuleCategory first)
    {
        var aFirst = a.Category == first;
        var bFirst = b.Category == first;
        if (aFirst != bFirst)
        {
            return aFirst;
        }

        return Math.Abs(a.Points) > Math.Abs(b.Points);
    }

    /// <summary>The message <paramref name="analysis"/> forwards in its body (see InlineForwardAnalyzer), or null.</summary>
    private static MessageAnalysis? InlineForwarded(MessageAnalysis analysis)
    {
        if (analysis.AttachedMessages.Count != 1)
        {
            return null;
        }

        foreach (var finding in analysis.Findings)
        {
            if (finding.Signal == "message.inline-forward")
            {
                return analysis.AttachedMessages[0];
            }
        }

        return null;
    }

    private static void AddAttached(EvaluationState state, SignalTable table, MessageAnalysis analysis, MessageAnalysis? counted, ref TopFacts facts)
    {
        foreach (var attached in analysis.AttachedMessages)
        {
            if (!ReferenceEquals(attached, counted))
            {
                AddFindings(state, table, attached, top: false, ref facts);
            }

            AddAttached(state, table, attached, null, ref facts);
        }
    }

    private static void AddFindings(EvaluationState state, SignalTable table, MessageAnalysis analysis, bool top, ref TopFacts facts, bool forwardedInline = false)
    {
        var topCounts = top ? state.CountTop : null;
        bool dmarc = false, compauth = false, spf = false, dkim = false;
        foreach (var finding in analysis.Findings)
        {
            state.AddFinding(finding);
            table.Tally(finding.Signal, state.CountAll, topCounts);
            switch (finding.Signal)
            {
                case "auth.dmarc.pass":
                    dmarc = true;
                    break;
                case "auth.compauth.pass":
                    compauth = true;
                    break;
                case "auth.spf.pass":
                    spf = true;
                    break;
                case "auth.dkim.pass":
                    dkim = true;
                    break;
                case "sender.blocked" when top:
                    facts.Blocked ??= finding;
                    break;
                case "sender.allowed" when top && !forwardedInline:
                    facts.Allowed ??= finding;
                    break;
            }
        }

        var summary = analysis.Authentication;
        dmarc |= Derive(state, table, topCounts, !dmarc && IsPass(summary.Dmarc), DmarcPass);
        compauth |= Derive(state, table, topCounts, !compauth && IsPass(summary.Compauth), CompauthPass);
        Derive(state, table, topCounts, !spf && IsPass(summary.Spf), SpfPass);
        Derive(state, table, topCounts, !dkim && IsPass(summary.Dkim), DkimPass);
        if (top && !forwardedInline)
        {
            facts.TrustedPass = dmarc || compauth;
        }
    }

    private static bool Derive(EvaluationState state, SignalTable table, int[]? topCounts, bool add, Finding finding)
    {
        if (add)
        {
            state.AddFinding(finding);
            table.Tally(finding.Signal, state.CountAll, topCounts);
        }

        return add;
    }

    private static bool IsPass(string? result) => string.Equals(result, "pass", StringComparison.OrdinalIgnoreCase);

    private struct TopFacts
    {
        public Finding? Blocked;
        public Finding? Allowed;
        public bool TrustedPass;
    }
}
