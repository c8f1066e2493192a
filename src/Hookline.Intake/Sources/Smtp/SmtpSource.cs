using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Hookline.Smtp;
using Hookline.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hookline.Intake.Sources.Smtp;

/// <summary>
/// Reports delivered by SMTP (an organisation's transport rule pointing at Hookline): runs an
/// <see cref="SmtpServer"/> and commits every message to the sink before the server answers 250, so
/// a message the client saw accepted is stored, and one that was not is still the client's to retry.
/// </summary>
public sealed partial class SmtpSource : IReportSource
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(1);

    private readonly SmtpSourceOptions _options;
    private readonly IReportSink _sink;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource<IPEndPoint> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A source that hands what it receives to <paramref name="sink"/>.</summary>
    public SmtpSource(SmtpSourceOptions options, IReportSink sink, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(sink);
        _options = options;
        _sink = sink;
        _time = time ?? TimeProvider.System;
        _loggers = loggers ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<SmtpSource>();
    }

    /// <inheritdoc/>
    public string Name => _options.Name;

    /// <summary>Completes with the bound endpoint once the server listens.</summary>
    public Task<IPEndPoint> Listening => _listening.Task;

    /// <summary>
    /// Listens until cancelled. If the endpoint cannot be bound (the port is taken), tries again with
    /// a growing delay, up to a minute between attempts. Configuration errors (a certificate that
    /// cannot be loaded) are thrown at once.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var serverOptions = CreateServerOptions();
        var backoff = TimeSpan.FromSeconds(1);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var server = new SmtpServer(serverOptions, HandleAsync, _loggers.CreateLogger<SmtpServer>());
            await using (server.ConfigureAwait(false))
            {
                try
                {
                    await server.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (SocketException e)
                {
                    LogBindFailed(_options.EndPoint, e.SocketErrorCode, backoff);
                    await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                    continue;
                }

                _listening.TrySetResult(server.LocalEndPoint);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Commits one message; the server answers 250 only when this returns, 451 if it throws.</summary>
    internal async Task HandleAsync(SmtpEnvelope envelope, byte[] data, CancellationToken cancellationToken)
    {
        var key = $"{envelope.SessionId}.{envelope.MessageNumber}";
        FaultPoint.Hit("smtp.before-commit");
        var receipts = await _sink.AcceptAsync([new IncomingReport(Name, key, data, _time.GetUtcNow())], cancellationToken).ConfigureAwait(false);
        FaultPoint.Hit("smtp.after-commit");
        if (receipts.Count == 1)
        {
            LogCommitted(key, receipts[0].Outcome, receipts[0].ReportId);
        }
    }

    private SmtpServerOptions CreateServerOptions()
    {
        var options = new SmtpServerOptions
        {
            EndPoint = _options.EndPoint,
            ServerName = _options.ServerName,
            MaxMessageSize = _options.MaxMessageSize,
            Certificate = LoadCertificate(),
            RequireTls = _options.RequireTls,
            SpoolDirectory = _options.SpoolDirectory,
            MaxSessionsPerClient = _options.MaxSessionsPerClient,
            MaxBytesInFlight = _options.MaxBytesInFlight,
        };
        foreach (var recipient in _options.Recipients)
        {
            options.AcceptedRecipients.Add(recipient);
        }

        foreach (var domain in _options.Domains)
        {
            options.AcceptedDomains.Add(domain);
        }

        return options;
    }

    private X509Certificate2? LoadCertificate()
    {
        if (_options.PfxPath is { } pfx)
        {
            return X509CertificateLoader.LoadPkcs12FromFile(pfx, _options.PfxPassword);
        }

        if (_options.CertificatePath is null)
        {
            return null;
        }

        var keyPath = _options.KeyPath ?? throw new ArgumentException("CertificatePath needs KeyPath.", nameof(_options));
        using var pem = X509Certificate2.CreateFromPemFile(_options.CertificatePath, keyPath);

        // Through PKCS#12 so that SslStream on Linux gets a key it can use.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SMTP source cannot listen on {EndPoint} ({Error}); trying again in {Delay}")]
    private partial void LogBindFailed(IPEndPoint endPoint, SocketError error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "SMTP message {Key}: {Outcome} as report {ReportId}")]
    private partial void LogCommitted(string key, IntakeOutcome outcome, long reportId);
}
