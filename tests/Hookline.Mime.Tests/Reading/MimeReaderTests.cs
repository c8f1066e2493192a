using System.Text;
using Hookline.Mime.Reading;

namespace Hookline.Mime.Tests.Reading;

public class MimeReaderTests
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal));

    private static List<(MimeToken Token, string Text)> Events(byte[] bytes)
    {
        var reader = new MimeReader(bytes);
        var events = new List<(MimeToken, string)>();
        while (reader.Read())
        {
            events.Add((reader.Token, Encoding.UTF8.GetString(bytes, reader.Range.Start, reader.Range.Length)));
        }

        return events;
    }

    [Fact]
    public void Read_WhenMultipart_ReportsEventsInDocumentOrderWithTheirBytes()
    {
        var bytes = Bytes("Content-Type: multipart/mixed; boundary=b\n\npre\n--b\nX: 1\n\none\n--b--\npost\n");

        var events = Events(bytes);

        Assert.Equal(
            [
                (MimeToken.MessageStart, Encoding.UTF8.GetString(bytes)),
                (MimeToken.EntityStart, string.Empty),
                (MimeToken.HeaderField, "Content-Type: multipart/mixed; boundary=b\r\n"),
                (MimeToken.HeadersEnd, "\r\n"),
                (MimeToken.Preamble, "pre"),
                (MimeToken.Delimiter, "\r\n--b\r\n"),
                (MimeToken.EntityStart, string.Empty),
                (MimeToken.HeaderField, "X: 1\r\n"),
                (MimeToken.HeadersEnd, "\r\n"),
                (MimeToken.Content, "one"),
                (MimeToken.EntityEnd, "X: 1\r\n\r\none"),
                (MimeToken.CloseDelimiter, "\r\n--b--\r\n"),
                (MimeToken.Epilogue, "post\r\n"),
                (MimeToken.EntityEnd, Encoding.UTF8.GetString(bytes)),
                (MimeToken.MessageEnd, Encoding.UTF8.GetString(bytes)),
            ],
            events);
    }

    [Fact]
    public void Read_WhenConsumerStopsAtHeadersEnd_HasNotLookedAtTheBody()
    {
        // A body whose multipart structure would produce many events and warnings.
        var body = string.Concat(Enumerable.Repeat("--b\nContent-Type: text/plain\n\nx\n", 1000));
        var bytes = Bytes("Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n" + body);
        var reader = new MimeReader(bytes);

        var tokens = new List<MimeToken>();
        while (reader.Read())
        {
            tokens.Add(reader.Token);
            if (reader.Token == MimeToken.HeadersEnd)
            {
                break;
            }
        }

        Assert.Equal([MimeToken.MessageStart, MimeToken.EntityStart, MimeToken.HeaderField, MimeToken.HeaderField, MimeToken.HeadersEnd], tokens);
        Assert.Equal("multipart/mixed", reader.ContentType.MimeType);
        Assert.Empty(reader.Warnings);
    }

    [Fact]
    public void ParseHeaders_WhenMultipart_KeepsTheBodyAsOneUnparsedPart()
    {
        var bytes = Bytes("Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n");

        var message = MimeMessage.ParseHeaders(bytes);

        var body = Assert.IsType<MimePart>(message.Body);
        Assert.Equal("s", message.Subject);
        Assert.Equal("--b\r\n\r\nx\r\n--b--\r\n", Encoding.UTF8.GetString(bytes, body.ContentRange.Start, body.ContentRange.Length));
        Assert.Equal(bytes, message.ToArray());
    }

    [Fact]
    public void Parse_WhenHeaderBlockHasObsoleteSpaceBeforeColon_KeepsTheNameTrimmed()
    {
        var message = MimeMessage.Parse(Bytes("Subject  : hello\n\nbody\n"));

        var header = Assert.Single(message.Headers);
        Assert.Equal("Subject", header.Name);
        Assert.Equal("hello", message.Subject);
    }

    [Fact]
    public void Parse_WhenDuplicateHeaders_KeepsBothInOrderAndFindReturnsTheFirst()
    {
        var message = MimeMessage.Parse(Bytes("Received: one\nReceived: two\nreceived: three\n\n"));

        Assert.Equal(["one", "two", "three"], message.Headers.FindAll("RECEIVED").Select(h => h.Value));
        Assert.Equal("one", message.Headers["received"]);
    }

    [Fact]
    public void Parse_WhenFoldedHeader_UnfoldsTheValueAndKeepsTheRawFolds()
    {
        var message = MimeMessage.Parse(Bytes("Subject: a\n  b\n\tc\n\n"));

        var header = message.Headers.Find("Subject")!;
        Assert.Equal("a  b\tc", header.Value);
        Assert.Equal(" a\r\n  b\r\n\tc", Encoding.UTF8.GetString(header.RawValue.Span));
    }

    [Fact]
    public void Parse_WhenHeaderBlockStartsWithContinuationLine_TreatsItAsBodyWithoutLosingBytes()
    {
        var bytes = Bytes(" leading continuation\nSubject: x\n\nbody\n");

        var message = MimeMessage.Parse(bytes);

        Assert.Equal(bytes, message.ToArray());
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.InvalidHeaderLine);
        Assert.Equal("x", message.Subject);
    }

    [Fact]
    public void Parse_WhenBareCarriageReturnsInHeaders_RoundTrips()
    {
        var bytes = Encoding.ASCII.GetBytes("Subject: a\rb\r\nX: y\r\r\n\r\nbody");

        var message = MimeMessage.Parse(bytes);

        Assert.Equal(bytes, message.ToArray());
        Assert.Equal(2, message.Headers.Count);
    }

    [Fact]
    public void Parse_WhenMessageRfc822IsQuotedPrintable_DecodesAndParsesIt()
    {
        var bytes = Bytes("Content-Type: message/rfc822\nContent-Transfer-Encoding: quoted-printable\n\nSubject: inner =3D ok\n\nbody=\n text\n");

        var message = MimeMessage.Parse(bytes);

        var attached = Assert.IsType<MessagePart>(message.Body);
        Assert.True(attached.IsEncoded);
        Assert.Equal("inner = ok", attached.Message.Subject);
        Assert.Equal("body text\r\n", ((MimePart)attached.Message.Body).GetText());
        Assert.Equal(bytes, message.ToArray());
    }

    [Fact]
    public void Parse_WhenMultipartNestedInsideDigest_ChildrenDefaultToMessageRfc822()
    {
        var message = MimeMessage.Parse(Bytes("Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: in digest\n\nx\n--d--\n"));

        var digest = Assert.IsType<Multipart>(message.Body);
        var item = Assert.IsType<MessagePart>(Assert.Single(digest.Children).Entity);
        Assert.Equal("in digest", item.Message.Subject);
    }
}
