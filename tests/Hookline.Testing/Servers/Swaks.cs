using System.Diagnostics;
using System.Net;
using System.Text;

namespace Hookline.Testing.Servers;

/// <summary>What a swaks run did: its exit code and the transcript it printed.</summary>
public sealed record SwaksResult(int ExitCode, string Transcript)
{
    /// <summary>Whether swaks finished the transaction (exit code 0).</summary>
    public bool Succeeded => ExitCode == 0;
}

/// <summary>
/// swaks (the Swiss Army Knife for SMTP, installed on the test machine) as a real, independent
/// SMTP client for tests.
/// </summary>
public static class Swaks
{
    /// <summary>Runs swaks against <paramref name="server"/> with the given further arguments.</summary>
    public static async Task<SwaksResult> RunAsync(IPEndPoint server, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("swaks")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--server");
        start.ArgumentList.Add(server.Address.ToString());
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--timeout");
        start.ArgumentList.Add("60");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("swaks did not start");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"swaks did not finish:\n{Truncate(await output)}\n{await error}");
        }

        return new SwaksResult(process.ExitCode, Truncate(await output) + await error);
    }

    private static string Truncate(string text)
    {
        // A 20 MB DATA echoed back would drown every failure message.
        const int Keep = 8000;
        if (text.Length <= 2 * Keep)
        {
            return text;
        }

        var builder = new StringBuilder();
        builder.Append(text.AsSpan(0, Keep)).Append("\n[...]\n").Append(text.AsSpan(text.Length - Keep));
        return builder.ToString();
    }
}
