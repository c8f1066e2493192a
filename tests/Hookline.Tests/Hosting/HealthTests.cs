using System.Globalization;
using System.Net;
using Hookline.Testing.Servers;
using Hookline.Tests.Intake;

namespace Hookline.Tests.Hosting;

/// <summary>/healthz says ok only while the store answers: a real server on a real PostgreSQL that goes away.</summary>
public sealed class HealthTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("hookline-health-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Healthz_is_503_while_PostgreSQL_is_down()
    {
        var postgres = PostgresServer.Start();
        var port = FreePort.Next();
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        using var server = HooklineProcess.Start(new Dictionary<string, string> { ["HOOKLINE_DATABASE"] = postgres.CreateDatabase() }, "serve", "--data", _data, "--urls", url);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            var up = await WaitForAsync(http, HttpStatusCode.OK, server);
            Assert.Equal("ok", await up.Content.ReadAsStringAsync());
        }
        finally
        {
            postgres.Dispose();
        }

        var down = await WaitForAsync(http, HttpStatusCode.ServiceUnavailable, server);
        Assert.StartsWith("store unavailable: ", await down.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> WaitForAsync(HttpClient http, HttpStatusCode wanted, HooklineProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(server.HasExited, server.Output);
            try
            {
                var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.StatusCode == wanted)
                {
                    return response;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"/healthz never answered {wanted}:\n{server.Output}");
    }
}
