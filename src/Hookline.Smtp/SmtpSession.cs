using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Hookline.Smtp;

/// <summary>One SMTP connection: the RFC 5321 state machine with PIPELINING, SIZE, 8BITMIME, SMTPUTF8 and STARTTLS.</summary>
internal sealed partial class SmtpSession : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    private readonly SmtpServerOptions _options;
    private readonly ISmtpMessageHandler _handler;
    private readonly ILogger _logger;
    private readonly Socket _socket;
    private readonly NetworkStream _network;
    private readonly IPEndPoint _remote;
    private readonly string _id;
    private readonly CancellationToken _stopping;
    private readonly SmtpReader _reader;
    private readonly ByteBudget _inFlight;
    private readonly MemoryStream _pending = new();
    private readonly List<string> _recipients = [];

    private Stream _stream;
    private bool _secure;
    private string? _helo;
    private bool _extended;
    private string? _mailFrom;
    private bool _utf8;
    private bool _eightBit;
    private int _errors;
    private int _messages;
    private bool _closing;

    public SmtpSession(SmtpServerOptions options, ISmtpMessageHandler handler, ILogger logger, Socket socket, string id, ByteBudget inFlight, CancellationToken stopping)
    {
        _inFlight = inFlight;
        _options = options;
        _handler = handler;
        _logger = logger;
        _socket = socket;
        _network = new NetworkStream(socket, ownsSocket: false);
        _stream = _network;
        _remote = (IPEndPoint)socket.RemoteEndPoint!;
        _id = id;
        _stopping = stopping;
        _reader = new SmtpReader(_network);
    }

    public async Task RunAsync()
    {
        LogConnected(_id, _remote);
        try
        {
            Reply(220, null, $"{_options.ServerName} ESMTP Hookline");
            while (!_closing)
            {
                var (status, line) = await ReadCommandAsync().ConfigureAwait(false);
                if (status == LineStatus.Closed)
                {
                    break;
                }

                if (status == LineStatus.TooLong)
                {
                    Error(500, "5.5.2", "Error: line too long");
                }
                else
                {
                    await ExecuteAsync(line).ConfigureAwait(false);
                }

                if (!_closing && _errors >= _options.MaxBadCommands)
                {
                    LogTooManyErrors(_id, _errors);
                    Reply(421, "4.7.0", $"{_options.ServerName} Error: too many errors");
                    _closing = true;
                }
            }

            await FlushAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            await TryFinalReplyAsync(421, "4.3.2", $"{_options.ServerName} Service shutting down").ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            LogTimeout(_id);
            await TryFinalReplyAsync(421, "4.4.2", $"{_options.ServerName} Error: timeout exceeded").ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException or InvalidOperationException)
        {
            LogConnectionFailed(_id, e.Message);
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
            LogDisconnected(_id, _messages);
        }
    }

    private async ValueTask<(LineStatus Status, byte[] Line)> ReadCommandAsync()
    {
        if (_reader.Buffered == 0)
        {
            // Replies to a pipelined group go out together, once the client's input is used up (RFC 2920).
            await FlushAsync().ConfigureAwait(false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        timeout.CancelAfter(_options.CommandTimeout);
        return await _reader.ReadLineAsync(_options.MaxLineLength, timeout.Token).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(byte[] raw)
    {
        string line;
        try
        {
            line = StrictUtf8.GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            Error(500, "5.5.2", "Error: command is not valid UTF-8");
            return;
        }

        if (line.Any(c => c < ' ' && c != '\t' || c == 127))
        {
            Error(500, "5.5.2", "Error: control characters in command");
            return;
        }

        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
        var argument = space < 0 ? "" : line[(space + 1)..];
        switch (verb)
        {
            case "EHLO":
                Hello(argument, extended: true);
                break;
            case "HELO":
                Hello(argument, extended: false);
                break;
            case "MAIL":
                Mail(argument);
                break;
            case "RCPT":
                Rcpt(argument);
                break;
            case "DATA":
                await DataAsync(argument).ConfigureAwait(false);
                break;
            case "RSET":
                if (argument.Length > 0)
                {
                    Error(501, "5.5.4", "Syntax: RSET");
                    break;
                }

                ResetTransaction();
                Reply(250, "2.0.0", "Ok");
                break;
            case "NOOP":
                Reply(250, "2.0.0", "Ok");
                break;
            case "QUIT":
                Reply(221, "2.0.0", "Bye");
                _closing = true;
                break;
            case "VRFY":
                if (argument.Trim().Length == 0)
                {
                    Error(501, "5.5.4", "Syntax: VRFY address");
                    break;
                }

                Reply(252, "2.5.2", "Cannot VRFY user, but will accept message for accepted recipients");
                break;
            case "HELP":
                Reply(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP" + (CanStartTls ? " STARTTLS" : ""));
                break;
            case "STARTTLS" when CanStartTls:
                await StartTlsAsync(argument).ConfigureAwait(false);
                break;
            case "STARTTLS" when _secure:
                Error(503, "5.5.1", "Error: TLS already active");
                break;
            case "STARTTLS" or "EXPN" or "AUTH" or "BDAT" or "TURN" or "ETRN" or "ATRN" or "SEND" or "SOML" or "SAML":
                Error(502, "5.5.1", "Error: command not implemented");
                break;
            default:
                Error(500, "5.5.2", "Error: command not recognized");
                break;
        }
    }

    private bool CanStartTls => _options.Certificate is not null && !_secure;

    private void Hello(string argument, bool extended)
    {
        var name = argument.Trim(' ');
        if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal))
        {
            Error(501, "5.5.4", extended ? "Syntax: EHLO hostname" : "Syntax: HELO hostname");
            return;
        }

        // EHLO and HELO reset any transaction (RFC 5321 4.1.4).
        ResetTransaction();
        _helo = name;
        _extended = extended;
        if (!extended)
        {
            Reply(250, null, _options.ServerName);
            return;
        }

        var lines = new List<string>
        {
            $"{_options.ServerName} Hello {name}",
            "PIPELINING",
            string.Create(CultureInfo.InvariantCulture, $"SIZE {_options.MaxMessageSize}"),
            "8BITMIME",
            "ENHANCEDSTATUSCODES",
            "SMTPUTF8",
        };
        if (CanStartTls)
        {
            lines.Add("STARTTLS");
        }

        lines.Add("HELP");
        ReplyLines(250, null, lines);
    }

    private void Mail(string argument)
    {
        if (_helo is null)
        {
            Error(503, "5.5.1", "Error: send HELO/EHLO first");
            return;
        }

        if (_options.RequireTls && !_secure)
        {
            Error(530, "5.7.0", "Must issue a STARTTLS command first");
            return;
        }

        if (_mailFrom is not null)
        {
            Error(503, "5.5.1", "Error: nested MAIL command");
            return;
        }

        if (!argument.StartsWith("FROM:", StringComparison.OrdinalIgnoreCase))
        {
            Error(501, "5.5.4", "Syntax: MAIL FROM:<address>");
            return;
        }

        if (!SmtpAddress.TryParsePath(argument[5..], out var address, out var parameters, out var nonAscii))
        {
            Error(501, "5.1.7", "Bad sender address syntax");
            return;
        }

        var utf8 = false;
        var eightBit = false;
        if (parameters.Length > 0)
        {
            if (!_extended)
            {
                Error(555, "5.5.4", "MAIL parameters need EHLO");
                return;
            }

            foreach (var parameter in parameters.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = parameter.IndexOf('=', StringComparison.Ordinal);
                var key = (equals < 0 ? parameter : parameter[..equals]).ToUpperInvariant();
                var value = equals < 0 ? null : parameter[(equals + 1)..];
                switch (key)
                {
                    case "SIZE":
                        if (value is null || value.Length is 0 or > 20 || !value.All(char.IsAsciiDigit)
                            || !decimal.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                        {
                            Error(501, "5.5.4", "Bad SIZE parameter");
                            return;
                        }

                        if (size > _options.MaxMessageSize)
                        {
                            Reply(552, "5.3.4", "Message size exceeds fixed maximum message size");
                            return;
                        }

                        break;
                    case "BODY" when string.Equals(value, "7BIT", StringComparison.OrdinalIgnoreCase):
                        break;
                    case "BODY" when string.Equals(value, "8BITMIME", StringComparison.OrdinalIgnoreCase):
                        eightBit = true;
                        break;
                    case "SMTPUTF8" when value is null:
                        utf8 = true;
                        break;
                    default:
                        Error(555, "5.5.4", $"Unsupported MAIL parameter {Printable(key)}");
                        return;
                }
            }
        }

        if (nonAscii && !utf8)
        {
            Error(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");
            return;
        }

        _mailFrom = address;
        _utf8 = utf8;
        _eightBit = eightBit;
        Reply(250, "2.1.0", "Ok");
    }

    private void Rcpt(string argument)
    {
        if (_mailFrom is null)
        {
            Error(503, "5.5.1", "Error: need MAIL command");
            return;
        }

        if (!argument.StartsWith("TO:", StringComparison.OrdinalIgnoreCase))
        {
            Error(501, "5.5.4", "Syntax: RCPT TO:<address>");
            return;
        }

        if (!SmtpAddress.TryParsePath(argument[3..], out var address, out var parameters, out var nonAscii) || address.Length == 0)
        {
            Error(501, "5.1.3", "Bad recipient address syntax");
            return;
        }

        if (parameters.Length > 0)
        {
            Error(555, "5.5.4", "RCPT parameters not supported");
            return;
        }

        if (nonAscii && !_utf8)
        {
            Error(553, "5.6.7", "Non-ASCII address needs SMTPUTF8");
            return;
        }

        if (!IsAccepted(address))
        {
            Error(550, "5.1.1", $"<{address}>: Recipient address rejected: User unknown");
            return;
        }

        if (_recipients.Contains(address, StringComparer.OrdinalIgnoreCase))
        {
            Reply(250, "2.1.5", "Ok");
            return;
        }

        if (_recipients.Count >= _options.MaxRecipients)
        {
            Reply(452, "4.5.3", "Error: too many recipients");
            return;
        }

        _recipients.Add(address);
        Reply(250, "2.1.5", "Ok");
    }

    private bool IsAccepted(string address)
    {
        // Every message accepted becomes a report, so postmaster is accepted only when it is listed
        // like any other address (bare "postmaster" as postmaster@<server name>): this listener sits
        // behind the organisation's own mail servers, which keep RFC 5321's postmaster.
        if (SmtpAddress.IsBarePostmaster(address))
        {
            address = $"postmaster@{_options.ServerName}";
        }

        var at = address.LastIndexOf('@');
        var local = SmtpAddress.UnquoteLocalPart(address[..at]);
        var domain = address[(at + 1)..];
        var canonical = $"{local}@{domain}";
        return _options.AcceptedRecipients.Any(r => string.Equals(r, canonical, StringComparison.OrdinalIgnoreCase))
            || _options.AcceptedDomains.Any(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase));
    }

    private async Task DataAsync(string argument)
    {
        if (_mailFrom is null)
        {
            Error(503, "5.5.1", "Error: need MAIL command");
            return;
        }

        if (_recipients.Count == 0)
        {
            Error(554, "5.5.1", "Error: no valid recipients");
            return;
        }

        if (argument.Length > 0)
        {
            Error(501, "5.5.4", "Syntax: DATA");
            return;
        }

        Reply(354, null, "End data with <CR><LF>.<CR><LF>");
        await FlushAsync().ConfigureAwait(false);

        // The text goes to memory up to a threshold, then to a spool file: a session's memory does not
        // grow with the message, however many sessions send at once or however slowly.
        using var spool = new MessageSpool(_options.MaxMessageSize, _options.SpoolThreshold, _options.SpoolDirectory ?? Path.GetTempPath());
        DataStatus status;
        long size;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping))
        {
            (status, size) = await _reader
                .ReadDataAsync(spool, () => timeout.CancelAfter(_options.DataTimeout), timeout.Token)
                .ConfigureAwait(false);
        }

        switch (status)
        {
            case DataStatus.Closed:
                LogDataCut(_id, size);
                _closing = true;
                return;
            case DataStatus.TooLarge:
                LogRejected(_id, "too large", size);
                Reply(552, "5.3.4", "Message size exceeds fixed maximum message size");
                ResetTransaction();
                return;
            case DataStatus.BareLineBreak:
                LogRejected(_id, "bare CR or LF", size);
                Reply(554, "5.6.0", "Message refused: bare CR or LF in message text; lines must end with CRLF");
                ResetTransaction();
                return;
        }

        _messages++;
        var envelope = new SmtpEnvelope
        {
            MailFrom = _mailFrom,
            Recipients = [.. _recipients],
            RemoteEndPoint = _remote,
            HeloName = _helo!,
            Secure = _secure,
            SessionId = _id,
            MessageNumber = _messages,
            Utf8 = _utf8,
            EightBitMime = _eightBit,
        };
        ResetTransaction();

        // Handing over needs the whole message in memory: the server-wide allowance bounds how many
        // bytes are held so at once; a session past it waits its turn (the client waits for the reply).
        using (await _inFlight.AcquireAsync(size, _stopping).ConfigureAwait(false))
        {
            try
            {
                await _handler.HandleAsync(envelope, spool.ToArray(), _stopping).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                LogHandlerFailed(e, _id, envelope.MessageNumber);
                Reply(451, "4.3.0", "Error: message not stored, try again later");
                return;
            }
        }

        LogAccepted(_id, envelope.MessageNumber, size, envelope.MailFrom, envelope.Recipients.Count);
        Reply(250, "2.0.0", string.Create(CultureInfo.InvariantCulture, $"Ok: queued as {_id}.{envelope.MessageNumber}"));
    }

    private async Task StartTlsAsync(string argument)
    {
        if (argument.Length > 0)
        {
            Error(501, "5.5.4", "Syntax: STARTTLS");
            return;
        }

        if (_reader.Buffered > 0)
        {
            // Whatever came in plaintext after STARTTLS must not be taken as commands of the
            // protected session (the STARTTLS command injection of CVE-2011-0411 and kin).
            LogDiscarded(_id, _reader.Buffered);
        }

        Reply(220, "2.0.0", "Ready to start TLS");
        await FlushAsync().ConfigureAwait(false);

        var tls = new SslStream(_network, leaveInnerStreamOpen: true);
        _reader.Replace(tls);
        _stream = tls;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        timeout.CancelAfter(_options.CommandTimeout);
        var authentication = new SslServerAuthenticationOptions
        {
            ServerCertificate = _options.Certificate,
            ClientCertificateRequired = false,
        };
        try
        {
            await tls.AuthenticateAsServerAsync(authentication, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            // Nothing can be said to the client now: neither plaintext nor TLS is in effect.
            LogTlsFailed(_id, e.Message);
            _closing = true;
            _pending.SetLength(0);
            return;
        }

        // The session starts over: the client must say EHLO again (RFC 3207 4.2).
        _secure = true;
        _helo = null;
        _extended = false;
        ResetTransaction();
        LogTls(_id, tls.SslProtocol, tls.NegotiatedCipherSuite);
    }

    private void ResetTransaction()
    {
        _mailFrom = null;
        _recipients.Clear();
        _utf8 = false;
        _eightBit = false;
    }

    private void Error(int code, string enhanced, string text)
    {
        _errors++;
        Reply(code, enhanced, text);
    }

    private void Reply(int code, string? enhanced, string text) => ReplyLines(code, enhanced, [text]);

    private void ReplyLines(int code, string? enhanced, IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var separator = i == lines.Count - 1 ? ' ' : '-';
            var text = enhanced is null ? lines[i] : $"{enhanced} {lines[i]}";
            var bytes = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{code}{separator}{text}"));
            _pending.Write(bytes);
            _pending.Write(Crlf);
        }
    }

    private async Task FlushAsync()
    {
        if (_pending.Length == 0)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        timeout.CancelAfter(_options.CommandTimeout);
        var bytes = _pending.GetBuffer().AsMemory(0, (int)_pending.Length);
        await _stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
        await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        _pending.SetLength(0);
    }

    private async Task TryFinalReplyAsync(int code, string enhanced, string text)
    {
        try
        {
            _pending.SetLength(0);
            Reply(code, enhanced, text);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var bytes = _pending.GetBuffer().AsMemory(0, (int)_pending.Length);
            await _stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
            await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            // The client is gone or the stream is unusable; closing is all that is left.
        }
    }

    /// <summary>
    /// Closes politely: stops sending, then reads and drops what the client still sends for a short
    /// while, so that unread input does not make the kernel reset the connection before the last
    /// reply arrives.
    /// </summary>
    private async Task CloseAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            using var drain = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            var buffer = new byte[4096];
            var total = 0;
            while (total < 1024 * 1024)
            {
                var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, drain.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Already gone, or still talking after a second: close regardless.
        }
        finally
        {
            if (_stream is SslStream tls)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }

            await _network.DisposeAsync().ConfigureAwait(false);
            _socket.Dispose();
            _pending.Dispose();
        }
    }

    public void Dispose()
    {
        _network.Dispose();
        _pending.Dispose();
    }

    private static string Printable(string text) => new([.. text.Take(32).Select(c => c is >= ' ' and <= '~' ? c : '?')]);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Session} connection from {Remote}")]
    private partial void LogConnected(string session, IPEndPoint remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Session} disconnected after {Messages} message(s)")]
    private partial void LogDisconnected(string session, int messages);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Session} message {Number} accepted: {Size} octets from <{From}> to {Recipients} recipient(s)")]
    private partial void LogAccepted(string session, int number, long size, string from, int recipients);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Session} message {Number}: the handler failed; answered 451")]
    private partial void LogHandlerFailed(Exception exception, string session, int number);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Session} message refused ({Reason}) after {Size} octets")]
    private partial void LogRejected(string session, string reason, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Session} connection closed during DATA after {Size} octets; nothing accepted")]
    private partial void LogDataCut(string session, long size);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Session} {Count} octets sent after STARTTLS before the handshake were discarded")]
    private partial void LogDiscarded(string session, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Session} TLS established: {Protocol} {Cipher}")]
    private partial void LogTls(string session, SslProtocols protocol, TlsCipherSuite cipher);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Session} TLS handshake failed: {Reason}")]
    private partial void LogTlsFailed(string session, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Session} timeout; closing")]
    private partial void LogTimeout(string session);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Session} {Errors} errors; closing")]
    private partial void LogTooManyErrors(string session, int errors);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Session} connection failed: {Reason}")]
    private partial void LogConnectionFailed(string session, string reason);
}
