using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Hookline.Imap.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hookline.Imap;

/// <summary>
/// An IMAP4rev1 client (RFC 3501, with IDLE, LITERAL+/LITERAL-, SASL-IR, UIDPLUS, MOVE, MULTIAPPEND and
/// ESEARCH when the server advertises them) over one connection. Not thread-safe: one call at a time.
/// </summary>
/// <remarks>
/// A NO or BAD answer throws <see cref="ImapCommandException"/> and leaves the connection usable. Any other
/// failure (timeout, lost connection, malformed response, cancellation in the middle of a command) closes
/// the connection: its state is unknown after that. <see cref="IdleAsync"/> is the exception: cancelling
/// it ends the IDLE cleanly with DONE and keeps the connection.
/// </remarks>
public sealed partial class ImapClient : IAsyncDisposable, IDisposable
{
    private readonly ImapClientOptions _options;
    private readonly ILogger _logger;
    private readonly HashSet<string> _capabilities = new(StringComparer.OrdinalIgnoreCase);
    private Socket? _socket;
    private Stream? _stream;
    private ImapResponseReader? _reader;
    private ImapWriter? _writer;
    private string _host = "";
    private int _tagCounter;
    private bool _broken;
    private string? _bye;
    private bool _sawNewMessages;
    private bool _sawMailboxChange;
    private bool _newMessagesAnnounced;

    public ImapClient(ImapClientOptions? options = null)
    {
        _options = options ?? new ImapClientOptions();
        _logger = _options.Logger ?? NullLogger.Instance;
    }

    /// <summary>True between a successful <see cref="ConnectAsync"/> and the connection's end.</summary>
    public bool IsConnected => _stream is not null && !_broken;

    public bool IsAuthenticated { get; private set; }

    /// <summary>True when the connection is TLS-protected (implicit TLS or after STARTTLS).</summary>
    public bool IsSecure { get; private set; }

    /// <summary>The server's greeting text.</summary>
    public string Greeting { get; private set; } = "";

    /// <summary>The mailbox selected or examined last, kept current by EXISTS and EXPUNGE responses.</summary>
    public ImapMailboxInfo? SelectedMailbox { get; private set; }

    /// <summary>The capabilities the server advertised last, without <see cref="ImapClientOptions.IgnoredCapabilities"/>.</summary>
    public IReadOnlySet<string> Capabilities =>
        _capabilities.Where(c => !_options.IgnoredCapabilities.Contains(c)).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the server advertised <paramref name="capability"/> (e.g. <c>IDLE</c>, <c>AUTH=PLAIN</c>) and it is not ignored.</summary>
    public bool Supports(string capability) => _capabilities.Contains(capability) && !_options.IgnoredCapabilities.Contains(capability);

    /// <summary>Connects, reads the greeting, secures the connection as asked and learns the capabilities.</summary>
    public async Task ConnectAsync(string host, int port, ImapSecurity security, CancellationToken cancellationToken = default)
    {
        if (_socket is not null)
        {
            throw new InvalidOperationException("The client is already connected; use a new ImapClient per connection.");
        }

        _host = host;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            _socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await _socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(_socket, ownsSocket: true);
            if (security == ImapSecurity.Tls)
            {
                stream = await StartTlsOnAsync(stream, timeout.Token).ConfigureAwait(false);
            }

            _stream = stream;
            _reader = new ImapResponseReader(stream, _options.MaxLineLength, _options.MaxLiteralSize);
            _writer = new ImapWriter(stream);
            var greeting = await _reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            if (greeting.Kind != ImapResponseKind.Untagged || greeting.Type is not ("OK" or "PREAUTH" or "BYE"))
            {
                throw new ImapProtocolException($"The server's greeting is not * OK, * PREAUTH or * BYE (got '{greeting.Type}').");
            }

            Greeting = greeting.Text;
            if (greeting.Type == "BYE")
            {
                throw new ImapException($"The server refused the connection: {greeting.Text}");
            }

            IsAuthenticated = greeting.Type == "PREAUTH";
            HandleUntagged(greeting);
        }
        catch (Exception ex)
        {
            Break();
            throw ConnectFailure(ex, host, port, timeout, cancellationToken);
        }

        if (_capabilities.Count == 0)
        {
            await CapabilityAsync(cancellationToken).ConfigureAwait(false);
        }

        if (security == ImapSecurity.StartTls)
        {
            if (!Supports("STARTTLS"))
            {
                Break();
                throw new ImapException($"{host}:{port} does not offer STARTTLS.");
            }

            await RunAsync(new ImapCommand("STARTTLS"), null, cancellationToken).ConfigureAwait(false);
            if (_reader!.BufferedCount > 0)
            {
                // Anything sent after the OK and before the handshake could have been injected by an attacker.
                Break();
                throw new ImapProtocolException("The server sent data after STARTTLS's OK, before the TLS handshake.");
            }

            using var tlsTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            tlsTimeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                var tls = await StartTlsOnAsync(_stream!, tlsTimeout.Token).ConfigureAwait(false);
                _stream = tls;
                _reader.SetStream(tls);
                _writer!.SetStream(tls);
            }
            catch (Exception ex)
            {
                Break();
                throw ConnectFailure(ex, host, port, tlsTimeout, cancellationToken);
            }

            _capabilities.Clear();
            await CapabilityAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks the server for its capabilities.</summary>
    public async Task<IReadOnlySet<string>> CapabilityAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync(new ImapCommand("CAPABILITY"), null, cancellationToken).ConfigureAwait(false);
        return Capabilities;
    }

    /// <summary>LOGIN with a user name and password.</summary>
    public async Task LoginAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        if (Supports("LOGINDISABLED"))
        {
            throw new ImapException("The server does not allow LOGIN on this connection (LOGINDISABLED); use TLS.");
        }

        var command = new ImapCommand("LOGIN").Space().AString(user).Space().AString(password);
        var done = await RunAsync(command, null, cancellationToken).ConfigureAwait(false);
        await AfterAuthenticationAsync(done, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>AUTHENTICATE PLAIN (RFC 4616), with the initial response inline when SASL-IR is advertised.</summary>
    public Task AuthenticatePlainAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        var response = Encoding.UTF8.GetBytes("\0" + user + "\0" + password);
        return AuthenticateAsync("PLAIN", response, cancellationToken);
    }

    /// <summary>AUTHENTICATE XOAUTH2 with an OAuth 2.0 access token.</summary>
    public Task AuthenticateXOAuth2Async(string user, string accessToken, CancellationToken cancellationToken = default)
    {
        var response = Encoding.UTF8.GetBytes("user=" + user + "\u0001auth=Bearer " + accessToken + "\u0001\u0001");
        return AuthenticateAsync("XOAUTH2", response, cancellationToken);
    }

    /// <summary>SELECT a mailbox (read-write).</summary>
    public Task<ImapMailboxInfo> SelectAsync(string mailbox, CancellationToken cancellationToken = default)
        => OpenMailboxAsync("SELECT", mailbox, cancellationToken);

    /// <summary>EXAMINE a mailbox (read-only).</summary>
    public Task<ImapMailboxInfo> ExamineAsync(string mailbox, CancellationToken cancellationToken = default)
        => OpenMailboxAsync("EXAMINE", mailbox, cancellationToken);

    /// <summary>CREATE a mailbox; false when it already existed.</summary>
    public async Task<bool> CreateAsync(string mailbox, CancellationToken cancellationToken = default)
    {
        try
        {
            await RunAsync(new ImapCommand("CREATE").Space().Mailbox(mailbox), null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ImapCommandException ex) when (ex.ResponseCode == "ALREADYEXISTS")
        {
            return false;
        }
    }

    /// <summary>DELETE a mailbox.</summary>
    public Task DeleteAsync(string mailbox, CancellationToken cancellationToken = default)
        => RunAsync(new ImapCommand("DELETE").Space().Mailbox(mailbox), null, cancellationToken);

    /// <summary>LIST mailboxes matching <paramref name="pattern"/> (<c>*</c> and <c>%</c> wildcards) under <paramref name="reference"/>.</summary>
    public async Task<IReadOnlyList<ImapListEntry>> ListAsync(string reference, string pattern, CancellationToken cancellationToken = default)
    {
        var entries = new List<ImapListEntry>();
        var command = new ImapCommand("LIST").Space().Mailbox(reference).Space().ListPattern(pattern);
        await RunAsync(command, r =>
        {
            if (r.Type == "LIST")
            {
                entries.Add(ParseList(r));
            }
        }, cancellationToken).ConfigureAwait(false);
        return entries;
    }

    /// <summary>The hierarchy delimiter of the personal namespace (LIST "" ""), or null for a flat server.</summary>
    public async Task<char?> GetHierarchyDelimiterAsync(CancellationToken cancellationToken = default)
    {
        var entries = await ListAsync("", "", cancellationToken).ConfigureAwait(false);
        return entries.Count > 0 ? entries[0].Delimiter : null;
    }

    /// <summary>UID SEARCH with raw search criteria (e.g. <c>ALL</c>, <c>UID 10:*</c>, <c>UNSEEN</c>); the UIDs in ascending order.</summary>
    public async Task<IReadOnlyList<uint>> UidSearchAsync(string criteria, CancellationToken cancellationToken = default)
    {
        RequireSelected();
        var result = new List<uint>();
        var esearch = Supports("ESEARCH");
        var command = new ImapCommand("UID SEARCH").Space();
        if (esearch)
        {
            command.Raw("RETURN (ALL) ");
        }

        command.Raw(criteria);
        string? tag = null;
        await RunAsync(command, r =>
        {
            if (r.Type == "SEARCH")
            {
                foreach (var v in r.Values)
                {
                    result.Add(v.AsNumber());
                }
            }
            else if (r.Type == "ESEARCH")
            {
                ReadEsearch(r, tag, result);
            }
        }, cancellationToken, t => tag = t).ConfigureAwait(false);
        result.Sort();
        return result;
    }

    /// <summary>The UIDs of every message in the selected mailbox.</summary>
    public Task<IReadOnlyList<uint>> UidSearchAllAsync(CancellationToken cancellationToken = default) => UidSearchAsync("ALL", cancellationToken);

    /// <summary>
    /// The UIDs from <paramref name="first"/> to <paramref name="last"/> (inclusive; <see cref="uint.MaxValue"/>
    /// for "no upper bound"). Unlike a bare <c>UID n:*</c>, never returns a UID below <paramref name="first"/>.
    /// </summary>
    public async Task<IReadOnlyList<uint>> UidSearchRangeAsync(uint first, uint last = uint.MaxValue, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(first);
        var upper = last == uint.MaxValue ? "*" : last.ToString(CultureInfo.InvariantCulture);
        var uids = await UidSearchAsync("UID " + first.ToString(CultureInfo.InvariantCulture) + ":" + upper, cancellationToken).ConfigureAwait(false);
        return uids.Where(u => u >= first && u <= last).ToList();
    }

    /// <summary>UID FETCH (UID RFC822.SIZE INTERNALDATE) for a set of UIDs; messages that no longer exist are left out.</summary>
    public async Task<IReadOnlyList<ImapMessageSummary>> FetchSummariesAsync(IEnumerable<uint> uids, CancellationToken cancellationToken = default)
    {
        RequireSelected();
        var result = new List<ImapMessageSummary>();
        var command = new ImapCommand("UID FETCH").Space().Raw(ImapUidSet.Format(uids)).Raw(" (UID RFC822.SIZE INTERNALDATE)");
        await RunAsync(command, r =>
        {
            if (r.Type == "FETCH" && ParseFetch(r, false) is { Size: >= 0 } item && item.Date is { } date)
            {
                result.Add(new ImapMessageSummary(item.Uid, item.Size, date));
            }
        }, cancellationToken).ConfigureAwait(false);
        result.Sort((a, b) => a.Uid.CompareTo(b.Uid));
        return result;
    }

    /// <summary>
    /// UID FETCH (UID RFC822.SIZE INTERNALDATE BODY.PEEK[]) for a set of UIDs: each message's exact bytes in
    /// one array of the literal's size. Does not set \Seen. Messages that no longer exist are left out.
    /// </summary>
    public async Task<IReadOnlyList<ImapFetchedMessage>> FetchMessagesAsync(IEnumerable<uint> uids, CancellationToken cancellationToken = default)
    {
        RequireSelected();
        var result = new List<ImapFetchedMessage>();
        var command = new ImapCommand("UID FETCH").Space().Raw(ImapUidSet.Format(uids)).Raw(" (UID RFC822.SIZE INTERNALDATE BODY.PEEK[])");
        await RunAsync(command, r =>
        {
            if (r.Type == "FETCH" && ParseFetch(r, true) is { Body: not null } item)
            {
                result.Add(new ImapFetchedMessage(item.Uid, item.Date ?? DateTimeOffset.MinValue, item.Body));
            }
        }, cancellationToken).ConfigureAwait(false);
        result.Sort((a, b) => a.Uid.CompareTo(b.Uid));
        return result;
    }

    /// <summary>
    /// As <see cref="FetchMessagesAsync(IEnumerable{uint}, CancellationToken)"/>, bounded by the bytes that
    /// actually arrive: a message over <paramref name="maxMessageBytes"/>, or one that would take the
    /// batch over <paramref name="maxBatchBytes"/> (the first that fits the per-message limit is always
    /// kept), is read off the connection and dropped, and listed in <see cref="ImapFetchResult.Dropped"/>.
    /// A server that under-reports RFC822.SIZE therefore cannot make the client hold more than that.
    /// </summary>
    public async Task<ImapFetchResult> FetchMessagesAsync(IEnumerable<uint> uids, long maxMessageBytes, long maxBatchBytes, CancellationToken cancellationToken = default)
    {
        RequireSelected();
        var messages = new List<ImapFetchedMessage>();
        var dropped = new List<ImapDroppedMessage>();
        var allowance = new LiteralAllowance(maxMessageBytes, maxBatchBytes);
        var command = new ImapCommand("UID FETCH").Space().Raw(ImapUidSet.Format(uids)).Raw(" (UID RFC822.SIZE INTERNALDATE BODY.PEEK[])");
        _reader!.Allowance = allowance;
        try
        {
            await RunAsync(command, r =>
            {
                if (r.Type != "FETCH" || ParseFetch(r, true) is not { Body: not null } item)
                {
                    return;
                }

                if (item.DroppedSize is { } size)
                {
                    dropped.Add(new ImapDroppedMessage(item.Uid, size, size > allowance.PerLiteral));
                }
                else
                {
                    messages.Add(new ImapFetchedMessage(item.Uid, item.Date ?? DateTimeOffset.MinValue, item.Body));
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (_reader is not null)
            {
                _reader.Allowance = null;
            }
        }

        messages.Sort((a, b) => a.Uid.CompareTo(b.Uid));
        dropped.Sort((a, b) => a.Uid.CompareTo(b.Uid));
        return new ImapFetchResult(messages, dropped);
    }

    /// <summary>
    /// Moves messages to another mailbox: UID MOVE (RFC 6851) when advertised, else UID COPY, UID STORE
    /// +FLAGS.SILENT (\Deleted) and UID EXPUNGE (UIDPLUS) or, without UIDPLUS, EXPUNGE (which also removes
    /// any other message already flagged \Deleted).
    /// </summary>
    public async Task MoveAsync(IEnumerable<uint> uids, string destination, CancellationToken cancellationToken = default)
    {
        RequireSelected();
        var set = ImapUidSet.Format(uids);
        if (Supports("MOVE"))
        {
            await RunAsync(new ImapCommand("UID MOVE").Space().Raw(set).Space().Mailbox(destination), null, cancellationToken).ConfigureAwait(false);
            return;
        }

        await RunAsync(new ImapCommand("UID COPY").Space().Raw(set).Space().Mailbox(destination), null, cancellationToken).ConfigureAwait(false);
        await RunAsync(new ImapCommand("UID STORE").Space().Raw(set).Raw(" +FLAGS.SILENT (\\Deleted)"), null, cancellationToken).ConfigureAwait(false);
        if (Supports("UIDPLUS"))
        {
            await RunAsync(new ImapCommand("UID EXPUNGE").Space().Raw(set), null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await RunAsync(new ImapCommand("EXPUNGE"), null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>UID STORE +FLAGS.SILENT: adds flags (e.g. <c>\Seen</c>, <c>\Deleted</c>) to messages.</summary>
    public Task AddFlagsAsync(IEnumerable<uint> uids, IEnumerable<string> flags, CancellationToken cancellationToken = default)
    {
        RequireSelected();
        var command = new ImapCommand("UID STORE").Space().Raw(ImapUidSet.Format(uids)).Raw(" +FLAGS.SILENT (").Raw(FlagList(flags)).Raw(")");
        return RunAsync(command, null, cancellationToken);
    }

    /// <summary>EXPUNGE: removes every message flagged \Deleted from the selected mailbox.</summary>
    public Task ExpungeAsync(CancellationToken cancellationToken = default)
    {
        RequireSelected();
        return RunAsync(new ImapCommand("EXPUNGE"), null, cancellationToken);
    }

    /// <summary>APPENDs one message; its UID when the server reports it (UIDPLUS), else null.</summary>
    public async Task<uint?> AppendAsync(
        string mailbox,
        ReadOnlyMemory<byte> message,
        IReadOnlyList<string>? flags = null,
        DateTimeOffset? internalDate = null,
        CancellationToken cancellationToken = default)
    {
        var uids = await AppendAsync(mailbox, [new ImapAppendMessage(message, flags, internalDate)], cancellationToken).ConfigureAwait(false);
        return uids.Count == 1 ? uids[0] : null;
    }

    /// <summary>
    /// APPENDs many messages, as fast as the server allows: several per command with MULTIAPPEND (RFC 3502),
    /// and every command pipelined without waiting for continuations with LITERAL+ (RFC 7888). Returns
    /// the new UIDs in order when the server reports them (UIDPLUS), else an empty list. When a command
    /// fails, the others still complete and the first failure is thrown.
    /// </summary>
    public async Task<IReadOnlyList<uint>> AppendAsync(string mailbox, IReadOnlyList<ImapAppendMessage> messages, CancellationToken cancellationToken = default)
    {
        if (messages.Count == 0)
        {
            return [];
        }

        var commands = new List<ImapCommand>();
        var multi = Supports("MULTIAPPEND");
        var i = 0;
        while (i < messages.Count)
        {
            var command = new ImapCommand("APPEND").Space().Mailbox(mailbox);
            long bytes = 0;
            var count = 0;
            do
            {
                var m = messages[i];
                if (m.Flags is { Count: > 0 })
                {
                    command.Raw(" (").Raw(FlagList(m.Flags)).Raw(")");
                }

                if (m.InternalDate is { } date)
                {
                    command.Raw(" \"").Raw(FormatDate(date)).Raw("\"");
                }

                command.Space().Literal(m.Body);
                bytes += m.Body.Length;
                count++;
                i++;
            }
            while (multi && i < messages.Count && count < _options.AppendBatchMessages && bytes + messages[i].Body.Length <= _options.AppendBatchBytes);
            commands.Add(command);
        }

        var responses = Supports("LITERAL+")
            ? await RunPipelinedAsync(commands, cancellationToken).ConfigureAwait(false)
            : await RunSequentiallyAsync(commands, cancellationToken).ConfigureAwait(false);
        var uids = new List<uint>(messages.Count);
        var allKnown = Supports("UIDPLUS");
        foreach (var done in responses)
        {
            if (done.Code == "APPENDUID" && done.CodeArguments?.Split(' ') is [_, var set])
            {
                uids.AddRange(ParseSet(set));
            }
            else
            {
                allKnown = false;
            }
        }

        return allKnown && uids.Count == messages.Count ? uids : [];
    }

    /// <summary>
    /// Whether the server announced new messages in the selected mailbox (a growing EXISTS, in the answer
    /// to any command or during IDLE) since the last call; clears it. A caller that searches and then
    /// idles checks it between the two: news that came with a later command's answer is not repeated
    /// by the server when IDLE starts.
    /// </summary>
    public bool TakeNewMessagesAnnounced()
    {
        var announced = _newMessagesAnnounced;
        _newMessagesAnnounced = false;
        return announced;
    }

    /// <summary>
    /// IDLE (RFC 2177) until the server reports new messages (EXISTS) or removed ones (EXPUNGE), or
    /// <paramref name="timeout"/> passes; then DONE. Keep <paramref name="timeout"/> under 29 minutes.
    /// Cancelling ends the IDLE with DONE, waits for its completion and then throws
    /// <see cref="OperationCanceledException"/>: the connection stays usable (e.g. for LOGOUT).
    /// </summary>
    public async Task<ImapIdleResult> IdleAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        RequireSelected();
        if (!Supports("IDLE"))
        {
            throw new ImapException("The server does not support IDLE.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var tag = NextTag();
        using var scope = new OperationScope(this, timeout + _options.CommandTimeout, CancellationToken.None);
        _sawNewMessages = _sawMailboxChange = false;
        try
        {
            Log.Command(_logger, tag, "IDLE");
            await _writer!.WriteTextAsync(tag + " IDLE\r\n", scope.Token).ConfigureAwait(false);
            await _writer.FlushAsync(scope.Token).ConfigureAwait(false);
            var early = await WaitForContinuationAsync(tag, null, scope).ConfigureAwait(false);
            if (early is not null)
            {
                Check("IDLE", early);
                return Outcome();
            }

            Task<ImapResponse>? pending = null;
            if (!_sawNewMessages && !_sawMailboxChange)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(timeout);
                var stop = Task.Delay(Timeout.Infinite, wait.Token);
                while (true)
                {
                    pending ??= _reader!.ReadAsync(scope.Token).AsTask();
                    if (await Task.WhenAny(pending, stop).ConfigureAwait(false) != pending)
                    {
                        break;
                    }

                    var response = await pending.ConfigureAwait(false);
                    pending = null;
                    scope.Touch();
                    if (response.Kind == ImapResponseKind.Tagged && response.Tag == tag)
                    {
                        // The server ended the IDLE by itself.
                        Check("IDLE", response);
                        return Outcome();
                    }

                    Dispatch(response, tag, null);
                    if (_sawNewMessages || _sawMailboxChange)
                    {
                        break;
                    }
                }
            }

            await _writer.WriteTextAsync("DONE\r\n", scope.Token).ConfigureAwait(false);
            await _writer.FlushAsync(scope.Token).ConfigureAwait(false);
            while (true)
            {
                var response = pending is null
                    ? await _reader!.ReadAsync(scope.Token).ConfigureAwait(false)
                    : await pending.ConfigureAwait(false);
                pending = null;
                if (response.Kind == ImapResponseKind.Tagged && response.Tag == tag)
                {
                    Check("IDLE", response);
                    break;
                }

                Dispatch(response, tag, null);
            }
        }
        catch (Exception ex) when (ex is not ImapCommandException)
        {
            throw Failure(ex, "IDLE", scope, CancellationToken.None);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Outcome();

        ImapIdleResult Outcome() => _sawNewMessages ? ImapIdleResult.NewMessages : _sawMailboxChange ? ImapIdleResult.MailboxChanged : ImapIdleResult.Timeout;
    }

    /// <summary>NOOP: lets the server report changes (EXISTS, EXPUNGE) to the selected mailbox.</summary>
    public Task NoopAsync(CancellationToken cancellationToken = default) => RunAsync(new ImapCommand("NOOP"), null, cancellationToken);

    /// <summary>LOGOUT, then closes the connection (also when LOGOUT fails).</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        if (!IsConnected)
        {
            Break();
            return;
        }

        try
        {
            await RunAsync(new ImapCommand("LOGOUT"), null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Break();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        Break();
    }

    private async Task AuthenticateAsync(string mechanism, byte[] initialResponse, CancellationToken cancellationToken)
    {
        if (!Supports("AUTH=" + mechanism))
        {
            throw new ImapException($"The server does not offer AUTHENTICATE {mechanism}.");
        }

        var tag = NextTag();
        using var scope = new OperationScope(this, _options.CommandTimeout, cancellationToken);
        ImapResponse done;
        try
        {
            Log.Command(_logger, tag, "AUTHENTICATE " + mechanism);
            var encoded = Convert.ToBase64String(initialResponse);
            var inline = Supports("SASL-IR");
            await _writer!.WriteTextAsync(tag + " AUTHENTICATE " + mechanism + (inline ? " " + (encoded.Length == 0 ? "=" : encoded) : "") + "\r\n", scope.Token).ConfigureAwait(false);
            await _writer.FlushAsync(scope.Token).ConfigureAwait(false);
            var sent = inline;
            while (true)
            {
                var response = await _reader!.ReadAsync(scope.Token).ConfigureAwait(false);
                scope.Touch();
                if (response.Kind == ImapResponseKind.Continuation)
                {
                    // The first challenge asks for the credentials; a later one is an error report (XOAUTH2
                    // sends a JSON status and expects an empty answer) or a challenge PLAIN does not have.
                    var answer = !sent ? encoded : mechanism == "XOAUTH2" ? "" : "*";
                    sent = true;
                    await _writer.WriteTextAsync(answer + "\r\n", scope.Token).ConfigureAwait(false);
                    await _writer.FlushAsync(scope.Token).ConfigureAwait(false);
                    continue;
                }

                if (response.Kind == ImapResponseKind.Tagged && response.Tag == tag)
                {
                    done = response;
                    break;
                }

                Dispatch(response, tag, null);
            }
        }
        catch (Exception ex) when (ex is not ImapCommandException)
        {
            throw Failure(ex, "AUTHENTICATE", scope, cancellationToken);
        }

        Check("AUTHENTICATE " + mechanism, done);
        await AfterAuthenticationAsync(done, cancellationToken).ConfigureAwait(false);
    }

    private async Task AfterAuthenticationAsync(ImapResponse done, CancellationToken cancellationToken)
    {
        IsAuthenticated = true;
        if (done.Code == "CAPABILITY")
        {
            SetCapabilities(done.CodeArguments ?? "");
        }
        else
        {
            // Capabilities may change with authentication (RFC 3501 6.2): ask again unless the OK carried them.
            _capabilities.Clear();
            await CapabilityAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ImapMailboxInfo> OpenMailboxAsync(string verb, string mailbox, CancellationToken cancellationToken)
    {
        // A SELECT, even a failed one, closes the mailbox selected before (RFC 3501 6.3.1).
        SelectedMailbox = null;
        var info = new ImapMailboxInfo { Name = mailbox, ReadOnly = verb == "EXAMINE" };
        var pending = info;
        SelectedMailbox = null;
        var done = await RunAsync(new ImapCommand(verb).Space().Mailbox(mailbox), r =>
        {
            switch (r.Type)
            {
                case "FLAGS":
                    pending.Flags = r.Values.Count > 0 ? r.Values[0].AsList().Select(v => v.AsString()).ToList() : [];
                    break;
                case "EXISTS":
                    pending.Exists = r.Number!.Value;
                    break;
                case "RECENT":
                    pending.Recent = r.Number!.Value;
                    break;
                case "OK" when r.Code == "UIDVALIDITY":
                    pending.UidValidity = CodeNumber(r);
                    break;
                case "OK" when r.Code == "UIDNEXT":
                    pending.UidNext = CodeNumber(r);
                    break;
                case "OK" when r.Code == "PERMANENTFLAGS":
                    pending.PermanentFlags = (r.CodeArguments ?? "").Trim('(', ')').Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    break;
            }
        }, cancellationToken).ConfigureAwait(false);
        if (done.Code == "READ-ONLY")
        {
            info.ReadOnly = true;
        }

        SelectedMailbox = info;
        return info;
    }

    private void RequireSelected()
    {
        if (SelectedMailbox is null)
        {
            throw new InvalidOperationException("No mailbox is selected.");
        }
    }

    private async Task<ImapResponse> RunAsync(
        ImapCommand command,
        Action<ImapResponse>? onUntagged,
        CancellationToken cancellationToken,
        Action<string>? onTag = null)
    {
        EnsureUsable();
        var tag = NextTag();
        onTag?.Invoke(tag);
        using var scope = new OperationScope(this, _options.CommandTimeout, cancellationToken);
        ImapResponse done;
        try
        {
            Log.Command(_logger, tag, command.Name);
            done = await WriteCommandAsync(tag, command, onUntagged, scope, allowSynchronizing: true).ConfigureAwait(false)
                ?? await ReadCompletionAsync(tag, onUntagged, scope).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not ImapCommandException)
        {
            throw Failure(ex, command.Name, scope, cancellationToken);
        }

        Check(command.Name, done);
        return done;
    }

    private async Task<List<ImapResponse>> RunSequentiallyAsync(List<ImapCommand> commands, CancellationToken cancellationToken)
    {
        var responses = new List<ImapResponse>();
        foreach (var command in commands)
        {
            responses.Add(await RunAsync(command, null, cancellationToken).ConfigureAwait(false));
        }

        return responses;
    }

    /// <summary>
    /// Sends every command without waiting (all literals non-synchronising) while reading the completions
    /// concurrently, so neither side's buffers fill up. Throws the first NO/BAD after all completed.
    /// </summary>
    private async Task<List<ImapResponse>> RunPipelinedAsync(List<ImapCommand> commands, CancellationToken cancellationToken)
    {
        EnsureUsable();
        var tags = commands.Select(_ => NextTag()).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < tags.Length; i++)
        {
            index[tags[i]] = i;
        }

        var results = new ImapResponse?[commands.Count];
        using var scope = new OperationScope(this, _options.CommandTimeout, cancellationToken);
        try
        {
            var writing = Task.Run(async () =>
            {
                try
                {
                    for (var i = 0; i < commands.Count; i++)
                    {
                        Log.Command(_logger, tags[i], commands[i].Name);
                        await WriteCommandAsync(tags[i], commands[i], null, scope, allowSynchronizing: false).ConfigureAwait(false);
                    }

                    await _writer!.FlushAsync(scope.Token).ConfigureAwait(false);
                }
                catch
                {
                    Break();
                    throw;
                }
            }, CancellationToken.None);
            var completed = 0;
            try
            {
                while (completed < results.Length)
                {
                    var response = await _reader!.ReadAsync(scope.Token).ConfigureAwait(false);
                    scope.Touch();
                    if (response.Kind == ImapResponseKind.Tagged && response.Tag is not null && index.TryGetValue(response.Tag, out var i) && results[i] is null)
                    {
                        results[i] = response;
                        completed++;
                        continue;
                    }

                    Dispatch(response, null, null);
                }
            }
            catch when (writing.IsFaulted)
            {
                // The writer's failure is the cause; report that one.
            }

            await writing.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Failure(ex, commands[0].Name, scope, cancellationToken);
        }

        for (var i = 0; i < results.Length; i++)
        {
            Check(commands[i].Name, results[i]!);
        }

        return results.Select(r => r!).ToList();
    }

    /// <summary>Writes tag, command and CRLF; returns a completion that came early (a rejected synchronising literal).</summary>
    private async Task<ImapResponse?> WriteCommandAsync(string tag, ImapCommand command, Action<ImapResponse>? onUntagged, OperationScope scope, bool allowSynchronizing)
    {
        var writer = _writer!;
        await writer.WriteTextAsync(tag, scope.Token).ConfigureAwait(false);
        await writer.WriteTextAsync(" ", scope.Token).ConfigureAwait(false);
        foreach (var part in command.Parts)
        {
            if (part.Text is not null)
            {
                await writer.WriteTextAsync(part.Text, scope.Token).ConfigureAwait(false);
                continue;
            }

            var length = part.Literal.Length;
            var nonSynchronising = Supports("LITERAL+") || (Supports("LITERAL-") && length <= 4096);
            var size = length.ToString(CultureInfo.InvariantCulture);
            await writer.WriteTextAsync(nonSynchronising ? "{" + size + "+}\r\n" : "{" + size + "}\r\n", scope.Token).ConfigureAwait(false);
            if (!nonSynchronising)
            {
                if (!allowSynchronizing)
                {
                    throw new InvalidOperationException("A pipelined command cannot carry a synchronising literal.");
                }

                await writer.FlushAsync(scope.Token).ConfigureAwait(false);
                var early = await WaitForContinuationAsync(tag, onUntagged, scope).ConfigureAwait(false);
                if (early is not null)
                {
                    return early;
                }
            }

            const int chunk = 1024 * 1024;
            for (var offset = 0; offset < length; offset += chunk)
            {
                await writer.WriteAsync(part.Literal.Slice(offset, Math.Min(chunk, length - offset)), scope.Token).ConfigureAwait(false);
                scope.Touch();
            }
        }

        await writer.WriteTextAsync("\r\n", scope.Token).ConfigureAwait(false);
        if (allowSynchronizing)
        {
            await writer.FlushAsync(scope.Token).ConfigureAwait(false);
        }

        return null;
    }

    private async Task<ImapResponse?> WaitForContinuationAsync(string tag, Action<ImapResponse>? onUntagged, OperationScope scope)
    {
        while (true)
        {
            var response = await _reader!.ReadAsync(scope.Token).ConfigureAwait(false);
            scope.Touch();
            if (response.Kind == ImapResponseKind.Continuation)
            {
                return null;
            }

            if (response.Kind == ImapResponseKind.Tagged && response.Tag == tag)
            {
                return response;
            }

            Dispatch(response, tag, onUntagged);
        }
    }

    private async Task<ImapResponse> ReadCompletionAsync(string tag, Action<ImapResponse>? onUntagged, OperationScope scope)
    {
        while (true)
        {
            var response = await _reader!.ReadAsync(scope.Token).ConfigureAwait(false);
            scope.Touch();
            if (response.Kind == ImapResponseKind.Tagged && response.Tag == tag)
            {
                return response;
            }

            Dispatch(response, tag, onUntagged);
        }
    }

    private void Dispatch(ImapResponse response, string? tag, Action<ImapResponse>? onUntagged)
    {
        switch (response.Kind)
        {
            case ImapResponseKind.Continuation:
                throw new ImapProtocolException("The server sent a continuation request no command was waiting for.");
            case ImapResponseKind.Tagged:
                throw new ImapProtocolException($"The server completed a command that was not sent (tag '{response.Tag}', expected '{tag}').");
        }

        HandleUntagged(response);
        onUntagged?.Invoke(response);
    }

    private void HandleUntagged(ImapResponse response)
    {
        if (response.Code == "CAPABILITY")
        {
            SetCapabilities(response.CodeArguments ?? "");
        }

        switch (response.Type)
        {
            case "CAPABILITY":
                _capabilities.Clear();
                foreach (var v in response.Values)
                {
                    _capabilities.Add(v.AsString().ToUpperInvariant());
                }

                break;
            case "BYE":
                _bye = response.Text;
                break;
            case "EXISTS" when SelectedMailbox is { } box:
                if (response.Number!.Value > box.Exists)
                {
                    _sawNewMessages = true;
                    _newMessagesAnnounced = true;
                }
                else
                {
                    _sawMailboxChange = true;
                }

                box.Exists = response.Number.Value;
                break;
            case "EXPUNGE" when SelectedMailbox is { } box:
                box.Exists = box.Exists > 0 ? box.Exists - 1 : 0;
                _sawMailboxChange = true;
                break;
            case "VANISHED":
                _sawMailboxChange = true;
                break;
        }
    }

    private void SetCapabilities(string list)
    {
        _capabilities.Clear();
        foreach (var c in list.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            _capabilities.Add(c.ToUpperInvariant());
        }
    }

    private static void Check(string command, ImapResponse done)
    {
        if (done.Type != "OK")
        {
            throw new ImapCommandException(command, done.Type, done.Code, done.Text);
        }
    }

    private void EnsureUsable()
    {
        if (_stream is null)
        {
            throw new InvalidOperationException("The client is not connected.");
        }

        if (_broken)
        {
            throw new ImapException("The connection was closed after an earlier failure; connect a new client." + (_bye is null ? "" : " The server said: " + _bye));
        }
    }

    private string NextTag() => "H" + (++_tagCounter).ToString("D4", CultureInfo.InvariantCulture);

    private async Task<Stream> StartTlsOnAsync(Stream inner, CancellationToken cancellationToken)
    {
        var tls = new SslStream(inner, leaveInnerStreamOpen: false);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = _host,
            RemoteCertificateValidationCallback = _options.ServerCertificateValidation,
        }, cancellationToken).ConfigureAwait(false);
        IsSecure = true;
        return tls;
    }

    private Exception ConnectFailure(Exception ex, string host, int port, CancellationTokenSource timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("Connecting was cancelled.", ex, cancellationToken);
        }

        var where = host + ":" + port.ToString(CultureInfo.InvariantCulture);
        return ex switch
        {
            _ when timeout.IsCancellationRequested => new ImapException($"Connecting to {where} timed out after {_options.ConnectTimeout}.", ex),
            ImapException => ex,
            AuthenticationException => new ImapException($"The TLS handshake with {where} failed: {ex.Message}", ex),
            _ => new ImapException($"Could not connect to {where}: {ex.Message}", ex),
        };
    }

    private Exception Failure(Exception ex, string command, OperationScope scope, CancellationToken cancellationToken)
    {
        Break();
        if (cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException($"{command} was cancelled; the connection was closed.", ex, cancellationToken);
        }

        if (scope.TimedOut)
        {
            return new ImapException($"{command}: the server did not answer within {scope.Timeout}; the connection was closed.", ex);
        }

        var bye = _bye is null ? "" : $" (the server said: {_bye})";
        return ex switch
        {
            ImapProtocolException => ex,
            ImapException => new ImapException(ex.Message + bye, ex),
            InvalidOperationException => ex,
            _ => new ImapException($"{command}: the connection failed: {ex.Message}{bye}", ex),
        };
    }

    /// <summary>Closes the connection at once; the client is unusable afterwards.</summary>
    private void Break()
    {
        _broken = true;
        IsAuthenticated = false;
        try
        {
            _stream?.Dispose();
        }
        catch (IOException)
        {
        }

        _socket?.Dispose();
    }

    private static uint CodeNumber(ImapResponse r)
    {
        return r.CodeArguments is { } a && uint.TryParse(a.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ImapProtocolException($"Response code {r.Code} needs a number, got '{r.CodeArguments}'.");
    }

    private static List<uint> ParseSet(string set)
    {
        try
        {
            return ImapUidSet.Parse(set);
        }
        catch (FormatException ex)
        {
            throw new ImapProtocolException($"Malformed UID set from the server: {ex.Message}", ex);
        }
    }

    private static void ReadEsearch(ImapResponse r, string? tag, List<uint> result)
    {
        var values = r.Values;
        var i = 0;
        if (i < values.Count && values[i].Kind == ImapValueKind.List)
        {
            var correlator = values[i].AsList();
            if (correlator.Count == 2 && correlator[0].IsAtom("TAG") && correlator[1].AsString() != tag)
            {
                return;
            }

            i++;
        }

        for (; i < values.Count; i++)
        {
            if (values[i].IsAtom("ALL") && i + 1 < values.Count)
            {
                result.AddRange(ParseSet(values[++i].AsString()));
            }
        }
    }

    private static ImapListEntry ParseList(ImapResponse r)
    {
        if (r.Values.Count < 3)
        {
            throw new ImapProtocolException("A LIST response needs attributes, a delimiter and a name.");
        }

        var attributes = r.Values[0].AsList().Select(v => v.AsString()).ToList();
        var delimiterText = r.Values[1].Kind == ImapValueKind.Nil ? null : r.Values[1].AsString();
        char? delimiter = string.IsNullOrEmpty(delimiterText) ? null : delimiterText[0];
        var raw = r.Values[2].AsString();
        var name = ImapUtf7.TryDecode(raw, out var decoded, out _) ? decoded : raw;
        return new ImapListEntry(name, delimiter, attributes);
    }

    private static FetchItem ParseFetch(ImapResponse r, bool wantBody)
    {
        if (r.Values.Count != 1 || r.Values[0].Kind != ImapValueKind.List)
        {
            throw new ImapProtocolException("A FETCH response needs one parenthesised list.");
        }

        var items = r.Values[0].Items!;
        var item = new FetchItem { Size = -1 };
        for (var i = 0; i + 1 < items.Count; i += 2)
        {
            var name = items[i].Kind == ImapValueKind.Atom ? items[i].Text!.ToUpperInvariant() : "";
            var value = items[i + 1];
            switch (name)
            {
                case "UID":
                    item.Uid = value.AsNumber();
                    break;
                case "RFC822.SIZE":
                    item.Size = value.AsNumber64();
                    break;
                case "INTERNALDATE":
                    item.Date = ParseDate(value.AsString());
                    break;
                case "BODY[]" when wantBody:
                    item.Body = value.AsBytes() ?? [];
                    item.DroppedSize = value.DroppedSize;
                    break;
            }
        }

        if (item.Uid == 0)
        {
            // An unsolicited FETCH (e.g. a flag change) without the UID: not one of ours.
            item.Body = null;
            item.Size = -1;
            item.Date = null;
        }

        return item;
    }

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Reads an INTERNALDATE: <c>dd-Mon-yyyy hh:mm:ss +zzzz</c> (day may be space-padded).</summary>
    internal static DateTimeOffset ParseDate(string text)
    {
        var t = text.Trim();
        var parts = t.Split(' ');
        var date = parts.Length == 3 ? parts[0].Split('-') : [];
        if (date.Length == 3 && parts[1].Length == 8 && parts[2].Length == 5
            && int.TryParse(date[0], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            && Array.FindIndex(Months, m => string.Equals(m, date[1], StringComparison.OrdinalIgnoreCase)) is var month and >= 0
            && int.TryParse(date[2], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && TimeSpan.TryParseExact(parts[1], "hh\\:mm\\:ss", CultureInfo.InvariantCulture, out var time)
            && parts[2][0] is '+' or '-'
            && int.TryParse(parts[2].AsSpan(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var zh)
            && int.TryParse(parts[2].AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var zm)
            && zh <= 14 && zm < 60)
        {
            var offset = new TimeSpan(zh, zm, 0);
            try
            {
                return new DateTimeOffset(year, month + 1, day, 0, 0, 0, parts[2][0] == '-' ? -offset : offset).Add(time);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                throw new ImapProtocolException($"INTERNALDATE '{text}' is out of range.", ex);
            }
        }

        throw new ImapProtocolException($"Malformed INTERNALDATE '{text}'.");
    }

    internal static string FormatDate(DateTimeOffset date)
    {
        var offset = date.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return date.Day.ToString("D2", CultureInfo.InvariantCulture) + "-" + Months[date.Month - 1] + "-"
            + date.Year.ToString("D4", CultureInfo.InvariantCulture) + " " + date.ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            + " " + sign + offset.Hours.ToString("D2", CultureInfo.InvariantCulture) + offset.Minutes.ToString("D2", CultureInfo.InvariantCulture);
    }

    private static string FlagList(IEnumerable<string> flags)
    {
        var list = string.Join(' ', flags);
        if (list.Any(c => c is < '!' or > '~' and not ' ' || c is '(' or ')' or '{' or '"'))
        {
            throw new ArgumentException($"'{list}' is not a list of flags.", nameof(flags));
        }

        return list;
    }

    private struct FetchItem
    {
        public uint Uid;
        public long Size;
        public DateTimeOffset? Date;
        public byte[]? Body;

        /// <summary>The body's real size when it was read and dropped (over the fetch's allowance).</summary>
        public long? DroppedSize;
    }

    /// <summary>
    /// One command's time limit, counted from its last progress (<see cref="Touch"/>), and the
    /// cancellation: either closes the connection, which ends any read or write in progress.
    /// </summary>
    private sealed class OperationScope : IDisposable
    {
        private readonly CancellationTokenSource _source;
        private readonly CancellationTokenRegistration _registration;
        private readonly CancellationToken _caller;

        public OperationScope(ImapClient client, TimeSpan timeout, CancellationToken caller)
        {
            _caller = caller;
            Timeout = timeout;
            _source = CancellationTokenSource.CreateLinkedTokenSource(caller);
            _source.CancelAfter(timeout);
            _registration = _source.Token.Register(static c => ((ImapClient)c!).Break(), client);
        }

        public TimeSpan Timeout { get; }

        public CancellationToken Token => _source.Token;

        public bool TimedOut => _source.IsCancellationRequested && !_caller.IsCancellationRequested;

        public void Touch()
        {
            if (!_source.IsCancellationRequested)
            {
                _source.CancelAfter(Timeout);
            }
        }

        public void Dispose()
        {
            _registration.Dispose();
            _source.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "C: {Tag} {Command}")]
        public static partial void Command(ILogger logger, string tag, string command);
    }
}
