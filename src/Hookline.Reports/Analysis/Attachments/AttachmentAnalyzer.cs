using System.Security.Cryptography;
using Hookline.Mime;

namespace Hookline.Reports.Analysis.Attachments;

/// <summary>
/// Lists every attachment (a leaf with a file name or disposition attachment, and every attached
/// message) with its SHA-256, and analyses attached messages with the same stages.
/// FIRST VERSION: listing and recursion; true types, archives, macros, PDF and HTML checks to come.
/// </summary>
public sealed class AttachmentAnalyzer : IMessageAnalyzer
{
    public void Analyze(AnalysisContext context)
    {
        foreach (var entity in context.Message.Entities(intoAttachedMessages: false))
        {
            switch (entity)
            {
                case MimePart part when part.IsAttachment:
                    var content = part.DecodeContent();
                    context.Result.Attachments.Add(new AttachmentFinding
                    {
                        FileName = part.FileName,
                        ContentType = part.ContentType.MimeType,
                        Size = content.Length,
                        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
                    });
                    break;
                case MessagePart attached:
                    var bytes = attached.Message.GetRawBytes();
                    context.Result.Attachments.Add(new AttachmentFinding
                    {
                        FileName = attached.FileName,
                        ContentType = attached.ContentType.MimeType,
                        Size = bytes.Length,
                        Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes.Span)),
                    });
                    if (context.AnalyzeAttached(attached.Message) is { } nested)
                    {
                        context.Result.AttachedMessages.Add(nested);
                    }

                    break;
            }
        }
    }
}
