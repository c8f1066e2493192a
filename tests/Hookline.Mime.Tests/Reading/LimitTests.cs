using System.Text;

namespace Hookline.Mime.Tests.Reading;

/// <summary>Each limit in <see cref="MimeLimits"/> becomes a warning with a position; the bytes are always kept.</summary>
public class LimitTests
{
    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);

    private static void AssertKeptWhole(byte[] bytes, MimeMessage message) => Assert.Equal(bytes, message.ToArray());

    [Fact]
    public void Parse_WhenNestingExceedsMaxDepth_KeepsTheDeepestPartUnparsedWithAWarning()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 100; i++)
        {
            text.Append("Content-Type: multipart/mixed; boundary=b").Append(i).Append("\r\n\r\n--b").Append(i).Append("\r\n");
        }

        text.Append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        var bytes = Bytes(text.ToString());
        var limits = new MimeLimits { MaxDepth = 8 };

        var message = MimeMessage.Parse(bytes, limits);

        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.TooDeeplyNested);
        Assert.True(message.Entities().Max(e => e.Depth) <= 8);
        AssertKeptWhole(bytes, message);
    }

    [Fact]
    public void Parse_WhenAttachedMessagesNestTenThousandDeep_StopsAtMaxDepthWithoutRecursingFurther()
    {
        var bytes = Bytes(string.Concat(Enumerable.Repeat("Content-Type: message/rfc822\r\n\r\n", 10_000)) + "Subject: bottom\r\n\r\nx");

        var message = MimeMessage.Parse(bytes);

        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.TooDeeplyNested);
        Assert.Equal(MimeLimits.Default.MaxDepth + 1, message.Entities().Count());
        AssertKeptWhole(bytes, message);
    }

    [Fact]
    public void Parse_WhenMorePartsThanMaxParts_KeepsTheRestAsEpilogue()
    {
        var bytes = Bytes("Content-Type: multipart/mixed; boundary=p\r\n\r\n" + string.Concat(Enumerable.Repeat("--p\r\n\r\nx\r\n", 1000)) + "--p--\r\n");
        var limits = new MimeLimits { MaxParts = 10 };

        var message = MimeMessage.Parse(bytes, limits);

        var warning = Assert.Single(message.Warnings, w => w.Code == MimeWarningCode.TooManyParts);
        Assert.True(warning.Offset > 0);
        Assert.Equal(10, message.Entities().Count());
        var multipart = Assert.IsType<Multipart>(message.Body);
        Assert.True(multipart.Epilogue.Length > 900 * 8);
        AssertKeptWhole(bytes, message);
    }

    [Fact]
    public void Parse_WhenHeaderBlockExceedsLimit_ReadsTheRestAsBody()
    {
        var bytes = Bytes(string.Concat(Enumerable.Range(0, 200).Select(i => $"X-Field-{i}: {new string('v', 40)}\r\n")) + "\r\nbody");
        var limits = new MimeLimits { MaxHeaderBlockBytes = 1024 };

        var message = MimeMessage.Parse(bytes, limits);

        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.HeaderBlockTooLarge && w.Offset > 1024);
        Assert.InRange(message.Headers.Count, 18, 25);
        AssertKeptWhole(bytes, message);
    }

    [Fact]
    public void Parse_WhenMoreHeaderFieldsThanLimit_ReadsTheRestAsBody()
    {
        var bytes = Bytes(string.Concat(Enumerable.Range(0, 100).Select(i => $"X-{i}: v\r\n")) + "\r\nbody");

        var message = MimeMessage.Parse(bytes, new MimeLimits { MaxHeaderFields = 10 });

        Assert.Equal(10, message.Headers.Count);
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.TooManyHeaderFields);
        AssertKeptWhole(bytes, message);
    }

    [Fact]
    public void Parse_WhenOneHeaderFieldIsHuge_DecodesOnlyItsStart()
    {
        var bytes = Bytes("Subject: " + new string('s', 2_000_000) + "\r\nFrom: a@b.test\r\n\r\nbody");

        var message = MimeMessage.Parse(bytes, new MimeLimits { MaxHeaderFieldBytes = 1000 });

        var subject = message.Headers.Find("Subject")!;
        Assert.True(subject.IsTruncated);
        Assert.True(subject.Value.Length <= 1000);
        Assert.Equal("a@b.test", message.Headers["From"]);
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.HeaderFieldTooLong && w.Offset == 0);
        AssertKeptWhole(bytes, message);
    }

    [Fact]
    public void DecodeContent_WhenDecodedSizeExceedsLimit_CutsThereWithAWarning()
    {
        var payload = Convert.ToBase64String(new byte[100_000], Base64FormattingOptions.InsertLineBreaks);
        var bytes = Bytes("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + payload);
        var message = MimeMessage.Parse(bytes, new MimeLimits { MaxDecodedBytes = 4096 });

        var decoded = ((MimePart)message.Body).DecodeContent();

        Assert.Equal(4096, decoded.Length);
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.DecodedSizeLimit);
    }

    [Fact]
    public void DecodeContent_WhenDamagedBase64ExceedsLimit_StaysWithinTheLimit()
    {
        var payload = "*" + Convert.ToBase64String(new byte[10_000]);
        var bytes = Bytes("Content-Transfer-Encoding: base64\r\n\r\n" + payload);
        var message = MimeMessage.Parse(bytes, new MimeLimits { MaxDecodedBytes = 1000 });

        var decoded = ((MimePart)message.Body).DecodeContent();

        Assert.Equal(1000, decoded.Length);
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.InvalidBase64);
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.DecodedSizeLimit);
    }
}
