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
        Assert.Equal(MimeLimits.Default.MaxDepth + 1, message.Entities().Count);
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
        Assert.Equal(10, message.Entities().Count);
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

    [Fact]
    public void Parse_WhenMorePartsThanMaxParts_MarksEveryCutMultipartAndNoOther()
    {
        var inner = "Content-Type: multipart/mixed; boundary=q\r\n\r\n" + string.Concat(Enumerable.Repeat("--q\r\n\r\nx\r\n", 20)) + "--q--\r\n";
        var bytes = Bytes("Content-Type: multipart/mixed; boundary=p\r\n\r\n--p\r\n\r\nfirst\r\n--p\r\n" + inner
            + "--p\r\nContent-Type: application/octet-stream; name=\"after.exe\"\r\n\r\nMZ\r\n--p--\r\n");

        var message = MimeMessage.Parse(bytes, new MimeLimits { MaxParts = 10 });

        var multiparts = message.Entities().OfType<Multipart>().ToList();
        Assert.Equal(2, multiparts.Count);
        Assert.All(multiparts, m => Assert.True(m.PartLimitReached));
        var top = (Multipart)message.Body;
        Assert.Contains("after.exe", Encoding.ASCII.GetString(bytes, top.Epilogue.Start, top.Epilogue.Length), StringComparison.Ordinal);
        Assert.False(((Multipart)MimeMessage.Parse(bytes).Body).PartLimitReached);
        AssertKeptWhole(bytes, message);
    }

    [Fact]
    public void Parse_WhenNestingExceedsMaxDepth_SaysWhichPartTheDepthLimitKeptUnparsed()
    {
        var text = new StringBuilder();
        for (var i = 0; i < 12; i++)
        {
            text.Append("Content-Type: multipart/mixed; boundary=b").Append(i).Append("\r\n\r\n--b").Append(i).Append("\r\n");
        }

        text.Append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        var bytes = Bytes(text.ToString());

        var message = MimeMessage.Parse(bytes, new MimeLimits { MaxDepth = 8 });

        var opaque = Assert.Single(message.Entities().OfType<MimePart>());
        Assert.Equal(MimeWarningCode.TooDeeplyNested, opaque.KeptUnparsedBy);
        Assert.True(opaque.ContentType.IsMultipart);
        Assert.Null(Assert.Single(MimeMessage.Parse(bytes).Entities().OfType<MimePart>()).KeptUnparsedBy);
    }

    [Theory]
    [InlineData("7bit")]
    [InlineData("base64")]
    public void Parse_WhenAttachedMessagesPassTheLimits_SaysWhichLimitKeptThemUnparsed(string encoding)
    {
        var attached = "Subject: inner\r\n\r\nhello\r\n";
        var content = encoding == "base64" ? Convert.ToBase64String(Encoding.ASCII.GetBytes(attached)) : attached;
        var part = $"--p\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n{content}\r\n";
        var bytes = Bytes("Content-Type: multipart/mixed; boundary=p\r\n\r\n" + part + "--p--\r\n");

        var tooMany = MimeMessage.Parse(bytes, new MimeLimits { MaxParts = 2 });
        var tooDeep = MimeMessage.Parse(bytes, new MimeLimits { MaxDepth = 1 });
        var within = MimeMessage.Parse(bytes);

        Assert.Equal(MimeWarningCode.TooManyParts, Assert.Single(tooMany.Entities().OfType<MimePart>()).KeptUnparsedBy);
        Assert.Equal(MimeWarningCode.TooDeeplyNested, Assert.Single(tooDeep.Entities().OfType<MimePart>()).KeptUnparsedBy);
        Assert.Single(within.Entities().OfType<MessagePart>());
        Assert.All(within.Entities().OfType<MimePart>(), p => Assert.Null(p.KeptUnparsedBy));
    }

    [Fact]
    public void DecodeContent_WhenTheLimitCutsTheContent_SaysSoEveryTime()
    {
        var payload = Convert.ToBase64String(new byte[10_000], Base64FormattingOptions.InsertLineBreaks);
        var bytes = Bytes("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n" + payload);
        var cut = (MimePart)MimeMessage.Parse(bytes, new MimeLimits { MaxDecodedBytes = 4096 }).Body;
        var whole = (MimePart)MimeMessage.Parse(bytes).Body;

        Assert.False(cut.DecodedSizeLimitReached);
        cut.DecodeContent();
        cut.DecodeContent();
        whole.DecodeContent();

        Assert.True(cut.DecodedSizeLimitReached);
        Assert.Single(cut.Context.Warnings, w => w.Code == MimeWarningCode.DecodedSizeLimit);
        Assert.False(whole.DecodedSizeLimitReached);
    }

    [Fact]
    public void Parse_WhenAnEncodedAttachedMessageIsCutByTheDecodeLimit_SaysSo()
    {
        var attached = "Subject: inner\r\n\r\n" + new string('x', 5000) + "\r\n";
        var bytes = Bytes("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Convert.ToBase64String(Encoding.ASCII.GetBytes(attached)) + "\r\n");

        var cut = Assert.IsType<MessagePart>(MimeMessage.Parse(bytes, new MimeLimits { MaxDecodedBytes = 1000 }).Body);
        var whole = Assert.IsType<MessagePart>(MimeMessage.Parse(bytes).Body);

        Assert.True(cut.DecodedSizeLimitReached);
        Assert.False(whole.DecodedSizeLimitReached);
    }
}
