using System.IO.Compression;
using System.Text;
using Hookline.Reports.Analysis;
using Hookline.Reports.Tests.AttachmentTests;

namespace Hookline.Reports.Tests.StructureTests;

/// <summary>Messages built to run into Hookline's limits, with something to hide behind them.</summary>
internal static class HostileMessages
{
    private const string Headers = "From: Billing <billing@invoices.example>\r\nTo: ann@contoso.example\r\nSubject: Invoice 4471\r\nDate: Mon, 16 Nov 2026 09:12:44 +0000\r\nMessage-ID: <4471@invoices.example>\r\nMIME-Version: 1.0\r\n";

    /// <summary>A base64 attachment part (headers and content), without the delimiter before it.</summary>
    public static string Attachment(string fileName, byte[] content, string contentType = "application/octet-stream") =>
        $"Content-Type: {contentType}; name=\"{fileName}\"\r\nContent-Disposition: attachment; filename=\"{fileName}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks) + "\r\n";

    /// <summary>A text body, then <paramref name="fillers"/> one-line parts, then <paramref name="last"/> (a whole part), in one multipart/mixed.</summary>
    public static byte[] ManyParts(int fillers, string? last)
    {
        var text = new StringBuilder(Headers).Append("Content-Type: multipart/mixed; boundary=\"p\"\r\n\r\n")
            .Append("--p\r\nContent-Type: text/plain\r\n\r\nPlease find the invoice attached.\r\n");
        for (var i = 0; i < fillers; i++)
        {
            text.Append("--p\r\nContent-Type: text/plain\r\n\r\n.\r\n");
        }

        if (last is not null)
        {
            text.Append("--p\r\n").Append(last);
        }

        return Encoding.ASCII.GetBytes(text.Append("--p--\r\n").ToString());
    }

    /// <summary>Multiparts nested <paramref name="levels"/> deep (the message's own included) with <paramref name="bottom"/> (a whole part) in the deepest.</summary>
    public static byte[] DeeplyNested(int levels, string bottom)
    {
        var text = new StringBuilder(Headers);
        for (var i = 0; i < levels; i++)
        {
            text.Append("Content-Type: multipart/mixed; boundary=\"n").Append(i).Append("\"\r\n\r\n--n").Append(i).Append("\r\n");
        }

        text.Append(bottom);
        for (var i = levels - 1; i >= 0; i--)
        {
            text.Append("--n").Append(i).Append("--\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>A message with <paramref name="inner"/> attached as message/rfc822, <paramref name="levels"/> times over.</summary>
    public static byte[] AttachedMessages(int levels, byte[] inner)
    {
        var message = Encoding.ASCII.GetString(inner);
        for (var i = 0; i < levels; i++)
        {
            message = Headers.Replace("Invoice 4471", $"Fwd: level {i}", StringComparison.Ordinal) + $"Content-Type: multipart/mixed; boundary=\"m{i}\"\r\n\r\n"
                + $"--m{i}\r\nContent-Type: text/plain\r\n\r\nForwarding.\r\n"
                + $"--m{i}\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n{message}\r\n--m{i}--\r\n";
        }

        return Encoding.ASCII.GetBytes(message);
    }

    /// <summary>A plain message with one attachment.</summary>
    public static byte[] WithAttachment(string fileName, byte[] content) =>
        Encoding.ASCII.GetBytes(Headers + "Content-Type: multipart/mixed; boundary=\"a\"\r\n\r\n--a\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--a\r\n" + Attachment(fileName, content) + "--a--\r\n");

    /// <summary>
    /// A recursive zip bomb in the manner of 42.zip, <paramref name="levels"/> archives deep: the
    /// deepest holds <paramref name="zeros"/> bytes of zeros, every other one 16 copies of the next.
    /// </summary>
    public static byte[] NestedZipBomb(int levels, int zeros = 16 << 20)
    {
        var level = Zip([("0.bin", new byte[zeros])]);
        for (var i = levels - 1; i >= 1; i--)
        {
            var copies = new List<(string, byte[])>();
            for (var copy = 0; copy < 16; copy++)
            {
                copies.Add(($"{i}-{copy}.zip", level));
            }

            level = Zip(copies);
        }

        return level;
    }

    /// <summary>Archives nested <paramref name="levels"/> deep around one file.</summary>
    public static byte[] NestedZips(int levels, string fileName, byte[] content)
    {
        var level = Zip([(fileName, content)]);
        for (var i = levels - 1; i >= 1; i--)
        {
            level = Zip([($"layer-{i}.zip", level)]);
        }

        return level;
    }

    public static byte[] Zip(IEnumerable<(string Name, byte[] Data)> entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var output = archive.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                output.Write(data);
            }
        }

        return stream.ToArray();
    }

    public static byte[] Program() => TestFiles.Pe();

    /// <summary>Every finding of the analysis and of its attached messages' analyses.</summary>
    public static List<Finding> AllFindings(MessageAnalysis analysis)
    {
        var all = new List<Finding>(analysis.Findings);
        foreach (var attached in analysis.AttachedMessages)
        {
            all.AddRange(AllFindings(attached));
        }

        return all;
    }
}
