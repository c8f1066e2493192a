using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Hookline.Configuration;
using Hookline.Graph;
using Hookline.Intake;
using Hookline.Intake.Sources;
using Hookline.Notify;
using Hookline.Review;
using Hookline.Storage;
using Hookline.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;

namespace Hookline.Hosting;

/// <summary>What a server runs besides the web side.</summary>
internal sealed record ServerOptions
{
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Run the configured sources (and the data folder's inbox).</summary>
    public bool Sources { get; init; } = true;

    /// <summary>Run the analysis workers.</summary>
    public bool Workers { get; init; } = true;

    /// <summary>Sign-in attempts (POSTs) allowed per client address per minute.</summary>
    public int SignInAttemptsPerMinute { get; init; } = 10;

    /// <summary>Sign-in attempts allowed per account (from any address) per <see cref="SignInAccountWindow"/>.</summary>
    public int SignInAttemptsPerAccount { get; init; } = 20;

    /// <summary>The window of <see cref="SignInAttemptsPerAccount"/>.</summary>
    public TimeSpan SignInAccountWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Run the notification worker (acknowledgements, alerts, digest, outbox delivery).</summary>
    public bool Notifications { get; init; } = true;
}

/// <summary>Builds the <c>hookline serve</c> application: web UI, API, intake sources and workers, all on one store.</summary>
internal static class HooklineServer
{
    /// <summary>
    /// The application for <paramref name="folder"/>. <paramref name="replaceServices"/> runs after every
    /// registration, as a test host's <c>ConfigureTestServices</c> does: a test swaps a service (the Graph
    /// clients, a logger) there instead of production options carrying test hooks.
    /// </summary>
    public static WebApplication Build(DataFolder folder, ServerOptions options, Action<IServiceCollection>? replaceServices = null)
    {
        // Hookline reads hookline.yaml, not appsettings.json: no file watchers (each costs an inotify instance,
        // and a machine out of them would stop the server from starting).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"], ContentRootPath = AppContext.BaseDirectory, EnvironmentName = "Production", ApplicationName = typeof(HooklineServer).Assembly.GetName().Name });
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var config = folder.Config;
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(folder.Analyzer);
        services.AddSingleton(config.Workers);
        services.AddSingleton(config.Notifications);
        services.AddHooklineStorage(folder.Store);
        services.AddHooklineIntake(folder.Filter);
        services.AddHooklineNotifications(ComposerOptions(folder));
        services.AddHooklineReview(new ResultDeliveryOptions(config.Notifications.HasDelivery(), folder.OrganizationDomains));
        services.AddHooklineWeb(new SignInLimits(options.SignInAttemptsPerMinute, options.SignInAttemptsPerAccount, options.SignInAccountWindow), config.Web);
        services.AddSingleton<IGraphClientFactory, GraphClientFactory>();
        AddKeyRing(services, folder);
        if (options.Workers)
        {
            services.AddHostedService<AnalysisWorkers>();
        }

        if (options.Notifications)
        {
            services.AddHostedService<NotificationsWorker>();
        }

        if (options.Sources)
        {
            // Built here so that configuration errors stop the start; they log through the server's own logging.
            services.AddSingleton<IHostedService>(provider =>
            {
                var logging = provider.GetRequiredService<ILoggerFactory>();
                var sources = SourceFactory.Create(folder.DataDirectory, config.Sources, provider.GetRequiredService<IReportSink>(), provider.GetRequiredService<ISourceCursorStore>(), logging);
                return new SourcesHost(sources, logging.CreateLogger<SourcesHost>());
            });
        }

        replaceServices?.Invoke(services);
        var app = builder.Build();
        app.UseHooklineWeb();
        app.MapGet("/healthz", CheckHealthAsync);
        return app;
    }

    /// <summary>The composer's options from the data folder: links to its public address, reporters in its organisation's domains.</summary>
    public static NotificationComposerOptions ComposerOptions(DataFolder folder)
    {
        var publicUrl = folder.Config.Notifications.PublicUrl;
        return new NotificationComposerOptions
        {
            PublicUrl = string.IsNullOrWhiteSpace(publicUrl) ? null : new Uri(publicUrl, UriKind.Absolute),
            OrganizationDomains = folder.OrganizationDomains,
        };
    }

    /// <summary>
    /// The DataProtection key ring (cookies and antiforgery tokens are protected with it) lives in the
    /// store's <c>DataProtectionKeys</c> table instead of the home folder: readable only by who can read
    /// the database, and shared by every server on one PostgreSQL, so a cookie one issues another accepts.
    /// One application name for all, whatever folder each runs from.
    /// </summary>
    /// <summary>
    /// The cookie-signing keys live in the store (shared by every server on one PostgreSQL), encrypted
    /// with <c>web.keyCertificate</c> when one is configured.
    /// </summary>
    private static void AddKeyRing(IServiceCollection services, DataFolder folder)
    {
        var keys = services.AddDataProtection().SetApplicationName("hookline").PersistKeysToDbContext<HooklineDbContext>();
        var web = folder.Config.Web;
        if (web.KeyCertificate is null)
        {
            Console.Error.WriteLine("hookline: the cookie-signing keys are stored unencrypted in the database (set web.keyCertificate to encrypt them; docs/configuration.md)");
            return;
        }

        if (web.KeyCertificateKey is null)
        {
            throw new ConfigException("web.keyCertificate needs web.keyCertificateKey (the certificate's private key, PEM)");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(Path.Combine(folder.DataDirectory, web.KeyCertificate), Path.Combine(folder.DataDirectory, web.KeyCertificateKey));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new ConfigException($"web.keyCertificate could not be read: {e.Message}", e);
        }

        keys.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    /// <summary>
    /// "ok" only while the store answers (a query within 5 s); otherwise 503 with the reason, so a load
    /// balancer or monitor stops sending work to a server whose database is gone.
    /// </summary>
    private static async Task<IResult> CheckHealthAsync(HooklineStore store, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await using var context = store.CreateContext();
            _ = await context.Reports.AsNoTracking().Select(r => r.Id).FirstOrDefaultAsync(timeout.Token);
            return Results.Text("ok");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Results.Text($"store unavailable: {(e is OperationCanceledException ? "no answer within 5 s" : e.GetType().Name)}", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>The addresses the started server listens on.</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
}
