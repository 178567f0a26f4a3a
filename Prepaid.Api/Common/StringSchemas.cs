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
        if (context.JsonTypeInfo.Type == typeof(string) && schema.Type is null && schema.OneOf is null && schema.AnyOf is null)
            schema.Type = JsonSchemaType.String | JsonSchemaType.Number
                | (context.JsonPropertyInfo is { IsSetNullable: false } ? 0 : JsonSchemaType.Null);
        return Task.CompletedTask;
    }
}
