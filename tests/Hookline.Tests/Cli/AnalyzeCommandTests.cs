using System.Text;
using System.Text.Json;
using Hookline.Cli;
using Hookline.Reports.Pipeline;

namespace Hookline.Tests.Cli;

/// <summary>The `hookline analyze` contract (docs/cli.md) that outside scripts rely on.</summary>
public sealed class AnalyzeCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hookline-analyze-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string relative, string content) => Write(relative, Encoding.UTF8.GetBytes(content.Replace("\n", "\r\n", StringComparison.Ordinal)));

    private string Write(string relative, byte[] content)
    {
        var path = Path.Combine(_folder, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static (int Exit, string Output, string Errors) Run(bool json, params string[] paths)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = AnalyzeCommand.Run(paths, json, quiet: false, ReportAnalyzer.Default, output, errors, progress: false);
        return (exit, output.ToString(), errors.ToString());
    }

    private const string Phish = """
        From: "IT Desk" <it@evil.example>
        Reply-To: x@gmail.example
        Return-Path: <bounce@evil.example>
        To: avery@contoso.com
        Subject: =?utf-8?Q?Your_mailbox_is_full?=
        Date: Sun, 15 Nov 2026 22:01:09 +0000
        Message-ID: <abc@mail.evil.example>
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary=b

        --b
        Content-Type: text/plain

        Sign in at https://login.evil.example/owa now.
        --b
        Content-Type: application/pdf; name=invoice.pdf
        Content-Disposition: attachment; filename=invoice.pdf
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --b--

        """;

    [Fact]
    public void Run_WhenJsonOverAFolder_WritesOneContractLinePerFileInOrdinalOrder()
    {
        Write("b/second.eml", Phish);
        Write("a/first.eml", Phish);
        Write("B-upper.eml", Phish);

        var (exit, output, _) = Run(json: true, _folder);

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var files = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("file").GetString()).ToList();
        Assert.Equal([Path.Combine(_folder, "B-upper.eml"), Path.Combine(_folder, "a", "first.eml"), Path.Combine(_folder, "b", "second.eml")], files);
    }

    [Fact]
    public void Run_WhenLargeAndSmallFilesShareABatch_EachLineIsWhatTheFileAloneGives()
    {
        // Files are read into a buffer kept per thread: a small file read after a large one must
        // not see the large one's leftover bytes, and an empty file must stay empty.
        var large = Phish.Replace("Sign in at", string.Concat(Enumerable.Repeat("Filler text to make the message large. ", 20_000)) + "Sign in at", StringComparison.Ordinal);
        // Single-part: bytes left over after its end would be read as more of its body (and its URLs).
        const string small = """
            From: a@small.example
            To: b@contoso.com
            Subject: small
            Content-Type: text/plain

            See https://small.evil.example/ today.

            """;
        var paths = new List<string>();
        for (var i = 0; i < 40; i++)
        {
            paths.Add(Write($"f{i:D2}-large.eml", large));
            paths.Add(Write($"f{i:D2}-small.eml", small));
        }

        paths.Add(Write("f99-empty.eml", []));

        var (exit, output, _) = Run(json: true, _folder);

        Assert.Equal(0, exit);
        var together = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(paths.Count, together.Length);
        foreach (var (path, line) in paths.Zip(together))
        {
            Assert.Equal(Run(json: true, path).Output.TrimEnd('\n'), line);
        }
    }

    [Fact]
    public void Run_WhenPlainMessage_ReportIsNullAndMessageDescribesTheFile()
    {
        var path = Write("plain.eml", Phish);

        var (_, output, _) = Run(json: true, path);

        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("report").ValueKind);
        var message = root.GetProperty("message");
        Assert.Equal("abc@mail.evil.example", message.GetProperty("messageId").GetString());
        Assert.Equal("Your mailbox is full", message.GetProperty("subject").GetString());
        Assert.Equal("2026-11-15T22:01:09+00:00", message.GetProperty("date").GetString());
        Assert.Equal("IT Desk", message.GetProperty("from").GetProperty("name").GetString());
        Assert.Equal("it@evil.example", message.GetProperty("from").GetProperty("address").GetString());
        Assert.Equal("x@gmail.example", message.GetProperty("replyTo")[0].GetProperty("address").GetString());
        Assert.Equal("bounce@evil.example", message.GetProperty("returnPath").GetString());
        var attachment = Assert.Single(message.GetProperty("attachments").EnumerateArray());
        Assert.Equal("invoice.pdf", attachment.GetProperty("fileName").GetString());
        Assert.Equal("application/pdf", attachment.GetProperty("contentType").GetString());
        Assert.Equal(9, attachment.GetProperty("size").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("%PDF-1.4\n"u8)), attachment.GetProperty("sha256").GetString());
        Assert.True(root.GetProperty("assessment").TryGetProperty("verdict", out _));
        Assert.Equal(JsonValueKind.Object, message.GetProperty("authentication").ValueKind);
        Assert.Equal(JsonValueKind.Array, message.GetProperty("received").ValueKind);
        Assert.Equal(JsonValueKind.Array, message.GetProperty("urls").ValueKind);
    }

    [Fact]
    public void Run_WhenFilesAreHostile_EveryFileStillGetsItsLine()
    {
        var random = new byte[200_000];
        new Random(5).NextBytes(random);
        Write("1-random.bin", random);
        Write("2-empty.eml", []);
        Write("3-deep.eml", string.Concat(Enumerable.Repeat("Content-Type: message/rfc822\n\n", 5000)));
        Write("4-good.eml", Phish);

        var (exit, output, errors) = Run(json: true, _folder);

        Assert.Equal(0, exit);
        var roots = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(4, roots.Count);
        Assert.Equal(
            ["not a mail message: binary data, no header fields", "empty file", null, null],
            roots.Select(r => r.GetProperty("error").GetString()));
        Assert.Contains("analyzed 4 files", errors, StringComparison.Ordinal);
        Assert.Contains("2 with errors", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty.eml", "", "empty file")]
    [InlineData("blank.eml", "\n\n   \n", "empty: only white space")]
    [InlineData("notes.txt", "Hi team,\nthe meeting moves to 3 pm.\n\nAnn\n", "not a mail message: no header fields")]
    [InlineData("image.png", "\u0089PNG\r\n\u001a\n\0\0\0\rIHDR\0\0\0\u0010", "not a mail message: binary data, no header fields")]
    public void Run_WhenTheFileIsNotMail_TheLineHasTheErrorAndNoVerdict(string name, string content, string error)
    {
        var path = Write(name, Encoding.Latin1.GetBytes(content));

        var (exit, output, _) = Run(json: true, path);
        var readable = Run(json: false, path).Output;

        Assert.Equal(0, exit);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(error, root.GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("report").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("message").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("assessment").ValueKind);
        Assert.Contains("error: " + error, readable, StringComparison.Ordinal);
        Assert.DoesNotContain("assessment", readable, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Subject: just a subject\n\nand a body\n")]
    [InlineData("From sender@example.test Mon Nov 16 09:12:44 2026\nFrom: a@example.test\nSubject: mbox\n\nbody\n")]
    public void Run_WhenTheFileStartsWithAHeaderOrAnMboxLine_IsAnalysedAsMail(string content)
    {
        var (_, output, _) = Run(json: true, Write("odd.eml", content));

        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Object, root.GetProperty("assessment").ValueKind);
    }

    [Fact]
    public void Run_WhenPathIsMissing_SaysSoAndExitsNonZeroAfterTheOthers()
    {
        var good = Write("good.eml", Phish);

        var (exit, output, errors) = Run(json: true, Path.Combine(_folder, "nope.eml"), good);

        Assert.Equal(2, exit);
        Assert.Contains("no such file or folder", errors, StringComparison.Ordinal);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Run_WhenReadable_PrintsTheSummaryAnAnalystReadsFirst()
    {
        var path = Write("plain.eml", Phish);

        var (exit, output, _) = Run(json: false, path);

        Assert.Equal(0, exit);
        Assert.Contains("not a report", output, StringComparison.Ordinal);
        Assert.Contains("subject: Your mailbox is full", output, StringComparison.Ordinal);
        Assert.Contains("invoice.pdf (application/pdf, 9 bytes", output, StringComparison.Ordinal);
        Assert.Contains("assessment: ", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoadAnalyzer_WhenSettingsAreValid_UsesThem()
    {
        var path = Write("settings.yaml", "organization:\n  name: Contoso\n  domains: [contoso.com]\n  reportingMailboxes: [report@contoso.com]\nauthentication:\n  trustedAuthServIds: [protection.outlook.com]\n");
        var errors = new StringWriter();

        Assert.True(AnalyzeCommand.TryLoadAnalyzer(path, errors, out var analyzer));
        Assert.Equal(["contoso.com"], analyzer.Settings.OrganizationDomains);
        Assert.Equal(["report@contoso.com"], analyzer.Settings.ReportingMailboxes);
        Assert.Equal(string.Empty, errors.ToString());
    }

    [Fact]
    public void TryLoadAnalyzer_WhenSettingsAreInvalid_PrintsEachErrorWithItsPosition()
    {
        var path = Write("settings.yaml", "organization:\n  domains: [not a domain]\n  colour: blue\n");
        var errors = new StringWriter();

        Assert.False(AnalyzeCommand.TryLoadAnalyzer(path, errors, out _));
        var text = errors.ToString();
        Assert.Contains("are not valid", text, StringComparison.Ordinal);
        Assert.Contains("colour", text, StringComparison.Ordinal);
        Assert.Contains(":2:", text, StringComparison.Ordinal);
    }
}
