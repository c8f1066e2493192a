using Microsoft.AspNetCore.Antiforgery;

namespace Hookline.Web.Security;

/// <summary>
/// The API takes a browser's sign-in cookie as well as an API key. A cookie is sent by the browser on
/// any site's request, so a request that changes something (POST, PUT, PATCH, DELETE) made with the
/// cookie must also carry the antiforgery token (header <c>RequestVerificationToken</c>, as the pages
/// hold it), or it is refused with 400: another site's form cannot submit a report or change a setting
/// in the analyst's name. A request with an API key (<c>Authorization: Bearer</c>) is no browser's and needs none.
/// </summary>
internal sealed class CookieCallersNeedAntiforgery(IAntiforgery antiforgery) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var changes = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method));
        var withKey = http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        if (changes && !withKey)
        {
            try
            {
                await antiforgery.ValidateRequestAsync(http);
            }
            catch (AntiforgeryValidationException)
            {
                return Api.ReportsApi.Problem(StatusCodes.Status400BadRequest, "antiforgery token missing", "A request signed in with the browser's cookie must carry the page's antiforgery token (header RequestVerificationToken); scripts use an API key (Authorization: Bearer) instead.");
            }
        }

        return await next(context);
    }
}
