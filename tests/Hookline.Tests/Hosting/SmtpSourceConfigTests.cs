using Hookline.Tests.Intake;

namespace Hookline.Tests.Hosting;

/// <summary>The SMTP source's hardening options in hookline.yaml reach the listener, and a contradiction stops the start.</summary>
public sealed class SmtpSourceConfigTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("hookline-smtp-config-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void RequireTls_without_a_certificate_stops_serve_with_the_reason()
    {
        File.WriteAllText(Path.Combine(_data, "hookline.yaml"), "sources:\n  - type: smtp\n    name: rule\n    listen: 127.0.0.1:0\n    recipients: [report@contoso.com]\n    requireTls: true\n");

        using var process = HooklineProcess.Start(null, "serve", "--data", _data, "--urls", "http://127.0.0.1:0");

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), process.Output);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains("source rule: requireTls needs a certificate and certificateKey for STARTTLS", process.Output, StringComparison.Ordinal);
    }
}
