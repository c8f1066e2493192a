using System.Text;
using Hookline.Mime.Outlook;
using Hookline.Testing.Outlook;

namespace Hookline.Mime.Tests.Outlook;

public class CompressedRtfTests
{
    // MS-OXRTFCP section 4.1: compressing "{\rtf1\ansi\ansicpg1252\pard hello world}" CRLF.
    private static readonly byte[] SpecSimple = Convert.FromHexString(
        "2d0000002b0000004c5a4675f1c5c7a703000a0072637067313235423 20af32068656c09002062770 5b06c647d0a800fa0".Replace(" ", string.Empty, StringComparison.Ordinal));

    // MS-OXRTFCP section 4.2: "{\rtf1 WXYZWXYZWXYZWXYZWXYZ}", a reference that overlaps the bytes it writes.
    private static readonly byte[] SpecRepeat = Convert.FromHexString("1a0000001c0000004c5a4675e2d44b51410004205758595a0d6e7d010eb0");

    [Fact]
    public void Preload_WhenBuilt_Is207BytesAsTheSpecSays()
    {
        Assert.Equal(207, CompressedRtf.Preload.Length);
        Assert.Equal((byte)'\r', CompressedRtf.Preload[168]);
        Assert.Equal((byte)'\n', CompressedRtf.Preload[169]);
    }

    [Fact]
    public void Decompress_WhenSpecExampleWithDictionaryReferences_ReturnsOriginal()
    {
        var output = CompressedRtf.Decompress(SpecSimple, long.MaxValue, out var warnings);

        Assert.Empty(warnings);
        Assert.Equal("{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n", Encoding.ASCII.GetString(output));
    }

    [Fact]
    public void Decompress_WhenSpecExampleWithOverlappingReference_ReturnsOriginal()
    {
        var output = CompressedRtf.Decompress(SpecRepeat, long.MaxValue, out var warnings);

        Assert.Empty(warnings);
        Assert.Equal("{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}", Encoding.ASCII.GetString(output));
    }

    [Fact]
    public void Decompress_WhenCrcDoesNotMatch_WarnsAndStillDecodes()
    {
        var damaged = (byte[])SpecRepeat.Clone();
        damaged[12] ^= 0x55;

        var output = CompressedRtf.Decompress(damaged, long.MaxValue, out var warnings);

        Assert.Contains(warnings, w => w.Message.Contains("CRC", StringComparison.Ordinal));
        Assert.Equal("{\\rtf1 WXYZWXYZWXYZWXYZWXYZ}", Encoding.ASCII.GetString(output));
    }

    [Fact]
    public void Decompress_WhenUncompressedMela_ReturnsContent()
    {
        var raw = Encoding.ASCII.GetBytes("{\\rtf1 plain}");

        var output = CompressedRtf.Decompress(RtfCompressor.Uncompressed(raw), long.MaxValue, out var warnings);

        Assert.Empty(warnings);
        Assert.Equal(raw, output);
    }

    [Fact]
    public void Decompress_WhenLiteralOnlyStreamFromTestWriter_RoundTrips()
    {
        var raw = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\\rtf1 abc\\par}", 500)));

        var output = CompressedRtf.Decompress(RtfCompressor.CompressLiteral(raw), long.MaxValue, out var warnings);

        Assert.Empty(warnings);
        Assert.Equal(raw, output);
    }

    [Fact]
    public void Decompress_WhenOutputWouldExceedLimit_CutsWithWarning()
    {
        var output = CompressedRtf.Decompress(SpecRepeat, 10, out var warnings);

        Assert.Equal("{\\rtf1 WXY", Encoding.ASCII.GetString(output));
        Assert.Contains(warnings, w => w.Code == MimeWarningCode.DecodedSizeLimit);
    }

    [Fact]
    public void Decompress_WhenRawSizeUnderstated_StopsAtDeclaredSize()
    {
        var understated = (byte[])SpecRepeat.Clone();
        understated[4] = 8;

        var output = CompressedRtf.Decompress(understated, long.MaxValue, out var warnings);

        Assert.Equal(8, output.Length);
        Assert.Contains(warnings, w => w.Message.Contains("declared", StringComparison.Ordinal));
    }

    [Fact]
    public void Decompress_WhenTruncatedOrGarbage_NeverThrows()
    {
        for (var length = 0; length < SpecSimple.Length; length++)
        {
            var output = CompressedRtf.Decompress(SpecSimple.AsSpan(0, length), long.MaxValue, out var warnings);
            Assert.NotEmpty(warnings);
            Assert.True(output.Length <= 43);
        }

        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            if (bytes.Length >= 12)
            {
                bytes[8] = 0x4C;
                bytes[9] = 0x5A;
                bytes[10] = 0x46;
                bytes[11] = 0x75;
            }

            var output = CompressedRtf.Decompress(bytes, 1 << 20, out _);
            Assert.True(output.Length <= Math.Max(0, bytes.Length * 9));
        }
    }

    [Fact]
    public void Decompress_WhenUnknownCompressionType_ReturnsEmptyWithWarning()
    {
        var bytes = RtfCompressor.WithHeader([1, 2, 3], 3, 0x12345678, 0);

        var output = CompressedRtf.Decompress(bytes, long.MaxValue, out var warnings);

        Assert.Empty(output);
        Assert.Contains(warnings, w => w.Code == MimeWarningCode.OutlookFormat);
    }
}
