using System.Text.Json;
using System.Text.Json.Serialization;

namespace Prepaid.Api.Common;

/// <summary>
/// Amounts, quantities and prices are strings in the API; gateways and scripts often send numbers.
/// A number's exact source text is kept (never through double), so "0.6853" and 0.6853 mean the same. A string holding a
/// NUL is refused (<see cref="NulGuard"/>).
/// </summary>
public sealed class LenientStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => NoNul(reader.GetString()),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected a string or a number, got {reader.TokenType}."),
    };

    static string? NoNul(string? text) => text is not null && text.Contains('\0') ? throw new JsonException(NulGuard.Reason) : text;

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
