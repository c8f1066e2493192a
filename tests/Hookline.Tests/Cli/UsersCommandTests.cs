using Hookline.Cli;

namespace Hookline.Tests.Cli;

/// <summary>The `hookline users` and `hookline keys` command lines (docs/cli.md).</summary>
public sealed class UsersCommandTests
{
    [Theory]
    [InlineData("users", "add bob")]
    [InlineData("users", "role bob")]
    [InlineData("keys", "add nightly-export")]
    public void A_role_is_chosen_never_assumed(string command, string arguments)
    {
        var root = command == "users" ? UsersCommand.CreateUsers() : UsersCommand.CreateKeys();

        var without = root.Parse(arguments);
        var with = root.Parse(arguments + " --role analyst");

        Assert.Contains(without.Errors, e => e.Message.Contains("--role", StringComparison.Ordinal));
        Assert.Empty(with.Errors);
    }
}
