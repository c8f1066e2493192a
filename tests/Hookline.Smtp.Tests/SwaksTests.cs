using System.Security.Cryptography;
using System.Text;
using Hookline.Testing.Servers;

namespace Hookline.Smtp.Tests;

/// <summary>swaks, a real SMTP client written by someone else, against our server.</summary>
public sealed class SwaksTests : IDisposable
{
    private static readonly byte[] Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,;:!?-+=/()<>[]{}'\"#&*@"u8.ToArray();

    private readonly string _folder = Directory.CreateTempSubdirectory("hookline-swaks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Writes a message for swaks's --data. swaks ends the DATA with CRLF "." CRLF after the file's
    /// content, so a file that already ends with CRLF would gain an empty line: the file is written
    /// without the message's final CRLF, and swaks puts it back.
    /// </summary>
    private string Write(string name, byte[] message)
    {
        Assert.True(message.AsSpan().EndsWith("\r\n"u8));
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, message[..^2]);
        return path;
    }

    private static string Context(byte[] bytes, int at) =>
        Encoding.ASCII.GetString(bytes, Math.Max(0, at - 40), Math.Min(80, bytes.Length - Math.Max(0, at - 40)));

    private static string[] Transaction(string dataFile, params string[] more) =>
        ["--from", "alice@sender.example", "--to", "reports@hookline.test", "--helo", "swaks.test", "--data", dataFile, "--suppress-data", .. more];

    [Fact]
    public async Task Swaks_delivers_a_message_byte_for_byte()
    {
        await using var harness = await ServerHarness.StartAsync();
        var message = "From: Alice <alice@sender.example>\r\nTo: reports@hookline.test\r\nSubject: swaks plain\r\nMessage-ID: <swaks-1@sender.example>\r\n\r\nFirst line.\r\n.Leading dot.\r\n..Two dots.\r\n\r\nLast line.\r\n"u8.ToArray();
        var result = await Swaks.RunAsync(harness.EndPoint, Transaction(Write("plain.eml", message), "--pipeline"));
        Assert.True(result.Succeeded, result.Transcript);
        var received = Assert.Single(harness.Messages);
        Assert.Equal(Encoding.ASCII.GetString(message), Encoding.ASCII.GetString(received.Data));
        Assert.Equal("alice@sender.example", received.Envelope.MailFrom);
        Assert.Equal("swaks.test", received.Envelope.HeloName);
        Assert.Equal(["reports@hookline.test"], received.Envelope.Recipients);
    }

    [Fact]
    public async Task Swaks_delivers_over_STARTTLS()
    {
        await using var harness = await ServerHarness.StartAsync(o =>
        {
            o.Certificate = TestCertificate.Instance.Certificate;
            o.RequireTls = true;
        });
        var message = "Subject: swaks tls\r\n\r\nover TLS\r\n"u8.ToArray();
        var refused = await Swaks.RunAsync(harness.EndPoint, Transaction(Write("tls.eml", message)));
        Assert.False(refused.Succeeded, refused.Transcript);
        Assert.Contains("530 5.7.0", refused.Transcript, StringComparison.Ordinal);

        var result = await Swaks.RunAsync(harness.EndPoint, Transaction(Write("tls.eml", message), "--tls"));
        Assert.True(result.Succeeded, result.Transcript);
        Assert.Contains("TLS started", result.Transcript, StringComparison.Ordinal);
        var received = Assert.Single(harness.Messages);
        Assert.True(received.Envelope.Secure);
        Assert.Equal(message, received.Data);
    }

    [Fact]
    public async Task Swaks_delivers_an_8bit_body_unchanged()
    {
        await using var harness = await ServerHarness.StartAsync();
        var message = Encoding.UTF8.GetBytes("From: Jörg <joerg@sender.example>\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nÜberweisung bitte heute noch: 9.999,00 €\r\n日本語のテキスト\r\n")
            .Concat(new byte[] { 0xE9, 0x74, 0xE9, 0x0D, 0x0A })
            .ToArray();
        var result = await Swaks.RunAsync(harness.EndPoint, Transaction(Write("8bit.eml", message)));
        Assert.True(result.Succeeded, result.Transcript);
        Assert.Contains("8BITMIME", result.Transcript, StringComparison.Ordinal);
        Assert.Equal(message, Assert.Single(harness.Messages).Data);
    }

    [Fact]
    public async Task Swaks_delivers_a_20_MB_message()
    {
        await using var harness = await ServerHarness.StartAsync();
        var builder = new MemoryStream();
        builder.Write("From: big@sender.example\r\nSubject: twenty megabytes\r\n\r\n"u8);
        var random = new Random(20);
        var line = new byte[76];
        while (builder.Length < 20 * 1024 * 1024)
        {
            // Printable text without swaks's escape and token characters (backslash, percent), and
            // now and then a line that starts with a dot, for the stuffing on both sides.
            for (var i = 0; i < line.Length; i++)
            {
                line[i] = Alphabet[random.Next(Alphabet.Length)];
            }

            if (random.Next(50) == 0)
            {
                line[0] = (byte)'.';
            }

            builder.Write(line);
            builder.Write("\r\n"u8);
        }

        var message = builder.ToArray();
        var result = await Swaks.RunAsync(harness.EndPoint, Transaction(Write("big.eml", message)), TimeSpan.FromMinutes(4));
        Assert.True(result.Succeeded, result.Transcript);
        var received = Assert.Single(harness.Messages);
        Assert.Equal(message.Length, received.Data.Length);
        var differs = message.AsSpan().CommonPrefixLength(received.Data);
        Assert.True(differs == message.Length, $"first difference at {differs}: sent '{Context(message, differs)}', received '{Context(received.Data, differs)}'");
        Assert.Equal(SHA256.HashData(message), SHA256.HashData(received.Data));
    }
}
