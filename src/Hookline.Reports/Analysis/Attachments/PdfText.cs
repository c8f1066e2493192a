using System.IO.Compression;
using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Exceptions;

namespace Hookline.Reports.Analysis.Attachments;

/// <summary>
/// The words on the first page of a PDF attachment (PdfPig: fonts, encodings and ToUnicode maps are
/// its job), for the lexicon: a callback scam's invoice ("your subscription was renewed for $499, call
/// …") or a QR lure often says nothing in the mail's own body. The parser is given only files that a
/// cheap pass of our own has found safe, because it decodes whole streams into memory, descends into
/// nested objects by recursion (a stack overflow ends the process, it does not throw) and cannot be
/// cancelled: at most <see cref="MaxBytes"/>; every zlib stream inflated within <see cref="InflateBudget"/>
/// bytes in all (a deflate bomb is refused before the parser sees it); no LZW or run-length streams
/// (bombs of another kind); objects, also inside compressed object streams, nested at most
/// <see cref="MaxNesting"/> deep. The parser then runs on a thread with a large stack and is waited for
/// <see cref="TimeLimit"/> at most. Encrypted, damaged, refused or late files give null.
/// </summary>
internal static class PdfText
{
    public const int MaxBytes = 512 * 1024;

    public const int MaxPages = 1;

    public const int MaxChars = AttachmentFinding.MaxTextChars;

    public const int MaxNesting = 64;

    /// <summary>Bytes all of a file's zlib streams may inflate to before it is refused.</summary>
    public const int InflateBudget = 32 * 1024 * 1024;

    /// <summary>
    /// The longest the parser is waited for; a late one is left to finish on its own thread, its text
    /// unused. A safety net for a parser bug, not a budget: the checks above bound the work, a page
    /// takes milliseconds, and a tighter limit would make verdicts depend on the machine's load.
    /// </summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    private const int StackBytes = 64 * 1024 * 1024;

    private static readonly ParsingOptions Options = new() { UseLenientParsing = true, SkipMissingFonts = true };

    /// <summary>
    /// What the parser makes of a PDF, in one pass: the words of its first page (null when there are
    /// none or they cannot, or may not, be read), and whether the file is encrypted with a user
    /// password, so that PdfPig, offered the empty one, refuses to open it and no scanner can read a
    /// page. A file encrypted only against copying or printing (an owner password) opens and needs none.
    /// </summary>
    public static PdfReading Read(byte[] pdf)
    {
        if (pdf.Length > MaxBytes || !IsSafe(pdf, out var namesFonts))
        {
            return default;
        }

        // A PDF that names no font shows no text (a scanned page, a QR image), and one that is not
        // encrypted needs no password: when neither question is open, the parser is not asked.
        var encrypted = pdf.AsSpan().IndexOf("/Encrypt"u8) >= 0;
        if (!namesFonts && !encrypted)
        {
            return default;
        }

        PdfReading reading = default;
        var reader = new Thread(() => reading = Parse(pdf, namesFonts), StackBytes) { IsBackground = true, Name = "pdf text" };
        reader.Start();
        return reader.Join(TimeLimit) ? reading : default;
    }

    /// <summary>The text of the first page (<see cref="Read"/>).</summary>
    public static string? Extract(byte[] pdf) => Read(pdf).Text;

    /// <summary>Whether the file opens only with a password (<see cref="Read"/>).</summary>
    public static bool NeedsPassword(byte[] pdf) => Read(pdf).NeedsPassword;

    /// <summary>The cheap pass: size of every inflated stream, nesting in the file and in its streams, the filters used.</summary>
    internal static bool IsSafe(ReadOnlySpan<byte> pdf) => IsSafe(pdf, out _);

    /// <summary>
    /// The cheap pass, and whether the file or one of its inflated streams names a font
    /// (<c>/Font</c>, or a name written with <c>#</c> escapes, which could spell it).
    /// </summary>
    internal static bool IsSafe(ReadOnlySpan<byte> pdf, out bool namesFonts)
    {
        namesFonts = NamesFonts(pdf);
        if (pdf.IndexOf("LZW"u8) >= 0 || pdf.IndexOf("RunLength"u8) >= 0 || pdf.IndexOf("/RL"u8) >= 0 || Nesting(pdf) > MaxNesting)
        {
            return false;
        }

        var budget = InflateBudget;
        var from = 0;
        while (from < pdf.Length)
        {
            var keyword = pdf[from..].IndexOf("stream"u8);
            if (keyword < 0)
            {
                return true;
            }

            var start = from + keyword + "stream".Length;
            from = start;
            if (from - "stream".Length - 3 >= 0 && pdf.Slice(from - "stream".Length - 3, 3).SequenceEqual("end"u8))
            {
                continue;
            }

            start += pdf[start..].StartsWith("\r\n"u8) ? 2 : pdf[start..].StartsWith("\n"u8) || pdf[start..].StartsWith("\r"u8) ? 1 : 0;
            var length = pdf[start..].IndexOf("endstream"u8);
            var data = length < 0 ? pdf[start..] : pdf.Slice(start, length);
            from = start + data.Length;
            // Image data is decoded only when its pixels are asked for, never to read the text.
            if (data.Length < 2 || data[0] != 0x78 || IsImage(pdf[..(from - data.Length)]))
            {
                continue;
            }

            var inflated = Inflate(data, budget);
            if (inflated is null)
            {
                return false;
            }

            budget -= inflated.Length;
            namesFonts = namesFonts || NamesFonts(inflated);
            if (Nesting(inflated) > MaxNesting)
            {
                return false;
            }
        }

        return true;
    }

    private static bool NamesFonts(ReadOnlySpan<byte> data)
    {
        if (data.IndexOf("/Font"u8) >= 0)
        {
            return true;
        }

        // A name with an escape in its first characters ("/F#6Fnt", "/#46ont") may be /Font in disguise.
        var from = 0;
        while (data[from..].IndexOf((byte)'#') is var found and >= 0)
        {
            var hash = from + found;
            if (data[Math.Max(0, hash - 4)..hash].Contains((byte)'/'))
            {
                return true;
            }

            from = hash + 1;
        }

        return false;
    }

    /// <summary>True when the dictionary of the stream that starts after <paramref name="before"/> (within its last 2 KB, from its object's start) is an image's.</summary>
    private static bool IsImage(ReadOnlySpan<byte> before)
    {
        var window = before[Math.Max(0, before.Length - 2048)..];
        var start = window.LastIndexOf(" obj"u8);
        var dictionary = start < 0 ? window : window[start..];
        return dictionary.IndexOf("/Image"u8) >= 0;
    }

    /// <summary>The stream inflated; null when it would pass <paramref name="budget"/>. A damaged stream gives what inflated before the damage.</summary>
    private static byte[]? Inflate(ReadOnlySpan<byte> data, int budget)
    {
        using var input = new MemoryStream(data.ToArray(), writable: false);
        using var inflater = new ZLibStream(input, CompressionMode.Decompress);
        byte[] inflated;
        try
        {
            inflated = ZipReader.ReadBounded(inflater, budget + 1);
        }
        catch (InvalidDataException)
        {
            return [];
        }

        return inflated.Length > budget ? null : inflated;
    }

    private static PdfReading Parse(byte[] pdf, bool namesFonts)
    {
        try
        {
            using var document = PdfDocument.Open(pdf, Options);
            if (!namesFonts)
            {
                return default;
            }

            var text = new StringBuilder();
            for (var number = 1; number <= Math.Min(MaxPages, document.NumberOfPages) && text.Length < MaxChars; number++)
            {
                AppendWords(document.GetPage(number).Letters, text);
                text.Append('\n');
            }

            var result = text.ToString().Trim();
            return new PdfReading(result.Length == 0 ? null : result, NeedsPassword: false);
        }
        catch (PdfDocumentEncryptedException)
        {
            return new PdfReading(null, NeedsPassword: true);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Damaged or unsupported: the structural scan (PdfScanner) still saw the file.
            return default;
        }
    }

    /// <summary>
    /// The page's letters in content order with a space wherever the text moves on more than a fifth of
    /// the font size, or to another line: the word breaks a reader sees (many PDFs draw no space glyphs),
    /// without the cost of a layout analysis.
    /// </summary>
    private static void AppendWords(IReadOnlyList<Letter> letters, StringBuilder text)
    {
        Letter? previous = null;
        foreach (var letter in letters)
        {
            if (text.Length >= MaxChars)
            {
                return;
            }

            if (previous is not null)
            {
                var size = Math.Max(1, letter.PointSize);
                var gap = letter.StartBaseLine.X - previous.EndBaseLine.X;
                var rise = Math.Abs(letter.StartBaseLine.Y - previous.StartBaseLine.Y);
                if (rise > size / 2 || gap > size / 5 || gap < -size)
                {
                    text.Append(' ');
                }
            }

            text.Append(letter.Value);
            previous = letter;
        }
    }

    /// <summary>
    /// The deepest nesting of arrays (<c>[</c>) and dictionaries (<c>&lt;&lt;</c>) outside strings,
    /// comments and stream data: a cheap bound checked before the parser sees the file.
    /// </summary>
    internal static int Nesting(ReadOnlySpan<byte> pdf)
    {
        var depth = 0;
        var deepest = 0;
        for (var i = 0; i < pdf.Length; i++)
        {
            switch (pdf[i])
            {
                case (byte)'[':
                    deepest = Math.Max(deepest, ++depth);
                    break;
                case (byte)']':
                    depth = Math.Max(0, depth - 1);
                    break;
                case (byte)'<' when i + 1 < pdf.Length && pdf[i + 1] == '<':
                    deepest = Math.Max(deepest, ++depth);
                    i++;
                    break;
                case (byte)'>' when i + 1 < pdf.Length && pdf[i + 1] == '>':
                    depth = Math.Max(0, depth - 1);
                    i++;
                    break;
                case (byte)'(':
                    i = SkipString(pdf, i);
                    break;
                case (byte)'%':
                    i = SkipLine(pdf, i);
                    break;
                case (byte)'s' when pdf[i..].StartsWith("stream"u8) && (i == 0 || !IsRegular(pdf[i - 1])):
                    i = SkipStream(pdf, i);
                    break;
            }
        }

        return deepest;
    }

    private static int SkipString(ReadOnlySpan<byte> pdf, int open)
    {
        var level = 0;
        for (var i = open; i < pdf.Length; i++)
        {
            switch (pdf[i])
            {
                case (byte)'\\':
                    i++;
                    break;
                case (byte)'(':
                    level++;
                    break;
                case (byte)')' when --level == 0:
                    return i;
            }
        }

        return pdf.Length;
    }

    private static int SkipLine(ReadOnlySpan<byte> pdf, int start)
    {
        var end = pdf[start..].IndexOfAny((byte)'\r', (byte)'\n');
        return end < 0 ? pdf.Length : start + end;
    }

    private static int SkipStream(ReadOnlySpan<byte> pdf, int start)
    {
        var end = pdf[start..].IndexOf("endstream"u8);
        return end < 0 ? pdf.Length : start + end + "endstream".Length - 1;
    }

    private static bool IsRegular(byte b) => b is not ((byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t' or (byte)'\f' or 0) and not ((byte)'>' or (byte)']' or (byte)')');
}

/// <summary>What <see cref="PdfText.Read"/> found: the first page's words, and whether the file needs a password to open.</summary>
internal readonly record struct PdfReading(string? Text, bool NeedsPassword);
