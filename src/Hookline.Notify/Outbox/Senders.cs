using System.Net.Http.Headers;
using System.Text;
using Hookline.Smtp.Client;
using Hookline.Storage.Model;

namespace Hookline.Notify.Outbox;

/// <summary>A delivery that did not succeed: permanent (do not retry), unknown (may have gone out: do not retry), or else transient.</summary>
public sealed class DeliveryException(string message, bool permanent, bool unknown = false, Exception? inner = null) : Exception(message, inner)
{
    public bool IsPermanent { get; } = permanent;

    /// <summary>The message may have been delivered (no answer after the commit point).</summary>
    public bool IsUnknown { get; } = unknown;
}

/// <summary>Delivers one outbox message. <c>commitPoint</c> must be awaited just before the step after which delivery can no longer be undone.</summary>
public interface IOutboxSender
{
    Task SendAsync(OutboxMessage message, Func<CancellationToken, Task> commitPoint, CancellationToken cancellationToken);
}

/// <summary>Settings for delivering over SMTP.</summary>
public sealed class SmtpDeliveryOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 587;

    public SmtpSecurity Security { get; init; } = SmtpSecurity.StartTls;

    public SmtpCredentials? Credentials { get; init; }

    /// <summary>MAIL FROM; by default the message's From address.</summary>
    public string? EnvelopeFrom { get; init; }

    public SmtpClientOptions Client { get; init; } = new();
}

/// <summary>Sends mail over SMTP with <see cref="SmtpClient"/>, one session per message.</summary>
public sealed class SmtpOutboxSender(SmtpDeliveryOptions options) : IOutboxSender
{
    public async Task SendAsync(OutboxMessage message, Func<CancellationToken, Task> commitPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var from = options.EnvelopeFrom ?? NotificationComposer.SenderOf(message.Content) ?? throw new DeliveryException("the message has no From address", permanent: true);
        var recipients = message.Recipient.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var client = new SmtpClient(options.Client);
        await using (client.ConfigureAwait(false))
        {
            try
            {
                await client.ConnectAsync(options.Host, options.Port, options.Security, cancellationToken).ConfigureAwait(false);
                if (options.Credentials is not null)
                {
                    await client.AuthenticateAsync(options.Credentials, cancellationToken).ConfigureAwait(false);
                }

                var result = await client.SendAsync(from, recipients, message.Content, commitPoint, cancellationToken).ConfigureAwait(false);
                if (result.RejectedRecipients.Count > 0)
                {
                    // Delivered to some; the rest are recorded, not retried (retrying would repeat it for those who got it).
                    message.LastError = "refused recipients: " + string.Join("; ", result.RejectedRecipients.Select(r => r.Key + " " + r.Value));
                }
            }
            catch (SmtpException e)
            {
                // Only a refusal of the message itself is final; a refused login or connection is the
                // configuration's or the network's, and may be fixed before the next attempt.
                var permanent = e.IsPermanent && e.Stage == SmtpFailureStage.Transaction;
                throw new DeliveryException("SMTP: " + e.Message, permanent, e.DeliveryUnknown, e);
            }
        }
    }
}

/// <summary>
/// Sends mail through Microsoft Graph: <c>POST /users/{sender}/sendMail</c> with the MIME message in
/// base64 as a <c>text/plain</c> body, which Graph sends as it is (Microsoft's "send mail in MIME format";
/// 202 Accepted). The SDK's retry middleware already retries 429, 503 and 504 after Retry-After.
/// </summary>
public sealed class GraphOutboxSender(Microsoft.Graph.GraphServiceClient client, string sender) : IOutboxSender
{
    private static readonly Dictionary<string, Microsoft.Kiota.Abstractions.Serialization.ParsableFactory<Microsoft.Kiota.Abstractions.Serialization.IParsable>> Errors = new(StringComparer.Ordinal)
    {
        ["XXX"] = Microsoft.Graph.Models.ODataErrors.ODataError.CreateFromDiscriminatorValue,
    };

    public async Task SendAsync(OutboxMessage message, Func<CancellationToken, Task> commitPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(commitPoint);
        var request = new Microsoft.Kiota.Abstractions.RequestInformation
        {
            HttpMethod = Microsoft.Kiota.Abstractions.Method.POST,
            UrlTemplate = "{+baseurl}/users/{user}/sendMail",
        };
        request.PathParameters["user"] = sender;
        using var body = new MemoryStream(Encoding.ASCII.GetBytes(Convert.ToBase64String(message.Content)));
        request.SetStreamContent(body, "text/plain");
        await commitPoint(cancellationToken).ConfigureAwait(false);
        try
        {
            await client.RequestAdapter.SendNoContentAsync(request, Errors, cancellationToken).ConfigureAwait(false);
        }
        catch (Microsoft.Kiota.Abstractions.ApiException e) when (e.ResponseStatusCode != 0)
        {
            // Graph answered, so it is known that the message did not go out. Throttling and outages are
            // transient; so are 401 and 403 (a wrong secret, a missing Mail.Send permission or access
            // policy: the configuration's fault, as SMTP's refused logins are, and fixable before the next
            // attempt). Any other 4xx refuses this message for good.
            var status = e.ResponseStatusCode;
            var transient = status is 401 or 403 or 408 or 429 or >= 500;
            var detail = e is Microsoft.Graph.Models.ODataErrors.ODataError { Error: { } error }
                ? $"{error.Code}: {error.Message}"
                : e.Message;
            throw new DeliveryException($"Graph sendMail as {sender}: {status} {detail}", permanent: !transient, inner: e);
        }
        catch (AggregateException e) when (e.InnerExceptions.LastOrDefault() is Microsoft.Kiota.Abstractions.ApiException { ResponseStatusCode: > 0 } last)
        {
            // The SDK's retry middleware gave up on 429, 503 or 504 (its exception holds one per attempt): Graph
            // answered every time, so nothing went out; the outbox retries later.
            throw new DeliveryException($"Graph sendMail as {sender}: still {last.ResponseStatusCode} after {e.InnerExceptions.Count} attempts with Retry-After", permanent: false, inner: e);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
        {
            // No connection was made, so nothing was sent: retry.
            throw new DeliveryException($"Graph sendMail: cannot connect ({e.HttpRequestError}: {e.Message})", permanent: false, inner: e);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The request may have reached Graph and been sent: the answer is lost.
            throw new DeliveryException("Graph sendMail: no answer (" + e.Message + ")", permanent: false, unknown: true, inner: e);
        }
    }
}

/// <summary>
/// POSTs a webhook's JSON. Webhooks are delivered at least once: a lost answer is retried, and the
/// receiver deduplicates by the <c>Idempotency-Key</c> header (the outbox key, the same on every attempt).
/// Give it a client from <see cref="WebhookHttp.Create"/>: private targets refused, no redirects. A 3xx
/// answer is a permanent failure (the redirect is not followed).
/// </summary>
public sealed class WebhookOutboxSender(HttpClient http) : IOutboxSender
{
    public async Task SendAsync(OutboxMessage message, Func<CancellationToken, Task> commitPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(message.Recipient));
        request.Content = new ByteArrayContent(message.Content);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", message.IdempotencyKey);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Hookline", "1.0"));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookTargetRefusedException refused)
        {
            throw new DeliveryException("webhook: " + refused.Message, permanent: true, inner: e);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DeliveryException("webhook: " + e.Message, permanent: false, inner: e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                var to = response.Headers.Location is { } location ? $" to {location}" : "";
                throw new DeliveryException($"webhook answered {status} {response.ReasonPhrase}{to}; redirects are not followed", permanent: true);
            }

            if (status is < 200 or >= 300)
            {
                var transient = status is 408 or 425 or 429 or >= 500;
                throw new DeliveryException($"webhook answered {status} {response.ReasonPhrase}", permanent: !transient);
            }
        }
    }
}
