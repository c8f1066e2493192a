using Hookline.Configuration;

namespace Hookline.Tests.Hosting;

/// <summary>
/// hookline.yaml is checked as it is read: its choices (source type, security, sign-in) are enums and a
/// wrong word is refused where it stands; a section missing what it needs, or contradicting itself, fails
/// the load with the line and column where the section starts.
/// </summary>
public sealed class ConfigCheckTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("hookline-config-choices-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private HooklineConfig Load(string yaml)
    {
        var file = Path.Combine(_data, "hookline.yaml");
        File.WriteAllText(file, yaml);
        return HooklineConfig.Load(file);
    }

    [Fact]
    public void Choices_are_read_in_any_case()
    {
        var config = Load("sources:\n  - type: IMAP\n    host: mail\n    user: u\n    password: token\n    security: StartTLS\n    auth: xoauth2\n  - type: folder\n    path: drop\nnotifications:\n  smtp:\n    host: mail\n    security: none\n    auth: Login\n");

        Assert.Equal((SourceType.Imap, TransportSecurity.StartTls, AuthMechanism.XOAuth2), (config.Sources[0].Type, config.Sources[0].Security, config.Sources[0].Auth));
        Assert.Equal((SourceType.Folder, (TransportSecurity?)null), (config.Sources[1].Type, config.Sources[1].Security));
        Assert.Equal((TransportSecurity.None, AuthMechanism.Login), (config.Notifications.Smtp!.Security, config.Notifications.Smtp.Auth));
    }

    [Theory]
    [InlineData("sources:\n  - type: pop3\n", "hookline.yaml:2:11: 'pop3' is not one of imap, smtp, graph, folder")]
    [InlineData("sources:\n  - type: imap\n    security: ssl\n", "hookline.yaml:3:15: 'ssl' is not one of tls, starttls, none")]
    [InlineData("notifications:\n  smtp:\n    host: mail\n    auth: cram-md5\n", "hookline.yaml:4:11: 'cram-md5' is not one of auto, plain, login, xoauth2")]
    public void A_wrong_word_is_refused_with_its_line_and_column_and_the_allowed_words(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Load(yaml));

        Assert.EndsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sources:\n  - name: box\n    host: mail\n", "hookline.yaml:2:5: source box: 'type' is required (imap, smtp, graph or folder)")]
    [InlineData("sources:\n  - type: folder\n    path: drop\n  - type: imap\n    name: box\n    user: u\n    password: p\n", "hookline.yaml:4:5: source box: 'host' is required")]
    [InlineData("sources:\n  - type: smtp\n    listen: somewhere\n    recipients: [report@contoso.com]\n", "hookline.yaml:2:5: source smtp: listen 'somewhere' is not an address:port")]
    [InlineData("sources:\n  - type: graph\n    tenantId: t\n    clientId: c\n    clientSecret: s\n    mailbox: m\n    baseUrl: ftp://graph\n", "source graph: baseUrl: 'ftp://graph' is not an http(s) URL (e.g. https://graph.microsoft.com/v1.0)")]
    [InlineData("workers:\n  analysis: 500\n", "hookline.yaml:2:3: workers.analysis: 500 is not between 0 and 64")]
    [InlineData("notifications:\n  smtp:\n    host: mail\n  graph:\n    tenantId: t\n    clientId: c\n    clientSecret: s\n", "hookline.yaml:2:3: notifications: both smtp and graph are set; keep one")]
    [InlineData("notifications:\n  graph:\n    tenantId: t\n", "hookline.yaml:3:5: notifications.graph: 'clientId' is required")]
    [InlineData("notifications:\n  publicUrl: hookline.contoso.com\n", "notifications.publicUrl: 'hookline.contoso.com' is not an http(s) URL (e.g. https://hookline.contoso.com)")]
    public void A_section_that_is_missing_something_or_contradicts_itself_fails_the_load_where_it_starts(string yaml, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Load(yaml));

        Assert.EndsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_complete_file_loads()
    {
        var config = Load("workers:\n  analysis: 2\n  leaseSeconds: 1\nsources:\n  - type: imap\n    host: mail\n    user: u\n    password: p\n  - type: smtp\n    recipients: [report@contoso.com]\n  - type: folder\n    path: drop\nnotifications:\n  publicUrl: https://hookline.contoso.com\n  smtp:\n    host: mail\n    port: 25\n");

        Assert.Equal((2, 3, 25), (config.Workers.Analysis, config.Sources.Count, config.Notifications.Smtp!.Port));
    }
}
