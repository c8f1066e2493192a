using Hookline.Reports.Analysis;
using Hookline.Reports.Recognition;

namespace Hookline.Reports.Tests.AssessmentTests;

/// <summary>Condition semantics, each through a one-rule set (phishing threshold 50, the rule worth 50).</summary>
public class ConditionTests
{
    private static bool Matches(string when, MessageAnalysis analysis, Report? report = null) =>
        Build.OneRule(when).Assess(analysis, report).Matches.Count == 1;

    [Fact]
    public void Signal_WhenPresent_Matches() => Assert.True(Matches("url.ip-literal", Build.Analysis("url.many", "url.ip-literal")));

    [Fact]
    public void Signal_WhenAbsent_DoesNotMatch() => Assert.False(Matches("url.ip-literal", Build.Analysis("url.many", "url.ip-literals")));

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, true)]
    public void SignalAtLeast_WhenCounted_MatchesFromTheCount(int found, bool expected)
    {
        var analysis = Build.Analysis([.. Enumerable.Repeat("url.text-mismatch", found)]);

        Assert.Equal(expected, Matches("{ signal: url.text-mismatch, atLeast: 2 }", analysis));
    }

    [Fact]
    public void SignalPrefix_WhenAnySignalUnderIt_Matches()
    {
        Assert.True(Matches("relay.*", Build.Analysis("relay.private-ip")));
        Assert.False(Matches("relay.*", Build.Analysis("relayx.other", "url.many")));
    }

    [Fact]
    public void DetailContains_WhenOnlyAnotherFindingHasTheText_DoesNotMatch()
    {
        const string When = "{ signal: sender.reply-to-differs, detailContains: GMAIL, atLeast: 1 }";

        Assert.True(Matches(When, Build.Analysis("sender.reply-to-differs=Reply-To x@gmail.example")));
        Assert.False(Matches(When, Build.Analysis("sender.reply-to-differs=Reply-To x@corp.example", "url.many=gmail")));
    }

    [Fact]
    public void DetailContainsAtLeast_WhenFewerFindingsHaveTheText_DoesNotMatch()
    {
        const string When = "{ signal: url.text-mismatch, detailContains: paypal, atLeast: 2 }";

        Assert.False(Matches(When, Build.Analysis("url.text-mismatch=paypal.example", "url.text-mismatch=other.example")));
        Assert.True(Matches(When, Build.Analysis("url.text-mismatch=paypal.example", "url.text-mismatch=www.PayPal.example")));
    }

    [Fact]
    public void All_WhenOneIsMissing_DoesNotMatch()
    {
        Assert.True(Matches("{ all: [url.many, url.ip-literal] }", Build.Analysis("url.ip-literal", "url.many")));
        Assert.False(Matches("{ all: [url.many, url.ip-literal] }", Build.Analysis("url.ip-literal")));
    }

    [Fact]
    public void Any_WhenOneIsPresent_Matches()
    {
        Assert.True(Matches("{ any: [url.many, url.ip-literal] }", Build.Analysis("url.ip-literal")));
        Assert.False(Matches("{ any: [url.many, url.ip-literal] }", Build.Analysis("url.punycode")));
    }

    [Fact]
    public void Not_WhenInnerHolds_DoesNotMatch()
    {
        Assert.False(Matches("{ not: url.many }", Build.Analysis("url.many")));
        Assert.True(Matches("{ not: url.many }", Build.Analysis()));
    }

    [Theory]
    [InlineData(new[] { "url.many" }, false)]
    [InlineData(new[] { "url.many", "url.punycode" }, true)]
    [InlineData(new[] { "url.ip-literal", "url.punycode", "url.many" }, true)]
    public void AtLeastOf_WhenEnoughHold_Matches(string[] signals, bool expected) =>
        Assert.Equal(expected, Matches("{ atLeast: 2, of: [url.many, url.ip-literal, url.punycode] }", Build.Analysis(signals)));

    [Fact]
    public void Scope_WhenSignalIsOnlyInAnAttachedMessage_CountsForAnyAndAttachedButNotMessage()
    {
        var analysis = Build.Analysis("url.many").WithAttached(Build.Analysis("url.ip-literal").WithAttached(Build.Analysis("url.punycode")));

        Assert.True(Matches("url.ip-literal", analysis));
        Assert.True(Matches("{ signal: url.punycode, in: attached }", analysis));
        Assert.False(Matches("{ signal: url.ip-literal, in: message }", analysis));
        Assert.False(Matches("{ signal: url.many, in: attached }", analysis));
        Assert.True(Matches("{ signal: url.many, in: message }", analysis));
    }

    [Fact]
    public void Scope_WhenCountingAcrossAttachedMessages_AddsThemUp()
    {
        var analysis = Build.Analysis("url.text-mismatch").WithAttached(Build.Analysis("url.text-mismatch"));

        Assert.True(Matches("{ signal: url.text-mismatch, atLeast: 2 }", analysis));
        Assert.False(Matches("{ signal: url.text-mismatch, atLeast: 2, in: message }", analysis));
    }

    [Fact]
    public void UserVerdict_WhenTheReportSaysIt_Matches()
    {
        Assert.True(Matches("{ userVerdict: [junk, notJunk] }", Build.Analysis(), Build.Report(UserVerdict.NotJunk)));
        Assert.False(Matches("{ userVerdict: [junk, notJunk] }", Build.Analysis(), Build.Report(UserVerdict.Phishing)));
        Assert.False(Matches("{ userVerdict: junk }", Build.Analysis(), null));
    }

    [Fact]
    public void ReportConditions_WhenFormatAssumptionAndPresenceDiffer_MatchAccordingly()
    {
        var forward = Build.Report(UserVerdict.Phishing, ReportFormat.Forward, assumed: true);

        Assert.True(Matches("{ reportFormat: [forward, inlineForward] }", Build.Analysis(), forward));
        Assert.False(Matches("{ reportFormat: microsoft }", Build.Analysis(), forward));
        Assert.True(Matches("{ verdictAssumed: true }", Build.Analysis(), forward));
        Assert.False(Matches("{ verdictAssumed: true }", Build.Analysis(), Build.Report(UserVerdict.Phishing)));
        Assert.True(Matches("{ isReport: true }", Build.Analysis(), forward));
        Assert.True(Matches("{ isReport: false }", Build.Analysis(), null));
        Assert.False(Matches("{ isReport: false }", Build.Analysis(), forward));
    }

    [Fact]
    public void DerivedPass_WhenTheTrustedSummarySaysPass_IsASignal()
    {
        var analysis = Build.Analysis();
        analysis.Authentication.Dmarc = "pass";

        Assert.True(Matches("auth.dmarc.pass", analysis));
        Assert.False(Matches("auth.compauth.pass", analysis));
    }
}
