using System.Globalization;
using System.Text.Json.Nodes;

namespace Prepaid.Tests.Api.Fuzz;

/// <summary>What System.Text.Json will accept for a field, as the OpenAPI schema says.</summary>
public enum FieldKind { Text, Integer, Boolean, Array, Object, Map, Any }

/// <summary>
/// A field of a request body: where it sits (property names and indexes from the root), its kind, and the key the
/// API's problem details must use for it ("meters[0].openingReading.at", "[1].registers.total"; "body" for the root).
/// Inside free-form JSON (a JsonElement) problems are named after the free-form field itself.
/// </summary>
public sealed record Field(IReadOnlyList<object> Segments, FieldKind Kind, JsonObject Schema, string ErrorPath)
{
    public bool IsProperty => Segments.Count > 0 && Segments[^1] is string;

    public static string PathOf(IReadOnlyList<object> segments) =>
        segments.Count == 0 ? "body" : string.Concat(segments.Select((s, i) => s is int n ? $"[{n}]" : i == 0 ? (string)s : "." + s));

    /// <summary>The schema's minimum, for integers with a documented range.</summary>
    public decimal? Minimum => Schema["minimum"] is { } m && decimal.TryParse(m.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    public int? MaxLength => Schema["maxLength"] is { } m ? (int)m : null;

    public string? Pattern => Schema["pattern"]?.GetValue<string>();
}

/// <summary>Reads the OpenAPI document's schemas and lists a body's fields: every property the schema or the seed has.</summary>
public sealed class SchemaFields(JsonObject document)
{
    public JsonObject Resolve(JsonNode? schema)
    {
        var s = schema as JsonObject ?? [];
        for (var i = 0; i < 10; i++)
        {
            if (s["$ref"]?.GetValue<string>() is { } reference)
                s = (JsonObject)document["components"]!["schemas"]![reference.Split('/')[^1]]!;
            else if (s["oneOf"] is JsonArray one && one.FirstOrDefault(x => x?["type"]?.ToString() != "null") is JsonObject inner)
                s = inner;
            else break;
        }
        return s;
    }

    public static HashSet<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonArray a => a.Select(x => x!.GetValue<string>()).ToHashSet(),
        JsonValue v => [v.GetValue<string>()],
        _ => [],
    };

    public FieldKind KindOf(JsonObject schema)
    {
        var types = Types(schema);
        if (types.Contains("integer")) return FieldKind.Integer;
        if (types.Contains("boolean")) return FieldKind.Boolean;
        if (types.Contains("array")) return FieldKind.Array;
        if (types.Contains("object") || schema["properties"] is not null) return schema["properties"] is JsonObject ? FieldKind.Object : FieldKind.Map;
        if (types.Contains("string")) return FieldKind.Text;
        return FieldKind.Any;
    }

    public IEnumerable<Field> Walk(JsonNode? schema, JsonNode? seed) => Walk(schema, seed, [], anyRoot: null);

    IEnumerable<Field> Walk(JsonNode? schema, JsonNode? seed, List<object> segments, string? anyRoot)
    {
        var resolved = Resolve(schema);
        var kind = anyRoot is not null ? FieldKind.Any : schema is null ? FromSeed(seed) : KindOf(resolved);
        var path = Field.PathOf(segments);
        yield return new Field(segments.ToArray(), kind, resolved, anyRoot ?? path);
        var inner = kind == FieldKind.Any ? anyRoot ?? path : null;
        switch (kind)
        {
            case FieldKind.Object:
                var properties = resolved["properties"] as JsonObject ?? [];
                if (seed is not JsonObject seedObject) yield break;
                foreach (var name in properties.Select(p => p.Key).Union(seedObject.Select(p => p.Key)).ToList())
                    foreach (var f in Walk(properties[name], seedObject[name], [.. segments, name], null)) yield return f;
                break;
            case FieldKind.Array when seed is JsonArray items:
                for (var i = 0; i < Math.Min(items.Count, 2); i++)
                    foreach (var f in Walk(resolved["items"], items[i], [.. segments, i], null)) yield return f;
                break;
            case FieldKind.Map or FieldKind.Any when seed is JsonObject map:
                foreach (var name in map.Select(p => p.Key).ToList())
                    foreach (var f in Walk(resolved["additionalProperties"], map[name], [.. segments, name], inner)) yield return f;
                break;
            case FieldKind.Any when seed is JsonArray anyItems:
                for (var i = 0; i < Math.Min(anyItems.Count, 2); i++)
                    foreach (var f in Walk(null, anyItems[i], [.. segments, i], inner)) yield return f;
                break;
        }
    }

    static FieldKind FromSeed(JsonNode? seed) => seed switch
    {
        JsonObject => FieldKind.Any,
        JsonArray => FieldKind.Any,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => FieldKind.Text,
        _ => FieldKind.Any,
    };
}
