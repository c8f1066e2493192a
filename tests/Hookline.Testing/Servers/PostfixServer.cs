using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hookline.Testing.Servers;

/// <summary>How a private Postfix instance routes mail.</summary>
public sealed class PostfixOptions
{
    /// <summary>Domains relayed over SMTP to the given address (transport <c>smtp:[ip]:port</c>), e.g. to Hookline's listener.</summary>
    public IDictionary<string, IPEndPoint> SmtpDomains { get; } = new Dictionary<string, IPEndPoint>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Domains delivered over LMTP to the given address (transport <c>lmtp:inet:ip:port</c>), e.g. to Dovecot.</summary>
    public IDictionary<string, IPEndPoint> LmtpDomains { get; } = new Dictionary<string, IPEndPoint>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Postfix's own host name (in its Received headers and greeting).</summary>
    public string HostName { get; set; } = "relay.postfix.test";

    /// <summary>
    /// Also run an smtps service (implicit TLS from the first byte, RFC 8314, the submission port 465's
    /// kind) with <see cref="TestCertificate"/>, on <see cref="PostfixServer.SmtpsEndPoint"/>.
    /// </summary>
    public bool Smtps { get; set; }

    /// <summary>Further main.cf settings, written last (so they win).</summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>
/// A real Postfix, private to one test fixture: its own configuration directory, queue, data
/// directory and log file in a temporary folder, and its own smtpd on a free loopback port. Nothing
/// is shared with the system Postfix or with other instances, so several can run at once.
/// </summary>
/// <remarks>
/// Started with <c>postfix -c DIR start</c>. Postfix lets the super-user name any configuration
/// directory with <c>-c</c> (only unprivileged callers of its set-gid commands need the directory
/// listed in <c>alternate_config_directories</c> of the default main.cf), so the system
/// configuration is left untouched; the tests must run as root, as they do here. Postfix creates the
/// queue and data directories with the right owners itself (post-install create-missing). There is
/// no syslog on the test machine: the instance logs to <see cref="LogFile"/> (<c>maillog_file</c>).
/// </remarks>
public sealed class PostfixServer : IAsyncDisposable
{
    private bool _stopped;

    private PostfixServer(string folder, IPEndPoint endPoint, IPEndPoint? smtpsEndPoint)
    {
        Folder = folder;
        EndPoint = endPoint;
        SmtpsEndPoint = smtpsEndPoint;
    }

    /// <summary>The instance's folder: etc/ (main.cf, master.cf, maps), queue/, data/, maillog.</summary>
    public string Folder { get; }

    /// <summary>The configuration directory, for <c>-c</c>.</summary>
    public string ConfigDirectory => Path.Combine(Folder, "etc");

    /// <summary>Where the instance logs.</summary>
    public string LogFile => Path.Combine(Folder, "maillog");

    /// <summary>The instance's smtpd.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>The smtps service (implicit TLS with <see cref="TestCertificate"/>) when <see cref="PostfixOptions.Smtps"/> is set.</summary>
    public IPEndPoint? SmtpsEndPoint { get; }

    /// <summary>Writes the configuration and starts the instance; returns once its smtpd answers. A port taken by another process between choosing and binding it is chosen again (three tries).</summary>
    public static async Task<PostfixServer> StartAsync(PostfixOptions options, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(options, cancellationToken);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
            }
        }
    }

    private static async Task<PostfixServer> StartOnceAsync(PostfixOptions options, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The Postfix fixture runs on Linux.");
        }

        var folder = Directory.CreateTempSubdirectory("hookline-postfix-").FullName;

        // Postfix's daemons run as the postfix user and must reach the queue below this folder.
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var endPoint = new IPEndPoint(IPAddress.Loopback, FreePort.Next());
        var server = new PostfixServer(folder, endPoint, options.Smtps ? new IPEndPoint(IPAddress.Loopback, FreePort.Next()) : null);
        try
        {
            server.WriteConfiguration(options);
            var (exit, output) = await RunAsync("postfix", ["-c", server.ConfigDirectory, "start"], cancellationToken);
            if (exit != 0)
            {
                throw new InvalidOperationException($"postfix start failed ({exit}): {output}\n{server.ReadLog()}");
            }

            await server.WaitUntilListeningAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The instance's log so far (for failure messages).</summary>
    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>
    /// Submits a message to the instance over SMTP (the bytes are sent exactly, dot-stuffed) and
    /// returns Postfix's reply to the end of data, which names the queue id.
    /// </summary>
    public async Task<string> SubmitAsync(string from, IReadOnlyList<string> to, byte[] message, CancellationToken cancellationToken = default)
    {
        using var tcp = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        await tcp.ConnectAsync(EndPoint, timeout.Token);
        var stream = tcp.GetStream();
        var replies = new ReplyReader(stream);
        async Task<string> Expect(int code, string? command)
        {
            if (command is not null)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(command + "\r\n"), timeout.Token);
            }

            var reply = await replies.ReadAsync(timeout.Token);
            if (!reply.StartsWith(code.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Postfix answered '{reply}' to '{command}', expected {code}.\n{ReadLog()}");
            }

            return reply;
        }

        await Expect(220, null);
        await Expect(250, "EHLO submitter.test");
        var utf8 = from.Any(c => c > 127) || to.Any(a => a.Any(c => c > 127));
        var eightBit = message.Any(b => b > 127);
        await Expect(250, $"MAIL FROM:<{from}>{(eightBit ? " BODY=8BITMIME" : "")}{(utf8 ? " SMTPUTF8" : "")}");
        foreach (var recipient in to)
        {
            await Expect(250, $"RCPT TO:<{recipient}>");
        }

        await Expect(354, "DATA");
        await stream.WriteAsync(DotStuff(message), timeout.Token);
        var queued = await Expect(250, null);
        await Expect(221, "QUIT");
        return queued;
    }

    /// <summary>The queue as <c>postqueue -p</c> shows it.</summary>
    public async Task<string> QueueAsync(CancellationToken cancellationToken = default) =>
        (await RunAsync("postqueue", ["-c", ConfigDirectory, "-p"], cancellationToken)).Output;

    /// <summary>How many messages are queued (one JSON object per message from <c>postqueue -j</c>).</summary>
    public async Task<int> QueuedCountAsync(CancellationToken cancellationToken = default)
    {
        var (exit, output) = await RunAsync("postqueue", ["-c", ConfigDirectory, "-j"], cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"postqueue -j failed ({exit}): {output}");
        }

        return output.Split('\n').Count(line => line.StartsWith('{'));
    }

    /// <summary>Attempts delivery of every queued message now (<c>postqueue -f</c>).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var (exit, output) = await RunAsync("postqueue", ["-c", ConfigDirectory, "-f"], cancellationToken);
        if (exit != 0)
        {
            throw new InvalidOperationException($"postqueue -f failed ({exit}): {output}\n{ReadLog()}");
        }
    }

    /// <summary>Waits until the queue is empty; throws with the queue and the log if it is not within <paramref name="timeout"/>.</summary>
    public async Task WaitForEmptyQueueAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await QueuedCountAsync(cancellationToken) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Postfix's queue is not empty:\n{await QueueAsync(cancellationToken)}\n{ReadLog()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Waits until the log contains <paramref name="text"/>; throws with the log if it does not within <paramref name="timeout"/>.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!ReadLog().Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Postfix's log never said '{text}':\n{ReadLog()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Stops the instance (<c>postfix stop</c>); idempotent.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (File.Exists(Path.Combine(ConfigDirectory, "main.cf")))
        {
            await RunAsync("postfix", ["-c", ConfigDirectory, "stop"], CancellationToken.None);
        }
    }

    /// <summary>Stops the instance and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A daemon still closing a file: the folder is in the temporary directory anyway.
        }
    }

    private void WriteConfiguration(PostfixOptions options)
    {
        Directory.CreateDirectory(ConfigDirectory);

        // The queue's top must exist (owned by root, as it is); Postfix makes its subdirectories and
        // the data directory, with their owners, when it starts.
        Directory.CreateDirectory(Path.Combine(Folder, "queue"));
        var transport = new StringBuilder();
        foreach (var (domain, target) in options.SmtpDomains)
        {
            transport.Append(CultureInfo.InvariantCulture, $"{domain} smtp:[{target.Address}]:{target.Port}\n");
        }

        foreach (var (domain, target) in options.LmtpDomains)
        {
            transport.Append(CultureInfo.InvariantCulture, $"{domain} lmtp:inet:{target.Address}:{target.Port}\n");
        }

        File.WriteAllText(Path.Combine(ConfigDirectory, "transport"), transport.ToString());
        var domains = options.SmtpDomains.Keys.Concat(options.LmtpDomains.Keys).ToList();

        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["compatibility_level"] = "3.6",
            ["queue_directory"] = Path.Combine(Folder, "queue"),
            ["data_directory"] = Path.Combine(Folder, "data"),
            ["myhostname"] = options.HostName,
            ["myorigin"] = "$myhostname",
            ["mydestination"] = "",
            ["inet_interfaces"] = "127.0.0.1",
            ["inet_protocols"] = "ipv4",
            ["mynetworks"] = "127.0.0.0/8",
            ["alias_maps"] = "",
            ["alias_database"] = "",
            ["local_recipient_maps"] = "",
            ["local_transport"] = "error:local delivery is disabled",
            ["biff"] = "no",
            ["relay_domains"] = domains.Count == 0 ? "" : string.Join(", ", domains),
            ["transport_maps"] = $"texthash:{Path.Combine(ConfigDirectory, "transport")}",
            ["smtpd_relay_restrictions"] = "permit_mynetworks, reject_unauth_destination",
            ["maillog_file"] = LogFile,
            ["maillog_file_prefixes"] = Folder,
            ["message_size_limit"] = "104857600",
            ["queue_run_delay"] = "1s",
            ["minimal_backoff_time"] = "1s",
            ["maximal_backoff_time"] = "5s",
            ["smtp_tls_security_level"] = "none",
            ["smtpd_tls_security_level"] = "none",
            ["smtp_dns_support_level"] = "disabled",
            ["lmtp_dns_support_level"] = "disabled",
            ["delay_warning_time"] = "0",
        };
        if (SmtpsEndPoint is not null)
        {
            // A test key, written with the default mode (readable by Postfix's daemons whichever way they open it).
            var (certificate, key) = TestCertificate.Instance.WritePem(ConfigDirectory);
            settings["smtpd_tls_cert_file"] = certificate;
            settings["smtpd_tls_key_file"] = key;
            settings["smtpd_tls_loglevel"] = "1";
        }

        foreach (var (name, value) in options.Settings)
        {
            settings[name] = value;
        }

        var mainCf = new StringBuilder("# A private Postfix instance for Hookline's tests.\n");
        foreach (var (name, value) in settings)
        {
            mainCf.Append(CultureInfo.InvariantCulture, $"{name} = {value}\n");
        }

        File.WriteAllText(Path.Combine(ConfigDirectory, "main.cf"), mainCf.ToString());

        // No chroot anywhere (the queue is not set up as a jail), and only the services needed.
        var smtps = SmtpsEndPoint is null ? "" : $"{SmtpsEndPoint.Address}:{SmtpsEndPoint.Port} inet n - n - - smtpd -o smtpd_tls_wrappermode=yes -o smtpd_tls_security_level=encrypt\n";
        var masterCf = $"""
            {EndPoint.Address}:{EndPoint.Port} inet n - n - - smtpd
            {smtps}tlsmgr unix - - n 1000? 1 tlsmgr
            pickup unix n - n 60 1 pickup
            cleanup unix n - n - 0 cleanup
            qmgr unix n - n 300 1 qmgr
            rewrite unix - - n - - trivial-rewrite
            bounce unix - - n - 0 bounce
            defer unix - - n - 0 bounce
            trace unix - - n - 0 bounce
            verify unix - - n - 1 verify
            flush unix n - n 1000? 0 flush
            proxymap unix - - n - - proxymap
            proxywrite unix - - n - 1 proxymap
            smtp unix - - n - - smtp
            relay unix - - n - - smtp
            showq unix n - n - - showq
            error unix - - n - - error
            retry unix - - n - - error
            discard unix - - n - - discard
            lmtp unix - - n - - lmtp
            anvil unix - - n - 1 anvil
            scache unix - - n - 1 scache
            postlog unix-dgram n - n - 1 postlogd

            """;
        File.WriteAllText(Path.Combine(ConfigDirectory, "master.cf"), masterCf);
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(EndPoint, cancellationToken);
                var reply = await new ReplyReader(probe.GetStream()).ReadAsync(cancellationToken);
                if (reply.StartsWith("220", StringComparison.Ordinal))
                {
                    await probe.GetStream().WriteAsync("QUIT\r\n"u8.ToArray(), cancellationToken);
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or IOException)
            {
                // Not up yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Postfix did not start listening on {EndPoint}:\n{ReadLog()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private static byte[] DotStuff(byte[] message)
    {
        var output = new MemoryStream(message.Length + 64);
        var lineStart = true;
        foreach (var b in message)
        {
            if (lineStart && b == (byte)'.')
            {
                output.WriteByte((byte)'.');
            }

            output.WriteByte(b);
            lineStart = b == (byte)'\n';
        }

        if (!lineStart)
        {
            output.Write("\r\n"u8);
        }

        output.Write(".\r\n"u8);
        return output.ToArray();
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Reads whole (possibly multi-line) SMTP replies; returns the last line.</summary>
    private sealed class ReplyReader(Stream stream)
    {
        private readonly List<byte> _buffer = [];

        public async Task<string> ReadAsync(CancellationToken cancellationToken)
        {
            var chunk = new byte[4096];
            while (true)
            {
                var lf = _buffer.IndexOf((byte)'\n');
                if (lf >= 0)
                {
                    var line = Encoding.UTF8.GetString([.. _buffer.GetRange(0, lf)]).TrimEnd('\r');
                    _buffer.RemoveRange(0, lf + 1);
                    if (line.Length < 4 || line[3] != '-')
                    {
                        return line;
                    }

                    continue;
                }

                var read = await stream.ReadAsync(chunk, cancellationToken);
                if (read == 0)
                {
                    throw new IOException("Postfix closed the connection.");
                }

                _buffer.AddRange(chunk.AsSpan(0, read).ToArray());
            }
        }
    }
}
