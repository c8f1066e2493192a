using Hookline.Mime.Headers;
using Hookline.Mime.Reading;
using Hookline.Mime.Writing;

namespace Hookline.Mime;

/// <summary>
/// A parsed message (RFC 5322 + MIME). Its source bytes are kept; every entity knows its byte
/// ranges, so <see cref="WriteTo"/> reproduces the input exactly.
/// </summary>
public sealed partial class MimeMessage
{
    internal MimeMessage(ParseContext context, ByteRange range, ByteRange prefix, MimeEntity body)
    {
        Context = context;
        Range = range;
        Prefix = prefix;
        Body = body;
    }

    internal ParseContext Context { get; }

    /// <summary>The buffer the message was parsed from (for an encoded attached message: its decoded content).</summary>
    public ReadOnlyMemory<byte> Source => Context.Source;

    /// <summary>The message's bytes within <see cref="Source"/>.</summary>
    public ByteRange Range { get; }

    /// <summary>An mbox "From " line before the header block, if there was one.</summary>
    public ByteRange Prefix { get; }

    /// <summary>The top entity: its headers are the message's headers.</summary>
    public MimeEntity Body { get; }

    public HeaderList Headers => Body.Headers;

    /// <summary>Every problem met while parsing (and decoding) this message and its attached messages, in order.</summary>
    public IReadOnlyList<MimeWarning> Warnings => Context.Warnings;

    public MimeLimits Limits => Context.Limits;

    public string? Subject => Headers["Subject"];

    /// <summary>Parses a whole message. Never throws on content: damage and limits become <see cref="Warnings"/>.</summary>
    public static MimeMessage Parse(ReadOnlyMemory<byte> source, MimeLimits? limits = null) => MimeParser.Parse(source, limits);

    /// <summary>Reads only the top header block; the body is kept as one unparsed part.</summary>
    public static MimeMessage ParseHeaders(ReadOnlyMemory<byte> source, MimeLimits? limits = null) => MimeParser.ParseHeaders(source, limits);

    public static MimeMessage Load(string path, MimeLimits? limits = null) => Parse(File.ReadAllBytes(path), limits);

    public ReadOnlyMemory<byte> GetRawBytes() => Source.Slice(Range.Start, Range.Length);

    /// <summary>
    /// Every entity, depth first in document order, descending into attached messages when asked. The
    /// tree does not change after parsing, so each walk is made once and kept: every analysis stage
    /// asks for it.
    /// </summary>
    public IReadOnlyList<MimeEntity> Entities(bool intoAttachedMessages = true)
    {
        ref var kept = ref intoAttachedMessages ? ref _entitiesDeep : ref _entitiesShallow;
        return kept ??= Walk(intoAttachedMessages);
    }

    private MimeEntity[]? _entitiesDeep;
    private MimeEntity[]? _entitiesShallow;

    private MimeEntity[] Walk(bool intoAttachedMessages)
    {
        var found = new List<MimeEntity>();
        var stack = new Stack<MimeEntity>();
        stack.Push(Body);
        while (stack.Count > 0)
        {
            var entity = stack.Pop();
            found.Add(entity);
            switch (entity)
            {
                case Multipart multipart:
                    for (var i = multipart.Children.Count - 1; i >= 0; i--)
                    {
                        stack.Push(multipart.Children[i].Entity);
                    }

                    break;
                case MessagePart { Message: var inner } when intoAttachedMessages:
                    stack.Push(inner.Body);
                    break;
            }
        }

        return [.. found];
    }

    /// <summary>Writes the message back from its parsed structure: byte for byte the input.</summary>
    public void WriteTo(Stream stream) => MimeWriter.Write(this, stream);

    public byte[] ToArray()
    {
        using var stream = new MemoryStream(Range.Length);
        WriteTo(stream);
        return stream.ToArray();
    }
}
