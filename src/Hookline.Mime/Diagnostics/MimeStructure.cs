using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hookline.Mime.Diagnostics;

/// <summary>
/// A stable, readable outline of a parsed message: every entity with its type, parameters, byte
/// ranges, content sizes and a hash of the decoded content, then the warnings. Golden files of this
/// text pin the parser's behaviour on each fixture; the CLI prints it for analysts.
/// </summary>
public static class MimeStructure
{
    public static string Describe(MimeMessage message)
    {
        var builder = new StringBuilder();
        DescribeMessage(message, builder, 0);
        builder.Append("warnings: ").Append(message.Warnings.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach (var warning in message.Warnings)
        {
            builder.Append("  ").Append(warning.Code.ToString()).Append(" @").Append(warning.Offset.ToString(CultureInfo.InvariantCulture)).Append(": ").Append(warning.Message).Append('\n');
        }

        return builder.ToString();
    }

    private static void DescribeMessage(MimeMessage message, StringBuilder builder, int indent)
    {
        Line(builder, indent, $"message {message.Range}{(message.Prefix.IsEmpty ? string.Empty : $" mbox-prefix={message.Prefix.Length}")}");
        Line(builder, indent + 1, $"subject: {Quote(message.Subject)}");
        DescribeEntity(message.Body, builder, indent + 1);
    }

    private static void DescribeEntity(MimeEntity entity, StringBuilder builder, int indent)
    {
        var head = new StringBuilder();
        head.Append(entity.ContentType.MimeType);
        foreach (var parameter in entity.ContentType.Parameters)
        {
            head.Append("; ").Append(parameter.Name.ToLowerInvariant()).Append('=').Append(Quote(parameter.Value));
        }

        head.Append(' ').Append(entity.Range.ToString());
        head.Append(" headers=").Append(entity.Headers.Count.ToString(CultureInfo.InvariantCulture));
        if (entity.Separator.IsEmpty)
        {
            head.Append(" no-blank-line");
        }

        if (entity.TransferEncoding != "7bit")
        {
            head.Append(" encoding=").Append(entity.TransferEncoding);
        }

        if (entity.ContentDisposition is { } disposition)
        {
            head.Append(" disposition=").Append(disposition.Disposition);
        }

        if (entity.FileName is { } fileName)
        {
            head.Append(" filename=").Append(Quote(fileName));
        }

        Line(builder, indent, head.ToString());
        switch (entity)
        {
            case Multipart multipart:
                Line(builder, indent + 1, $"preamble {multipart.Preamble.Length}");
                foreach (var child in multipart.Children)
                {
                    DescribeEntity(child.Entity, builder, indent + 1);
                }

                Line(builder, indent + 1, $"epilogue {multipart.Epilogue.Length}{(multipart.CloseDelimiter is null ? " unclosed" : string.Empty)}");
                break;
            case MessagePart attached:
                if (attached.IsEncoded)
                {
                    Line(builder, indent + 1, "(decoded from the transfer encoding)");
                }

                DescribeMessage(attached.Message, builder, indent + 1);
                break;
            case MimePart part:
                var decoded = part.DecodeContent();
                var hash = Convert.ToHexStringLower(SHA256.HashData(decoded))[..16];
                Line(builder, indent + 1, $"content {part.ContentRange.Length} decoded {decoded.Length} sha256:{hash}");
                break;
        }
    }

    private static void Line(StringBuilder builder, int indent, string text) =>
        builder.Append(' ', indent * 2).Append(text).Append('\n');

    private static string Quote(string? value)
    {
        if (value is null)
        {
            return "(none)";
        }

        var escaped = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c == '"' || c == '\\')
            {
                escaped.Append('\\').Append(c);
            }
            else if (char.IsControl(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.Append('"').ToString();
    }
}
