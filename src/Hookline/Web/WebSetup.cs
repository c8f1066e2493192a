using System.Security.Claims;
using System.Threading.RateLimiting;
using Hookline.Web.Api;
using Hookline.Web.Security;
using Hookline.Web.Ui;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Hookline.Web;

/// <summary>The web side of <c>hookline serve</c>: authentication (cookies for people, API keys for scripts), roles, the API and its OpenAPI description.</summary>
internal static class WebSetup
{
    private const string Either = "CookieOrKey";

    public static void AddHooklineWeb(this IServiceCollection services, int signInAttemptsPerMinute)
    {
        services.AddProblemDetails();
        services.AddOpenApi("v1");
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddSingleton<AccountService>();
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
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
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
            // Sign-in attempts (POSTs; showing the form is free) per client address: ServerOptions.SignInAttemptsPerMinute (10 by default), then wait.
            options.AddPolicy("login", http => HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) ? RateLimitPartition.GetNoLimiter("form") : RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = signInAttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });

        // The web UI (Razor Pages under Web/Pages): Web/Ui/UiSetup.cs.
        services.AddHooklineUi();
    }

    public static void UseHooklineWeb(this WebApplication app)
    {
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

    /// <summary>The signed-in person or key, for audit entries.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountService>();
        var principal = context.Principal;
        var user = await accounts.FindSessionUserAsync(principal?.Identity?.Name, principal?.FindFirst(AccountService.StampClaim)?.Value, context.HttpContext.RequestAborted).ConfigureAwait(false);
        if (user is null || !string.Equals(user.Role, principal?.FindFirst(ClaimTypes.Role)?.Value, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme).ConfigureAwait(false);
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
