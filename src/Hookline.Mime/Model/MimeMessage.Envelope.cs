using Hookline.Mime.Addresses;
using Hookline.Mime.Dates;
using Hookline.Mime.Headers;

namespace Hookline.Mime;

/// <summary>
/// The envelope fields of a message (RFC 5322 section 3.6), parsed on first use from <see cref="Headers"/>.
/// Problems found then are added to <see cref="Warnings"/> with the offset of the header's value.
/// From, Sender, Reply-To, Date and the ids come from the first header of that name; To, Cc and Bcc
/// gather every header of their name.
/// </summary>
public sealed partial class MimeMessage
{
    private IReadOnlyList<InternetAddress>? _from;
    private IReadOnlyList<InternetAddress>? _replyTo;
    private IReadOnlyList<InternetAddress>? _to;
    private IReadOnlyList<InternetAddress>? _cc;
    private IReadOnlyList<InternetAddress>? _bcc;
    private MailboxAddress? _sender;
    private bool _senderParsed;
    private string? _returnPath;
    private bool _returnPathParsed;
    private DateTimeOffset? _date;
    private DateAssumptions _dateAssumptions;
    private bool _dateParsed;
    private string? _messageId;
    private bool _messageIdParsed;
    private IReadOnlyList<string>? _inReplyTo;
    private IReadOnlyList<string>? _references;

    public IReadOnlyList<InternetAddress> From => _from ??= ParseAddresses("From", all: false);

    public MailboxAddress? Sender
    {
        get
        {
            if (!_senderParsed)
            {
                var header = Headers.Find("Sender");
                _sender = header is null ? null : AddressParser.ParseMailbox(header.BoundedRawValue, Context.Warnings, header.ValueRange.Start);
                _senderParsed = true;
            }

            return _sender;
        }
    }

    public IReadOnlyList<InternetAddress> ReplyTo => _replyTo ??= ParseAddresses("Reply-To", all: false);

    public IReadOnlyList<InternetAddress> To => _to ??= ParseAddresses("To", all: true);

    public IReadOnlyList<InternetAddress> Cc => _cc ??= ParseAddresses("Cc", all: true);

    public IReadOnlyList<InternetAddress> Bcc => _bcc ??= ParseAddresses("Bcc", all: true);

    /// <summary>The Return-Path address without angle brackets; "" for the null path "&lt;&gt;"; null when there is no header.</summary>
    public string? ReturnPath
    {
        get
        {
            if (!_returnPathParsed)
            {
                var header = Headers.Find("Return-Path");
                _returnPath = header is null ? null : ParseReturnPath(header.BoundedRawValue);
                _returnPathParsed = true;
            }

            return _returnPath;
        }
    }

    /// <summary>The Date header, or null when missing or unreadable (an InvalidDate warning then).</summary>
    public DateTimeOffset? Date
    {
        get
        {
            EnsureDate();
            return _date;
        }
    }

    /// <summary>What had to be assumed to read <see cref="Date"/> (a missing zone, a two-digit year, ...).</summary>
    public DateAssumptions DateAssumptions
    {
        get
        {
            EnsureDate();
            return _dateAssumptions;
        }
    }

    /// <summary>The Message-ID without angle brackets, or null.</summary>
    public string? MessageId
    {
        get
        {
            if (!_messageIdParsed)
            {
                var header = Headers.Find("Message-ID");
                _messageId = header is null ? null : MessageIds.ParseFirst(header.BoundedRawValue);
                _messageIdParsed = true;
            }

            return _messageId;
        }
    }

    public IReadOnlyList<string> InReplyTo => _inReplyTo ??= ParseIds("In-Reply-To");

    public IReadOnlyList<string> References => _references ??= ParseIds("References");

    private void EnsureDate()
    {
        if (_dateParsed)
        {
            return;
        }

        _dateParsed = true;
        var header = Headers.Find("Date");
        if (header is null)
        {
            return;
        }

        if (DateParser.TryParse(header.BoundedRawValue, out var value, out var assumptions))
        {
            _date = value;
            _dateAssumptions = assumptions;
        }
        else
        {
            Context.Warn(MimeWarningCode.InvalidDate, header.ValueRange.Start, "The Date header could not be read.");
        }
    }

    private IReadOnlyList<InternetAddress> ParseAddresses(string name, bool all)
    {
        if (!all)
        {
            var header = Headers.Find(name);
            return header is null ? [] : AddressParser.ParseList(header.BoundedRawValue, Context.Warnings, header.ValueRange.Start);
        }

        List<InternetAddress>? result = null;
        foreach (var header in Headers.FindAll(name))
        {
            var list = AddressParser.ParseList(header.BoundedRawValue, Context.Warnings, header.ValueRange.Start);
            if (result is null && list is List<InternetAddress> first)
            {
                result = first;
            }
            else
            {
                result ??= [];
                result.AddRange(list);
            }
        }

        return result ?? (IReadOnlyList<InternetAddress>)[];
    }

    private IReadOnlyList<string> ParseIds(string name)
    {
        var header = Headers.Find(name);
        return header is null ? [] : MessageIds.ParseList(header.BoundedRawValue);
    }

    private static string ParseReturnPath(ReadOnlySpan<byte> raw)
    {
        var lt = raw.IndexOf((byte)'<');
        if (lt >= 0)
        {
            var inner = raw[(lt + 1)..];
            var gt = inner.IndexOf((byte)'>');
            return StripWhiteSpace(gt < 0 ? inner : inner[..gt]);
        }

        var i = HeaderSyntax.SkipCfws(raw, 0);
        var end = i;
        while (end < raw.Length && !HeaderText.IsWhiteSpace(raw[end]) && raw[end] != (byte)'(')
        {
            end++;
        }

        return StripWhiteSpace(raw[i..end]);
    }

    private static string StripWhiteSpace(ReadOnlySpan<byte> raw)
    {
        raw = HeaderText.TrimWhiteSpace(raw);
        if (raw.IndexOfAny(" \t\r\n"u8) < 0)
        {
            return Text.Charsets.DecodeUnlabelled(raw);
        }

        var buffer = new byte[raw.Length];
        var n = 0;
        foreach (var b in raw)
        {
            if (!HeaderText.IsWhiteSpace(b))
            {
                buffer[n++] = b;
            }
        }

        return Text.Charsets.DecodeUnlabelled(buffer.AsSpan(0, n));
    }
}
