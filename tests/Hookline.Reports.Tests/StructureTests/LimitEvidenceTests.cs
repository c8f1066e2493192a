using System.Text;
using Hookline.Mime;
using Hookline.Reports.Analysis;
using Hookline.Reports.Analysis.Attachments;
using Hookline.Reports.Analysis.Structure;
using Hookline.Reports.Assessment;
using Hookline.Reports.Pipeline;
using Hookline.Reports.Tests.UrlTests;
using static Hookline.Reports.Tests.StructureTests.HostileMessages;

namespace Hookline.Reports.Tests.StructureTests;

/// <summary>What Hookline's limits hid is evidence: each limit is a signal, and what lies past it is still looked at.</summary>
public class LimitEvidenceTests
{
    private static AnalysisOutcome Analyze(byte[] bytes) => ReportAnalyzer.Default.Analyze(bytes);

    private static List<Finding> Findings(AnalysisOutcome outcome) => AllFindings(outcome.Analysis);

    private static Finding Single(AnalysisOutcome outcome, string signal) =>
        Assert.Single(Findings(outcome), f => string.Equals(f.Signal, signal, StringComparison.Ordinal));

    [Fact]
    public void Analyze_WhenAnExeFollows5001Parts_FindsItPastThePartLimitAndCallsItPhishing()
    {
        var outcome = Analyze(ManyParts(5001, Attachment("invoice.exe", Program())));

        Assert.Contains(outcome.Message.Warnings, w => w.Code == MimeWarningCode.TooManyParts);
        Assert.DoesNotContain(outcome.Analysis.Attachments, a => a.FileName == "invoice.exe");
        Assert.Contains("more than 5,000 parts", Single(outcome, StructureSignals.PartLimit).Detail, StringComparison.Ordinal);
        var hidden = Single(outcome, StructureSignals.BeyondLimit);
        Assert.StartsWith("invoice.exe (application/octet-stream) (.exe: a program), past the part limit", hidden.Detail, StringComparison.Ordinal);
        Assert.Equal(AssessmentVerdict.Phishing, outcome.Assessment.Verdict);
        Assert.Contains(outcome.Assessment.Matches, m => m.RuleId == "limits.structure");
        Assert.Contains(outcome.Assessment.Matches, m => m.RuleId == "limits.beyond-limit");
    }

    [Fact]
    public void Analyze_WhenOnly5001PlainParts_RaisesThePartLimitBelowTheThreshold()
    {
        var outcome = Analyze(ManyParts(5001, null));

        Single(outcome, StructureSignals.PartLimit);
        Assert.DoesNotContain(Findings(outcome), f => f.Signal == StructureSignals.BeyondLimit);
        var match = Assert.Single(outcome.Assessment.Matches, m => m.RuleId == "limits.structure");
        Assert.InRange(match.Points, 30, 40);
        Assert.Equal(AssessmentVerdict.Spam, outcome.Assessment.Verdict); // a limit hit alone is never clean, never phishing
        Assert.True(outcome.Assessment.Risk < 60, $"risk {outcome.Assessment.Risk}");
    }

    [Fact]
    public void Analyze_WhenMoreLiesPastThePartLimitThanTheScanBudget_SaysHowMuchWasScanned()
    {
        var padding = "Content-Type: text/plain\r\n\r\n" + new string('x', StructureAnalyzer.ScanBudget) + "\r\n--p\r\n";
        var outcome = Analyze(ManyParts(5001, padding + Attachment("late.exe", Program())));

        Assert.EndsWith("; only the first 16,777,216 bytes were scanned", Single(outcome, StructureSignals.PartLimit).Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Findings(outcome), f => f.Signal == StructureSignals.BeyondLimit);
    }

    [Fact]
    public void Analyze_WhenFewerPartsThanTheLimit_ListsTheExeAsAnAttachmentAndRaisesNoLimit()
    {
        var outcome = Analyze(ManyParts(100, Attachment("invoice.exe", Program())));

        Assert.Contains(outcome.Analysis.Attachments, a => a.FileName == "invoice.exe");
        Assert.DoesNotContain(Findings(outcome), f => f.Signal.StartsWith("structure.", StringComparison.Ordinal) || f.Signal == StructureSignals.BeyondLimit);
    }

    [Fact]
    public void Analyze_WhenTheExeFollows5001PartsInAForwardedOriginal_CallsTheReportPhishing()
    {
        var original = ManyParts(5001, Attachment("Scan_0042.pdf.scr", Program()));
        var report = Encoding.ASCII.GetBytes(
            "From: Ann <ann@contoso.example>\r\nTo: phishing@contoso.example\r\nSubject: FW: Invoice 4471\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"env\"\r\n\r\n"
            + "--env\r\nContent-Type: text/plain\r\n\r\nThis looks odd.\r\n--env\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename=\"Invoice 4471.eml\"\r\n\r\n")
            .Concat(original).Concat(Encoding.ASCII.GetBytes("\r\n--env--\r\n")).ToArray();

        var outcome = Analyze(report);

        Assert.NotNull(outcome.Report);
        Assert.Equal("Invoice 4471", outcome.Message.Subject);
        Single(outcome, StructureSignals.PartLimit);
        Assert.Contains("Scan_0042.pdf.scr", Single(outcome, StructureSignals.BeyondLimit).Detail, StringComparison.Ordinal);
        Assert.Equal(AssessmentVerdict.Phishing, outcome.Assessment.Verdict);
    }

    [Fact]
    public void Analyze_WhenAnExeLiesAtTheBottomOf40NestedMultiparts_FindsItPastTheDepthLimitAndCallsItPhishing()
    {
        var outcome = Analyze(DeeplyNested(40, Attachment("setup.exe", Program(), "application/x-msdownload")));

        Assert.Contains(outcome.Message.Warnings, w => w.Code == MimeWarningCode.TooDeeplyNested);
        Assert.Empty(outcome.Analysis.Attachments);
        Assert.Contains("deeper than 32 levels", Single(outcome, StructureSignals.DepthLimit).Detail, StringComparison.Ordinal);
        Assert.Contains("setup.exe (application/x-msdownload)", Single(outcome, StructureSignals.BeyondLimit).Detail, StringComparison.Ordinal);
        Assert.Equal(AssessmentVerdict.Phishing, outcome.Assessment.Verdict);
    }

    [Fact]
    public void Analyze_WhenOnlyATypeDeclaresTheProgramPastTheDepthLimit_StillFindsIt()
    {
        var bottom = "Content-Type: application/x-msdownload\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Convert.ToBase64String(Program()) + "\r\n";

        var outcome = Analyze(DeeplyNested(40, bottom));

        Assert.StartsWith("a part of type application/x-msdownload", Single(outcome, StructureSignals.BeyondLimit).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenNestedWithinTheDepthLimit_RaisesNoLimit()
    {
        var outcome = Analyze(DeeplyNested(20, Attachment("setup.exe", Program())));

        Assert.Contains(outcome.Analysis.Attachments, a => a.FileName == "setup.exe");
        Assert.DoesNotContain(Findings(outcome), f => f.Signal is StructureSignals.DepthLimit or StructureSignals.BeyondLimit);
    }

    [Theory]
    [InlineData(4997)] // the attached message is the part one too many: kept whole as a leaf
    [InlineData(6000)] // it lies in the raw rest of the multipart
    public void Analyze_WhenAnEncodedAttachedMessagePastThePartLimitHoldsAScript_DecodesItAndFindsTheScript(int fillers)
    {
        var inner = "From: a@evil.example\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=\"i\"\r\n\r\n--i\r\n" + Attachment("payment.js", Encoding.ASCII.GetBytes("WScript.Shell")) + "--i--\r\n";
        var part = "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Convert.ToBase64String(Encoding.ASCII.GetBytes(inner), Base64FormattingOptions.InsertLineBreaks) + "\r\n";
        var bytes = ManyParts(fillers, part);

        var kept = MimeMessage.Parse(bytes).Entities().OfType<MimePart>().Any(p => p.KeptUnparsedBy == MimeWarningCode.TooManyParts);
        var message = ContentMessages.Run([new StructureAnalyzer()], MimeMessage.Parse(bytes));
        var outcome = Analyze(bytes);

        Assert.Equal(fillers < 5000, kept);
        Assert.Single(message.Findings, f => f.Signal == StructureSignals.PartLimit);
        Assert.Contains("payment.js", Assert.Single(message.Findings, f => f.Signal == StructureSignals.BeyondLimit).Detail, StringComparison.Ordinal);
        Assert.Equal(AssessmentVerdict.Phishing, outcome.Assessment.Verdict);
    }

    [Fact]
    public void Analyze_WhenTheMessageTakenForAForwardHitsThePartLimit_CountsItsEnvelopeToo()
    {
        // A message with a message attached is read as a user's forward, its attached message as the original.
        var attached = "Content-Type: message/rfc822\r\n\r\nFrom: a@b.example\r\nSubject: decoy\r\n\r\nnothing here\r\n";
        var bytes = ManyParts(0, attached + "--p\r\n" + string.Concat(Enumerable.Repeat("Content-Type: text/plain\r\n\r\n.\r\n--p\r\n", 5000)) + Attachment("run.exe", Program()));

        var outcome = Analyze(bytes);

        Assert.NotNull(outcome.Report);
        Assert.Equal("decoy", outcome.Message.Subject);
        Assert.StartsWith("in the report's envelope: more than 5,000 parts", Single(outcome, StructureSignals.PartLimit).Detail, StringComparison.Ordinal);
        Assert.StartsWith("in the report's envelope: run.exe", Single(outcome, StructureSignals.BeyondLimit).Detail, StringComparison.Ordinal);
        Assert.Equal(AssessmentVerdict.Phishing, outcome.Assessment.Verdict);
    }

    [Fact]
    public void Analyze_WhenAttachedMessagesNestDeeperThanTheAnalysisGoes_SaysSoAndNamesTheExeAtTheBottom()
    {
        var bottom = WithAttachment("payload.exe", Program());

        var outcome = Analyze(AttachedMessages(6, bottom));

        var limit = Single(outcome, StructureSignals.MessageDepthLimit);
        Assert.Contains("deeper than 4 levels", limit.Detail, StringComparison.Ordinal);
        Assert.Contains("payload.exe", Single(outcome, StructureSignals.BeyondLimit).Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Findings(outcome), f => f.Signal == AttachmentSignals.Executable);
        Assert.Equal(AssessmentVerdict.Phishing, outcome.Assessment.Verdict);
    }

    [Fact]
    public void Analyze_WhenAttachedMessagesNestWithinTheAnalysisDepth_AnalysesTheExeAndRaisesNoLimit()
    {
        var outcome = Analyze(AttachedMessages(4, WithAttachment("payload.exe", Program())));

        Assert.Contains(Findings(outcome), f => f.Signal == AttachmentSignals.Executable);
        Assert.DoesNotContain(Findings(outcome), f => f.Signal is StructureSignals.MessageDepthLimit or StructureSignals.BeyondLimit);
    }

    [Fact]
    public void Analyze_WhenAPartDecodesPastTheDecodeLimit_RaisesTheDecodeLimit()
    {
        var bytes = WithAttachment("data.bin", new byte[50_000]);
        var message = MimeMessage.Parse(bytes, new MimeLimits { MaxDecodedBytes = 10_000 });

        var result = ContentMessages.Run([new AttachmentAnalyzer(), new StructureAnalyzer()], message);

        var finding = Assert.Single(result.Findings, f => f.Signal == StructureSignals.DecodeLimit);
        Assert.Equal("data.bin decodes to more than 10,000 bytes; only the start was read", finding.Detail);
        Assert.DoesNotContain(ContentMessages.Run([new AttachmentAnalyzer(), new StructureAnalyzer()], MimeMessage.Parse(bytes)).Findings, f => f.Signal.StartsWith("structure.", StringComparison.Ordinal));
    }

    [Fact]
    public void Analyze_WhenAZipBombIsNestedSixDeep_SaysSoAndCallsItPhishing()
    {
        var bomb = NestedZipBomb(6);
        Assert.InRange(bomb.Length, 1, 64 * 1024);

        var outcome = Analyze(WithAttachment("invoice.zip", bomb));

        var nested = Single(outcome, AttachmentSignals.ArchiveNested);
        Assert.StartsWith("invoice.zip: archives nested 6 deep (1-0.zip/2-0.zip/3-0.zip/4-0.zip/5-0.zip)", nested.Detail, StringComparison.Ordinal);
        Single(outcome, AttachmentSignals.ArchiveBomb);
        Assert.Equal(AssessmentVerdict.Phishing, outcome.Assessment.Verdict);
        Assert.Contains(outcome.Assessment.Matches, m => m.RuleId == "limits.archive-evasion");
    }

    [Fact]
    public void Analyze_WhenABombIsBuiltOfLayersNoneOfWhichIsLarge_AddsUpTheLayers()
    {
        // 1 MiB at the bottom (under the single-entry threshold), 16 copies a level: 64 GiB in all.
        var bomb = NestedZipBomb(5, zeros: 1 << 20);

        var outcome = Analyze(WithAttachment("layers.zip", bomb));

        Assert.Contains("unpacks to 68,719,476,736 bytes through 5 levels of nested archives", Single(outcome, AttachmentSignals.ArchiveBomb).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenAProgramIsThreeArchivesDown_FindsItAndTheNesting()
    {
        var outcome = Analyze(WithAttachment("documents.zip", NestedZips(3, "invoice.pdf.exe", Program())));

        Assert.Contains("contains layer-1.zip/layer-2.zip/invoice.pdf.exe", Single(outcome, AttachmentSignals.ArchiveExecutable).Detail, StringComparison.Ordinal);
        Single(outcome, AttachmentSignals.ArchiveNested);
        Assert.Equal(AssessmentVerdict.Phishing, outcome.Assessment.Verdict);
    }

    [Fact]
    public void Analyze_WhenArchivesNestDeeperThanHooklineOpens_SaysWhereItStopped()
    {
        var outcome = Analyze(WithAttachment("deep.zip", NestedZips(12, "readme.txt", Encoding.ASCII.GetBytes("hello"))));

        var nested = Single(outcome, AttachmentSignals.ArchiveNested);
        Assert.Contains($"archives nested {AttachmentAnalyzer.MaxArchiveDepth + 1} deep", nested.Detail, StringComparison.Ordinal);
        Assert.EndsWith($"1 nested archive(s) not opened (deeper than {AttachmentAnalyzer.MaxArchiveDepth} levels)", nested.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenAnArchiveHoldsMoreDistinctArchivesThanHooklineOpens_SaysSo()
    {
        var inner = Enumerable.Range(0, AttachmentAnalyzer.MaxNestedArchives + 6)
            .Select(i => ($"client-{i}.zip", Zip([($"statement-{i}.txt", Encoding.ASCII.GetBytes($"statement {i}"))])));

        var outcome = Analyze(WithAttachment("statements.zip", Zip(inner)));

        Assert.EndsWith($"6 nested archive(s) not opened (more than {AttachmentAnalyzer.MaxNestedArchives})", Single(outcome, AttachmentSignals.ArchiveNested).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_WhenAZipHoldsAZipOfDocuments_IsOrdinary()
    {
        var inner = Zip([("q3.csv", Encoding.ASCII.GetBytes("a,b\n1,2\n")), ("q3.txt", Encoding.ASCII.GetBytes("notes"))]);
        var outcome = Analyze(WithAttachment("reports.zip", Zip([("q3.zip", inner), ("cover.txt", Encoding.ASCII.GetBytes("see q3.zip"))])));

        Assert.DoesNotContain(Findings(outcome), f => f.Signal.StartsWith("attachment.archive", StringComparison.Ordinal));
        Assert.Contains(outcome.Analysis.Attachments[0].Archive!.Entries, e => e.Name == "q3.zip/q3.csv");
        Assert.Equal(AssessmentVerdict.Clean, outcome.Assessment.Verdict);
    }
}
