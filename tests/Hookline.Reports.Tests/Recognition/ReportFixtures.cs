using System.Text;
using Hookline.Mime;
using Hookline.Reports.Recognition;

namespace Hookline.Reports.Tests.Recognition;

/// <summary>Loading and reading the report fixtures under TestData/Reports (written by make_fixtures.py).</summary>
internal static class ReportFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "Reports");

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    public static Report? Read(string name) => Read(Bytes(name));

    public static Report? Read(byte[] bytes, ReportReaderOptions? options = null)
    {
        var envelope = MailFile.Read(bytes);
        return ReportReader.Read(envelope, bytes, options ?? ReportReaderOptions.Default);
    }

    public static string Crlf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);

    public static byte[] Ascii(string text) => Encoding.UTF8.GetBytes(Crlf(text));

    /// <summary>Base64 in 76-character lines, as mailers write it.</summary>
    public static string Base64Lines(byte[] data)
    {
        var raw = Convert.ToBase64String(data);
        var text = new StringBuilder();
        for (var i = 0; i < raw.Length; i += 76)
        {
            text.Append(raw.AsSpan(i, Math.Min(76, raw.Length - i))).Append("\r\n");
        }

        return text.ToString();
    }

    /// <summary>A report envelope from Avery with the given parts (each: part headers, content) in a multipart/mixed.</summary>
    public static byte[] Envelope(string subject, IEnumerable<(string Headers, byte[] Content)> parts, string from = "Avery Adams <avery@contoso.com>", string to = "report@contoso.com", string extraHeaders = "")
    {
        using var output = new MemoryStream();
        Write(output, Crlf($"From: {from}\nTo: {to}\nSubject: {subject}\nDate: Mon, 16 Nov 2026 09:12:44 +0000\nMessage-ID: <env@contoso.com>\n{extraHeaders}MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b0\"\n\nThis is a multi-part message in MIME format."));
        foreach (var (headers, content) in parts)
        {
            Write(output, Crlf($"\n--b0\n{headers}\n"));
            output.Write(content);
        }

        Write(output, "\r\n--b0--\r\n");
        return output.ToArray();
    }

    public static (string, byte[]) TextPart(string text) => ("Content-Type: text/plain; charset=us-ascii\n", Ascii(text));

    public static (string, byte[]) MessagePart(byte[] message) => ("Content-Type: message/rfc822\nContent-Disposition: attachment\n", message);

    private static void Write(Stream output, string text) => output.Write(Encoding.UTF8.GetBytes(text));
}
