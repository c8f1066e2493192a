using System.Security.Cryptography;
using System.Text;
using Hookline.Mime;
using Hookline.Mime.Addresses;
using Hookline.Mime.Reading;

namespace Hookline.Intake.Storage;

/// <summary>
/// What makes two deliveries the same report even when their bytes differ: the envelope's sender and
/// Message-ID, both written once by the reporting client. A transport-rule copy, a second mailbox or a
/// redelivery adds its own trace headers (Received, Delivered-To, Return-Path), so the SHA-256 of
/// the bytes differs, but this identity does not. Messages without a Message-ID are identified by
/// their bytes alone.
/// </summary>
public static class EnvelopeIdentity
{
    /// <summary>The identity, or null when the message has no Message-ID (or is not MIME at all).</summary>
    public static string? Compute(ReadOnlyMemory<byte> raw)
    {
        if (MailFile.Detect(raw.Span) != MailFormat.Mime)
        {
            return null;
        }

        var message = MimeParser.ParseHeaders(raw);
        var id = message.MessageId;
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        var from = message.From.OfType<MailboxAddress>().FirstOrDefault()?.Address ?? string.Empty;
        var key = $"{from.ToLowerInvariant()} {id.Trim()}";
        // Bounded: an attacker-written Message-ID could be huge, and the index wants a short key.
        return key.Length <= 200 ? key : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}
