using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Hookline.Web.Api;

/// <summary>
/// Lists, in the OpenAPI description, the values each closed filter of the report list takes
/// (<see cref="ReportQuery.AllowedValues"/>, the same list that answers 400 to any other value):
/// a generated client gets an enum, not a free string. <c>sort</c> lists each order and its reverse.
/// </summary>
internal sealed class QueryValuesDescription : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.RelativePath?.TrimEnd('/') != "api/reports" || !string.Equals(context.Description.HttpMethod, "GET", StringComparison.OrdinalIgnoreCase) || operation.Parameters is null)
        {
            return Task.CompletedTask;
        }

        foreach (var parameter in operation.Parameters)
        {
            if (parameter is not OpenApiParameter { Name: { } name } writable || !ReportQuery.AllowedValues.TryGetValue(name, out var values))
            {
                continue;
            }

            // A schema of its own: the generator may share one string schema between parameters.
            var listed = name == "sort" ? values.Concat(values.Select(v => "-" + v)) : values;
            writable.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = listed.Select(v => (JsonNode)JsonValue.Create(v)).ToList() };
        }

        return Task.CompletedTask;
    }
}
