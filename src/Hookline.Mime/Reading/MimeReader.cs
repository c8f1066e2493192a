using System.Text;
using Hookline.Mime.Headers;

namespace Hookline.Mime.Reading;

/// <summary>
/// A pull reader of MIME events over a buffer: message and entity starts, each header field, the end
/// of each header block, leaf content, multipart preambles, delimiters and epilogues. It never
/// decodes content and never throws on bad input; damage becomes warnings. The tree builder
/// (<see cref="MimeParser"/>) sits on top; a pass that needs only the top header block stops after
/// the first <see cref="MimeToken.HeadersEnd"/>.
/// </summary>
/// <remarks>
/// Multiparts are split top-down: a part ends where its parent's next delimiter line starts
/// (RFC 2046 5.1.1 forbids a delimiter inside an encapsulated part), so a part that lacks its own
/// final boundary still ends at its parent's.
/// </remarks>
public sealed class MimeReader
{
    private readonly ParseContext _context;
    private readonly Stack<Frame> _frames = new();

    public MimeReader(ReadOnlyMemory<byte> source, MimeLimits? limits = null)
        : this(new ParseContext(source, limits ?? MimeLimits.Default, []), depth: 0)
    {
    }

    internal MimeReader(ParseContext context, int depth)
    {
        _context = context;
        _frames.Push(new MessageFrame(0, context.Source.Length, depth));
    }

    public MimeToken Token { get; private set; }

    /// <summary>The bytes the current token covers (see <see cref="MimeToken"/> for each).</summary>
    public ByteRange Range { get; private set; }

    /// <summary>For <see cref="MimeToken.MessageStart"/>: an mbox "From " line before the header block.</summary>
    public ByteRange Prefix { get; private set; }

    /// <summary>For <see cref="MimeToken.HeaderField"/>: the field.</summary>
    public Header? Header { get; private set; }

    /// <summary>For <see cref="MimeToken.HeadersEnd"/> and later tokens of the same entity: its content type.</summary>
    public ContentType ContentType { get; private set; } = ContentType.Default;

    /// <summary>For <see cref="MimeToken.HeadersEnd"/>: the entity's transfer encoding, lower-case ("7bit" when absent).</summary>
    public string TransferEncoding { get; private set; } = "7bit";

    /// <summary>
    /// For <see cref="MimeToken.Content"/>: the limit that kept a multipart or an attached message
    /// from being parsed (<see cref="MimeWarningCode.TooDeeplyNested"/>, <see cref="MimeWarningCode.TooManyParts"/>), else null.
    /// </summary>
    public MimeWarningCode? ContentKeptUnparsedBy { get; private set; }

    /// <summary>Nesting depth of the current entity (0 for the top message's entity).</summary>
    public int Depth { get; private set; }

    public IReadOnlyList<MimeWarning> Warnings => _context.Warnings;

    /// <summary>Moves to the next event; false at the end.</summary>
    public bool Read()
    {
        while (_frames.Count > 0)
        {
            var produced = _frames.Peek() switch
            {
                MessageFrame message => StepMessage(message),
                EntityFrame entity => StepEntity(entity),
                MultipartFrame multipart => StepMultipart(multipart),
                _ => false,
            };
            if (produced)
            {
                return true;
            }
        }

        Token = MimeToken.None;
        return false;
    }

    private bool StepMessage(MessageFrame frame)
    {
        if (frame.Started)
        {
            _frames.Pop();
            Emit(MimeToken.MessageEnd, ByteRange.FromBounds(frame.Start, frame.End), frame.Depth);
            return true;
        }

        frame.Started = true;
        var span = _context.Source.Span;
        var bodyStart = frame.Start;
        if (span[frame.Start..frame.End].StartsWith("From "u8))
        {
            // An mbox separator line ("From sender date") before the header block.
            bodyStart = LineEnd(span, frame.Start, frame.End);
        }

        Prefix = ByteRange.FromBounds(frame.Start, bodyStart);
        Emit(MimeToken.MessageStart, ByteRange.FromBounds(frame.Start, frame.End), frame.Depth);
        _frames.Push(new EntityFrame(bodyStart, frame.End, frame.Depth, inDigest: false));
        return true;
    }

    private bool StepEntity(EntityFrame frame)
    {
        switch (frame.State)
        {
            case EntityState.Start:
                frame.State = EntityState.Headers;
                frame.Pos = frame.Start;
                _context.PartCount.Value++;
                Emit(MimeToken.EntityStart, ByteRange.Empty(frame.Start), frame.Depth);
                return true;

            case EntityState.Headers:
                return ReadHeaderField(frame);

            case EntityState.Body:
                return StartBody(frame);

            default:
                _frames.Pop();
                Emit(MimeToken.EntityEnd, ByteRange.FromBounds(frame.Start, frame.End), frame.Depth);
                return true;
        }
    }

    private bool ReadHeaderField(EntityFrame frame)
    {
        var span = _context.Source.Span;
        var limits = _context.Limits;
        var pos = frame.Pos;
        var end = frame.End;

        if (pos >= end)
        {
            return EndHeaders(frame, ByteRange.Empty(end));
        }

        var first = span[pos];
        if (first == (byte)'\n')
        {
            return EndHeaders(frame, new ByteRange(pos, 1));
        }

        if (first == (byte)'\r' && (pos + 1 == end || span[pos + 1] == (byte)'\n'))
        {
            return EndHeaders(frame, new ByteRange(pos, pos + 1 == end ? 1 : 2));
        }

        if (pos - frame.Start > limits.MaxHeaderBlockBytes)
        {
            _context.Warn(MimeWarningCode.HeaderBlockTooLarge, pos, $"Header block is larger than {limits.MaxHeaderBlockBytes} bytes; the rest is read as the body.");
            return EndHeaders(frame, ByteRange.Empty(pos));
        }

        if (frame.FieldCount >= limits.MaxHeaderFields)
        {
            _context.Warn(MimeWarningCode.TooManyHeaderFields, pos, $"More than {limits.MaxHeaderFields} header fields; the rest is read as the body.");
            return EndHeaders(frame, ByteRange.Empty(pos));
        }

        var firstLineEnd = LineEnd(span, pos, end);
        var fieldEnd = firstLineEnd;
        while (fieldEnd < end && span[fieldEnd] is (byte)' ' or (byte)'\t')
        {
            fieldEnd = LineEnd(span, fieldEnd, end);
        }

        var valueEnd = fieldEnd - LineBreakLength(span, pos, fieldEnd);
        var nameLength = FieldNameLength(span[pos..firstLineEnd], out var colon);
        Header header;
        if (nameLength > 0)
        {
            var name = HeaderNames.Get(span.Slice(pos, nameLength));
            header = new Header(_context.Source, name, ByteRange.FromBounds(pos, fieldEnd), ByteRange.FromBounds(pos + colon + 1, valueEnd), limits.MaxHeaderFieldBytes);
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                frame.ContentTypeField ??= header;
            }
            else if (string.Equals(name, "Content-Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                frame.TransferEncodingField ??= header;
            }

            if (header.IsTruncated)
            {
                _context.Warn(MimeWarningCode.HeaderFieldTooLong, pos, $"Header field {name} is {header.ValueRange.Length} bytes; only the first {limits.MaxHeaderFieldBytes} are decoded.");
            }
        }
        else if (LooksLikeField(span, fieldEnd, end))
        {
            // A stray line among fields: keep it (no byte is lost) and go on reading fields.
            _context.Warn(MimeWarningCode.InvalidHeaderLine, pos, "Line in the header block is not a header field; kept as an invalid field.");
            header = new Header(_context.Source, string.Empty, ByteRange.FromBounds(pos, fieldEnd), ByteRange.FromBounds(pos, valueEnd), limits.MaxHeaderFieldBytes, isValid: false);
        }
        else
        {
            // Not a field and no field follows: the blank line is missing and the body starts here.
            if (frame.FieldCount > 0)
            {
                _context.Warn(MimeWarningCode.MissingHeaderSeparator, pos, "No blank line after the header block; the body starts at the first line that is not a field.");
            }

            return EndHeaders(frame, ByteRange.Empty(pos));
        }

        frame.FieldCount++;
        frame.Pos = fieldEnd;
        Header = header;
        Emit(MimeToken.HeaderField, header.Field, frame.Depth);
        return true;
    }

    private bool EndHeaders(EntityFrame frame, ByteRange separator)
    {
        frame.BodyStart = separator.End;
        frame.State = EntityState.Body;

        var type = frame.InDigest ? ContentType.DigestDefault : ContentType.Default;
        if (frame.ContentTypeField is { } typeField)
        {
            type = ContentType.Parse(typeField.BoundedRawValue, _context.Warnings, typeField.ValueRange.Start);
        }

        frame.Type = type;
        ContentType = type;
        TransferEncoding = frame.TransferEncodingField is { } encodingField ? NormalizeEncoding(encodingField.Value) : "7bit";
        frame.TransferEncoding = TransferEncoding;
        Emit(MimeToken.HeadersEnd, separator, frame.Depth);
        return true;
    }

    private bool StartBody(EntityFrame frame)
    {
        frame.State = EntityState.Done;
        var type = frame.Type;
        var bodyStart = frame.BodyStart;
        var depthLeft = frame.Depth < _context.Limits.MaxDepth;
        MimeWarningCode? unparsedBy = null;

        if (type.IsMultipart)
        {
            var boundary = type.Boundary;
            if (string.IsNullOrEmpty(boundary))
            {
                _context.Warn(MimeWarningCode.MissingBoundary, frame.ContentTypeField?.Field.Start ?? bodyStart, $"{type.MimeType} has no boundary parameter; its body is kept as one part.");
            }
            else if (!depthLeft)
            {
                _context.Warn(MimeWarningCode.TooDeeplyNested, bodyStart, $"Nesting deeper than {_context.Limits.MaxDepth}; this {type.MimeType} is kept unparsed.");
                unparsedBy = MimeWarningCode.TooDeeplyNested;
            }
            else
            {
                _frames.Push(new MultipartFrame(bodyStart, frame.End, frame.Depth, BoundaryBytes(boundary), type.MediaSubtype == "digest"));
                return false;
            }
        }
        else if (type.IsEncapsulatedMessage && IsIdentityEncoding(frame.TransferEncoding))
        {
            if (!depthLeft)
            {
                _context.Warn(MimeWarningCode.TooDeeplyNested, bodyStart, $"Nesting deeper than {_context.Limits.MaxDepth}; this attached message is kept unparsed.");
                unparsedBy = MimeWarningCode.TooDeeplyNested;
            }
            else if (_context.PartCount.Value >= _context.Limits.MaxParts)
            {
                // The attached message's own top entity would be one part too many.
                _context.Warn(MimeWarningCode.TooManyParts, bodyStart, $"More than {_context.Limits.MaxParts} parts; this attached message is kept unparsed.");
                unparsedBy = MimeWarningCode.TooManyParts;
            }
            else
            {
                _frames.Push(new MessageFrame(bodyStart, frame.End, frame.Depth + 1));
                return false;
            }
        }

        ContentType = type;
        ContentKeptUnparsedBy = unparsedBy;
        Emit(MimeToken.Content, ByteRange.FromBounds(bodyStart, frame.End), frame.Depth);
        return true;
    }

    private bool StepMultipart(MultipartFrame frame)
    {
        switch (frame.State)
        {
            case MultipartState.Start:
                {
                    var first = FindDelimiter(frame, frame.BodyStart);
                    if (first is null)
                    {
                        _context.Warn(MimeWarningCode.NoBoundaryFound, frame.BodyStart, "No delimiter line matches the multipart's boundary; the body is kept as its preamble.");
                        _frames.Pop();
                        Emit(MimeToken.Preamble, ByteRange.FromBounds(frame.BodyStart, frame.End), frame.Depth);
                        return true;
                    }

                    frame.Pending = first;
                    frame.State = MultipartState.AtDelimiter;
                    Emit(MimeToken.Preamble, ByteRange.FromBounds(frame.BodyStart, first.Value.Start), frame.Depth);
                    return true;
                }

            case MultipartState.AtDelimiter:
                {
                    var delimiter = frame.Pending!.Value;
                    if (delimiter.IsClose)
                    {
                        frame.State = MultipartState.Epilogue;
                        frame.EpilogueStart = delimiter.End;
                        Emit(MimeToken.CloseDelimiter, ByteRange.FromBounds(delimiter.Start, delimiter.End), frame.Depth);
                        return true;
                    }

                    if (_context.PartCount.Value >= _context.Limits.MaxParts)
                    {
                        _context.Warn(MimeWarningCode.TooManyParts, delimiter.Start, $"More than {_context.Limits.MaxParts} parts; the rest of this multipart is kept as its epilogue.");
                        _frames.Pop();
                        Emit(MimeToken.Epilogue, ByteRange.FromBounds(delimiter.Start, frame.End), frame.Depth);
                        return true;
                    }

                    var next = FindDelimiter(frame, delimiter.End);
                    if (next is null)
                    {
                        _context.Warn(MimeWarningCode.MissingFinalBoundary, frame.End, "The multipart has no close delimiter; its last part runs to the end.");
                    }

                    frame.Pending = next;
                    frame.ChildStart = delimiter.End;
                    frame.ChildEnd = next?.Start ?? frame.End;
                    frame.State = MultipartState.PushChild;
                    Emit(MimeToken.Delimiter, ByteRange.FromBounds(delimiter.Start, delimiter.End), frame.Depth);
                    return true;
                }

            case MultipartState.PushChild:
                frame.State = MultipartState.AfterChild;
                _frames.Push(new EntityFrame(frame.ChildStart, frame.ChildEnd, frame.Depth + 1, frame.IsDigest));
                return false;

            case MultipartState.AfterChild:
                if (frame.Pending is not null)
                {
                    frame.State = MultipartState.AtDelimiter;
                    return false;
                }

                _frames.Pop();
                Emit(MimeToken.Epilogue, ByteRange.Empty(frame.End), frame.Depth);
                return true;

            default:
                _frames.Pop();
                Emit(MimeToken.Epilogue, ByteRange.FromBounds(frame.EpilogueStart, frame.End), frame.Depth);
                return true;
        }
    }

    /// <summary>
    /// The next delimiter line at or after <paramref name="from"/>: "--" boundary at the start of a
    /// line, followed only by white space (a close delimiter: followed by "--" and anything).
    /// Its range starts at the line break before it, unless that break belongs to the previous line.
    /// </summary>
    private Delimiter? FindDelimiter(MultipartFrame frame, int from)
    {
        var span = _context.Source.Span;
        var dashBoundary = frame.DashBoundary;
        var p = from;
        while (p < frame.End)
        {
            var index = span[p..frame.End].IndexOf(dashBoundary);
            if (index < 0)
            {
                return null;
            }

            var hit = p + index;
            p = hit + 1;
            if (hit != frame.BodyStart && span[hit - 1] != (byte)'\n')
            {
                continue;
            }

            var after = hit + dashBoundary.Length;
            var lineEnd = LineEnd(span, after, frame.End);
            var isClose = after + 1 < frame.End && span[after] == (byte)'-' && span[after + 1] == (byte)'-';
            if (!isClose && span[after..lineEnd].IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                continue;
            }

            var start = hit;
            if (hit - 1 >= from && span[hit - 1] == (byte)'\n')
            {
                start = hit - 2 >= from && span[hit - 2] == (byte)'\r' ? hit - 2 : hit - 1;
            }

            return new Delimiter(start, lineEnd, isClose);
        }

        return null;
    }

    private void Emit(MimeToken token, ByteRange range, int depth)
    {
        Token = token;
        Range = range;
        Depth = depth;
    }

    /// <summary>The position just after the line that contains <paramref name="pos"/> (after its LF), or <paramref name="end"/>.</summary>
    internal static int LineEnd(ReadOnlySpan<byte> span, int pos, int end)
    {
        var index = span[pos..end].IndexOf((byte)'\n');
        return index < 0 ? end : pos + index + 1;
    }

    private static int LineBreakLength(ReadOnlySpan<byte> span, int start, int end)
    {
        if (end > start && span[end - 1] == (byte)'\n')
        {
            return end - 1 > start && span[end - 2] == (byte)'\r' ? 2 : 1;
        }

        return 0;
    }

    /// <summary>Length of a valid field name (RFC 5322 ftext, white space before the colon allowed as obsolete syntax), 0 if the line is no field.</summary>
    internal static int FieldNameLength(ReadOnlySpan<byte> line, out int colon)
    {
        colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return 0;
        }

        var name = line[..colon].TrimEnd(" \t"u8);
        if (name.IsEmpty || name.IndexOfAnyExceptInRange((byte)33, (byte)126) >= 0)
        {
            return 0;
        }

        return name.Length;
    }

    private static bool LooksLikeField(ReadOnlySpan<byte> span, int pos, int end)
    {
        if (pos >= end)
        {
            return false;
        }

        return FieldNameLength(span[pos..LineEnd(span, pos, end)], out _) > 0;
    }

    private static byte[] BoundaryBytes(string boundary)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(boundary) + 2];
        bytes[0] = (byte)'-';
        bytes[1] = (byte)'-';
        Encoding.UTF8.GetBytes(boundary, bytes.AsSpan(2));
        return bytes;
    }

    internal static string NormalizeEncoding(string value)
    {
        var trimmed = value.AsSpan().Trim();
        var semi = trimmed.IndexOfAny(";( ");
        if (semi >= 0)
        {
            trimmed = trimmed[..semi];
        }

        return trimmed.IsEmpty ? "7bit" : trimmed.ToString().ToLowerInvariant();
    }

    internal static bool IsIdentityEncoding(string encoding) => encoding is "7bit" or "8bit" or "binary" or "7-bit" or "8-bit";

    private readonly record struct Delimiter(int Start, int End, bool IsClose);

    private abstract class Frame
    {
        protected Frame(int start, int end, int depth)
        {
            Start = start;
            End = end;
            Depth = depth;
        }

        public int Start { get; }

        public int End { get; }

        public int Depth { get; }
    }

    private sealed class MessageFrame(int start, int end, int depth) : Frame(start, end, depth)
    {
        public bool Started { get; set; }
    }

    private enum EntityState
    {
        Start,
        Headers,
        Body,
        Done,
    }

    private sealed class EntityFrame(int start, int end, int depth, bool inDigest) : Frame(start, end, depth)
    {
        public EntityState State { get; set; }

        public int Pos { get; set; }

        public int FieldCount { get; set; }

        public int BodyStart { get; set; }

        public bool InDigest { get; } = inDigest;

        public Header? ContentTypeField { get; set; }

        public Header? TransferEncodingField { get; set; }

        public ContentType Type { get; set; } = ContentType.Default;

        public string TransferEncoding { get; set; } = "7bit";
    }

    private enum MultipartState
    {
        Start,
        AtDelimiter,
        PushChild,
        AfterChild,
        Epilogue,
    }

    private sealed class MultipartFrame(int bodyStart, int end, int depth, byte[] dashBoundary, bool isDigest) : Frame(bodyStart, end, depth)
    {
        public int BodyStart => Start;

        public byte[] DashBoundary { get; } = dashBoundary;

        public bool IsDigest { get; } = isDigest;

        public MultipartState State { get; set; }

        public Delimiter? Pending { get; set; }

        public int ChildStart { get; set; }

        public int ChildEnd { get; set; }

        public int EpilogueStart { get; set; }
    }
}
