using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hookline.Cli;
using Hookline.Hosting;
using Hookline.Intake.Demo;
using Hookline.Review.Accounts;
using Hookline.Storage.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Web.Tests;

/// <summary>
/// A real `hookline serve` web side on a free loopback port, over a store with 40 analysed demo
/// reports and one hostile report (its body has a script, a remote image and style sheet, a meta
/// refresh, a base, links (one wrapped by Safe Links) and a form, pointing at <see cref="Tripwire"/>
/// or evil.example), and one user per role. Its hookline.yaml configures no delivery, so nothing can
/// notify a reporter.
/// </summary>
public sealed class WebServer : IAsyncLifetime
{
    public const string Password = "correct horse battery";
    public const string HostileSubject = "Hostile body test";

    /// <summary>A link in the hostile body: Safe Links around <see cref="WrappedTarget"/>, with text naming microsoft.com.</summary>
    public const string WrappedLink = "https://nam12.safelinks.protection.outlook.com/?url=http%3A%2F%2F198.51.100.23%2Flogin%2Fowa&amp;data=05%7C02%7Cavery%40contoso.com&amp;reserved=0";

    public const string WrappedTarget = "http://198.51.100.23/login/owa";

    private readonly string _root = Directory.CreateTempSubdirectory("hookline-web-").FullName;
    private readonly ServerOptions _options;
    private readonly string? _config;
    private WebApplication? _app;

    /// <summary>The shared server: sign-ins are not the subject here, so the limit is out of the way.</summary>
    public WebServer()
        : this(1000)
    {
    }

    /// <summary>A server with the given sign-in limit (the product's default is 10 a minute).</summary>
    internal WebServer(int signInAttemptsPerMinute)
        : this(new ServerOptions { SignInAttemptsPerMinute = signInAttemptsPerMinute, SignInAttemptsPerAccount = 1000 }, null)
    {
    }

    /// <summary>A server with these options (its address and sources are set here) and, when given, this hookline.yaml.</summary>
    internal WebServer(ServerOptions options, string? hooklineYaml)
    {
        _options = options with { Urls = "http://127.0.0.1:0", Sources = false };
        _config = hooklineYaml;
    }

    internal DataFolder Folder { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Counts every connection made to the address the hostile body points at.</summary>
    public Tripwire Tripwire { get; } = new();

    public long HostileReportId { get; private set; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        await File.WriteAllTextAsync(Path.Combine(_root, "data", "settings.yaml"), DemoReports.OrganizationSettings);
        if (_config is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(_root, "data", "hookline.yaml"), _config);
        }

        Folder = await DataFolder.OpenAsync(Path.Combine(_root, "data"), default);
        var reports = Path.Combine(_root, "reports");
        Directory.CreateDirectory(reports);
        var i = 0;
        foreach (var raw in DemoReports.Generate(40, 11, DateTimeOffset.UtcNow.AddHours(-1), days: 20))
        {
            await File.WriteAllBytesAsync(Path.Combine(reports, $"{i++:D3}.eml"), raw);
        }

        await File.WriteAllBytesAsync(Path.Combine(reports, "hostile.eml"), HostileReport(Tripwire.Port));
        await IngestCommand.RunAsync(Folder, [reports], TextWriter.Null, TextWriter.Null, progress: false, default);
        await using (var context = Folder.Store.CreateContext())
        {
            HostileReportId = await context.Reports.Where(r => r.Subject == HostileSubject).Select(r => r.Id).SingleAsync();
        }

        var accounts = new AccountService(Folder.Store);
        foreach (var role in Roles.All)
        {
            await accounts.AddUserAsync(role + "1", Password, role, "test", default);
        }

        _app = HooklineServer.Build(Folder, _options);
        await _app.StartAsync();
        BaseAddress = new Uri(HooklineServer.Addresses(_app)[0]);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Tripwire.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>A Report-button report whose original's HTML tries to run a script, to load things from <paramref name="port"/>, and to navigate (refresh, links, a form).</summary>
    private static byte[] HostileReport(int port)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-30).ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        var remote = $"http://127.0.0.1:{port}";
        var original = new StringBuilder()
            .Append("Received: from mx.evil.example (203.0.113.66) by AM6EUR05FT012.mail.protection.outlook.com (10.233.241.130) with Microsoft SMTP Server; ").Append(now).Append("\r\n")
            .Append("Authentication-Results: spf=fail (sender IP is 203.0.113.66) smtp.mailfrom=evil.example; dkim=none; dmarc=fail action=none header.from=evil.example;compauth=fail reason=000\r\n")
            .Append("From: Evil Sender <attacker@evil.example>\r\n")
            .Append("To: Avery Adams <avery@contoso.com>\r\n")
            .Append("Subject: ").Append(HostileSubject).Append("\r\n")
            .Append("Date: ").Append(now).Append("\r\n")
            .Append("Message-ID: <hostile-1@evil.example>\r\n")
            .Append("X-MS-Exchange-Organization-Network-Message-Id: 0badc0de-0000-4000-8000-000000000001\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("Content-Type: text/html; charset=\"utf-8\"\r\n\r\n")
            .Append("<html><head><link rel=\"stylesheet\" href=\"").Append(remote).Append("/style.css\">")
            .Append("<meta http-equiv=\"refresh\" content=\"1;url=").Append(remote).Append("/refresh\"><base href=\"").Append(remote).Append("/base/\"></head><body>")
            .Append("<script>document.title = 'pwned'; try { parent.document.title = 'pwned'; } catch (e) {} new Image().src = '").Append(remote).Append("/script';</script>")
            .Append("<p id=\"marker\">Open sesame &lt;b&gt;not bold&lt;/b&gt;</p>")
            .Append("<img src=\"").Append(remote).Append("/pixel.png\" alt=\"pixel\">")
            .Append("<a href=\"https://login.evil.example/owa\">Keep my mailbox</a>")
            .Append("<p><a id=\"evil-link\" href=\"https://evil.example/x\" title=\"https://microsoft.com/\">Verify your account</a></p>")
            // A Safe Links-wrapped link to a bare IP address whose text names another host: the Links table shows the target and the flags.
            .Append("<p><a id=\"wrapped-link\" href=\"").Append(WrappedLink).Append("\">https://account.microsoft.com/security</a></p>")
            .Append("<p><a id=\"loopback-link\" href=\"").Append(remote).Append("/clicked\">Relative to the base</a> <a id=\"relative-link\" href=\"next\">next</a></p>")
            .Append("<form id=\"steal\" method=\"post\" action=\"").Append(remote).Append("/form\"><input name=\"password\" type=\"password\" value=\"hunter2\"><button id=\"steal-submit\" formaction=\"").Append(remote).Append("/formaction\">Sign in</button></form>")
            .Append("</body></html>\r\n")
            .ToString();
        var envelope = new StringBuilder()
            .Append("From: Avery Adams <avery@contoso.com>\r\n")
            .Append("To: Phish Reports <report@contoso.com>\r\n")
            .Append("Subject: Phishing: 0badc0de-0000-4000-8000-000000000001|203.0.113.66|attacker@evil.example|(").Append(HostileSubject).Append(")\r\n")
            .Append("Date: ").Append(now).Append("\r\n")
            .Append("Message-ID: <hostile-envelope@AM6PR02MB1111.eurprd02.prod.outlook.com>\r\n")
            .Append("MIME-Version: 1.0\r\n")
            .Append("X-MS-Exchange-Organization-AuthAs: Internal\r\n")
            .Append("Content-Type: multipart/mixed; boundary=\"rep\"\r\n\r\n")
            .Append("--rep\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\n\r\nThis email was reported using the Report button.\r\n\r\n")
            .Append("--rep\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n")
            .Append(original)
            .Append("\r\n--rep--\r\n");
        return Encoding.UTF8.GetBytes(envelope.ToString());
    }
}

/// <summary>A loopback listener that only counts the connections it gets (a request that loaded anything remote).</summary>
public sealed class Tripwire : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private int _connections;

    public Tripwire()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref _connections);
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
    }

    public void Dispose() => _listener.Dispose();
}
