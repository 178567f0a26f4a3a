using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Prepaid.Api.Common;

/// <summary>
/// Endpoints that read their raw body (a signature covers its bytes) still tell the OpenAPI document what it is.
/// Accepts&lt;T&gt;() would do that too, but it also makes routing refuse other content types, and a channel's odd
/// message must still reach the handler to be stored as rejected.
/// </summary>
public static class RawBodies
{
    public static RouteHandlerBuilder DescribesBody<T>(this RouteHandlerBuilder builder, string contentType) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, ct) =>
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [contentType] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(T), null, ct) },
                },
            };
        });
}
