using System.Text;
using Hookline.Testing.Generation;

namespace Hookline.Testing.Fuzzing;

/// <summary>One handcrafted worst case: a name for test output and a builder (cases are built on demand; some are 20 MB).</summary>
public sealed record HostileCase(string Name, Func<byte[]> Build)
{
    public override string ToString() => Name;
}

/// <summary>Handcrafted worst cases for a MIME parser, each built in code.</summary>
public static class HostileMessages
{
    private const int MB = 1024 * 1024;

    private static readonly byte[] Simple = "From: a@example.test\r\nSubject: inner\r\n\r\nbody\r\n"u8.ToArray();

    public static IReadOnlyList<HostileCase> All { get; } =
    [
        new("Empty", () => []),
        new("OnlyCrlf", () => "\r\n"u8.ToArray()),
        new("OnlyLf", () => "\n"u8.ToArray()),
        new("OnlyCr", () => "\r"u8.ToArray()),
        new("OneMegabyteOfCr", () => Fill((byte)'\r', MB)),
        new("OneMegabyteOfLf", () => Fill((byte)'\n', MB)),
        new("OneMegabyteOfNul", () => Fill(0, MB)),
        new("OneMegabyteOfFF", () => Fill(0xFF, MB)),
        new("OneMegabyteOfColons", () => Fill((byte)':', MB)),
        new("HeaderWithoutNewline", () => "Subject: no line break at all"u8.ToArray()),
        new("MboxFromLineOnly", () => "From sender@example.test Mon Feb 12 09:14:03 2024"u8.ToArray()),
        new("MboxFromLineThenMessage", () => Concat("From sender@example.test Mon Feb 12 09:14:03 2024\r\n"u8, Simple)),
        new("ContinuationFirst", () => " folded first\r\n\tmore\r\nSubject: x\r\n\r\nbody"u8.ToArray()),
        new("DeepMultipart10000", () => NestInMultiparts(Simple, 10_000, sameBoundary: false)),
        new("DeepMultipartSameBoundary10000", () => NestInMultiparts(Simple, 10_000, sameBoundary: true)),
        new("DeepMessageRfc822_10000", () => NestInMessages(Simple, 10_000)),
        new("DeepAlternatingNesting10000", () => AlternatingNesting(10_000)),
        new("DeepDigestNesting5000", () => DigestNesting(5_000)),
        new("DeepUnclosedMultiparts10000", () => UnclosedMultiparts(10_000)),
        new("DeepBase64EncodedMessages24", () => EncodedMessages(24, base64: true)),
        // Quoted-printable of text with no "=" and short lines is the text itself, so the layers are written directly.
        new("DeepQuotedPrintableEncodedMessages10000", () => Repeat(string.Empty, "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", 10_000, "From: a@example.test\r\nSubject: inner\r\n\r\nbody\r\n")),
        new("QuotedPrintableEncodedMessages40", () => EncodedMessages(40, base64: false)),
        new("ManyTinyParts100000", () => ManyTinyParts(100_000, Simple)),
        new("ManyEmptyParts100000", () => ManyEmptyParts(100_000)),
        new("ManyDelimitersNoParts", () => Repeat("Content-Type: multipart/mixed; boundary=b\r\n\r\n", "--b\r\n", 500_000)),
        new("DelimitersWithoutLineBreaks", () => Repeat("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n", "--b--b--b", 200_000)),
        new("DigestWith10000Parts", () => DigestParts(10_000)),
        new("SingleHeader20MB", () => Concat("Subject: "u8, Fill((byte)'A', 20 * MB), "\r\n\r\nbody\r\n"u8)),
        new("FoldedHeader20MB", () => Repeat("Subject: start\r\n", " folded continuation\r\n", 20 * MB / 22, "\r\nbody\r\n")),
        new("ContentType20MB", () => Repeat("Content-Type: multipart/mixed", "; a=b", 20 * MB / 5, "; boundary=zz\r\n\r\n--zz\r\n\r\nx\r\n--zz--\r\n")),
        new("EncodedWordFragments1MB", () => Repeat("Subject: ", "=?", MB / 2, "\r\nFrom: =?utf-8?B?" + new string('=', 1000) + "\r\n\r\nbody\r\n")),
        new("EncodedWordHalves1MB", () => Repeat("Subject: ", "=?utf-8?B?4pyT ?= =?utf-8?Q?=E2=9C ", MB / 33, "\r\n\r\nbody\r\n")),
        new("ValidEncodedWords1MB", () => Repeat("Subject: ", "=?utf-8?B?4pyT?= ", MB / 17, "\r\n\r\nbody\r\n")),
        new("HeaderFields100000", () => Repeat(string.Empty, "X-A: b\r\n", 100_000, "\r\nbody\r\n")),
        new("TinyHeaderFields1M", () => Repeat(string.Empty, "a:\n", MB, "\nbody\n")),
        new("InvalidHeaderLines100000", () => Repeat("Subject: x\r\n", "not a field\r\nX: y\r\n", 100_000, "\r\nbody\r\n")),
        new("NoBlankLineHugeHeaders", () => Repeat(string.Empty, "Received: from x by y; Mon, 12 Feb 2024 09:14:03 +0000\r\n", 80_000, "Content-Type: text/plain")),
        new("HeaderBlock5MBNoSeparator", () => Repeat(string.Empty, "X-Long: " + new string('v', 1000) + "\r\n", 5 * 1024, string.Empty)),
        new("LongBoundary10KB", () => LongBoundary(10_000)),
        new("EmptyBoundary", () => "Content-Type: multipart/mixed; boundary=\"\"\r\n\r\n--\r\n\r\nx\r\n----\r\n"u8.ToArray()),
        new("MultipartWithoutBoundary", () => "Content-Type: multipart/mixed\r\n\r\n--x\r\n\r\nbody\r\n--x--\r\n"u8.ToArray()),
        new("BoundaryIsPrefixOfChildBoundary", () => Latin1("Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: multipart/mixed; boundary=ab\r\n\r\n--ab\r\n\r\none\r\n--a\r\n\r\ntwo\r\n--ab--\r\n--a--\r\n")),
        new("ChildReusesParentBoundary", () => Latin1("Content-Type: multipart/mixed; boundary=p\r\n\r\n--p\r\nContent-Type: multipart/alternative; boundary=p\r\n\r\n--p\r\n\r\nin\r\n--p--\r\n--p\r\n\r\nafter\r\n--p--\r\n")),
        new("Base64Garbage5MB", () => Repeat("Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n", "!@#$%^&*()=\x80\xFF\r\n", 5 * MB / 14, string.Empty)),
        new("Base64AllPadding5MB", () => Repeat("Content-Transfer-Encoding: base64\r\n\r\n", "====", 5 * MB / 4, string.Empty)),
        new("Base64OneLine20MB", () => Repeat("Content-Transfer-Encoding: base64\r\n\r\n", "QUJD", 20 * MB / 4, string.Empty)),
        new("QuotedPrintableSoftBreaks1MB", () => Repeat("Content-Transfer-Encoding: quoted-printable\r\n\r\n", "=\r\n", MB / 3, "=")),
        new("QuotedPrintableBadEscapes1MB", () => Repeat("Content-Transfer-Encoding: quoted-printable\r\n\r\n", "=ZZ=\r=\n= =0", MB / 12, "=")),
        new("Rfc2231HugeIndex", () => Latin1("Content-Type: application/pdf; name*99999999999999999999*=x\r\nContent-Disposition: attachment; filename*99999*=utf-8''%E2%9C%93; filename*2147483647*=a; filename*-1=b\r\n\r\nx\r\n")),
        new("Rfc2231Continuations100000", () => Repeat("Content-Disposition: attachment", "; filename*99999*=%41", 100_000, "\r\n\r\nx\r\n")),
        new("Rfc2231ContinuationsReversed50000", () => ReversedContinuations(50_000)),
        new("HugeParameterList200000", () => Repeat("Content-Type: text/plain", "; p=v", 200_000, "\r\n\r\nx\r\n")),
        new("UnterminatedQuotedParameter", () => Repeat("Content-Type: multipart/mixed; boundary=\"", "\\\"", MB, "\r\n\r\nx\r\n")),
        new("RepeatedContentType10000", () => Repeat(string.Empty, "Content-Type: multipart/mixed; boundary=r\r\n", 10_000, "\r\n--r\r\n\r\nx\r\n--r--\r\n")),
        new("CrOnlyLineEndings", () => Latin1("From: a@example.test\rContent-Type: multipart/mixed; boundary=b\r\r--b\r\rx\r--b--\r")),
        new("LfOnlyMultipart", () => Latin1("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n\nSubject: x\n\ny\n--b--\n")),
        new("NulInHeaderNames", () => Latin1("Sub\0ject: x\r\n\0: y\r\nContent-Type: text/plain; charset=\0\r\n\r\nbody\0\r\n")),
        new("EightBitHeaderNamesAndValues", () => Latin1("\xFF\xFE: \x80\x81\r\nSubject: caf\xE9 \xF0\x9F\r\nContent-Type: text/plain; charset=\"\xE9\"\r\n\r\n\xC3\x28\r\n")),
        new("UnknownCharsets", () => Latin1("Subject: =?x-unknown?B?QUJD?= =?utf-7?B?K0FHRS0=?= =?" + new string('c', 5000) + "?Q?a?=\r\nContent-Type: text/plain; charset=" + new string('z', 5000) + "\r\n\r\nbody\r\n")),
        new("Utf16Charset", () => Latin1("Content-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n2D3eAA==\r\n")),
        new("MessageRfc822Empty", () => Latin1("Content-Type: message/rfc822\r\n\r\n")),
        new("MessageRfc822Truncated", () => Latin1("Content-Type: message/rfc822\r\n\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Type: message/rfc822\r\n\r\n--q")),
        new("EncodedMessageWithUnknownEncoding", () => Latin1("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nbegin 644 x\r\n`\r\nend\r\n")),
    ];

    /// <summary>
    /// <paramref name="inner"/> inside <paramref name="depth"/> nested multipart/mixed wrappers (each
    /// with one part), with distinct boundaries or all the same one.
    /// </summary>
    public static byte[] NestInMultiparts(ReadOnlySpan<byte> inner, int depth, bool sameBoundary)
    {
        var sink = new ByteSink((depth * 80) + inner.Length);
        for (var i = 0; i < depth; i++)
        {
            var b = sameBoundary ? "same" : "n" + MailEncoding.Q(i);
            sink.Append("Content-Type: multipart/mixed; boundary=\"").Append(b).Append("\"\r\n\r\n--").Append(b).Crlf();
        }

        sink.Append(inner).Crlf();
        for (var i = depth - 1; i >= 0; i--)
        {
            var b = sameBoundary ? "same" : "n" + MailEncoding.Q(i);
            sink.Append("--").Append(b).Append("--").Crlf();
        }

        return sink.ToArray();
    }

    /// <summary><paramref name="inner"/> inside <paramref name="depth"/> nested message/rfc822 wrappers.</summary>
    public static byte[] NestInMessages(ReadOnlySpan<byte> inner, int depth)
    {
        var sink = new ByteSink((depth * 48) + inner.Length);
        for (var i = 0; i < depth; i++)
        {
            sink.Append("Subject: level ").Append(MailEncoding.Q(i)).Append("\r\nContent-Type: message/rfc822\r\n\r\n");
        }

        sink.Append(inner);
        return sink.ToArray();
    }

    /// <summary>One multipart with <paramref name="count"/> tiny parts after a copy of <paramref name="first"/> as its first part.</summary>
    public static byte[] ManyTinyParts(int count, ReadOnlySpan<byte> first)
    {
        var sink = new ByteSink((count * 12) + first.Length + 100);
        sink.Append("Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"u8);
        sink.Append(first).Crlf();
        sink.Repeat("--b\r\n\r\nx\r\n"u8, count);
        sink.Append("--b--\r\n"u8);
        return sink.ToArray();
    }

    private static byte[] ManyEmptyParts(int count)
    {
        var sink = new ByteSink(count * 6);
        sink.Append("Content-Type: multipart/mixed; boundary=b\r\n\r\n"u8);
        sink.Repeat("--b\r\n"u8, count);
        sink.Append("--b--"u8);
        return sink.ToArray();
    }

    private static byte[] AlternatingNesting(int depth)
    {
        var sink = new ByteSink(depth * 80);
        for (var i = 0; i < depth; i++)
        {
            if (i % 2 == 0)
            {
                sink.Append("Content-Type: multipart/mixed; boundary=\"m").Append(MailEncoding.Q(i)).Append("\"\r\n\r\n--m").Append(MailEncoding.Q(i)).Crlf();
            }
            else
            {
                sink.Append("Content-Type: message/rfc822\r\n\r\n"u8);
            }
        }

        sink.Append(Simple);
        for (var i = depth - 1; i >= 0; i--)
        {
            if (i % 2 == 0)
            {
                sink.Append("\r\n--m").Append(MailEncoding.Q(i)).Append("--").Crlf();
            }
        }

        return sink.ToArray();
    }

    private static byte[] DigestNesting(int depth)
    {
        // In a digest, a part without Content-Type is message/rfc822: nest digests through that default.
        var sink = new ByteSink(depth * 80);
        for (var i = 0; i < depth; i++)
        {
            sink.Append("Content-Type: multipart/digest; boundary=d").Append(MailEncoding.Q(i)).Append("\r\n\r\n--d").Append(MailEncoding.Q(i)).Append("\r\n\r\n");
        }

        sink.Append(Simple);
        return sink.ToArray();
    }

    private static byte[] DigestParts(int count)
    {
        var sink = new ByteSink(count * 40);
        sink.Append("Content-Type: multipart/digest; boundary=d\r\n\r\n"u8);
        for (var i = 0; i < count; i++)
        {
            sink.Append("--d\r\n\r\nSubject: "u8).Append(MailEncoding.Q(i)).Append("\r\n\r\nx\r\n"u8);
        }

        sink.Append("--d--\r\n"u8);
        return sink.ToArray();
    }

    private static byte[] UnclosedMultiparts(int depth)
    {
        var sink = new ByteSink(depth * 60);
        for (var i = 0; i < depth; i++)
        {
            sink.Append("Content-Type: multipart/mixed; boundary=u").Append(MailEncoding.Q(i)).Append("\r\n\r\n--u").Append(MailEncoding.Q(i)).Crlf();
        }

        return sink.ToArray();
    }

    private static byte[] EncodedMessages(int depth, bool base64)
    {
        var current = Simple;
        var sink = new ByteSink();
        for (var i = 0; i < depth; i++)
        {
            sink.Clear();
            sink.Append(base64 ? "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n"u8 : "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"u8);
            if (base64)
            {
                MailEncoding.Base64Lines(current, sink);
            }
            else
            {
                MailEncoding.QuotedPrintable(current, sink);
            }

            current = sink.ToArray();
        }

        return current;
    }

    private static byte[] LongBoundary(int length)
    {
        var boundary = new string('b', length);
        return Latin1($"Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n--{boundary}\r\n\r\nx\r\n--{boundary}--\r\n");
    }

    private static byte[] ReversedContinuations(int count)
    {
        var sb = new StringBuilder("Content-Type: application/pdf");
        for (var i = count - 1; i >= 0; i--)
        {
            sb.Append("; name*").Append(MailEncoding.Q(i)).Append("*=%4").Append((char)('1' + (i % 9)));
        }

        sb.Append("\r\n\r\nx\r\n");
        return Latin1(sb.ToString());
    }

    private static byte[] Repeat(string head, string unit, int count, string tail = "")
    {
        var unitBytes = Latin1(unit);
        var sink = new ByteSink(head.Length + (unitBytes.Length * count) + tail.Length);
        sink.Append(Latin1(head));
        sink.Repeat(unitBytes, count);
        sink.Append(Latin1(tail));
        return sink.ToArray();
    }

    private static byte[] Fill(byte value, int count)
    {
        var bytes = new byte[count];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c = default) => [.. a, .. b, .. c];

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
