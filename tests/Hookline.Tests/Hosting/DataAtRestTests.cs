using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Hookline.Hosting;
using Hookline.Review.Accounts;
using Hookline.Storage;
using Hookline.Storage.Model;
using Hookline.Testing.Servers;
using Hookline.Tests.Intake;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Tests.Hosting;

/// <summary>
/// Data at rest: a new data folder is 0700 and the database and its journals 0600 (under the usual
/// umask 022 they would be 0755 and 0644); an existing open folder is warned about and its database
/// tightened; the DataProtection keys are in the store, so two real servers with different home
/// folders on one PostgreSQL accept each other's cookies.
/// </summary>
public sealed partial class DataAtRestTests : IDisposable
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _root = Directory.CreateTempSubdirectory("hookline-rest-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [Fact]
    public async Task A_new_data_folder_is_0700_and_the_database_and_its_journals_0600()
    {
        var data = Path.Combine(_root, "new", "data");
        var warnings = new StringWriter();
        var folder = await DataFolder.OpenAsync(data, default, warnings);
        await using (var context = folder.Store.CreateContext())
        {
            // A write while the connection stays open: the write-ahead log and shared memory exist now.
            await context.Database.OpenConnectionAsync();
            context.Settings.Add(new SettingDocument { Key = "rest-test", Value = "{}" });
            await context.SaveChangesAsync();
            Assert.True(File.Exists(Path.Combine(data, "hookline.db-wal")));
            foreach (var file in new[] { "hookline.db", "hookline.db-wal", "hookline.db-shm" })
            {
                Assert.Equal(File600, File.GetUnixFileMode(Path.Combine(data, file)));
            }
        }

        Assert.Equal(Folder, File.GetUnixFileMode(data));
        Assert.Equal(string.Empty, warnings.ToString());
    }

    [Fact]
    public async Task An_existing_open_folder_is_warned_about_and_its_database_tightened()
    {
        var data = Path.Combine(_root, "open");
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await File.WriteAllBytesAsync(Path.Combine(data, "hookline.db"), []);
        File.SetUnixFileMode(Path.Combine(data, "hookline.db"), File600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var warnings = new StringWriter();
        _ = await DataFolder.OpenAsync(data, default, warnings);

        Assert.Contains($"hookline: warning: {data} is open to other accounts (mode 0755)", warnings.ToString(), StringComparison.Ordinal);
        Assert.Equal(File600, File.GetUnixFileMode(Path.Combine(data, "hookline.db")));
        Assert.Equal(Folder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(data));
    }

    [Fact]
    public async Task Two_servers_on_one_PostgreSQL_with_different_home_folders_accept_each_others_cookies()
    {
        using var postgres = PostgresServer.Start();
        var database = postgres.CreateDatabase();
        var store = new HooklineStore(StorageOptions.Postgres(database));
        await store.MigrateAsync();
        await new AccountService(store).AddUserAsync("shared", "correct horse battery", Roles.Analyst, "test", default);

        var (first, firstUrl) = Serve("a", database);
        var (second, secondUrl) = Serve("b", database);
        using (first)
        using (second)
        {
            using var signIn = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(firstUrl) };
            var form = await WaitForPageAsync(signIn, first);
            var token = WebUtility.HtmlDecode(TokenPattern().Match(form).Groups[1].Value);
            using var posted = await signIn.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "shared", ["Password"] = "correct horse battery", ["__RequestVerificationToken"] = token }));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            var cookie = posted.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hookline=", StringComparison.Ordinal));
            cookie = cookie[..cookie.IndexOf(';', StringComparison.Ordinal)];

            using var other = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(secondUrl) };
            _ = await WaitForPageAsync(other, second);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/reports", UriKind.Relative));
            request.Headers.Add("Cookie", cookie);
            using var answer = await other.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        await using var context = store.CreateContext();
        // Both may have made a key when they started at once on an empty ring; either way the ring is in the store.
        Assert.True(await context.DataProtectionKeys.AnyAsync());
        foreach (var home in new[] { "a", "b" })
        {
            Assert.False(Directory.Exists(Path.Combine(_root, "home-" + home, ".aspnet")), "no key ring in the home folder");
        }
    }

    [Fact]
    public async Task With_a_key_certificate_the_cookie_keys_in_the_store_are_encrypted()
    {
        var data = Path.Combine(_root, "encrypted");
        Directory.CreateDirectory(data);
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=hookline keys", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllTextAsync(Path.Combine(data, "keys.pem"), certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(Path.Combine(data, "keys.key"), rsa.ExportPkcs8PrivateKeyPem());
        }

        await File.WriteAllTextAsync(Path.Combine(data, "hookline.yaml"), "web:\n  keyCertificate: keys.pem\n  keyCertificateKey: keys.key\n");
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort.Next()}");
        Directory.CreateDirectory(Path.Combine(_root, "home-encrypted"));
        using (var server = HooklineProcess.Start(new Dictionary<string, string> { ["HOME"] = Path.Combine(_root, "home-encrypted") }, "serve", "--data", data, "--urls", url))
        {
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            // The sign-in form's antiforgery token is the first thing protected: the key ring is made for it.
            var form = await WaitForPageAsync(http, server);
            Assert.Matches(TokenPattern(), form);
            Assert.DoesNotContain("stored unencrypted", server.Output, StringComparison.Ordinal);
        }

        var store = new HooklineStore(StorageOptions.Sqlite(data));
        await using var context = store.CreateContext();
        var xml = Assert.Single(await context.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
    }

    /// <summary>A real <c>hookline serve</c> with its own data and home folders on <paramref name="database"/>.</summary>
    private (HooklineProcess Process, string Url) Serve(string name, string database)
    {
        var home = Path.Combine(_root, "home-" + name);
        Directory.CreateDirectory(home);
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{FreePort.Next()}");
        var process = HooklineProcess.Start(new Dictionary<string, string> { ["HOOKLINE_DATABASE"] = database, ["HOME"] = home }, "serve", "--data", Path.Combine(_root, "data-" + name), "--urls", url);
        return (process, url);
    }

    private static async Task<string> WaitForPageAsync(HttpClient http, HooklineProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(server.HasExited, server.Output);
            try
            {
                return await http.GetStringAsync(new Uri("/login", UriKind.Relative));
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the server never answered:\n" + server.Output);
    }
}
