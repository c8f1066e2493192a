using Hookline.Configuration;

namespace Hookline.Tests.Hosting;

/// <summary>The configuration's choices (source type, security, sign-in) are read once, as enums, and a wrong word is refused where it stands.</summary>
public sealed class ConfigChoiceTests : IDisposable
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
        var config = Load("sources:\n  - type: IMAP\n    security: StartTLS\n    auth: xoauth2\n  - type: folder\nnotifications:\n  smtp:\n    host: mail\n    security: none\n    auth: Login\n");

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
}
