using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Hookline.Smtp.Client;

/// <summary>
/// An SMTP client (RFC 5321) for sending Hookline's own mail to a submission server or relay:
/// plaintext, STARTTLS (RFC 3207) or implicit TLS; EHLO with HELO fallback; AUTH PLAIN, LOGIN and
/// XOAUTH2 (RFC 4954); SIZE (RFC 1870), 8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531), PIPELINING
/// (RFC 2920) and enhanced status codes (RFC 2034). One session at a time; not thread-safe.
/// </summary>
/// <remarks>
/// Failures are <see cref="SmtpException"/>s that tell permanent (5yz, or a local refusal) from
/// transient (4yz, network, timeout, malformed reply). After a failure that is not a plain refusal of
/// a command, the connection is closed and the client must connect again.
/// </remarks>
public sealed class SmtpClient : IAsyncDisposable
{
    private readonly SmtpClientOptions _options;
    private readonly Dictionary<string, string> _extensions = new(StringComparer.OrdinalIgnoreCase);
    private TcpClient? _tcp;
    private Stream? _stream;
    private SmtpReplyReader? _reader;
    private string _host = "";

    public SmtpClient(SmtpClientOptions? options = null)
    {
        _options = options ?? new SmtpClientOptions();
    }

    public bool IsConnected => _stream is not null;

    /// <summary>Whether the session is protected by TLS.</summary>
    public bool IsSecure { get; private set; }

    public bool IsAuthenticated { get; private set; }

    /// <summary>The server's greeting.</summary>
    public SmtpReply? Greeting { get; private set; }

    /// <summary>True when the server answered EHLO (false: HELO, no extensions).</summary>
    public bool IsExtended { get; private set; }

    /// <summary>The EHLO keywords, upper case, with their parameters (e.g. <c>SIZE</c> → <c>35882577</c>).</summary>
    public IReadOnlyDictionary<string, string> Extensions => _extensions;

    /// <summary>The SASL mechanisms offered in the AUTH keyword.</summary>
    public IReadOnlySet<string> AuthMechanisms =>
        _extensions.TryGetValue("AUTH", out var list)
            ? list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(m => m.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The server's SIZE limit, 0 when it gives none.</summary>
    public long MaxMessageSize =>
        _extensions.TryGetValue("SIZE", out var value) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? size : 0;

    public bool Supports(string extension) => _extensions.ContainsKey(extension);

    /// <summary>Connects, reads the greeting, says EHLO (HELO if refused) and, for <see cref="SmtpSecurity.StartTls"/>, upgrades and says EHLO again.</summary>
    public async Task ConnectAsync(string host, int port, SmtpSecurity security, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        if (_stream is not null)
        {
            throw new InvalidOperationException("already connected");
        }

        _host = host;
        try
        {
            using (var timeout = Timeout(_options.CommandTimeout, cancellationToken))
            {
                _tcp = new TcpClient { NoDelay = true };
                await _tcp.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
                _stream = _tcp.GetStream();
                if (security == SmtpSecurity.Tls)
                {
                    await UpgradeAsync(timeout.Token).ConfigureAwait(false);
                }
                else
                {
                    _reader = NewReader(_stream);
                }
            }

            Greeting = await ReadAsync(SmtpFailureStage.Connect, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
            if (Greeting.Code != 220)
            {
                // 554 (or 421) instead of 220: the server will not talk to us (RFC 5321 3.1).
                throw Refused("the server refused the session", Greeting, SmtpFailureStage.Connect);
            }

            await HelloAsync(cancellationToken).ConfigureAwait(false);
            if (security == SmtpSecurity.StartTls)
            {
                if (!IsExtended || !Supports("STARTTLS"))
                {
                    throw new SmtpException("the server does not offer STARTTLS", SmtpFailureStage.Connect, isPermanent: true);
                }

                var reply = await CommandAsync("STARTTLS", SmtpFailureStage.Connect, cancellationToken).ConfigureAwait(false);
                if (reply.Code != 220)
                {
                    throw Refused("STARTTLS refused", reply, SmtpFailureStage.Connect);
                }

                // Anything the server sent after its 220 arrived in plaintext and could be an attacker's
                // (RFC 3207 5: the client must discard it); a server that does that cannot be trusted.
                if (_reader!.Buffered > 0)
                {
                    throw new SmtpException("the server sent data after its STARTTLS reply, before the TLS handshake", SmtpFailureStage.Connect, isPermanent: false);
                }

                using (var timeout = Timeout(_options.CommandTimeout, cancellationToken))
                {
                    await UpgradeAsync(timeout.Token).ConfigureAwait(false);
                }

                // RFC 3207 4.2: forget everything learnt before TLS and ask again.
                await HelloAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not SmtpException and not OperationCanceledException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Abort();
            throw Wrap(e, SmtpFailureStage.Connect);
        }
        catch
        {
            Abort();
            throw;
        }
    }

    /// <summary>Authenticates (RFC 4954) with the chosen mechanism, or the best one the server offers.</summary>
    public async Task AuthenticateAsync(SmtpCredentials credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        EnsureConnected();
        var offered = AuthMechanisms;
        var mechanism = credentials.Mechanism;
        if (mechanism == SmtpAuthMechanism.Auto)
        {
            mechanism = offered.Contains("PLAIN") ? SmtpAuthMechanism.Plain
                : offered.Contains("LOGIN") ? SmtpAuthMechanism.Login
                : offered.Contains("XOAUTH2") ? SmtpAuthMechanism.XOAuth2
                : throw new SmtpException("the server offers no SASL mechanism this client speaks (PLAIN, LOGIN, XOAUTH2)" + (IsSecure ? "" : "; many servers offer AUTH only after STARTTLS"), SmtpFailureStage.Authentication, isPermanent: true);
        }

        var name = mechanism switch
        {
            SmtpAuthMechanism.Plain => "PLAIN",
            SmtpAuthMechanism.Login => "LOGIN",
            _ => "XOAUTH2",
        };
        if (!offered.Contains(name))
        {
            throw new SmtpException($"the server does not offer AUTH {name}" + (IsSecure ? "" : " (many offer AUTH only after STARTTLS)"), SmtpFailureStage.Authentication, isPermanent: true);
        }

        try
        {
            var reply = mechanism switch
            {
                // RFC 4616: authorisation identity (empty), NUL, user, NUL, password; sent as the initial response (RFC 4954 4).
                SmtpAuthMechanism.Plain => await CommandAsync("AUTH PLAIN " + Base64("\0" + credentials.UserName + "\0" + credentials.Secret), SmtpFailureStage.Authentication, cancellationToken, secret: true).ConfigureAwait(false),
                SmtpAuthMechanism.Login => await LoginAsync(credentials, cancellationToken).ConfigureAwait(false),
                _ => await CommandAsync("AUTH XOAUTH2 " + Base64("user=" + credentials.UserName + "\u0001auth=Bearer " + credentials.Secret + "\u0001\u0001"), SmtpFailureStage.Authentication, cancellationToken, secret: true).ConfigureAwait(false),
            };

            // A 334 here is a challenge we did not expect: for PLAIN a server that ignores initial responses
            // is answered with an empty line... which RFC 4954 treats as empty credentials, so cancel instead;
            // for XOAUTH2 it carries the JSON error and the client must send an empty line to get the final reply.
            if (reply.Code == 334)
            {
                reply = await CommandAsync(mechanism == SmtpAuthMechanism.XOAuth2 ? "" : "*", SmtpFailureStage.Authentication, cancellationToken).ConfigureAwait(false);
            }

            if (reply.Code != 235)
            {
                throw Refused($"AUTH {name} failed", reply, SmtpFailureStage.Authentication);
            }

            IsAuthenticated = true;
        }
        catch (SmtpException e) when (e.Reply is null)
        {
            Abort();
            throw;
        }
    }

    /// <summary>
    /// Sends one message: MAIL FROM (with SIZE, BODY=8BITMIME and SMTPUTF8 as needed), RCPT TO for each
    /// recipient, DATA, the dot-stuffed text, and the end of data. <paramref name="commitPoint"/> is
    /// awaited after the whole text is written and just before the final "." line: until then the
    /// server cannot have taken the message; from then on a lost reply leaves it unknown whether it did
    /// (the exception then has <see cref="SmtpException.DeliveryUnknown"/>). If the callback throws,
    /// the end of data is never written and the connection is dropped, so the server discards the message.
    /// Recipients the server refuses are reported in the result, as long as one was accepted.
    /// </summary>
    public async Task<SmtpSendResult> SendAsync(string from, IReadOnlyList<string> recipients, ReadOnlyMemory<byte> message, Func<CancellationToken, Task>? commitPoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(recipients);
        EnsureConnected();
        if (recipients.Count == 0)
        {
            throw new ArgumentException("at least one recipient is needed", nameof(recipients));
        }

        foreach (var address in recipients.Append(from))
        {
            if (address.Any(c => c is '\r' or '\n' or '<' or '>' or '\0') || address.Any(char.IsWhiteSpace))
            {
                throw new ArgumentException($"'{address}' is not a mailbox address", nameof(recipients));
            }
        }

        var data = SmtpData.Prepare(message.Span);
        var utf8 = from.Any(c => c > 127) || recipients.Any(r => r.Any(c => c > 127));
        if (utf8 && !Supports("SMTPUTF8"))
        {
            throw new SmtpException("a non-ASCII address needs SMTPUTF8, which the server does not offer", SmtpFailureStage.Transaction, isPermanent: true);
        }

        if (data.EightBit && !Supports("8BITMIME") && !utf8)
        {
            throw new SmtpException("the message has 8-bit bytes and the server does not offer 8BITMIME; encode it as 7-bit", SmtpFailureStage.Transaction, isPermanent: true);
        }

        var limit = MaxMessageSize;
        if (limit > 0 && data.Size > limit)
        {
            throw new SmtpException($"the message ({data.Size} bytes) is larger than the server accepts ({limit} bytes)", SmtpFailureStage.Transaction, isPermanent: true);
        }

        var mail = new StringBuilder("MAIL FROM:<").Append(from).Append('>');
        if (IsExtended && Supports("SIZE"))
        {
            mail.Append(CultureInfo.InvariantCulture, $" SIZE={data.Size}");
        }

        if (data.EightBit && Supports("8BITMIME"))
        {
            mail.Append(" BODY=8BITMIME");
        }

        if (utf8)
        {
            mail.Append(" SMTPUTF8");
        }

        var commands = new List<string> { mail.ToString() };
        commands.AddRange(recipients.Select(r => "RCPT TO:<" + r + ">"));
        commands.Add("DATA");
        var replies = new List<SmtpReply>();
        var committing = false;
        var callbackFailed = false;
        try
        {
            if (_options.UsePipelining && Supports("PIPELINING"))
            {
                // RFC 2920 3.1: MAIL, RCPT and DATA may go in one group, DATA last; replies come in order.
                await WriteAsync(string.Concat(commands.Select(c => c + "\r\n")), _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                foreach (var _ in commands)
                {
                    replies.Add(await ReadAsync(SmtpFailureStage.Transaction, _options.CommandTimeout, cancellationToken).ConfigureAwait(false));
                }
            }
            else
            {
                foreach (var command in commands)
                {
                    var reply = await CommandAsync(command, SmtpFailureStage.Transaction, cancellationToken).ConfigureAwait(false);
                    replies.Add(reply);
                    if (replies.Count == 1 && !reply.IsPositive)
                    {
                        break;
                    }

                    if (command == commands[^2] && !replies.Skip(1).Any(r => r.IsPositive))
                    {
                        break;
                    }
                }
            }

            var mailReply = replies[0];
            var accepted = new List<string>();
            var rejected = new Dictionary<string, SmtpReply>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < recipients.Count && i + 1 < replies.Count; i++)
            {
                if (replies[i + 1].IsPositive)
                {
                    accepted.Add(recipients[i]);
                }
                else
                {
                    rejected[recipients[i]] = replies[i + 1];
                }
            }

            var dataReply = replies.Count == commands.Count ? replies[^1] : null;
            if (!mailReply.IsPositive || accepted.Count == 0 || dataReply is not { Code: 354 })
            {
                if (dataReply is { Code: 354 })
                {
                    // A server that invites data although nothing was accepted: end it with no text.
                    await WriteAsync(".\r\n", _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
                    await ReadAsync(SmtpFailureStage.Transaction, _options.DataTerminationTimeout, cancellationToken).ConfigureAwait(false);
                }

                await TryResetAsync(cancellationToken).ConfigureAwait(false);
                var blame = !mailReply.IsPositive ? mailReply
                    : accepted.Count == 0 ? (rejected.Values.FirstOrDefault(r => r.IsTransientFailure) ?? rejected.Values.First())
                    : dataReply!;
                var what = !mailReply.IsPositive ? "MAIL FROM refused" : accepted.Count == 0 ? "every recipient refused" : "DATA refused";
                throw Refused(what, blame, SmtpFailureStage.Transaction);
            }

            await WriteDataAsync(data.Stuffed, cancellationToken).ConfigureAwait(false);
            if (commitPoint is not null)
            {
                try
                {
                    await commitPoint(cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    callbackFailed = true;

                    // Without the terminator the server discards what it has (RFC 5321 4.1.1.4); closing makes sure.
                    Abort();
                    throw;
                }
            }

            committing = true;
            await WriteAsync(".\r\n", _options.DataBlockTimeout, cancellationToken).ConfigureAwait(false);
            var final = await ReadAsync(SmtpFailureStage.Transaction, _options.DataTerminationTimeout, cancellationToken).ConfigureAwait(false);
            if (!final.IsPositive)
            {
                throw Refused("message refused at the end of data", final, SmtpFailureStage.Transaction);
            }

            return new SmtpSendResult(final, accepted, rejected);
        }
        catch (SmtpException e) when (e.Reply is not null)
        {
            throw;
        }
        catch (Exception) when (callbackFailed)
        {
            // The caller's own failure, as it was.
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Abort();
            var wrapped = Wrap(e, SmtpFailureStage.Transaction);
            throw committing
                ? new SmtpException("no reply to the end of data: the server may or may not have taken the message (" + wrapped.Message + ")", SmtpFailureStage.Transaction, isPermanent: false, innerException: e) { DeliveryUnknown = true }
                : wrapped;
        }
        catch
        {
            Abort();
            throw;
        }
    }

    /// <summary>RSET: abandons the current transaction.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        EnsureConnected();
        var reply = await CommandAsync("RSET", SmtpFailureStage.Session, cancellationToken).ConfigureAwait(false);
        if (!reply.IsPositive)
        {
            throw Refused("RSET refused", reply, SmtpFailureStage.Session);
        }
    }

    /// <summary>NOOP: checks that the session is alive.</summary>
    public async Task NoopAsync(CancellationToken cancellationToken = default)
    {
        EnsureConnected();
        var reply = await CommandAsync("NOOP", SmtpFailureStage.Session, cancellationToken).ConfigureAwait(false);
        if (!reply.IsPositive)
        {
            throw Refused("NOOP refused", reply, SmtpFailureStage.Session);
        }
    }

    /// <summary>QUIT, then closes; failures while quitting are ignored (the work is done).</summary>
    public async Task QuitAsync(CancellationToken cancellationToken = default)
    {
        if (_stream is null)
        {
            return;
        }

        try
        {
            await CommandAsync("QUIT", SmtpFailureStage.Session, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SmtpException or IOException or OperationCanceledException)
        {
        }
        finally
        {
            Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stream is not null)
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await QuitAsync(quick.Token).ConfigureAwait(false);
        }
    }

    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        _extensions.Clear();
        var reply = await CommandAsync("EHLO " + _options.ClientName, SmtpFailureStage.Connect, cancellationToken).ConfigureAwait(false);
        if (reply.IsPositive)
        {
            IsExtended = true;
            foreach (var line in reply.Lines.Skip(1))
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var keyword = (space < 0 ? line : line[..space]).Trim().ToUpperInvariant();
                var parameters = space < 0 ? "" : line[(space + 1)..].Trim();

                // Old servers say "AUTH=LOGIN PLAIN" besides (or instead of) "AUTH LOGIN PLAIN".
                if (keyword.StartsWith("AUTH=", StringComparison.Ordinal))
                {
                    parameters = (keyword[5..] + " " + parameters).Trim();
                    keyword = "AUTH";
                    if (_extensions.TryGetValue("AUTH", out var existing))
                    {
                        parameters = existing + " " + parameters;
                    }
                }

                if (keyword.Length > 0)
                {
                    _extensions[keyword] = parameters;
                }
            }

            return;
        }

        if (reply.Code is 500 or 502 or 504 or 550)
        {
            // RFC 5321 3.2: a server that does not know EHLO; fall back to HELO, without extensions.
            IsExtended = false;
            reply = await CommandAsync("HELO " + _options.ClientName, SmtpFailureStage.Connect, cancellationToken).ConfigureAwait(false);
            if (reply.IsPositive)
            {
                return;
            }
        }

        throw Refused("the server refused EHLO/HELO", reply, SmtpFailureStage.Connect);
    }

    private async Task<SmtpReply> LoginAsync(SmtpCredentials credentials, CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("AUTH LOGIN", SmtpFailureStage.Authentication, cancellationToken).ConfigureAwait(false);
        if (reply.Code != 334)
        {
            return reply;
        }

        reply = await CommandAsync(Base64(credentials.UserName), SmtpFailureStage.Authentication, cancellationToken, secret: true).ConfigureAwait(false);
        if (reply.Code != 334)
        {
            return reply;
        }

        reply = await CommandAsync(Base64(credentials.Secret), SmtpFailureStage.Authentication, cancellationToken, secret: true).ConfigureAwait(false);
        return reply.Code == 334 ? await CommandAsync("*", SmtpFailureStage.Authentication, cancellationToken).ConfigureAwait(false) : reply;
    }

    private async Task TryResetAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CommandAsync("RSET", SmtpFailureStage.Session, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpException)
        {
            Abort();
        }
    }

    private async Task<SmtpReply> CommandAsync(string command, SmtpFailureStage stage, CancellationToken cancellationToken, bool secret = false)
    {
        _ = secret; // The client logs nothing; the flag marks lines that must never be logged if it ever does.
        await WriteAsync(command + "\r\n", _options.CommandTimeout, cancellationToken, stage).ConfigureAwait(false);
        return await ReadAsync(stage, _options.CommandTimeout, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync(string text, TimeSpan limit, CancellationToken cancellationToken, SmtpFailureStage stage = SmtpFailureStage.Transaction)
    {
        using var timeout = Timeout(limit, cancellationToken);
        try
        {
            await _stream!.WriteAsync(Encoding.UTF8.GetBytes(text), timeout.Token).ConfigureAwait(false);
            await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Abort();
            throw Wrap(e, stage);
        }
    }

    private async Task WriteDataAsync(byte[] data, CancellationToken cancellationToken)
    {
        const int Block = 64 * 1024;
        for (var offset = 0; offset < data.Length; offset += Block)
        {
            using var timeout = Timeout(_options.DataBlockTimeout, cancellationToken);
            await _stream!.WriteAsync(data.AsMemory(offset, Math.Min(Block, data.Length - offset)), timeout.Token).ConfigureAwait(false);
        }

        using var flush = Timeout(_options.DataBlockTimeout, cancellationToken);
        await _stream!.FlushAsync(flush.Token).ConfigureAwait(false);
    }

    private async Task<SmtpReply> ReadAsync(SmtpFailureStage stage, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var timeout = Timeout(limit, cancellationToken);
        try
        {
            return await _reader!.ReadAsync(IsExtended && Supports("ENHANCEDSTATUSCODES"), timeout.Token).ConfigureAwait(false);
        }
        catch (SmtpException e)
        {
            Abort();
            throw new SmtpException(e.Message, stage, isPermanent: false, innerException: e);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Abort();
            throw Wrap(e, stage);
        }
    }

    private async Task UpgradeAsync(CancellationToken cancellationToken)
    {
        var ssl = new SslStream(_stream!, leaveInnerStreamOpen: false);
        var targetHost = _options.TlsServerName ?? _host;
        string? refused = null;
        try
        {
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions
                {
                    TargetHost = targetHost,
                    RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                    {
                        var accepted = _options.ServerCertificateValidation?.Invoke(sender, certificate, chain, errors) ?? errors == SslPolicyErrors.None;
                        if (!accepted)
                        {
                            refused = DescribeRefusedCertificate(certificate, chain, errors);
                        }

                        return accepted;
                    },
                    EnabledSslProtocols = SslProtocols.None,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException e)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            _stream = null;
            var message = refused is null
                ? "TLS handshake failed: " + e.Message
                : $"TLS handshake failed: the server's certificate for '{targetHost}' was not accepted: {refused}";
            throw new SmtpException(message, SmtpFailureStage.Connect, isPermanent: false, innerException: e);
        }

        _stream = ssl;
        _reader = NewReader(ssl);
        IsSecure = true;
    }

    /// <summary>Why a certificate failed validation, in words an administrator can act on: the policy errors, the chain's problems, whose certificate it is.</summary>
    private static string DescribeRefusedCertificate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return "the server sent no certificate";
        }

        var problems = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            problems.Add("it is not issued for this host name");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError).Select(s => $"{s.Status} ({s.StatusInformation.Trim()})").Distinct().ToList() ?? [];
            problems.Add("its chain does not validate" + (statuses.Count == 0 ? "" : ": " + string.Join(", ", statuses)));
        }

        if (problems.Count == 0)
        {
            problems.Add(errors == SslPolicyErrors.None ? "refused by the configured validation" : errors.ToString());
        }

        var expires = certificate is X509Certificate2 full ? full.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : certificate.GetExpirationDateString();
        return $"{string.Join("; ", problems)} (subject {certificate.Subject}, issuer {certificate.Issuer}, expires {expires})";
    }

    private SmtpReplyReader NewReader(Stream stream) => new(stream, _options.MaxReplyLineLength, _options.MaxReplyLines);

    private void EnsureConnected()
    {
        if (_stream is null)
        {
            throw new InvalidOperationException("not connected");
        }
    }

    private void Abort()
    {
        try
        {
            _stream?.Dispose();
            _tcp?.Dispose();
        }
        catch (IOException)
        {
        }

        _stream = null;
        _tcp = null;
        _reader = null;
        IsAuthenticated = false;
        IsSecure = false;
    }

    private static CancellationTokenSource Timeout(TimeSpan limit, CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(limit);
        return source;
    }

    private static SmtpException Refused(string what, SmtpReply reply, SmtpFailureStage stage) =>
        new($"{what}: {reply}", stage, isPermanent: reply.IsPermanentFailure, reply);

    private static SmtpException Wrap(Exception e, SmtpFailureStage stage) => e switch
    {
        SmtpException smtp => smtp,
        OperationCanceledException => new SmtpException("timed out waiting for the server", stage, isPermanent: false, innerException: e),
        SocketException socket => new SmtpException("network error: " + socket.Message, stage, isPermanent: false, innerException: e),
        _ => new SmtpException("connection failed: " + e.Message, stage, isPermanent: false, innerException: e),
    };

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
}
