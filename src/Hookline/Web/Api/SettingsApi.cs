using Hookline.Notify;
using Hookline.Web.Security;

namespace Hookline.Web.Api;

/// <summary>The notification settings API (docs/api.md): read, save, restore, preview, logo.</summary>
internal static class SettingsApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/settings/notifications").WithTags("Settings").AddEndpointFilter<CookieCallersNeedAntiforgery>();
        api.MapGet("", GetAsync).RequireAuthorization(Policies.Analyst)
            .WithSummary("The notification settings: texts per verdict, footer, sender, logo, acknowledgement, alerts, digest.");
        api.MapPut("", SaveAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Replace the notification settings (validated; problem details list what is wrong).");
        api.MapPost("/restore", RestoreAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Bring the default settings back (texts, sender and logo).");
        api.MapPost("/preview", Preview).RequireAuthorization(Policies.Analyst)
            .WithSummary("Render what a reporter would receive from unsaved settings: kind is acknowledgement, phishing, spam or noThreatsFound.");
        api.MapPut("/logo", PutLogoAsync).RequireAuthorization(Policies.Admin).DisableAntiforgery()
            .WithSummary("Upload the logo: the image as the request body (image/png, image/jpeg or image/gif, its bytes matching the type; SVG is refused; at most 256 KB).");
        api.MapDelete("/logo", DeleteLogoAsync).RequireAuthorization(Policies.Admin)
            .WithSummary("Remove the logo.");
    }

    private static async Task<IResult> GetAsync(INotificationSettingsStore store, CancellationToken cancellationToken) =>
        Results.Ok(await store.GetAsync(cancellationToken));

    private static async Task<IResult> SaveAsync(NotificationSettings? settings, INotificationSettingsStore store, HttpContext http, CancellationToken cancellationToken)
    {
        if (settings is null)
        {
            return ReportsApi.Problem(StatusCodes.Status400BadRequest, "no settings", "Send the settings as a JSON object.");
        }

        try
        {
            await store.SaveAsync(settings, http.User.Actor(), cancellationToken);
        }
        catch (NotificationSettingsException e)
        {
            return Results.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => x.Value), title: "invalid notification settings");
        }

        return Results.Ok(await store.GetAsync(cancellationToken));
    }

    private static async Task<IResult> RestoreAsync(INotificationSettingsStore store, HttpContext http, CancellationToken cancellationToken) =>
        Results.Ok(await store.RestoreDefaultsAsync(http.User.Actor(), cancellationToken));

    private static IResult Preview(PreviewRequest? request, INotificationPreviewer previewer)
    {
        var kind = request?.Kind ?? "phishing";
        if (kind is not ("acknowledgement" or "phishing" or "spam" or "noThreatsFound"))
        {
            return ReportsApi.Problem(StatusCodes.Status400BadRequest, "unknown kind", "kind must be acknowledgement, phishing, spam or noThreatsFound.");
        }

        var settings = request?.Settings ?? NotificationDefaults.Settings;
        // A preview of a half-edited form is still useful: only what would break rendering stops it.
        var errors = NotificationValidation.ValidateForPreview(settings);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "invalid notification settings");
        }

        var preview = previewer.Preview(settings, kind);
        return Results.Ok(new NotificationPreviewResult(preview.Subject, preview.Html, preview.Text));
    }

    private static async Task<IResult> PutLogoAsync(HttpRequest request, INotificationSettingsStore store, CancellationToken cancellationToken)
    {
        var type = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (type is null || !NotificationValidation.LogoTypes.Contains(type))
        {
            return ReportsApi.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported logo type", "Send the logo as image/png, image/jpeg or image/gif (SVG is refused: it may carry script).");
        }

        using var memory = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (memory.Length + read > NotificationValidation.MaxLogoBytes)
            {
                return ReportsApi.Problem(StatusCodes.Status413PayloadTooLarge, "logo too large", $"The logo is limited to {NotificationValidation.MaxLogoBytes / 1024} KB.");
            }

            memory.Write(buffer, 0, read);
        }

        try
        {
            await store.SaveLogoAsync(type, Convert.ToBase64String(memory.ToArray()), request.HttpContext.User.Actor(), cancellationToken);
        }
        catch (NotificationSettingsException e)
        {
            return Results.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => x.Value), title: "invalid logo");
        }

        return Results.Ok(new LogoStored(type, memory.Length));
    }

    private static async Task<IResult> DeleteLogoAsync(INotificationSettingsStore store, HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            await store.SaveLogoAsync(null, null, http.User.Actor(), cancellationToken);
        }
        catch (NotificationSettingsException e)
        {
            return Results.ValidationProblem(e.Errors.ToDictionary(x => x.Key, x => x.Value), title: "invalid notification settings");
        }

        return Results.NoContent();
    }
}

internal sealed class PreviewRequest
{
    public NotificationSettings? Settings { get; init; }

    public string? Kind { get; init; }
}

/// <summary>A rendered notification: what the reporter would receive.</summary>
internal sealed record NotificationPreviewResult(string Subject, string Html, string Text);

/// <summary>The logo as stored.</summary>
/// <param name="ContentType"><c>image/png</c>, <c>image/jpeg</c> or <c>image/gif</c>.</param>
/// <param name="Size">Its size in bytes.</param>
internal sealed record LogoStored(string ContentType, long Size);
