using System.Runtime.Versioning;
using System.Text;
using Hookline.Testing.Servers;

[assembly: SupportedOSPlatform("linux")]

namespace Hookline.Imap.Tests;

/// <summary>One private, real Dovecot per test class.</summary>
public sealed class DovecotFixture : IAsyncLifetime
{
    public DovecotServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await DovecotServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
    }

    /// <summary>A new user with an empty mailbox.</summary>
    public string NewUser() => Server.AddUser("secret");

    /// <summary>A plaintext connection logged in as <paramref name="user"/>.</summary>
    public async Task<ImapClient> LoginAsync(string user, ImapClientOptions? options = null)
    {
        var client = new ImapClient(options ?? new ImapClientOptions { CommandTimeout = TimeSpan.FromSeconds(60) });
        await client.ConnectAsync(Server.Host, Server.ImapPort, ImapSecurity.None);
        await client.LoginAsync(user, "secret");
        return client;
    }

    /// <summary>A CRLF message with a subject and body; distinct per call when the subject differs.</summary>
    public static byte[] Message(string subject, string body = "Hello.")
    {
        return Encoding.UTF8.GetBytes(
            "From: Alice <alice@example.test>\r\nTo: reports@example.test\r\nSubject: " + subject
            + "\r\nMessage-ID: <" + Guid.NewGuid().ToString("N") + "@example.test>\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\n\r\n"
            + body + "\r\n");
    }
}
