namespace Hookline.Mime.Writing;

/// <summary>
/// Writes a parsed message back from its structure: each header field, the blank line, and for
/// multiparts the preamble, every delimiter and part, the close delimiter and the epilogue. Because
/// every byte of the input belongs to exactly one of these pieces, the output equals the input.
/// </summary>
public static class MimeWriter
{
    public static void Write(MimeMessage message, Stream stream)
    {
        var source = message.Source.Span;
        stream.Write(source.Slice(message.Prefix.Start, message.Prefix.Length));
        WriteEntity(message.Body, stream);
    }

    public static void WriteEntity(MimeEntity entity, Stream stream)
    {
        var source = entity.Source.Span;
        foreach (var header in entity.Headers)
        {
            stream.Write(source.Slice(header.Field.Start, header.Field.Length));
        }

        stream.Write(source.Slice(entity.Separator.Start, entity.Separator.Length));
        switch (entity)
        {
            case Multipart multipart:
                stream.Write(source.Slice(multipart.Preamble.Start, multipart.Preamble.Length));
                foreach (var child in multipart.Children)
                {
                    stream.Write(source.Slice(child.Delimiter.Start, child.Delimiter.Length));
                    WriteEntity(child.Entity, stream);
                }

                if (multipart.CloseDelimiter is { } close)
                {
                    stream.Write(source.Slice(close.Start, close.Length));
                }

                stream.Write(source.Slice(multipart.Epilogue.Start, multipart.Epilogue.Length));
                break;
            case MessagePart { IsEncoded: false } attached:
                Write(attached.Message, stream);
                break;
            default:
                stream.Write(source.Slice(entity.BodyRange.Start, entity.BodyRange.Length));
                break;
        }
    }
}
