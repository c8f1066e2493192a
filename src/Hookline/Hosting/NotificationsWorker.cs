using Hookline.Configuration;
using Hookline.Graph;
using Hookline.Notify;
using Hookline.Notify.Outbox;
using Hookline.Smtp.Client;
using Hookline.Storage;
using Hookline.Storage.Model;

namespace Hookline.Hosting;

/// <summary>
/// The notification side of <c>hookline serve</c>: queues acknowledgements, alerts, webhooks and the
/// digest after analysis (<see cref="NotificationScanner"/>), and delivers the outbox
/// (<see cref="OutboxProcessor"/>) through the configured SMTP server or Microsoft Graph. At start,
/// messages a crashed process left at the commit point are marked failed, never resent.
/// </summary>
internal sealed partial class NotificationsWorker(
    HooklineStore store,
    NotificationsConfig config,
    INotificationSettingsStore settings,
    NotificationComposer composer,
    NotificationSignal signal,
    IGraphClientFactory graphClients,
    ILogger<NotificationsWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var mail = CreateMailSender(config, settings, graphClients);
        using var webhooks = WebhookHttp.Create(config.AllowPrivateWebhooks);
        var outbox = new OutboxProcessor(
            store,
            message => message.Kind == "webhook" ? new WebhookOutboxSender(webhooks) : mail,
            new OutboxOptions { MaxAttempts = Math.Max(1, config.MaxAttempts), RetryBase = TimeSpan.FromSeconds(Math.Max(0.1, config.RetrySeconds)) },
            logger);
        var scanner = new NotificationScanner(store, composer);
        var poll = TimeSpan.FromSeconds(Math.Max(0.2, config.PollSeconds));
        // The store may be down at start (PostgreSQL restarting): retry, never take the server down with it.
        while (true)
        {
            try
            {
                await outbox.RecoverAsync(atStart: true, stoppingToken);
                break;
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.RecoveryFailed(logger, e);
                await Task.Delay(poll, stoppingToken);
            }
        }

        if (mail is null)
        {
            Log.NoDelivery(logger);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await scanner.ScanAsync(stoppingToken);
                while (await outbox.RunOnceAsync(stoppingToken) > 0)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.PassFailed(logger, e);
            }

            try
            {
                Log.Idle(logger, poll.TotalSeconds);
                if (await signal.Wake.WaitAsync(poll, stoppingToken))
                {
                    Log.Woken(logger);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>The mail sender hookline.yaml configures, or null when none is (the condition <see cref="NotificationsConfig.HasDelivery"/> tells the review side).</summary>
    private static IOutboxSender? CreateMailSender(NotificationsConfig config, INotificationSettingsStore settings, IGraphClientFactory graphClients)
    {
        // What is required and how it must look was checked when hookline.yaml was read (the sections' Problems).
        if (config.Smtp is { Host.Length: > 0 } smtp)
        {
            var security = (smtp.Security ?? TransportSecurity.StartTls) switch
            {
                TransportSecurity.Tls => SmtpSecurity.Tls,
                TransportSecurity.None => SmtpSecurity.None,
                _ => SmtpSecurity.StartTls,
            };
            var mechanism = (smtp.Auth ?? AuthMechanism.Auto) switch
            {
                AuthMechanism.Plain => SmtpAuthMechanism.Plain,
                AuthMechanism.Login => SmtpAuthMechanism.Login,
                AuthMechanism.XOAuth2 => SmtpAuthMechanism.XOAuth2,
                _ => SmtpAuthMechanism.Auto,
            };
            var timeout = TimeSpan.FromSeconds(smtp.TimeoutSeconds ?? 300);
            return new SmtpOutboxSender(new SmtpDeliveryOptions
            {
                Host = smtp.Host,
                Port = smtp.Port ?? security switch { SmtpSecurity.Tls => 465, SmtpSecurity.None => 25, _ => 587 },
                Security = security,
                Credentials = string.IsNullOrEmpty(smtp.User) ? null : new SmtpCredentials(smtp.User, smtp.Password ?? "", mechanism),
                EnvelopeFrom = smtp.EnvelopeFrom,
                Client = new SmtpClientOptions
                {
                    ClientName = smtp.ClientName ?? System.Net.Dns.GetHostName(),
                    CommandTimeout = timeout,
                    DataBlockTimeout = timeout,
                    DataTerminationTimeout = TimeSpan.FromSeconds(Math.Max(600, timeout.TotalSeconds)),
                },
            });
        }

        if (config.Graph is { TenantId.Length: > 0 } graph)
        {
            var connection = new GraphConnection
            {
                TenantId = graph.TenantId,
                ClientId = graph.ClientId,
                ClientSecret = graph.ClientSecret,
                BaseUrl = graph.BaseUrl is null ? GraphConnection.GlobalBaseUrl : new Uri(graph.BaseUrl),
            };
            var client = graphClients.Create(connection);
            return new SenderFromSettings(settings, graph.Sender, sender => new GraphOutboxSender(client, sender));
        }

        return null;
    }

    /// <summary>Graph sends as a mailbox: the configured one, or the settings' sender at the time of sending.</summary>
    private sealed class SenderFromSettings(INotificationSettingsStore settings, string? fixedSender, Func<string, IOutboxSender> create) : IOutboxSender
    {
        public async Task SendAsync(OutboxMessage message, Func<CancellationToken, Task> commitPoint, CancellationToken cancellationToken)
        {
            var sender = fixedSender ?? NotificationComposer.SenderOf(message.Content) ?? (await settings.GetAsync(cancellationToken)).SenderAddress;
            await create(sender).SendAsync(message, commitPoint, cancellationToken);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Notifications: no delivery configured (notifications.smtp or notifications.graph in hookline.yaml); emails wait in the outbox")]
        public static partial void NoDelivery(ILogger logger);

        [LoggerMessage(Level = LogLevel.Error, Message = "Notifications: the outbox cannot be recovered at start (is the store up?); retrying")]
        public static partial void RecoveryFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Error, Message = "Notifications pass failed; retrying")]
        public static partial void PassFailed(ILogger logger, Exception exception);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Notifications: pass done, next in at most {Seconds} s")]
        public static partial void Idle(ILogger logger, double seconds);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Notifications: woken (a review or an analysis has something to send)")]
        public static partial void Woken(ILogger logger);
    }
}
