using System.Text;
using Hookline.Smtp.Client;
using Hookline.Testing.Servers;

namespace Hookline.Smtp.Tests.Client;

/// <summary>
/// A real Postfix that relays only for authenticated clients, checking passwords and OAuth 2.0 tokens
/// with Dovecot's SASL service, and delivering over LMTP into Dovecot's maildirs.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SaslPostfix : IAsyncLifetime
{
    public const string Password = "sasl secret";

    public DovecotServer Dovecot { get; private set; } = null!;

    public PostfixServer Postfix { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Dovecot = await DovecotServer.StartAsync();
        var options = new PostfixOptions();
        options.LmtpDomains["example.test"] = new(System.Net.IPAddress.Loopback, Dovecot.LmtpPort);
        options.Settings["mynetworks"] = "";
        options.Settings["smtpd_sasl_auth_enable"] = "yes";
        options.Settings["smtpd_sasl_type"] = "dovecot";
        options.Settings["smtpd_sasl_path"] = Dovecot.AuthSocket;
        options.Settings["smtpd_relay_restrictions"] = "permit_sasl_authenticated, reject";
        Postfix = await PostfixServer.StartAsync(options);
    }

    public async Task DisposeAsync()
    {
        if (Postfix is not null)
        {
            await Postfix.DisposeAsync();
        }

        if (Dovecot is not null)
        {
            await Dovecot.DisposeAsync();
        }
    }
}

/// <summary>The client's AUTH PLAIN, LOGIN and XOAUTH2 against Postfix with Dovecot SASL; a message sent after each arrives.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SmtpAuthTests(SaslPostfix servers) : IClassFixture<SaslPostfix>
{
    private static SmtpClientOptions Options => new() { ClientName = "client.test", CommandTimeout = TimeSpan.FromSeconds(30) };

    private async Task<SmtpClient> ConnectAsync()
    {
        var client = new SmtpClient(Options);
        await client.ConnectAsync("127.0.0.1", servers.Postfix.EndPoint.Port, SmtpSecurity.None);
        return client;
    }

    /// <summary>Sends a message to <paramref name="user"/> and waits for it in the user's maildir.</summary>
    private async Task SendAndReceiveAsync(SmtpClient client, string user, string subject)
    {
        var message = Encoding.ASCII.GetBytes($"From: <{user}>\r\nTo: <{user}>\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@client.test>\r\n\r\nsent after AUTH\r\n");
        var result = await client.SendAsync(user, [user], message);
        Assert.Equal(250, result.Reply.Code);
        await client.QuitAsync();

        var inbox = Path.Combine(servers.Dovecot.MailRoot, user, "Maildir", "new");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(Directory.Exists(inbox) && Directory.EnumerateFiles(inbox).Any(f => File.ReadAllText(f).Contains("Subject: " + subject, StringComparison.Ordinal))))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{subject}' never arrived in {inbox}:\n{servers.Postfix.ReadLog()}");
            await Task.Delay(100);
        }
    }

    [Theory]
    [InlineData(SmtpAuthMechanism.Plain, "PLAIN")]
    [InlineData(SmtpAuthMechanism.Login, "LOGIN")]
    [InlineData(SmtpAuthMechanism.Auto, "PLAIN")]
    public async Task Password_mechanisms_authenticate_and_the_message_is_relayed(SmtpAuthMechanism mechanism, string used)
    {
        var user = servers.Dovecot.AddUser(SaslPostfix.Password);
        await using var client = await ConnectAsync();
        Assert.Superset(new HashSet<string>(["PLAIN", "LOGIN", "XOAUTH2"]), new HashSet<string>(client.AuthMechanisms));
        await client.AuthenticateAsync(new SmtpCredentials(user, SaslPostfix.Password, mechanism));
        Assert.True(client.IsAuthenticated);
        await SendAndReceiveAsync(client, user, "auth " + mechanism);
        await servers.Postfix.WaitForLogAsync($"sasl_method={used}, sasl_username={user}", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task XOAuth2_authenticates_with_a_token_Dovecot_introspects()
    {
        var user = servers.Dovecot.AddUser(Guid.NewGuid().ToString("N"));
        var token = "token-" + Guid.NewGuid().ToString("N");
        servers.Dovecot.AddOAuthToken(token, user);
        await using var client = await ConnectAsync();
        await client.AuthenticateAsync(new SmtpCredentials(user, token, SmtpAuthMechanism.XOAuth2));

        Assert.True(client.IsAuthenticated);
        await SendAndReceiveAsync(client, user, "auth XOAUTH2");
        await servers.Postfix.WaitForLogAsync($"sasl_method=XOAUTH2, sasl_username={user}", TimeSpan.FromSeconds(30));
    }
}

/// <summary>
/// Refused credentials, on servers of their own: Dovecot delays each later attempt from an address
/// that failed (2, 4, 8... seconds), which would slow down, and after a few time out, the tests above.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SmtpAuthFailureTests(SaslPostfix servers) : IClassFixture<SaslPostfix>
{
    [Theory]
    [InlineData(SmtpAuthMechanism.Plain)]
    [InlineData(SmtpAuthMechanism.Login)]
    [InlineData(SmtpAuthMechanism.XOAuth2)]
    public async Task Wrong_credentials_are_an_authentication_failure_and_nothing_is_relayed(SmtpAuthMechanism mechanism)
    {
        var user = servers.Dovecot.AddUser(SaslPostfix.Password);
        await using var client = new SmtpClient(new() { ClientName = "client.test", CommandTimeout = TimeSpan.FromSeconds(30) });
        await client.ConnectAsync("127.0.0.1", servers.Postfix.EndPoint.Port, SmtpSecurity.None);
        var e = await Assert.ThrowsAsync<SmtpException>(() => client.AuthenticateAsync(new SmtpCredentials(user, "wrong", mechanism)));
        Assert.Equal(SmtpFailureStage.Authentication, e.Stage);
        Assert.Equal(535, e.Reply?.Code);
        Assert.False(client.IsAuthenticated);

        // The session is still usable, and without AUTH Postfix relays nothing.
        var refused = await Assert.ThrowsAsync<SmtpException>(() => client.SendAsync(user, [user], "Subject: no\r\n\r\nx\r\n"u8.ToArray()));
        Assert.True(refused.IsPermanent);
        Assert.Equal(SmtpFailureStage.Transaction, refused.Stage);
        Assert.Equal(554, refused.Reply?.Code);
    }
}
