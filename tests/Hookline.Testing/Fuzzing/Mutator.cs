using System.Text;
using System.Text.RegularExpressions;
using Hookline.Testing.Generation;

namespace Hookline.Testing.Fuzzing;

/// <summary>The mutations <see cref="Mutator"/> knows: byte-level first, then MIME-aware ones.</summary>
public enum MutationKind
{
    BitFlip,
    InsertRandomBytes,
    DeleteBytes,
    DuplicateBytes,
    Truncate,
    DuplicateLine,
    RemoveLine,
    ShuffleLines,
    MixLineEndings,
    BareCarriageReturns,
    InjectNul,
    InjectFF,
    Splice,
    ChangeBoundary,
    RemoveDelimiter,
    RemoveCloseDelimiter,
    ReuseParentBoundary,
    RemoveHeaderSeparator,
    GiantHeaderLine,
    GiantFoldedHeader,
    ManyHeaderFields,
    DeepMultipartNesting,
    DeepMessageNesting,
    ManyTinyParts,
    BreakBase64,
    BreakQuotedPrintable,
    GarbageEncodedWords,
    UnterminatedEncodedWord,
    Rfc2231Continuations,
    RepeatedContentType,
    HugeParameterList,
    EncodedMessageWrap,
    InsertDelimiterLines,
}

/// <summary>
/// Hostile mutations of a message, deterministic for a seed. Each mutation's output is at most
/// <see cref="MaxOutput"/> of its input (4× the input plus 2 MB); longer results are cut there.
/// </summary>
public sealed partial class Mutator
{
    private static readonly MutationKind[] AllKinds = Enum.GetValues<MutationKind>();
    private readonly Random _rng;

    public Mutator(int seed) => _rng = new Random(seed);

    /// <summary>Largest output a mutation of <paramref name="inputLength"/> bytes may have.</summary>
    public static long MaxOutput(int inputLength) => (4L * inputLength) + (2 * 1024 * 1024);

    /// <summary>Applies one random mutation. <paramref name="donor"/> is used by <see cref="MutationKind.Splice"/> (the input itself when null).</summary>
    public byte[] Mutate(byte[] input, out MutationKind kind, byte[]? donor = null)
    {
        kind = AllKinds[_rng.Next(AllKinds.Length)];
        return Mutate(input, kind, donor);
    }

    /// <summary>Applies 1–<paramref name="maxRounds"/> random mutations in a row, each bounded against the original input.</summary>
    public byte[] MutateMany(byte[] input, int maxRounds, List<MutationKind> applied, byte[]? donor = null)
    {
        var rounds = 1 + _rng.Next(Math.Max(1, maxRounds));
        var current = input;
        for (var i = 0; i < rounds; i++)
        {
            current = Mutate(current, out var kind, donor);
            applied.Add(kind);
            current = Cap(current, input.Length);
        }

        return current;
    }

    public byte[] Mutate(byte[] input, MutationKind kind, byte[]? donor = null)
    {
        var output = kind switch
        {
            MutationKind.BitFlip => BitFlip(input),
            MutationKind.InsertRandomBytes => InsertRandom(input),
            MutationKind.DeleteBytes => DeleteRange(input),
            MutationKind.DuplicateBytes => DuplicateRange(input),
            MutationKind.Truncate => input.AsSpan(0, input.Length == 0 ? 0 : _rng.Next(input.Length)).ToArray(),
            MutationKind.DuplicateLine => EditLines(input, LineEdit.Duplicate),
            MutationKind.RemoveLine => EditLines(input, LineEdit.Remove),
            MutationKind.ShuffleLines => EditLines(input, LineEdit.Shuffle),
            MutationKind.MixLineEndings => MixLineEndings(input),
            MutationKind.BareCarriageReturns => Sprinkle(input, [(byte)'\r'], replaceLineFeeds: true),
            MutationKind.InjectNul => Sprinkle(input, [0], replaceLineFeeds: false),
            MutationKind.InjectFF => Sprinkle(input, [0xFF], replaceLineFeeds: false),
            MutationKind.Splice => Splice(input, donor ?? input),
            MutationKind.ChangeBoundary => ChangeBoundary(input),
            MutationKind.RemoveDelimiter => RemoveDelimiter(input, close: false),
            MutationKind.RemoveCloseDelimiter => RemoveDelimiter(input, close: true),
            MutationKind.ReuseParentBoundary => ReuseParentBoundary(input),
            MutationKind.RemoveHeaderSeparator => RemoveHeaderSeparator(input),
            MutationKind.GiantHeaderLine => InsertAtHeaderStart(input, GiantHeaderLine(PickSize(input.Length))),
            MutationKind.GiantFoldedHeader => InsertAtHeaderStart(input, GiantFoldedHeader(PickSize(input.Length))),
            MutationKind.ManyHeaderFields => InsertAtHeaderStart(input, ManyHeaderFields(_rng.Next(2) == 0 ? _rng.Next(100, 2_000) : _rng.Next(9_990, 12_000))),
            MutationKind.DeepMultipartNesting => HostileMessages.NestInMultiparts(input, PickDepth(), _rng.Next(2) == 0),
            MutationKind.DeepMessageNesting => HostileMessages.NestInMessages(input, PickDepth()),
            MutationKind.ManyTinyParts => HostileMessages.ManyTinyParts(_rng.Next(2) == 0 ? _rng.Next(4_900, 5_100) : 100_000, input.AsSpan(0, Math.Min(input.Length, 4096))),
            MutationKind.BreakBase64 => BreakBase64(input),
            MutationKind.BreakQuotedPrintable => BreakQuotedPrintable(input),
            MutationKind.GarbageEncodedWords => ReplaceSubject(input, GarbageEncodedWords()),
            MutationKind.UnterminatedEncodedWord => ReplaceSubject(input, Pick(["=?utf-8?B?" + new string('Q', _rng.Next(1, 5000)), "=?", "=?utf-8?Q?=E2=8", "=?utf-8?", "=?iso-2022-jp?B?GyRC", "=?utf-8?B?4pyT?=?=", "=?" + new string('x', 3000) + "?B?QUFB?="])),
            MutationKind.Rfc2231Continuations => AddContentTypeParameters(input, Rfc2231Continuations()),
            MutationKind.RepeatedContentType => InsertAtHeaderStart(input, RepeatedContentType()),
            MutationKind.HugeParameterList => AddContentTypeParameters(input, HugeParameterList()),
            MutationKind.EncodedMessageWrap => EncodedMessageWrap(input),
            MutationKind.InsertDelimiterLines => InsertDelimiterLines(input),
            _ => input,
        };
        return Cap(output, input.Length);
    }

    // ------------------------------------------------------------ byte level

    private byte[] BitFlip(byte[] input)
    {
        var output = (byte[])input.Clone();
        var flips = 1 + _rng.Next(Math.Max(1, Math.Min(64, input.Length / 100)));
        for (var i = 0; i < flips && output.Length > 0; i++)
        {
            output[_rng.Next(output.Length)] ^= (byte)(1 << _rng.Next(8));
        }

        return output;
    }

    private byte[] InsertRandom(byte[] input)
    {
        var junk = new byte[1 + _rng.Next(_rng.Next(2) == 0 ? 16 : 4096)];
        if (_rng.Next(2) == 0)
        {
            _rng.NextBytes(junk);
        }
        else
        {
            // Bytes that matter to a MIME parser.
            ReadOnlySpan<byte> special = "\r\n-:;=?\"\\ \t<>()B=QbaseX"u8;
            for (var i = 0; i < junk.Length; i++)
            {
                junk[i] = special[_rng.Next(special.Length)];
            }
        }

        return Insert(input, _rng.Next(input.Length + 1), junk);
    }

    private byte[] DeleteRange(byte[] input)
    {
        if (input.Length == 0)
        {
            return input;
        }

        var start = _rng.Next(input.Length);
        var length = 1 + _rng.Next(Math.Min(input.Length - start, _rng.Next(2) == 0 ? 8 : 4096));
        return [.. input.AsSpan(0, start), .. input.AsSpan(start + length)];
    }

    private byte[] DuplicateRange(byte[] input)
    {
        if (input.Length == 0)
        {
            return input;
        }

        var start = _rng.Next(input.Length);
        var length = 1 + _rng.Next(Math.Min(input.Length - start, 4096));
        var times = 1 + _rng.Next(_rng.Next(2) == 0 ? 3 : 500);
        var sink = new ByteSink(input.Length + (length * times));
        sink.Append(input.AsSpan(0, start + length));
        sink.Repeat(input.AsSpan(start, length), times);
        sink.Append(input.AsSpan(start + length));
        return sink.ToArray();
    }

    private byte[] Splice(byte[] input, byte[] donor)
    {
        var cut = input.Length == 0 ? 0 : _rng.Next(input.Length);
        var from = donor.Length == 0 ? 0 : _rng.Next(donor.Length);
        return [.. input.AsSpan(0, cut), .. donor.AsSpan(from)];
    }

    private byte[] MixLineEndings(byte[] input)
    {
        var sink = new ByteSink(input.Length + 64);
        var mode = _rng.Next(3);
        for (var i = 0; i < input.Length; i++)
        {
            var b = input[i];
            if (b == (byte)'\r' && i + 1 < input.Length && input[i + 1] == (byte)'\n' && (mode == 0 || _rng.Next(3) == 0))
            {
                // CRLF -> LF
                continue;
            }

            if (b == (byte)'\n' && mode == 2 && _rng.Next(4) == 0)
            {
                sink.Append((byte)'\r');
            }

            sink.Append(b);
        }

        return sink.ToArray();
    }

    private byte[] Sprinkle(byte[] input, byte[] value, bool replaceLineFeeds)
    {
        var output = new ByteSink(input.Length + 256);
        var rate = 1 + _rng.Next(_rng.Next(2) == 0 ? 50 : 5000);
        for (var i = 0; i < input.Length; i++)
        {
            if (replaceLineFeeds && input[i] == (byte)'\n' && _rng.Next(rate) == 0)
            {
                continue;
            }

            if (!replaceLineFeeds && _rng.Next(rate * 20) == 0)
            {
                output.Append(value);
            }

            output.Append(input[i]);
            if (replaceLineFeeds && _rng.Next(rate * 40) == 0)
            {
                output.Append(value);
            }
        }

        return output.ToArray();
    }

    private enum LineEdit
    {
        Duplicate,
        Remove,
        Shuffle,
    }

    private byte[] EditLines(byte[] input, LineEdit edit)
    {
        var lines = SplitLines(input);
        if (lines.Count == 0)
        {
            return input;
        }

        var index = _rng.Next(lines.Count);
        switch (edit)
        {
            case LineEdit.Duplicate:
                var room = MaxOutput(input.Length) - input.Length;
                var times = (int)Math.Min(_rng.Next(2) == 0 ? 1 : _rng.Next(1, 2000), Math.Max(1, room / Math.Max(1, lines[index].Length)));
                for (var i = 0; i < times; i++)
                {
                    lines.Insert(index, lines[index]);
                }

                break;
            case LineEdit.Remove:
                var count = 1 + _rng.Next(Math.Min(lines.Count - index, 20));
                lines.RemoveRange(index, count);
                break;
            default:
                var span = Math.Min(lines.Count - index, 2 + _rng.Next(30));
                for (var i = span - 1; i > 0; i--)
                {
                    var j = _rng.Next(i + 1);
                    (lines[index + i], lines[index + j]) = (lines[index + j], lines[index + i]);
                }

                break;
        }

        var sink = new ByteSink(input.Length + 1024);
        foreach (var (start, length) in lines)
        {
            sink.Append(input.AsSpan(start, length));
        }

        return sink.ToArray();
    }

    // ------------------------------------------------------------ MIME aware

    private byte[] ChangeBoundary(byte[] input)
    {
        var boundaries = FindBoundaries(input);
        if (boundaries.Count == 0)
        {
            return BitFlip(input);
        }

        var boundary = Pick(boundaries);
        var text = Latin1(input);
        var replacement = _rng.Next(4) switch
        {
            0 => boundary[..Math.Max(1, boundary.Length / 2)],
            1 => boundary + "x",
            2 => string.Empty,
            _ => new string('-', _rng.Next(1, 80)),
        };

        // Either the parameter only, or every delimiter line, or one random occurrence.
        return _rng.Next(3) switch
        {
            0 => Latin1(ReplaceFirst(text, "boundary=\"" + boundary + "\"", "boundary=\"" + replacement + "\"")),
            1 => Latin1(text.Replace("--" + boundary, "--" + replacement, StringComparison.Ordinal)),
            _ => Latin1(ReplaceNth(text, boundary, replacement, _rng.Next(1, 6))),
        };
    }

    private byte[] RemoveDelimiter(byte[] input, bool close)
    {
        var boundaries = FindBoundaries(input);
        if (boundaries.Count == 0)
        {
            return DeleteRange(input);
        }

        var text = Latin1(input);
        var boundary = Pick(boundaries);
        var needle = close ? "--" + boundary + "--" : "\r\n--" + boundary + "\r\n";
        return Latin1(ReplaceNth(text, needle, close ? string.Empty : "\r\n", _rng.Next(1, 4)));
    }

    private byte[] ReuseParentBoundary(byte[] input)
    {
        var boundaries = FindBoundaries(input);
        if (boundaries.Count < 2)
        {
            return HostileMessages.NestInMultiparts(input, _rng.Next(2, 50), sameBoundary: true);
        }

        // Give a child multipart its parent's boundary (the parameter and its delimiter lines).
        var text = Latin1(input);
        var parent = boundaries[0];
        var child = boundaries[1 + _rng.Next(boundaries.Count - 1)];
        return Latin1(text.Replace(child, parent, StringComparison.Ordinal));
    }

    private byte[] RemoveHeaderSeparator(byte[] input)
    {
        var text = Latin1(input);
        var which = _rng.Next(1, 4);
        return Latin1(ReplaceNth(text, "\r\n\r\n", "\r\n", which));
    }

    private byte[] InsertAtHeaderStart(byte[] input, byte[] fields)
    {
        // At the top, or right after a random delimiter line so a nested part gets them.
        var at = 0;
        var boundaries = FindBoundaries(input);
        if (boundaries.Count > 0 && _rng.Next(2) == 0)
        {
            var text = Latin1(input);
            var hit = text.IndexOf("\r\n--" + Pick(boundaries) + "\r\n", StringComparison.Ordinal);
            if (hit >= 0)
            {
                at = text.IndexOf('\n', hit + 2) + 1;
            }
        }

        return Insert(input, at, fields);
    }

    private byte[] GiantHeaderLine(int size)
    {
        var sink = new ByteSink(size + 64);
        sink.Append(Pick(["Subject: ", "X-Giant: ", "Content-Type: multipart/mixed; boundary=", "To: ", "Received: from "]));
        var fill = Encoding.ASCII.GetBytes(Pick(["A", "=?", "a,", "x@y.test, ", "; p=v"]));
        sink.Repeat(fill, size / fill.Length);
        sink.Crlf();
        return sink.ToArray();
    }

    private byte[] GiantFoldedHeader(int size)
    {
        var sink = new ByteSink(size + 64);
        sink.Append("X-Folded: start"u8).Crlf();
        var line = Encoding.ASCII.GetBytes(Pick([" folded continuation line\r\n", "\t=?utf-8?B?4pyT?=\r\n", " \r\n", "\t\r\n"]));
        sink.Repeat(line, size / line.Length);
        return sink.ToArray();
    }

    private static byte[] ManyHeaderFields(int count)
    {
        var sink = new ByteSink(count * 16);
        for (var i = 0; i < count; i++)
        {
            sink.Append("X-F").Append(MailEncoding.Q(i)).Append(": v"u8).Crlf();
        }

        return sink.ToArray();
    }

    private byte[] BreakBase64(byte[] input)
    {
        var text = Latin1(input);
        var hit = text.IndexOf("base64", StringComparison.OrdinalIgnoreCase);
        var body = hit < 0 ? -1 : text.IndexOf("\r\n\r\n", hit, StringComparison.Ordinal);
        if (body < 0)
        {
            return InsertRandom(input);
        }

        var at = Math.Min(text.Length, body + 4 + _rng.Next(200));
        var junk = Pick(["====", "A", "AB=CD", "\x80\xFF", "!!!!@@@@", "=\r\n=", "QUJD\rREVG", new string('=', 5000), "Q" + new string('\0', 10), "\r\n\r\n-- not a boundary --\r\n"]);
        return Latin1(text.Insert(at, junk));
    }

    private byte[] BreakQuotedPrintable(byte[] input)
    {
        var text = Latin1(input);
        var hit = text.IndexOf("quoted-printable", StringComparison.OrdinalIgnoreCase);
        var body = hit < 0 ? -1 : text.IndexOf("\r\n\r\n", hit, StringComparison.Ordinal);
        if (body < 0)
        {
            return InsertRandom(input);
        }

        var at = Math.Min(text.Length, body + 4 + _rng.Next(200));
        var junk = Pick(["=", "=Z", "=ZZ", "=\r", "=\n", "= \r\n", "=0", "=3D=3", new string('=', 3000), "=\r\n" + new string(' ', 2000), "=E2=82"]);
        return Latin1(text.Insert(at, junk));
    }

    private string GarbageEncodedWords()
    {
        var sb = new StringBuilder();
        var count = _rng.Next(1, _rng.Next(2) == 0 ? 10 : 5000);
        for (var i = 0; i < count; i++)
        {
            sb.Append(Pick(["=?utf-8?B?", "=?", "?=", "=?unknown-8bit?Q?=FF=FE?=", "=?utf-8?X?abc?=", "=?utf-8*en?Q?a?=", "=?utf-8?B?****?=", "=?utf-8?Q?=GG?=", "=??B??=", "=?iso-2022-jp?B?GyRCJCIbKEI?=", "=?gb2312?B?x+u2wQ==?=", "=?UTF-16?B?2D3eAA==?=", "=?utf-7?Q?+AGEAYgBj-?=", "=?utf-8?B?8J+YgA?="]));
            if (_rng.Next(3) == 0)
            {
                sb.Append(_rng.Next(2) == 0 ? " " : "\r\n ");
            }
        }

        return sb.ToString();
    }

    private static byte[] ReplaceSubject(byte[] input, string value)
    {
        var text = Latin1(input);
        var hit = text.IndexOf("\nSubject:", StringComparison.OrdinalIgnoreCase);
        var field = "Subject: " + value + "\r\n";
        if (hit < 0)
        {
            return Insert(input, 0, Latin1(field));
        }

        var end = text.IndexOf('\n', hit + 1);
        while (end >= 0 && end + 1 < text.Length && text[end + 1] is ' ' or '\t')
        {
            end = text.IndexOf('\n', end + 1);
        }

        return Latin1(string.Concat(text.AsSpan(0, hit + 1), field, end < 0 ? string.Empty : text.AsSpan(end + 1)));
    }

    private string Rfc2231Continuations()
    {
        var sb = new StringBuilder();
        switch (_rng.Next(4))
        {
            case 0:
                sb.Append("; filename*99999*=utf-8''%E2%9C%93; name*99999999999999*=x");
                break;
            case 1:
                for (var i = _rng.Next(1, 20000); i >= 0; i--)
                {
                    sb.Append("; filename*").Append(MailEncoding.Q(i)).Append("*=%41");
                }

                break;
            case 2:
                sb.Append("; filename*0*=utf-8''%E2%9C; filename*2*=%93; filename*1=\"gap\"; filename*0=dup; filename*-1*=neg; filename**=x; filename*=''");
                break;
            default:
                sb.Append("; name*0*=").Append(Pick(["bogus-charset'xx'%ZZ%", "utf-8'", "'''", "utf-8''%", "%%%%"]));
                break;
        }

        return sb.ToString();
    }

    private byte[] RepeatedContentType()
    {
        var sink = new ByteSink();
        var count = _rng.Next(2, _rng.Next(2) == 0 ? 5 : 5000);
        for (var i = 0; i < count; i++)
        {
            sink.Line(Pick(["Content-Type: multipart/mixed; boundary=\"rep\"", "Content-Type: text/plain", "Content-Type: message/rfc822", "Content-Type:", "Content-Transfer-Encoding: base64", "Content-Type: multipart/digest; boundary=d"]));
        }

        return sink.ToArray();
    }

    private string HugeParameterList()
    {
        var sb = new StringBuilder();
        var count = _rng.Next(100, 50_000);
        for (var i = 0; i < count; i++)
        {
            sb.Append(Pick(["; a=b", "; charset=utf-8", "; boundary=x", ";;", "; \"q\"=\"v\"", "; p=\"unterminated", "; =", "; name=\"\\\\\\\"\""]));
        }

        return sb.ToString();
    }

    private byte[] AddContentTypeParameters(byte[] input, string parameters)
    {
        var text = Latin1(input);
        var hits = new List<int>();
        for (var at = text.IndexOf("Content-Type:", StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf("Content-Type:", at + 1, StringComparison.OrdinalIgnoreCase))
        {
            hits.Add(at);
        }

        if (hits.Count == 0)
        {
            return Insert(input, 0, Latin1("Content-Type: application/octet-stream" + parameters + "\r\n"));
        }

        var hit = Pick(hits);
        var lineEnd = text.IndexOf("\r\n", hit, StringComparison.Ordinal);
        if (lineEnd < 0)
        {
            lineEnd = text.Length;
        }

        return Latin1(text.Insert(lineEnd, parameters));
    }

    private byte[] EncodedMessageWrap(byte[] input)
    {
        var sink = new ByteSink(input.Length * 2);
        var layers = _rng.Next(1, 4);
        var current = input;
        for (var i = 0; i < layers; i++)
        {
            sink.Clear();
            var base64 = _rng.Next(2) == 0;
            sink.Line("From: wrap@example.test");
            sink.Line("Content-Type: message/rfc822");
            sink.Line("Content-Transfer-Encoding: " + (base64 ? "base64" : "quoted-printable"));
            sink.Crlf();
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

    private byte[] InsertDelimiterLines(byte[] input)
    {
        var boundaries = FindBoundaries(input);
        var boundary = boundaries.Count > 0 ? Pick(boundaries) : "b";
        var text = Latin1(input);
        var at = _rng.Next(text.Length + 1);
        var line = Pick(["\r\n--" + boundary + "\r\n", "\r\n--" + boundary + "--\r\n", "\n--" + boundary + " \t\n", "--" + boundary + "--", "\r\n--" + boundary + "-\r\n", "\r\n--" + boundary + "junk\r\n"]);
        if (line.Length > 10_000)
        {
            line = line[..10_000];
        }

        var room = MaxOutput(input.Length) - input.Length;
        var times = (int)Math.Min(_rng.Next(2) == 0 ? 1 : _rng.Next(2, 3000), Math.Max(1, room / line.Length));
        var sb = new StringBuilder(text.Length + (line.Length * times));
        sb.Append(text, 0, at);
        for (var i = 0; i < times; i++)
        {
            sb.Append(line);
        }

        sb.Append(text, at, text.Length - at);
        return Latin1(sb.ToString());
    }

    // ------------------------------------------------------------ helpers

    private int PickSize(int inputLength)
    {
        var max = (int)Math.Min(MaxOutput(inputLength) - inputLength - 1024, 2 * 1024 * 1024);
        return _rng.Next(3) switch
        {
            0 => _rng.Next(1000, 70_000),
            1 => _rng.Next(250_000, 270_000),
            _ => Math.Max(1000, max),
        };
    }

    private int PickDepth() => _rng.Next(4) switch
    {
        0 => _rng.Next(2, 40),
        1 => _rng.Next(30, 36),
        2 => _rng.Next(100, 1000),
        _ => 10_000,
    };

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private static byte[] Cap(byte[] output, int inputLength)
    {
        var max = MaxOutput(inputLength);
        return output.Length <= max ? output : output.AsSpan(0, (int)max).ToArray();
    }

    private static byte[] Insert(byte[] input, int at, ReadOnlySpan<byte> bytes) => [.. input.AsSpan(0, at), .. bytes, .. input.AsSpan(at)];

    private static string Latin1(byte[] bytes) => Encoding.Latin1.GetString(bytes);

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length));
    }

    private static string ReplaceNth(string text, string find, string replace, int n)
    {
        var at = -1;
        for (var i = 0; i < n; i++)
        {
            var next = text.IndexOf(find, at + 1, StringComparison.Ordinal);
            if (next < 0)
            {
                break;
            }

            at = next;
        }

        return at < 0 ? text : string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length));
    }

    /// <summary>Lines as (start, length) with their line breaks; a last line without one is included.</summary>
    private static List<(int Start, int Length)> SplitLines(byte[] input)
    {
        var lines = new List<(int, int)>();
        var start = 0;
        while (start < input.Length)
        {
            var nl = input.AsSpan(start).IndexOf((byte)'\n');
            var end = nl < 0 ? input.Length : start + nl + 1;
            lines.Add((start, end - start));
            start = end;
        }

        return lines;
    }

    /// <summary>The boundary parameters in the input, outermost (first written) first.</summary>
    public static List<string> FindBoundaries(byte[] input)
    {
        var text = Latin1(input);
        var list = new List<string>();
        try
        {
            foreach (Match match in BoundaryPattern().Matches(text))
            {
                var value = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
                if (value.Length > 0 && list.Count < 64 && !list.Contains(value))
                {
                    list.Add(value);
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // A pathological input: the boundaries found so far are enough to mutate with.
        }

        return list;
    }

    [GeneratedRegex("boundary=(?:\"([^\"\\r\\n]*)\"|([^;\\s\"]+))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 2000)]
    private static partial Regex BoundaryPattern();
}
