using System.Security.Claims;
using System.Threading.RateLimiting;
using Hookline.Configuration;
using Hookline.Review.Accounts;
using Hookline.Web.Api;
using Hookline.Web.Security;
using Hookline.Web.Ui;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Hookline.Web;

/// <summary>The web side of <c>hookline serve</c>: authentication (cookies for people, API keys for scripts), roles, the API and its OpenAPI description.</summary>
/// <summary>How many sign-in attempts are let through (ServerOptions).</summary>
internal sealed record SignInLimits(int PerAddressPerMinute, int PerAccount, TimeSpan AccountWindow);

internal static class WebSetup
{
    private const string Either = "CookieOrKey";

    public static void AddHooklineWeb(this IServiceCollection services, SignInLimits limits, WebConfig web)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(web);
        // The session cookie: Secure on https (as a trusted proxy says, see UseHooklineWeb), or always when configured.
        var secure = web.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        if (TrustedProxies.Options(web.TrustedProxies) is { } forwarded)
        {
            services.AddSingleton(forwarded);
        }

        services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        services.AddProblemDetails();
        services.AddOpenApi("v1", options => options.AddDocumentTransformer<ApiSecurityDescription>().AddOperationTransformer<QueryValuesDescription>());
        // The antiforgery cookie follows the request (ASP.NET refuses to write a Secure one on plain http); it carries no session.
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddSingleton<ReportQueries>();
        services.AddSingleton(_ => new SignInThrottle(limits.PerAccount, limits.AccountWindow));
        services.AddAuthentication(Either)
            .AddPolicyScheme(Either, "cookie or API key", options => options.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? ApiKeyAuthenticationHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, options =>
            {
                options.LoginPath = "/login";
                options.LogoutPath = "/logout";
                options.AccessDeniedPath = "/denied";
                options.Cookie.Name = "hookline";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = secure;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                // The API answers 401/403 with problem details instead of redirecting to the login page.
                options.Events.OnRedirectToLogin = context => ApiOr(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => ApiOr(context, StatusCodes.Status403Forbidden);
                // Every request asks the store whether the session still stands: a user disabled, demoted,
                // given a new password or signed out elsewhere has a new stamp, and the cookie is refused.
                options.Events.OnValidatePrincipal = ValidateSessionAsync;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(Policies.Add);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait))
                {
                    context.HttpContext.Response.Headers.RetryAfter = SignInThrottle.RetryAfter(wait);
                }

                return ValueTask.CompletedTask;
            };
            // Sign-in attempts (POSTs; showing the form is free) per client address: ServerOptions.SignInAttemptsPerMinute (10 by default), then wait.
            // The address is the client's as a trusted proxy forwards it (the forwarded-headers middleware runs first), else the socket's.
            options.AddPolicy("login", http => HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? RateLimitPartition.GetNoLimiter("form") : RateLimitPartition.GetFixedWindowLimiter(
                ClientAddress(http),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PerAddressPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        // The web UI (Razor Pages under Web/Pages): Web/Ui/UiSetup.cs.
        services.AddHooklineUi();
    }

    public static void UseHooklineWeb(this WebApplication app)
    {
        if (app.Services.GetService<ForwardedHeadersOptions>() is { } forwarded)
        {
            app.UseForwardedHeaders(forwarded);
        }

        // Strict-Transport-Security on https requests (not for localhost, where a browser would keep it for every port).
        app.UseHsts();
        app.UseHooklineUiHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapOpenApi("/openapi/{documentName}.json");
        ReportsApi.Map(app);
        SettingsApi.Map(app);
        AuditApi.Map(app);
        app.MapHooklineUi();
    }

    /// <summary>The client's address: forwarded by a trusted proxy, else the socket's (IPv4 without the ::ffff: prefix).</summary>
    public static string ClientAddress(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var address = http.Connection.RemoteIpAddress;
        return address is null ? "unknown" : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }

    /// <summary>The signed-in person or key, for audit entries.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountService>();
        var principal = context.Principal;
        var user = await accounts.FindSessionUserAsync(principal?.Identity?.Name, principal?.FindFirst(SessionClaims.Stamp)?.Value, context.HttpContext.RequestAborted);
        if (user is null || !string.Equals(user.Role, principal?.FindFirst(ClaimTypes.Role)?.Value, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static Task ApiOr(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            context.Response.StatusCode = status;
            return Results.Problem(statusCode: status, title: status == 401 ? "sign-in required" : "not allowed for this role").ExecuteAsync(context.HttpContext);
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
