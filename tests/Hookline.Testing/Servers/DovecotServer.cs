using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hookline.Testing.Servers;

/// <summary>
/// A real, private Dovecot for one test fixture: its own folder (config, base_dir, state_dir, log,
/// passwd-files, maildirs owned by <c>vmail</c>), free loopback ports for plaintext IMAP (with
/// STARTTLS), implicit-TLS IMAP and LMTP, and an OAuth 2.0 introspection endpoint (a small Kestrel
/// server) so that AUTHENTICATE XOAUTH2 is checked by Dovecot's own <c>oauth2</c> passdb.
/// Several can run at once: nothing is shared but the binaries. Needs root and the <c>vmail</c> user
/// (scripts/servers/install.sh).
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class DovecotServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly StringBuilder _output = new();
    private Process? _master;
    private WebApplication? _introspection;
    private int _userCounter;

    private DovecotServer(string folder)
    {
        Folder = folder;
        MailRoot = Path.Combine(folder, "mail");
        LogFile = Path.Combine(folder, "dovecot.log");
        UsersFolder = Path.Combine(folder, "users");
        ImapPort = FreePort.Next();
        ImapsPort = FreePort.Next();
        LmtpPort = FreePort.Next();
    }

    /// <summary>Where the server listens: always 127.0.0.1.</summary>
    public string Host { get; } = "127.0.0.1";

    /// <summary>Plaintext IMAP; STARTTLS is offered here.</summary>
    public int ImapPort { get; }

    /// <summary>IMAP over implicit TLS, with <see cref="TestCertificate.Instance"/>.</summary>
    public int ImapsPort { get; }

    /// <summary>LMTP (RFC 2033) delivering into the users' INBOX.</summary>
    public int LmtpPort { get; }

    /// <summary>The fixture's private folder, deleted on dispose.</summary>
    public string Folder { get; }

    /// <summary>Where the maildirs are: <c>MailRoot/user/Maildir</c>.</summary>
    public string MailRoot { get; }

    public string LogFile { get; }

    /// <summary>One passwd-file per user.</summary>
    public string UsersFolder { get; }

    /// <summary>
    /// Dovecot's SASL service for an MTA (Postfix: <c>smtpd_sasl_type = dovecot</c>, <c>smtpd_sasl_path =</c> this):
    /// the same passdbs as IMAP, so the same passwords and OAuth 2.0 tokens.
    /// </summary>
    public string AuthSocket => Path.Combine(Folder, "run", "auth-mta"); // in base_dir, named in the config below

    /// <summary>The OAuth 2.0 token introspection endpoint Dovecot asks about XOAUTH2 tokens.</summary>
    public Uri? IntrospectionUrl { get; private set; }

    /// <summary>Starts Dovecot and waits until it greets on IMAP and answers on LMTP.</summary>
    public static async Task<DovecotServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(Path.GetTempPath(), "hookline-dovecot-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        var server = new DovecotServer(folder);
        try
        {
            await server.StartCoreAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Adds a user with a password. Each user has their own passwd-file (<c>users/NAME</c>), which Dovecot reads
    /// at the user's next login: one shared file can be missed when rewritten twice within a second.
    /// </summary>
    public void AddUser(string user, string password)
    {
        if (user.Contains(':', StringComparison.Ordinal) || user.Contains('/', StringComparison.Ordinal) || user.StartsWith('.')
            || password.Contains(':', StringComparison.Ordinal) || (user + password).Any(c => c is '\r' or '\n'))
        {
            throw new ArgumentException("User names cannot contain ':' or '/' or start with '.'; neither can contain line breaks; passwords cannot contain ':'.");
        }

        var file = Path.Combine(UsersFolder, user);
        var temporary = file + ".tmp";
        File.WriteAllText(temporary, user + ":{PLAIN}" + password + "\n");
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.Move(temporary, file, overwrite: true);
    }

    /// <summary>Adds a user with a fresh name (<c>u1</c>, <c>u2</c>...) and returns the name.</summary>
    public string AddUser(string password = "secret")
    {
        var name = "u" + Interlocked.Increment(ref _userCounter).ToString(CultureInfo.InvariantCulture) + "@example.test";
        AddUser(name, password);
        return name;
    }

    /// <summary>Makes <paramref name="token"/> a valid OAuth 2.0 access token for <paramref name="user"/>.</summary>
    public void AddOAuthToken(string token, string user)
    {
        _tokens[token] = user;
    }

    /// <summary>The Dovecot log so far.</summary>
    public string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    /// <summary>Stops the master (SIGTERM, then SIGKILL), the introspection endpoint, and deletes the folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_master is { } master)
        {
            try
            {
                if (!master.HasExited)
                {
                    using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", master.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
                    {
                        if (kill is not null)
                        {
                            await kill.WaitForExitAsync().ConfigureAwait(false);
                        }
                    }

                    using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    try
                    {
                        await master.WaitForExitAsync(wait.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        master.Kill(entireProcessTree: true);
                    }
                }
            }
            catch (InvalidOperationException)
            {
            }

            master.Dispose();
            _master = null;
        }

        if (_introspection is { } app)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            _introspection = null;
        }

        for (var attempt = 0; attempt < 10 && Directory.Exists(Folder); attempt++)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
            catch (UnauthorizedAccessException)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        // Dovecot's auth and mail processes run as vmail: they must be able to reach these files.
        File.SetUnixFileMode(Folder, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(MailRoot);
        Directory.CreateDirectory(UsersFolder);
        File.SetUnixFileMode(UsersFolder, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(MailRoot, (UnixFileMode)0b111_111_111);
        var (certificate, key) = TestCertificate.Instance.WritePem(Folder);
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        AddUser("postmaster@example.test", Guid.NewGuid().ToString("N"));
        await StartIntrospectionAsync(cancellationToken).ConfigureAwait(false);

        var oauthFile = Path.Combine(Folder, "oauth2.conf");
        File.WriteAllText(oauthFile, string.Join('\n',
            "introspection_mode = post",
            "introspection_url = " + IntrospectionUrl,
            "username_attribute = username",
            "active_attribute = active",
            "active_value = true",
            ""));
        File.SetUnixFileMode(oauthFile, (UnixFileMode)0b110_100_100);

        var config = Path.Combine(Folder, "dovecot.conf");
        File.WriteAllText(config, $$"""
            base_dir = {{Folder}}/run
            state_dir = {{Folder}}/state
            log_path = {{LogFile}}
            info_log_path = {{LogFile}}
            listen = 127.0.0.1
            protocols = imap lmtp
            ssl = yes
            ssl_cert = <{{certificate}}
            ssl_key = <{{key}}
            disable_plaintext_auth = no
            auth_mechanisms = plain login xoauth2 oauthbearer
            auth_failure_delay = 0
            default_internal_user = vmail
            default_internal_group = vmail
            default_login_user = vmail
            mail_fsync = never
            mail_max_userip_connections = 200
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{UsersFolder}}/%u
            }
            passdb {
              driver = oauth2
              mechanisms = xoauth2 oauthbearer
              args = {{oauthFile}}
            }
            userdb {
              driver = static
              args = uid=vmail gid=vmail home={{MailRoot}}/%u
            }
            mail_location = maildir:~/Maildir
            namespace inbox {
              inbox = yes
              separator = /
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{ImapPort}}
              }
              inet_listener imaps {
                address = 127.0.0.1
                port = {{ImapsPort}}
                ssl = yes
              }
            }
            service auth {
              unix_listener auth-mta {
                mode = 0666
              }
            }
            service lmtp {
              inet_listener lmtp {
                address = 127.0.0.1
                port = {{LmtpPort}}
              }
            }

            """);

        var start = new ProcessStartInfo("dovecot", ["-F", "-c", config])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _master = Process.Start(start) ?? throw new InvalidOperationException("Could not start dovecot.");
        _master.OutputDataReceived += (_, e) => AppendOutput(e.Data);
        _master.ErrorDataReceived += (_, e) => AppendOutput(e.Data);
        _master.BeginOutputReadLine();
        _master.BeginErrorReadLine();
        await WaitUntilReadyAsync(cancellationToken).ConfigureAwait(false);
    }

    private void AppendOutput(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_master!.HasExited)
            {
                throw Failed($"dovecot exited with code {_master.ExitCode}");
            }

            try
            {
                var greeting = await ReadGreetingAsync(ImapPort, cancellationToken).ConfigureAwait(false);
                last = greeting;
                if (greeting.Contains("ready", StringComparison.OrdinalIgnoreCase)
                    && (await ReadGreetingAsync(LmtpPort, cancellationToken).ConfigureAwait(false)).StartsWith("220", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException ex)
            {
                last = ex.Message;
            }
            catch (IOException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        throw Failed("Dovecot did not become ready within 20 s (last: " + last + ")");
    }

    private static async Task<string> ReadGreetingAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
        var text = new StringBuilder();
        while (true)
        {
            var line = await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            if (line is null)
            {
                return text.ToString();
            }

            text.AppendLine(line);

            // Dovecot first says it waits for its auth process, then greets again when ready.
            if (!line.Contains("Waiting for authentication", StringComparison.Ordinal))
            {
                return text.ToString();
            }
        }
    }

    private InvalidOperationException Failed(string what)
    {
        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        return new InvalidOperationException($"{what}.\n--- dovecot output ---\n{output}\n--- {LogFile} ---\n{ReadLog()}");
    }

    private async Task StartIntrospectionAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(async context =>
        {
            // RFC 7662: the token arrives as a form field; the answer says whether it is active, and for whom.
            var token = context.Request.HasFormContentType
                ? (await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false))["token"].ToString()
                : "";
            var body = _tokens.TryGetValue(token, out var user)
                ? "{\"active\":true,\"username\":\"" + user + "\"}"
                : "{\"active\":false}";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _introspection = app;
        IntrospectionUrl = new Uri(app.Urls.First() + "/introspect");
    }
}
