using System.Diagnostics;
using System.Text;
using Hookline.Mime.Outlook;
using Hookline.Testing.Outlook;
using static Hookline.Mime.Tests.Outlook.OutlookTestHelpers;

namespace Hookline.Mime.Tests.Outlook;

/// <summary>Seeded random damage to valid files: the readers must neither throw, nor hit their safety net, nor take long.</summary>
public class OutlookMutationTests
{
    private static OutlookMessageSpec Rich()
    {
        var inner = new OutlookMessageSpec { Subject = "inner", Body = "inner body", SenderSmtp = "in@example.test" };
        inner.Attachments.Add(new AttachmentSpec { LongFileName = "x.bin", Data = new byte[5000] });
        var spec = new OutlookMessageSpec
        {
            Subject = "Mutate me ✓",
            SenderName = "S",
            SenderSmtp = "s@example.test",
            Body = "body",
            Html = Encoding.UTF8.GetBytes("<p>x</p>"),
            RtfCompressed = RtfCompressor.CompressLiteral(Encoding.ASCII.GetBytes("{\\rtf1 hi}")),
            Recipients = { new RecipientSpec("R", "r@example.test") },
        };
        spec.Attachments.Add(new AttachmentSpec { LongFileName = "a.txt", Data = Encoding.ASCII.GetBytes("abc") });
        spec.Attachments.Add(new AttachmentSpec { DisplayName = "inner", Embedded = inner });
        return spec;
    }

    public static TheoryData<string> Formats => new() { "msg", "tnef" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Read_WhenBytesAreRandomlyDamaged_NeverThrowsOrHangs(string format)
    {
        var original = format == "msg" ? OutlookMessageWriter.Write(Rich()) : TnefWriter.Write(Rich());
        var random = new Random(format == "msg" ? 1234 : 5678);
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < 400; round++)
        {
            var bytes = (byte[])original.Clone();
            var edits = random.Next(1, 12);
            for (var e = 0; e < edits; e++)
            {
                var at = random.Next(bytes.Length);
                switch (random.Next(4))
                {
                    case 0:
                        bytes[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        bytes[at] = 0xFF;
                        break;
                    case 2:
                        bytes[at] = 0x00;
                        break;
                    default:
                        // A 32-bit field set to a small or huge number (sector ids, sizes, counts).
                        var value = random.Next(2) == 0 ? random.Next(64) : int.MaxValue - random.Next(16);
                        BitConverter.GetBytes(value).AsSpan(0, Math.Min(4, bytes.Length - at)).CopyTo(bytes.AsSpan(at));
                        break;
                }
            }

            var message = format == "msg" ? OutlookMessageReader.Read(bytes) : TnefReader.Read(bytes);
            NoInternalErrors(message);
            Assert.True(message.Source.Length < 4 * original.Length + 65536, $"round {round}: {message.Source.Length} bytes synthesized");
        }

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Read_WhenMsgHasRecipientAndAttachmentStorageFlood_StopsAtMaxParts()
    {
        var spec = new OutlookMessageSpec { Subject = "flood" };
        for (var i = 0; i < 30; i++)
        {
            spec.Attachments.Add(new AttachmentSpec { FileName = "f" + i, Data = [1] });
        }

        var message = OutlookMessageReader.Read(OutlookMessageWriter.Write(spec), new MimeLimits { MaxParts = 10 });

        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.TooManyParts);
        Assert.True(Leaves(message).Count(p => p.IsAttachment) <= 10);
    }
}
