using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Prepaid.Api.Common;

/// <summary>
/// Text fields are read by <see cref="LenientStringConverter"/>, which the schema generator cannot see through (it
/// writes an empty schema): say what they are, a string, or a number whose source text is kept.
/// </summary>
public sealed class StringSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type != typeof(string) || schema.Type is not null || schema.OneOf is not null || schema.AnyOf is not null)
            return Task.CompletedTask;
        // A path or query parameter is text as sent; a body field may also be a JSON number.
        schema.Type = context.JsonPropertyInfo is null ? JsonSchemaType.String
            : JsonSchemaType.String | JsonSchemaType.Number | (context.JsonPropertyInfo.IsSetNullable ? JsonSchemaType.Null : 0);
        return Task.CompletedTask;
    }
}
