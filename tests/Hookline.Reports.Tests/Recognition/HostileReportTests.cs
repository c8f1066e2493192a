using System.Diagnostics;
using System.Text;
using Hookline.Reports.Recognition;
using Hookline.Testing.Fuzzing;
using static Hookline.Reports.Tests.Recognition.ReportFixtures;

namespace Hookline.Reports.Tests.Recognition;

/// <summary>Attacker-written envelopes: the reader never throws, never hangs, and keeps its bounds.</summary>
public sealed class HostileReportTests
{
    private const string Nmid = "49871234-6dc6-43e8-abcd-08d797f20abe";
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    public static TheoryData<string> HostileCases()
    {
        var data = new TheoryData<string>();
        foreach (var hostile in HostileMessages.All)
        {
            data.Add(hostile.Name);
        }

        return data;
    }

    [Fact]
    public void Read_WhenSubjectHasTenThousandBarFields_ReadsTheIdAndStopsAtTheFieldLimit()
    {
        var subject = "Phishing: " + Nmid + string.Concat(Enumerable.Repeat("|x", 10_000)) + "|(s)";
        var bytes = Envelope(subject, [MessagePart(Bytes("original-phish.eml"))]);

        var report = Timed(() => Read(bytes))!;

        Assert.Equal(ReportFormat.Microsoft, report.Format);
        Assert.Equal(Nmid, report.NetworkMessageId);
        Assert.Null(report.SubjectOriginalSubject);
        Assert.Contains(report.Warnings, w => w.Contains("'|' fields", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenSubjectIsOneMegabyteOfBars_DoesNotThrow()
    {
        var subject = "3|" + new string('|', 1024 * 1024);
        var bytes = Envelope(subject, [MessagePart(Bytes("original-phish.eml"))]);

        var report = Timed(() => Read(bytes))!;

        Assert.Equal(ReportFormat.ThirdParty, report.Format);
        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
    }

    [Fact]
    public void Read_WhenSubjectIsOneMegabyteWithParentheses_BoundsTheOriginalSubject()
    {
        var subject = "Junk: " + Nmid + "|(" + new string('(', 1024 * 1024) + ")";
        var bytes = Envelope(subject, [MessagePart(Bytes("original-phish.eml"))]);

        var report = Timed(() => Read(bytes))!;

        Assert.Equal(UserVerdict.Junk, report.UserVerdict);
        Assert.Equal(Nmid, report.NetworkMessageId);
        Assert.True(report.SubjectOriginalSubject!.Length <= ReportSubject.MaxSubjectChars);
    }

    [Fact]
    public void Read_WhenOneHundredMessagesAttached_KeepsTheFirstTwentyAndCountsTheRest()
    {
        var parts = new List<(string, byte[])>();
        for (var i = 0; i < 100; i++)
        {
            parts.Add(MessagePart(Ascii($"From: a{i}@evil.example\nSubject: message {i}\nDate: Sun, 15 Nov 2026 22:01:09 +0000\n\nbody {i}\n")));
        }

        var report = Timed(() => Read(Envelope("Phishing: many", parts)))!;

        Assert.Equal(20, report.Originals.Count);
        Assert.Equal("message 0", report.Originals[0].Message.Subject);
        Assert.Equal("message 19", report.Originals[19].Message.Subject);
        Assert.Contains(report.Warnings, w => w.Contains("100 attached messages", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Contains("80 more", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_WhenInlineForwardIsTenMegabytes_RecoversHeadersAndBoundsTheBody()
    {
        var body = new StringBuilder("Look.\n\n---------- Forwarded message ---------\nFrom: X <x@evil.example>\nDate: Sun, Nov 15, 2026 at 11:01 PM\nSubject: Big\nTo: <a@contoso.com>\n\n");
        var line = "Lorem ipsum https://evil.example/p From: not@header.example Sent: never\n";
        while (body.Length < 10 * 1024 * 1024)
        {
            body.Append(line);
        }

        var bytes = Ascii("From: Avery Adams <avery@contoso.com>\nTo: report@contoso.com\nSubject: Fwd: Big\nDate: Mon, 16 Nov 2026 09:12:44 +0000\nContent-Type: text/plain; charset=utf-8\n\n" + body);

        var report = Timed(() => Read(bytes))!;

        Assert.Equal(ReportFormat.InlineForward, report.Format);
        var original = Assert.Single(report.Originals);
        Assert.Equal("Big", original.Message.Subject);
        Assert.True(original.Bytes.Length <= ReportReaderOptions.Default.MaxInlineForwardChars * 3 + 4096);
    }

    [Fact]
    public void Read_WhenTenMegabytesOfQuotedOutlookBlocksUnderANonForwardSubject_IsNotAReport()
    {
        var body = new StringBuilder();
        while (body.Length < 10 * 1024 * 1024)
        {
            body.Append("-----Original Message-----\nFrom: a@b.example\nSent: Sunday, November 15, 2026 10:01 PM\nSubject: s\nFrom: c@d.example\n");
        }

        var bytes = Ascii("From: n@news.example\nTo: a@contoso.com\nSubject: Digest\n\n" + body);

        Assert.Null(Timed(() => Read(bytes)));
    }

    [Fact]
    public void Read_WhenTenMegabytesOfForwardMarkersWithoutHeaders_IsNotAReport()
    {
        var body = new StringBuilder();
        while (body.Length < 10 * 1024 * 1024)
        {
            body.Append("---------- Forwarded message ---------\nBegin forwarded message:\n\n\nTo: x@y.example\n");
        }

        var bytes = Ascii("From: n@news.example\nTo: a@contoso.com\nSubject: Fwd: Digest\n\n" + body);

        Assert.Null(Timed(() => Read(bytes)));
    }

    [Fact]
    public void Read_WhenQuotedHeadersHoldControlCharacters_SynthesizesNoExtraFields()
    {
        var bytes = Ascii("From: Avery <avery@contoso.com>\nTo: report@contoso.com\nSubject: Fwd: x\n\n---------- Forwarded message ---------\nFrom: X <x@evil.example>\nSubject: a\u000bBcc: victim@contoso.com\u0000\nTo: <a@contoso.com>\n\nbody\n");

        var report = Read(bytes)!;

        var original = Assert.Single(report.Originals);
        Assert.False(original.Message.Headers.Contains("Bcc"));
        Assert.StartsWith("a Bcc", original.Message.Subject, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(HostileCases))]
    public void Read_WhenHostileMessage_DoesNotThrow(string name)
    {
        var bytes = HostileMessages.All.Single(h => h.Name == name).Build();

        var exception = Record.Exception(() => Timed(() => Read(bytes)));

        Assert.Null(exception);
    }

    [Fact]
    public void Read_WhenFixturesAreMutated_NeverThrows()
    {
        var seeds = System.IO.Directory.GetFiles(ReportFixtures.Directory, "*.eml").OrderBy(f => f, StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var mutator = new Mutator(20261116);
        var failures = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            var input = seeds[i % seeds.Length];
            var applied = new List<MutationKind>();
            var mutated = mutator.MutateMany(input, 3, applied, seeds[(i * 7) % seeds.Length]);
            try
            {
                Timed(() => Read(mutated));
            }
            catch (Exception e)
            {
                failures.Add($"{i} ({string.Join(',', applied)}): {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void Read_WhenBase64MessagePartIsGarbage_DoesNotThrow()
    {
        var bytes = Envelope("Phishing: x", [("Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n", Ascii("!!!! not base64 ====\n"))]);

        var report = Timed(() => Read(bytes))!;

        Assert.Equal(UserVerdict.Phishing, report.UserVerdict);
    }

    [Fact]
    public void Read_WhenTnefIsTruncated_DoesNotThrow()
    {
        var tnef = new byte[] { 0x78, 0x9F, 0x3E, 0x22, 0x01, 0x00, 0x01, 0x06, 0x90, 0x08, 0x00, 0xFF, 0xFF, 0xFF };
        var bytes = Envelope("FW: x", [("Content-Type: application/ms-tnef; name=winmail.dat\nContent-Transfer-Encoding: base64\n", Ascii(Base64Lines(tnef)))]);

        var exception = Record.Exception(() => Timed(() => Read(bytes)));

        Assert.Null(exception);
    }

    private static T Timed<T>(Func<T> read)
    {
        var clock = Stopwatch.StartNew();
        var task = Task.Run(read);
        Assert.True(task.Wait(Budget), $"The reader took more than {Budget.TotalSeconds} s.");
        Assert.True(clock.Elapsed < Budget);
        return task.Result;
    }

    private static void Timed(Action read) => Timed(() =>
    {
        read();
        return 0;
    });
}
