using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hookline.Testing.Servers;

/// <summary>
/// A self-signed certificate for <c>localhost</c> and 127.0.0.1, made at run time, for TLS and
/// STARTTLS tests: usable in-process (<see cref="Certificate"/>) and by real servers (PEM files).
/// </summary>
public sealed class TestCertificate
{
    private static readonly Lazy<TestCertificate> Shared = new(() => new TestCertificate());

    private TestCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        // Exported and re-imported so that SslStream on Linux gets a certificate with a usable private key.
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
        CertificatePem = created.ExportCertificatePem();
        PrivateKeyPem = key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The one certificate shared by a test run.</summary>
    public static TestCertificate Instance => Shared.Value;

    /// <summary>The certificate with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate, PEM-encoded.</summary>
    public string CertificatePem { get; }

    /// <summary>The private key, PKCS#8 PEM-encoded.</summary>
    public string PrivateKeyPem { get; }

    /// <summary>Writes <c>cert.pem</c> and <c>key.pem</c> into <paramref name="folder"/>; returns their paths.</summary>
    public (string CertificateFile, string KeyFile) WritePem(string folder)
    {
        var cert = Path.Combine(folder, "cert.pem");
        var key = Path.Combine(folder, "key.pem");
        File.WriteAllText(cert, CertificatePem);
        File.WriteAllText(key, PrivateKeyPem);
        return (cert, key);
    }
}
