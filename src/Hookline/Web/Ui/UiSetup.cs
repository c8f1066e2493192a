using System.Diagnostics;
using System.Globalization;
using Hookline.Reports.Pipeline;
using Hookline.Web.Security;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.FileProviders;

namespace Hookline.Web.Ui;

/// <summary>The web UI: Razor Pages under Web/Pages, its scripts and styles, the message-body endpoint and the headers every response carries.</summary>
internal static class UiSetup
{
    /// <summary>Pages: only our own scripts, styles and frames; never framed by anyone.</summary>
    public const string PagePolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    /// <summary>
    /// A reported message's body (already defanged: no links, forms or remote sources left): nothing loads, nothing runs,
    /// nothing is submitted, an opaque origin. Inline styles are the email's own and the defanger's marker style; a hash for the
    /// latter would switch 'unsafe-inline' off for the former.
    /// </summary>
    public const string BodyPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'; sandbox";

    /// <summary>The settings page's email preview: the email's inline styles and the logo (a data: URL), nothing else.</summary>
    public const string PreviewPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:; form-action 'none'; sandbox";

    public static void AddHooklineUi(this IServiceCollection services)
    {
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Web/Pages";
            options.Conventions.AuthorizeFolder("/", Policies.Reader);
            options.Conventions.AllowAnonymousToPage("/Login");
            options.Conventions.AllowAnonymousToPage("/Denied");
            options.Conventions.AuthorizePage("/Mark", Policies.Analyst);
            options.Conventions.AuthorizePage("/Audit", Policies.Admin);
            options.Conventions.AuthorizePage("/Settings/Accounts", Policies.Admin);
            // Analysts see the notification settings; the page itself lets only admins change them.
            options.Conventions.AuthorizePage("/Settings/Notifications", Policies.Analyst);
            options.Conventions.AddPageApplicationModelConvention("/Login", model => model.EndpointMetadata.Add(new EnableRateLimitingAttribute("login")));
        });
        services.AddSingleton<ReportDetails>();
        // The thresholds the list and the report page read a risk against: the rule set the analysis uses.
        services.AddSingleton(provider => RiskScale.From(provider.GetRequiredService<ReportAnalyzer>().Assessor.Rules));
    }

    /// <summary>Security headers and a Server-Timing figure on every response; the UI's static files.</summary>
    public static void UseHooklineUiHeaders(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"app;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.00}");
                // The body endpoint sets its own policy and frame rule; everything else gets the page defaults.
                headers.TryAdd("Content-Security-Policy", PagePolicy);
                headers.TryAdd("X-Frame-Options", "DENY");
                headers.TryAdd("Referrer-Policy", "no-referrer");
                headers.TryAdd("X-Content-Type-Options", "nosniff");
                return Task.CompletedTask;
            });
            return next(context);
        });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(UiSetup).Assembly, "Hookline.wwwroot"),
            RequestPath = "/static",
            OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "private, max-age=300",
        });
    }

    public static void MapHooklineUi(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/reports/{id:long}/body", BodyAsync).RequireAuthorization(Policies.Reader).ExcludeFromDescription();
    }

    private static async Task BodyAsync(long id, ReportDetails details, HttpContext http, CancellationToken cancellationToken)
    {
        var body = await details.LoadBodyAsync(id, cancellationToken);
        if (body is null)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Response.Headers.ContentSecurityPolicy = BodyPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.XFrameOptions = "SAMEORIGIN";
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(body, cancellationToken);
    }
}
