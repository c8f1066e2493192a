using System.Net;
using System.Net.Security;
using Hookline.Notify.Outbox;
using Hookline.Smtp.Client;
using Hookline.Storage.Model;
using Hookline.Testing.Servers;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Notify.Tests;

/// <summary>
/// The outbox over implicit TLS (the smtps/465 kind, RFC 8314) to a real Postfix with the test
/// certificate, delivering over LMTP into a real Dovecot; and certificates that fail validation.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SmtpsOutboxTests
{
    private static readonly string Thumbprint = TestCertificate.Instance.Certificate.Thumbprint;

    private static byte[] Mail(string subject) => System.Text.Encoding.ASCII.GetBytes(
        $"From: Security <security@contoso.com>\r\nTo: zoe@contoso.com\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThank you.\r\n");

    /// <summary>Trusts the test certificate (self-signed, so its chain does not validate) but still checks the host name.</summary>
    private static bool TrustTestCertificate(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate, System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && string.Equals(certificate.GetCertHashString(), Thumbprint, StringComparison.OrdinalIgnoreCase)
        && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None;

    private static Task<long> QueueAsync(TestStore test, byte[] content) => test.QueueAsync("alert", "zoe@contoso.com", content);


    private static OutboxProcessor Processor(TestStore test, PostfixServer postfix, SmtpClientOptions client, int maxAttempts = 5) => new(
        test.Store,
        _ => new SmtpOutboxSender(new SmtpDeliveryOptions { Host = "127.0.0.1", Port = postfix.SmtpsEndPoint!.Port, Security = SmtpSecurity.Tls, Client = client }),
        new OutboxOptions { MaxAttempts = maxAttempts, RetryBase = TimeSpan.FromMilliseconds(50) });

    [Fact]
    public async Task Implicit_tls_to_a_real_postfix_delivers_into_dovecot()
    {
        await using var dovecot = await DovecotServer.StartAsync();
        dovecot.AddUser("zoe@contoso.com", "secret");
        var options = new PostfixOptions { Smtps = true };
        options.LmtpDomains["contoso.com"] = new IPEndPoint(IPAddress.Loopback, dovecot.LmtpPort);
        await using var postfix = await PostfixServer.StartAsync(options);
        await using var test = await TestStore.CreateAsync();
        var subject = "Implicit TLS " + Guid.NewGuid().ToString("N");
        var id = await QueueAsync(test, Mail(subject));

        await Processor(test, postfix, new SmtpClientOptions { ClientName = "hookline.contoso.test", ServerCertificateValidation = TrustTestCertificate }).RunOnceAsync(default);

        var row = await test.ReadOutboxAsync(id);
        Assert.True(row.Status == OutboxStatus.Sent, $"row {row.Status}: {row.LastError}\n{postfix.ReadLog()}");
        await postfix.WaitForLogAsync("TLS connection established from localhost[127.0.0.1]", TimeSpan.FromSeconds(60));
        var inbox = Path.Combine(dovecot.MailRoot, "zoe@contoso.com", "Maildir", "new");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<string> arrived;
        while ((arrived = Directory.Exists(inbox) ? Directory.EnumerateFiles(inbox).Select(File.ReadAllText).Where(t => t.Contains("Subject: " + subject, StringComparison.Ordinal)).ToList() : []).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{subject}' never arrived in {inbox}; Postfix log:\n{postfix.ReadLog()}\nDovecot log:\n{dovecot.ReadLog()}");
            await Task.Delay(200);
        }

        // Postfix's Received header names our EHLO and says the session was TLS (RFC 3848 "ESMTPS").
        var delivered = Assert.Single(arrived);
        Assert.Matches(@"Received: from hookline\.contoso\.test \(localhost \[127\.0\.0\.1\]\)\s+by relay\.postfix\.test \(Postfix\) with ESMTPS", delivered);
        Assert.Contains("Thank you.", delivered, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_that_fails_validation_stops_the_delivery_with_a_clear_error_on_the_row()
    {
        await using var postfix = await PostfixServer.StartAsync(new PostfixOptions { Smtps = true });
        await using var test = await TestStore.CreateAsync();

        // Default validation: the self-signed test certificate has no trusted root.
        var untrusted = await QueueAsync(test, Mail("untrusted"));
        await Processor(test, postfix, new SmtpClientOptions(), maxAttempts: 2).RunOnceAsync(default);
        var row = await test.ReadOutboxAsync(untrusted);
        Assert.Equal((OutboxStatus.Pending, 1), (row.Status, row.Attempts));
        Assert.StartsWith("SMTP: TLS handshake failed: the server's certificate for '127.0.0.1' was not accepted: its chain does not validate: UntrustedRoot", row.LastError, StringComparison.Ordinal);
        Assert.Contains("subject CN=localhost", row.LastError, StringComparison.Ordinal);

        // Trusted, but asked for under a name it does not carry; with one attempt allowed the row fails with the reason.
        await using (var context = test.Store.CreateContext())
        {
            await context.Outbox.Where(m => m.Id == untrusted).ExecuteDeleteAsync();
        }

        var mismatch = await QueueAsync(test, Mail("mismatch"));
        await Processor(test, postfix, new SmtpClientOptions { TlsServerName = "smtp.contoso.com", ServerCertificateValidation = TrustTestCertificate }, maxAttempts: 1).RunOnceAsync(default);
        row = await test.ReadOutboxAsync(mismatch);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.StartsWith("gave up after 1 attempts: SMTP: TLS handshake failed: the server's certificate for 'smtp.contoso.com' was not accepted: it is not issued for this host name", row.LastError, StringComparison.Ordinal);

        // Neither reached Postfix's queue.
        Assert.Equal(0, await postfix.QueuedCountAsync());
        Assert.DoesNotContain("queued as", postfix.ReadLog(), StringComparison.Ordinal);
    }
}
