using Hookline.Mime;
using Hookline.Mime.Addresses;

namespace Hookline.Reports.Recognition;

/// <summary>
/// Recognises a report envelope (docs/reports.md, "Recognition") and extracts the reporter, the
/// user's verdict, the Network Message ID and the originals, byte for byte.
/// </summary>
/// <remarks>
/// A message is a report when its subject carries a verdict prefix, its body carries Microsoft's
/// comment ("I think this email is …"), it has an attached original, or its body quotes a
/// forwarded message. A delivery report (multipart/report) with a bounced message attached and
/// nothing else is not. Everything the reader assumes or finds damaged is a warning on the report.
/// Work is bounded: at most <see cref="ReportReaderOptions.MaxOriginals"/> originals are read,
/// and at most <see cref="ReportReaderOptions.MaxInlineForwardChars"/> characters of body text are searched.
/// </remarks>
public static class ReportReader
{
    private const string DefenderHost = "security.microsoft.com";

    private const string CommentStart = "I think this email is ";

    private static readonly (string Comment, UserVerdict Verdict)[] Comments =
    [
        ("I think this email is malicious", UserVerdict.Phishing),
        ("I think this email is spam", UserVerdict.Junk),
        ("I think this email is clean", UserVerdict.NotJunk),
    ];

    // Every comment starts the same way: one vectorized pass finds the candidates.
    private static readonly System.Buffers.SearchValues<string> CommentStarts = System.Buffers.SearchValues.Create([CommentStart], StringComparison.OrdinalIgnoreCase);

    /// <summary>The report this message is, or null when it is a plain message (analysed as itself).</summary>
    public static Report? Read(MimeMessage envelope, ReadOnlyMemory<byte> envelopeBytes) =>
        Read(envelope, envelopeBytes, ReportReaderOptions.Default);

    /// <summary>The report this message is, or null when it is a plain message. Never throws on content.</summary>
    public static Report? Read(MimeMessage envelope, ReadOnlyMemory<byte> envelopeBytes, ReportReaderOptions options)
    {
        var subject = ReportSubject.Parse(envelope.Subject);
        var scan = OriginalFinder.Scan(envelope, options);
        var warnings = new List<string>(subject.Warnings);

        var bodyText = scan.BodyText ?? string.Empty;
        var attached = scan.Originals.Count + scan.Skipped;

        // Inline forward: only when nothing is attached. "-----Original Message-----" and bare
        // From/Sent blocks are also what replies quote, so they count only under a forward or
        // verdict subject; explicit forward markers count anywhere.
        QuotedMessage? quoted = null;
        var acceptBareBlocks = subject.IsForward || subject.Verdict is not null;
        var commentText = bodyText;
        if (attached == 0)
        {
            foreach (var tnefText in scan.TnefBodyTexts)
            {
                quoted ??= InlineForward.Find(tnefText, acceptBareBlocks);
            }

            var inBody = InlineForward.Find(bodyText, acceptBareBlocks);
            if (inBody is not null)
            {
                // Whatever follows the marker is the attacker's text: no report signal is read from it.
                commentText = bodyText[..inBody.MarkerOffset];
            }

            quoted ??= inBody;
        }

        var commentVerdict = FindComment(commentText, out var conflictingComments);
        var isReport = subject.Verdict is not null || commentVerdict is not null || quoted is not null || (attached > 0 && !scan.IsDeliveryReport);
        if (!isReport)
        {
            return null;
        }

        var hasDefenderLink = commentText.Contains(DefenderHost, StringComparison.OrdinalIgnoreCase);
        var format = Classify(subject, commentVerdict is not null || hasDefenderLink, attached > 0);

        // The verdict: the subject's prefix, else Microsoft's comment, else phishing (Microsoft's rule).
        UserVerdict verdict;
        var assumed = false;
        if (subject.Verdict is { } stated)
        {
            verdict = stated;
            if (commentVerdict is { } comment && comment != stated)
            {
                warnings.Add($"The subject says {Name(stated)} but the body's comment says {Name(comment)}; the subject was used.");
            }
        }
        else if (commentVerdict is { } comment)
        {
            verdict = comment;
            warnings.Add($"The subject states no verdict; {Name(comment)} was taken from the body's comment.");
        }
        else
        {
            verdict = UserVerdict.Phishing;
            assumed = true;
            warnings.Add("The report states no verdict (no subject prefix, no comment); phishing was assumed, as Microsoft does for unformatted reports.");
        }

        if (conflictingComments)
        {
            warnings.Add("The body carries comments for more than one verdict; the first was used.");
        }

        var originals = scan.Originals;
        warnings.AddRange(scan.Warnings);
        if (quoted is not null)
        {
            var bytes = InlineForward.Synthesize(quoted);
            originals = [new OriginalMessage(bytes, MailFormat.Mime, MimeMessage.Parse(bytes), OriginalSource.InlineForward, null)];
            warnings.Add("The original was not attached: it was recovered from the headers quoted in an inline forward (From, Date, Subject, To) and the text after them; its routing and authentication headers are lost.");
            if (quoted.From is null || quoted.Date is null)
            {
                warnings.Add($"The inline forward's quoted headers lack {(quoted.From is null ? "a From" : "a readable Date")}.");
            }
        }

        if (originals.Count > 1 || scan.Skipped > 0)
        {
            warnings.Add($"The envelope carries {originals.Count + scan.Skipped} attached messages (Microsoft discards such non-Microsoft reports); all are kept in document order for an analyst to choose.");
        }

        if (scan.Skipped > 0)
        {
            warnings.Add($"Only the first {options.MaxOriginals} attached messages were read; {scan.Skipped} more were not.");
        }

        if (originals.Count == 0)
        {
            warnings.Add(scan.IsDeliveryReport
                ? "The envelope is a delivery report; no reported original was found."
                : "The report carries no original message (nothing attached, no forward quoted); only the envelope's fields are known.");
        }

        if (MailFile.Detect(envelopeBytes.Span) is not MailFormat.Mime and var envelopeFormat)
        {
            warnings.Add($"The envelope itself is {(envelopeFormat == MailFormat.Tnef ? "a TNEF stream" : "an Outlook .msg")}; the bytes of messages embedded in it are Hookline's synthesized MIME, not the originals' own.");
        }

        return new Report
        {
            Format = format,
            Reporter = FindReporter(envelope, options, warnings),
            UserVerdict = verdict,
            VerdictAssumed = assumed,
            NetworkMessageId = FindNetworkMessageId(subject, originals, warnings),
            ReportedAt = envelope.Date,
            SubjectSenderIp = subject.SenderIp,
            SubjectSenderAddress = subject.SenderAddress,
            SubjectOriginalSubject = subject.OriginalSubject,
            Originals = originals,
            Warnings = warnings,
        };
    }

    private static ReportFormat Classify(ReportSubject subject, bool microsoftBody, bool attached) => subject.Layout switch
    {
        SubjectLayout.Current => ReportFormat.Microsoft,
        SubjectLayout.Legacy => ReportFormat.Legacy,
        SubjectLayout.Prefix => microsoftBody ? ReportFormat.Microsoft : ReportFormat.ThirdParty,
        _ when microsoftBody => ReportFormat.Microsoft,
        _ => attached ? ReportFormat.Forward : ReportFormat.InlineForward,
    };

    /// <summary>The verdict of the first of Microsoft's comments in the text; <paramref name="conflicting"/> when comments for more than one verdict appear.</summary>
    private static UserVerdict? FindComment(string text, out bool conflicting)
    {
        conflicting = false;
        UserVerdict? found = null;
        var position = 0;
        while (position < text.Length)
        {
            var start = text.AsSpan(position).IndexOfAny(CommentStarts);
            if (start < 0)
            {
                break;
            }

            var rest = text.AsSpan(position + start);
            position += start + 1;
            foreach (var (comment, verdict) in Comments)
            {
                if (!rest.StartsWith(comment, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (found is null)
                {
                    found = verdict;
                }
                else if (found != verdict)
                {
                    conflicting = true;
                    return found;
                }
            }
        }

        return found;
    }

    /// <summary>
    /// The envelope's From (Exchange sends the report on the user's behalf). When From is the
    /// reporting mailbox itself (it is also the only recipient, or a configured mailbox), Sender.
    /// </summary>
    private static Reporter? FindReporter(MimeMessage envelope, ReportReaderOptions options, List<string> warnings)
    {
        var from = FirstMailbox(envelope.From);
        var sender = envelope.Sender;
        if (from is null)
        {
            if (IsUsable(sender))
            {
                warnings.Add("The envelope has no readable From; the reporter was taken from Sender.");
                return new Reporter(sender.Name ?? string.Empty, sender.Address);
            }

            warnings.Add("The envelope has no readable From or Sender; the reporter is unknown.");
            return null;
        }

        if (IsMailboxItself(from.Address, envelope, options))
        {
            if (IsUsable(sender) && !string.Equals(sender.Address, from.Address, StringComparison.OrdinalIgnoreCase))
            {
                warnings.Add($"The envelope's From ({from.Address}) is the reporting mailbox itself; the reporter was taken from Sender.");
                return new Reporter(sender.Name ?? string.Empty, sender.Address);
            }

            warnings.Add($"The envelope's From ({from.Address}) looks like the reporting mailbox itself and there is no other Sender; it was kept as the reporter.");
        }

        return new Reporter(from.Name ?? string.Empty, from.Address);
    }

    private static bool IsMailboxItself(string address, MimeMessage envelope, ReportReaderOptions options)
    {
        foreach (var mailbox in options.ReportingMailboxes)
        {
            if (string.Equals(mailbox.Trim(), address, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        var to = AddressParser.Flatten(envelope.To);
        return to.Count == 1 && string.Equals(to[0].Address, address, StringComparison.OrdinalIgnoreCase);
    }

    private static MailboxAddress? FirstMailbox(IReadOnlyList<InternetAddress> addresses)
    {
        foreach (var mailbox in AddressParser.Flatten(addresses))
        {
            if (IsUsable(mailbox))
            {
                return mailbox;
            }
        }

        return null;
    }

    /// <summary>A mailbox with a local part and a domain ("undisclosed" or "&lt;&gt;" is no one to notify).</summary>
    private static bool IsUsable([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] MailboxAddress? mailbox) =>
        mailbox is not null && mailbox.LocalPart.Length > 0 && mailbox.Domain.Length > 0;

    private static string? FindNetworkMessageId(ReportSubject subject, IReadOnlyList<OriginalMessage> originals, List<string> warnings)
    {
        string? fromHeader = null;
        if (originals.Count > 0 && originals[0].Message.Headers["X-MS-Exchange-Organization-Network-Message-Id"] is { } raw)
        {
            var value = raw.Trim();
            if (ReportSubject.TryGuid(value, out var id))
            {
                fromHeader = id;
            }
            else
            {
                warnings.Add("The original's X-MS-Exchange-Organization-Network-Message-Id is not a valid GUID; ignored.");
            }
        }

        if (subject.NetworkMessageId is { } fromSubject)
        {
            if (fromHeader is not null && !string.Equals(fromHeader, fromSubject, StringComparison.Ordinal))
            {
                warnings.Add($"The subject's Network Message ID ({fromSubject}) differs from the original's header ({fromHeader}); the subject's was used.");
            }

            return fromSubject;
        }

        return fromHeader;
    }

    private static string Name(UserVerdict verdict) => verdict switch
    {
        UserVerdict.Junk => "junk",
        UserVerdict.NotJunk => "not junk",
        _ => "phishing",
    };
}
