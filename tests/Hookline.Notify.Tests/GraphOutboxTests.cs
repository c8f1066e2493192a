using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Hookline.Graph;
using Hookline.Notify.Outbox;
using Hookline.Storage.Model;
using Hookline.Testing.Servers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace Hookline.Notify.Tests;

/// <summary>
/// <see cref="GraphOutboxSender"/> through the outbox, with the real Microsoft.Graph SDK client against
/// the Graph stand-in (only its base URL and token changed): sendMail in MIME format, throttling,
/// refusals, a wrong token, lost answers; and <c>notifications.graph</c> in hookline.yaml.
/// </summary>
public sealed class GraphOutboxTests
{
    private const string Sender = "security@contoso.com";

    private static byte[] Mail(string to) => System.Text.Encoding.ASCII.GetBytes(
        $"From: Security <{Sender}>\r\n" + (to.Length == 0 ? "" : $"To: {to}\r\n") + "Subject: Result of your report\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nThank you.\r\n");

    private static Task<long> QueueAsync(TestStore test, byte[] content, string recipient = "zoe@contoso.com") =>
        test.QueueAsync("alert", recipient, content);


    private static GraphServiceClient Client(Uri baseUrl, string token) =>
        GraphClients.Create(new GraphConnection { BaseUrl = baseUrl }, new BaseBearerTokenAuthenticationProvider(new FixedToken(token)));

    private static OutboxProcessor Processor(TestStore test, GraphServiceClient client, int maxAttempts = 5) =>
        new(test.Store, _ => new GraphOutboxSender(client, Sender), new OutboxOptions { MaxAttempts = maxAttempts, RetryBase = TimeSpan.FromMilliseconds(50) });

    [Fact]
    public async Task SendMail_posts_the_mime_in_base64_and_the_row_is_sent()
    {
        await using var test = await TestStore.CreateAsync();
        await using var graph = await GraphStandIn.StartAsync(mailbox: Sender);
        using var client = Client(graph.BaseUrl, graph.AccessToken);
        // One to someone else, one to the sending mailbox itself (which the stand-in delivers to its inbox).
        var content = Mail("Zoe <zoe@contoso.com>");
        var own = Mail(Sender);
        var id = await QueueAsync(test, content);
        var ownId = await QueueAsync(test, own, Sender);

        Assert.Equal(2, await Processor(test, client).RunOnceAsync(default));

        var row = await test.ReadOutboxAsync(id);
        Assert.Equal((OutboxStatus.Sent, 1, null), (row.Status, row.Attempts, row.LastError));
        Assert.Equal(OutboxStatus.Sent, (await test.ReadOutboxAsync(ownId)).Status);
        var sent = graph.SentMail;
        Assert.Equal(2, sent.Count);
        Assert.Equal(content, sent[0].Mime);
        Assert.Equal(["zoe@contoso.com"], sent[0].Recipients);
        Assert.Equal(Sender, sent[0].User);
        Assert.Equal(own, sent[1].Mime);
        Assert.Equal(2, graph.RawMessagesIn("sentitems").Count);
        Assert.Equal(own, Assert.Single(graph.RawMessagesIn("inbox")));
        Assert.All(graph.Requests, r => Assert.Equal((GraphEndpoint.SendMail, 202), (r.Endpoint, r.Status)));
    }

    [Fact]
    public async Task Throttling_is_retried_by_the_sdk_then_by_the_outbox_and_the_mail_goes_out_once()
    {
        await using var test = await TestStore.CreateAsync();
        await using var graph = await GraphStandIn.StartAsync(mailbox: Sender);
        using var client = Client(graph.BaseUrl, graph.AccessToken);
        var id = await QueueAsync(test, Mail("zoe@contoso.com"));
        var outbox = Processor(test, client);

        // Two 429s: the SDK waits Retry-After and retries within one attempt.
        graph.Throttle(2, TimeSpan.FromSeconds(1));
        await outbox.RunOnceAsync(default);
        Assert.Equal((OutboxStatus.Sent, 1), ((await test.ReadOutboxAsync(id)).Status, (await test.ReadOutboxAsync(id)).Attempts));
        Assert.Equal(3, graph.RequestCount(GraphEndpoint.SendMail));

        // More 429s than the SDK retries (1 + 3): the attempt fails transiently, the row waits, the next attempt sends it.
        var second = await QueueAsync(test, Mail("yan@contoso.com"));
        graph.Throttle(4, TimeSpan.FromSeconds(1));
        await outbox.RunOnceAsync(default);
        var waiting = await test.ReadOutboxAsync(second);
        Assert.Equal((OutboxStatus.Pending, 1), (waiting.Status, waiting.Attempts));
        Assert.Contains("still 429 after", waiting.LastError, StringComparison.Ordinal);
        await test.RunWhilePendingAsync(outbox, second);

        var row = await test.ReadOutboxAsync(second);
        Assert.Equal((OutboxStatus.Sent, 2), (row.Status, row.Attempts));
        Assert.Equal(2, graph.SentMail.Count);
        Assert.Single(graph.SentMail, m => m.Recipients.SequenceEqual(["yan@contoso.com"]));
    }

    [Fact]
    public async Task A_400_fails_the_message_at_once_with_graphs_error_code()
    {
        await using var test = await TestStore.CreateAsync();
        await using var graph = await GraphStandIn.StartAsync(mailbox: Sender);
        using var client = Client(graph.BaseUrl, graph.AccessToken);
        var noRecipient = await QueueAsync(test, Mail(""));
        var refused = await QueueAsync(test, Mail("zoe@contoso.com"));

        var outbox = Processor(test, client);
        await outbox.RunOnceAsync(default);
        var row = await test.ReadOutboxAsync(noRecipient);
        Assert.Equal((OutboxStatus.Failed, 1), (row.Status, row.Attempts));
        Assert.Contains("400 ErrorInvalidRecipients", row.LastError, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Sent, (await test.ReadOutboxAsync(refused)).Status);

        var third = await QueueAsync(test, Mail("zoe@contoso.com"));
        graph.Refuse(1, 400, "ErrorMimeContentInvalidBase64String", "Invalid base64 string for MIME content.", GraphEndpoint.SendMail);
        await outbox.RunOnceAsync(default);
        var failed = await test.ReadOutboxAsync(third);
        Assert.Equal(OutboxStatus.Failed, failed.Status);
        Assert.Equal($"Graph sendMail as {Sender}: 400 ErrorMimeContentInvalidBase64String: Invalid base64 string for MIME content.", failed.LastError);
        Assert.Single(graph.SentMail);
    }

    [Fact]
    public async Task A_wrong_token_gets_401_which_is_retried_as_a_configuration_fault_and_then_given_up()
    {
        await using var test = await TestStore.CreateAsync();
        await using var graph = await GraphStandIn.StartAsync(mailbox: Sender);
        using var client = Client(graph.BaseUrl, "not-the-token");
        var id = await QueueAsync(test, Mail("zoe@contoso.com"));
        var outbox = Processor(test, client, maxAttempts: 2);

        await outbox.RunOnceAsync(default);
        var row = await test.ReadOutboxAsync(id);
        Assert.Equal((OutboxStatus.Pending, 1), (row.Status, row.Attempts));
        Assert.Contains("401 InvalidAuthenticationToken", row.LastError, StringComparison.Ordinal);
        await test.RunWhilePendingAsync(outbox, id);

        row = await test.ReadOutboxAsync(id);
        Assert.Equal((OutboxStatus.Failed, 2), (row.Status, row.Attempts));
        Assert.StartsWith("gave up after 2 attempts: Graph sendMail as security@contoso.com: 401 InvalidAuthenticationToken", row.LastError, StringComparison.Ordinal);
        Assert.Empty(graph.SentMail);
        Assert.All(graph.Requests, r => Assert.Equal(401, r.Status));
    }

    [Fact]
    public async Task A_lost_answer_is_failed_as_unknown_and_never_resent_while_a_refused_connection_is_retried()
    {
        await using var test = await TestStore.CreateAsync();
        await using var graph = await GraphStandIn.StartAsync(mailbox: Sender);
        using var client = Client(graph.BaseUrl, graph.AccessToken);
        var id = await QueueAsync(test, Mail("zoe@contoso.com"));
        var outbox = Processor(test, client);
        graph.DropConnections(10);
        await outbox.RunOnceAsync(default);
        var row = await test.ReadOutboxAsync(id);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.StartsWith("delivery state unknown", row.LastError, StringComparison.Ordinal);
        Assert.Contains("may have been delivered", row.LastError, StringComparison.Ordinal);
        graph.DropConnections(0);
        await outbox.RunOnceAsync(default);
        Assert.Empty(graph.SentMail);

        // Nothing listens: no connection, nothing sent, so the row waits for a retry.
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        using var nowhere = Client(new Uri($"http://127.0.0.1:{port}/v1.0"), graph.AccessToken);
        var second = await QueueAsync(test, Mail("zoe@contoso.com"));
        await Processor(test, nowhere).RunOnceAsync(default);
        var waiting = await test.ReadOutboxAsync(second);
        Assert.Equal((OutboxStatus.Pending, 1), (waiting.Status, waiting.Attempts));
        Assert.Contains("cannot connect", waiting.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_stand_in_answers_malformed_sendMail_requests_as_graph_documents()
    {
        await using var graph = await GraphStandIn.StartAsync(mailbox: Sender);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", graph.AccessToken);
        async Task<(int Status, string Code)> PostAsync(string user, string body, string type)
        {
            using var content = new StringContent(body, System.Text.Encoding.ASCII, type);
            using var response = await http.PostAsync(new Uri($"{graph.BaseUrl}/users/{user}/sendMail"), content);
            var text = await response.Content.ReadAsStringAsync();
            using var json = text.Length == 0 ? null : System.Text.Json.JsonDocument.Parse(text);
            return ((int)response.StatusCode, json?.RootElement.GetProperty("error").GetProperty("code").GetString() ?? "");
        }

        var mime = Convert.ToBase64String(Mail("zoe@contoso.com"));
        Assert.Equal((400, "ErrorMimeContentInvalidBase64String"), await PostAsync(Sender, "not base64!", "text/plain"));
        Assert.Equal((400, "ErrorMimeContentInvalidBase64String"), await PostAsync(Sender, "", "text/plain"));
        Assert.Equal((404, "ErrorInvalidUser"), await PostAsync("nobody@contoso.com", mime, "text/plain"));
        Assert.Equal((501, "notSupported"), await PostAsync(Sender, "{}", "application/json"));
        Assert.Equal((202, ""), await PostAsync(graph.UserId, mime, "text/plain"));
        Assert.Equal(Mail("zoe@contoso.com"), Assert.Single(graph.SentMail).Mime);
    }

    [Fact]
    public async Task Notifications_graph_in_hookline_yaml_sends_the_result_through_sendMail_as_the_settings_sender()
    {
        await using var graph = await GraphStandIn.StartAsync(mailbox: Sender);
        await using var server = await InProcessServer.StartAsync(
            $"""
              pollSeconds: 60
              graph:
                tenantId: 00000000-0000-0000-0000-000000000001
                clientId: 00000000-0000-0000-0000-000000000002
                clientSecret: not-used-with-the-test-token
                baseUrl: {graph.BaseUrl}/
            """,
            graphAuthentication: new BaseBearerTokenAuthenticationProvider(new FixedToken(graph.AccessToken)));

        var review = await server.Http.PostAsJsonAsync($"/api/reports/{server.Report.Id}/review", new { verdict = "phishing", notify = true });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        await server.WaitUntilAsync(
            async () => (await server.OutboxAsync()).Any(m => m.Kind == "result" && m.Status is OutboxStatus.Sent or OutboxStatus.Failed),
            "the result sent through Graph",
            seen: () => Task.FromResult(string.Join("; ", graph.Requests.Select(r => $"{r.Method} {r.Target} {r.Status}"))));
        var result = (await server.OutboxAsync()).Single(m => m.Kind == "result");
        Assert.Equal(OutboxStatus.Sent, result.Status);
        var sent = Assert.Single(graph.SentMail);
        Assert.Equal(Sender, sent.User);
        Assert.Equal([server.Report.ReporterAddress!], sent.Recipients);
        Assert.Equal(result.Content, sent.Mime);
        var request = Assert.Single(graph.Requests);
        Assert.Equal("/v1.0/users/security%40contoso.com/sendMail", request.Target);

        using var detail = System.Text.Json.JsonDocument.Parse(await server.Http.GetStringAsync($"/api/reports/{server.Report.Id}"));
        Assert.Equal("sent", detail.RootElement.GetProperty("report").GetProperty("notificationState").GetString());
    }
}

/// <summary>Hands the SDK one fixed bearer token, as a credential would after signing in.</summary>
internal sealed class FixedToken(string token) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new(["127.0.0.1"]);

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(token);
}
