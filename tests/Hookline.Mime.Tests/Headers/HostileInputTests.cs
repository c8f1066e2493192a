using Hookline.Mime.Addresses;
using Hookline.Mime.Dates;
using Hookline.Mime.Headers;

namespace Hookline.Mime.Tests.HeadersTests;

/// <summary>Random values built from the characters the header grammars care about: no parser may throw.</summary>
public class HostileInputTests
{
    private static readonly byte[] Alphabet =
        "=?_QqBb-utf8iso'*%\"\\()<>@,;:.[]/ \t\r\nAz09+Ã©\u00ff"u8.ToArray();

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var seed = 1; seed <= 8; seed++)
        {
            data.Add(seed);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AllParsers_WhenRandomGrammarSoup_NeverThrow(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 500; n++)
        {
            var raw = new byte[random.Next(0, 200)];
            for (var i = 0; i < raw.Length; i++)
            {
                raw[i] = random.Next(10) == 0 ? (byte)random.Next(256) : Alphabet[random.Next(Alphabet.Length)];
            }

            var warnings = new List<MimeWarning>();
            Assert.NotNull(HeaderText.DecodeUnstructured(raw));
            Assert.NotNull(HeaderText.DecodePhrase(raw));
            Assert.NotNull(HeaderText.DecodeComment(raw));
            Assert.NotNull(ContentType.Parse(raw, warnings, 0));
            Assert.NotNull(ContentDisposition.Parse(raw, warnings, 0));
            Assert.NotNull(ParameterList.Parse(raw, warnings, 0));
            foreach (var mailbox in AddressParser.ParseMailboxes(raw, warnings))
            {
                Assert.NotNull(mailbox.UnicodeDomain);
                Assert.NotNull(mailbox.AsciiDomain);
            }

            Assert.NotNull(MessageIds.ParseList(raw));
            _ = DateParser.TryParse(raw, out _, out _);
            Assert.All(warnings, w => Assert.InRange(w.Offset, 0, raw.Length));
        }
    }

    [Fact]
    public void AllParsers_WhenQuarterMegabyteOfOpeners_StayFast()
    {
        foreach (var unit in new[] { "=?", "(", "\"", "<", "'", "%", "*0*=", ";", "\\" })
        {
            var raw = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(unit, 256 * 1024 / unit.Length)));
            var watch = System.Diagnostics.Stopwatch.StartNew();
            HeaderText.DecodeUnstructured(raw);
            HeaderText.DecodePhrase(raw);
            ContentType.Parse(raw, null, 0);
            ContentDisposition.Parse(raw, null, 0);
            AddressParser.ParseList(raw);
            MessageIds.ParseList(raw);
            _ = DateParser.TryParse(raw, out _);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{unit}: {watch.Elapsed}");
        }
    }
}
