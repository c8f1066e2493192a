using System.Text;
using Hookline.Testing.Outlook;

namespace Hookline.Mime.Tests.Reading;

/// <summary><see cref="MailFile.NotMailReason"/>: only bytes with no header field at all are not mail; damaged mail still is.</summary>
public class NotMailTests
{
    private static string? Reason(string text) => MailFile.NotMailReason(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void NotMailReason_WhenEmpty_SaysEmpty()
    {
        Assert.Equal("empty file", MailFile.NotMailReason(ReadOnlyMemory<byte>.Empty));
        Assert.Equal("empty: only white space", Reason(" \r\n\r\n\t\n"));
    }

    [Theory]
    [InlineData("Hello Bob,\nhere are the minutes of today's meeting.\n\nRegards, Ann\n")]
    [InlineData("Dear team:\nthe office is closed on Friday.\n")]
    [InlineData("just one line")]
    public void NotMailReason_WhenTextWithoutAnyHeaderField_SaysNoHeaderFields(string text)
    {
        Assert.Equal("not a mail message: no header fields", Reason(text));
    }

    [Fact]
    public void NotMailReason_WhenBinaryGarbage_SaysBinary()
    {
        var random = new Random(7);
        var bytes = new byte[4000];
        random.NextBytes(bytes);
        bytes[0] = 0x89;

        Assert.Equal("not a mail message: binary data, no header fields", MailFile.NotMailReason(bytes));
        Assert.Equal("not a mail message: binary data, no header fields", MailFile.NotMailReason(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 0x1A, 10, 0, 0, 0, 13 }));
    }

    [Theory]
    [InlineData("From: a@example.test\r\nSubject: hi\r\n\r\nbody")]
    [InlineData("Subject: only a subject\n")]
    [InlineData("X-Odd-Header:value\n\nbody")]
    [InlineData("Subject : obsolete space before the colon\n\nbody")]
    [InlineData("From sender@example.test Mon Nov 16 09:12:44 2026\nSubject: mbox\n\nbody")]
    [InlineData("From someone without any header after it")]
    [InlineData("\uFEFFSubject: with a byte order mark\n\nbody")]
    [InlineData("\r\n\r\nReceived: from x by y; Mon, 16 Nov 2026 09:12:44 +0000\r\n")]
    [InlineData("garbage first line\r\nFrom: a@example.test\r\n\r\nbody")]
    public void NotMailReason_WhenAHeaderFieldComesFirstOrInTheHeaderBlock_IsMail(string text)
    {
        Assert.Null(Reason(text));
    }

    [Fact]
    public void NotMailReason_WhenOutlookMessageOrTnef_IsMail()
    {
        var spec = new OutlookMessageSpec { Subject = "s", SenderName = "A", SenderSmtp = "a@example.test", Body = "b" };

        Assert.Null(MailFile.NotMailReason(OutlookMessageWriter.Write(spec)));
        Assert.Null(MailFile.NotMailReason(TnefWriter.Write(spec)));
    }

    [Fact]
    public void NotMailReason_WhenBinaryStartsWithAHeaderField_IsMail()
    {
        var bytes = Encoding.ASCII.GetBytes("Content-Type: application/octet-stream\r\n\r\n").Concat(new byte[] { 0, 1, 2, 3, 0, 0 }).ToArray();

        Assert.Null(MailFile.NotMailReason(bytes));
    }
}
