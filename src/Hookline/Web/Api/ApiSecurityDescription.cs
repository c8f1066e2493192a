using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hookline.Web.Api;

/// <summary>
/// Tells the OpenAPI description's readers how the API is called: with an API key as a bearer token
/// (<c>Authorization: Bearer hlk_…</c>, from <c>hookline keys add</c> or the Accounts page), required on
/// every <c>/api</c> operation. A browser session's cookie works as well, but it is for the pages, not for clients.
/// </summary>
internal sealed class ApiSecurityDescription : IOpenApiDocumentTransformer
{
    public const string SchemeName = "apiKey";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "hlk_…",
            Description = "An API key (hookline keys add, or Settings → Accounts), sent as Authorization: Bearer hlk_…; its role (analyst or admin) decides what it may do.",
        };
        // Every /api operation needs it; /healthz and the pages do not.
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith("/api/", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
            }
        }

        return Task.CompletedTask;
    }
}
