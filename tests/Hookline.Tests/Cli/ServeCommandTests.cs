using Hookline.Cli;

namespace Hookline.Tests.Cli;

public sealed class ServeCommandTests
{
    [Fact]
    public void The_demo_password_stands_on_a_framed_line_of_its_own()
    {
        var banner = ServeCommand.SignInBanner("http://127.0.0.1:5080", "JMXr29nfHSYTJGRvNfac");
        var lines = banner.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.Equal(string.Empty, lines[0]);
        Assert.Matches("^=+$", lines[1]);
        Assert.Contains("    password  JMXr29nfHSYTJGRvNfac", lines);
        Assert.Contains(lines, l => l.Contains("Open http://127.0.0.1:5080 and sign in", StringComparison.Ordinal));
        Assert.Contains("  demo: sign in as admin with password JMXr29nfHSYTJGRvNfac (shown once)", lines);
        Assert.Equal(2, lines.Count(l => l.Length > 0 && l.All(c => c == '=')));
        Assert.All(lines.Where(l => l.Length > 0 && !l.All(c => c == '=')), l => Assert.True(l.Length <= lines[1].Length, l));
    }

    [Fact]
    public void A_second_demo_run_says_how_to_sign_in_and_how_to_start_over()
    {
        var note = ServeCommand.ExistingDemoNote("/srv/hookline-demo");

        Assert.Contains("hookline users reset-password admin --data /srv/hookline-demo", note, StringComparison.Ordinal);
        Assert.Contains("delete /srv/hookline-demo to start over", note, StringComparison.Ordinal);
    }
}
