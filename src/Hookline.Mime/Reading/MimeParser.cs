using Hookline.Mime.Decoding;
using Hookline.Mime.Headers;

namespace Hookline.Mime.Reading;

/// <summary>Builds the entity tree from <see cref="MimeReader"/>'s events.</summary>
public static class MimeParser
{
    public static MimeMessage Parse(ReadOnlyMemory<byte> source, MimeLimits? limits = null) =>
        Parse(new ParseContext(source, limits ?? MimeLimits.Default, []), depth: 0);

    /// <summary>Reads the top header block and stops; the rest is one opaque part.</summary>
    public static MimeMessage ParseHeaders(ReadOnlyMemory<byte> source, MimeLimits? limits = null)
    {
        var context = new ParseContext(source, limits ?? MimeLimits.Default, []);
        var reader = new MimeReader(context, depth: 0);
        var headers = new List<Header>();
        var prefix = ByteRange.Empty(0);
        var start = 0;
        while (reader.Read())
        {
            switch (reader.Token)
            {
                case MimeToken.MessageStart:
                    prefix = reader.Prefix;
                    break;
                case MimeToken.EntityStart:
                    start = reader.Range.Start;
                    break;
                case MimeToken.HeaderField:
                    headers.Add(reader.Header!);
                    break;
                case MimeToken.HeadersEnd:
                    var shape = new EntityShape(context, new HeaderList(headers), ByteRange.FromBounds(start, source.Length), reader.Range, reader.ContentType, reader.TransferEncoding, 0);
                    return new MimeMessage(context, ByteRange.FromBounds(0, source.Length), prefix, new MimePart(shape));
            }
        }

        throw new InvalidOperationException("The reader ended without a header block.");
    }

    internal static MimeMessage Parse(ParseContext context, int depth)
    {
        var reader = new MimeReader(context, depth);
        var stack = new Stack<object>();
        MimeMessage? result = null;

        while (reader.Read())
        {
            switch (reader.Token)
            {
                case MimeToken.MessageStart:
                    stack.Push(new MessageBuilder(reader.Range, reader.Prefix));
                    break;
                case MimeToken.EntityStart:
                    stack.Push(new EntityBuilder(reader.Range.Start, reader.Depth));
                    break;
                case MimeToken.HeaderField:
                    ((EntityBuilder)stack.Peek()).Headers.Add(reader.Header!);
                    break;
                case MimeToken.HeadersEnd:
                    {
                        var entity = (EntityBuilder)stack.Peek();
                        entity.Separator = reader.Range;
                        entity.Type = reader.ContentType;
                        entity.TransferEncoding = reader.TransferEncoding;
                        break;
                    }

                case MimeToken.Content:
                    {
                        var entity = (EntityBuilder)stack.Peek();
                        entity.Kind = EntityKind.Leaf;
                        entity.KeptUnparsedBy = reader.ContentKeptUnparsedBy;
                        break;
                    }

                case MimeToken.Preamble:
                    {
                        var entity = (EntityBuilder)stack.Peek();
                        entity.Kind = EntityKind.Multipart;
                        entity.Preamble = reader.Range;
                        break;
                    }

                case MimeToken.Delimiter:
                    ((EntityBuilder)stack.Peek()).PendingDelimiter = reader.Range;
                    break;
                case MimeToken.CloseDelimiter:
                    ((EntityBuilder)stack.Peek()).CloseDelimiter = reader.Range;
                    break;
                case MimeToken.Epilogue:
                    ((EntityBuilder)stack.Peek()).Epilogue = reader.Range;
                    break;
                case MimeToken.EntityEnd:
                    {
                        var builder = (EntityBuilder)stack.Pop();
                        var entity = Build(builder, reader.Range, context);
                        if (stack.Peek() is MessageBuilder message)
                        {
                            message.Root = entity;
                        }
                        else
                        {
                            var parent = (EntityBuilder)stack.Peek();
                            parent.Children.Add(new MultipartChild(parent.PendingDelimiter, entity));
                        }

                        break;
                    }

                case MimeToken.MessageEnd:
                    {
                        var builder = (MessageBuilder)stack.Pop();
                        var message = new MimeMessage(context, builder.Range, builder.Prefix, builder.Root!);
                        if (stack.Count == 0)
                        {
                            result = message;
                        }
                        else
                        {
                            var parent = (EntityBuilder)stack.Peek();
                            parent.Kind = EntityKind.Message;
                            parent.Inner = message;
                        }

                        break;
                    }
            }
        }

        return result ?? throw new InvalidOperationException("The reader ended without a message.");
    }

    private static MimeEntity Build(EntityBuilder builder, ByteRange range, ParseContext context)
    {
        var shape = new EntityShape(context, builder.Headers.Count == 0 ? HeaderList.Empty : new HeaderList(builder.Headers), range, builder.Separator, builder.Type, builder.TransferEncoding, builder.Depth);
        switch (builder.Kind)
        {
            case EntityKind.Multipart:
                return new Multipart(shape, builder.Preamble, builder.Children, builder.CloseDelimiter, builder.Epilogue ?? ByteRange.Empty(range.End));
            case EntityKind.Message:
                return new MessagePart(shape, builder.Inner!, isEncoded: false);
            default:
                if (builder.Type.IsEncapsulatedMessage && builder.TransferEncoding is "base64" or "quoted-printable")
                {
                    if (builder.Depth < context.Limits.MaxDepth && context.PartCount.Value < context.Limits.MaxParts)
                    {
                        var encoded = ParseEncodedMessage(shape, context, out var cut);
                        return new MessagePart(shape, encoded, isEncoded: true, decodedSizeLimitReached: cut);
                    }

                    return new MimePart(shape, builder.Depth < context.Limits.MaxDepth ? MimeWarningCode.TooManyParts : MimeWarningCode.TooDeeplyNested);
                }

                return new MimePart(shape, builder.KeptUnparsedBy);
        }
    }

    /// <summary>An attached message that was base64- or QP-encoded: decode it and parse the result as a message of its own.</summary>
    private static MimeMessage ParseEncodedMessage(EntityShape shape, ParseContext context, out bool decodedSizeLimitReached)
    {
        var body = ByteRange.FromBounds(shape.Separator.End, shape.Range.End);
        var before = context.Warnings.Count;
        var decoded = ContentDecoder.Decode(context.Source.Span.Slice(body.Start, body.Length), shape.TransferEncoding, context.Limits.MaxDecodedBytes, context.Warnings, body.Start);
        decodedSizeLimitReached = context.Warnings.Skip(before).Any(w => w.Code == MimeWarningCode.DecodedSizeLimit);
        context.Warn(MimeWarningCode.EncodedMessageBody, body.Start, $"Attached message is {shape.TransferEncoding}-encoded (RFC 2046 5.2.1 allows only 7bit, 8bit or binary); decoded and parsed. Offsets in it refer to the decoded content.");
        var inner = new ParseContext(decoded, context.Limits, []) { PartCount = context.PartCount };
        var message = Parse(inner, shape.Depth + 1);
        foreach (var warning in inner.Warnings)
        {
            context.Warnings.Add(warning with { Message = $"In the encoded message at {body.Start}: {warning.Message}" });
        }

        return message;
    }

    private enum EntityKind
    {
        Leaf,
        Multipart,
        Message,
    }

    private sealed class MessageBuilder(ByteRange range, ByteRange prefix)
    {
        public ByteRange Range { get; } = range;

        public ByteRange Prefix { get; } = prefix;

        public MimeEntity? Root { get; set; }
    }

    private sealed class EntityBuilder(int start, int depth)
    {
        public int Start { get; } = start;

        public int Depth { get; } = depth;

        public List<Header> Headers { get; } = [];

        public ByteRange Separator { get; set; }

        public ContentType Type { get; set; } = ContentType.Default;

        public string TransferEncoding { get; set; } = "7bit";

        public EntityKind Kind { get; set; }

        public ByteRange Preamble { get; set; }

        public List<MultipartChild> Children { get; } = [];

        public ByteRange PendingDelimiter { get; set; }

        public ByteRange? CloseDelimiter { get; set; }

        public ByteRange? Epilogue { get; set; }

        public MimeMessage? Inner { get; set; }

        public MimeWarningCode? KeptUnparsedBy { get; set; }
    }
}
