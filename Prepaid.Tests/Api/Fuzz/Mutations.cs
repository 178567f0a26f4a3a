using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Prepaid.Tests.Api.Fuzz;

/// <summary>
/// One bad value for a field, as raw JSON. Strict: System.Text.Json or a documented range must refuse it, so the answer
/// must be 400 naming the field. Otherwise the value may be fine for that field (a number is a fine name), so only a 400
/// that does not name it (and that the seed itself would not get) is a failure.
/// </summary>
public sealed record Mutation(string Name, string Json, bool Strict, bool Duplicate = false);

public static class Mutations
{
    const string Token = "@@fuzz@@";
    static readonly string LongText = Quote(new string('x', 5000));

    static readonly string[] FarDates =
    [
        "0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59+14:00", "0001-01-01", "9999-12-31", "1999-12-31T23:59:59Z", "2100-01-01T00:00:00Z",
    ];

    // Within the documented range, at its edges: these must be handled, not refused.
    static readonly string[] EdgeDates = ["2099-12-31T23:59:59+14:00", "2000-01-01T00:00:00-12:00"];

    /// <summary>
    /// The fixed bad values, then seeded random ones. A fixed value that a text field's documented pattern excludes
    /// must be refused too: the document promises that shape.
    /// </summary>
    public static IEnumerable<Mutation> ForField(Field f, Random random) =>
        Fixed(f).Select(m => m.Strict || !OffPattern(f, m) ? m : m with { Strict = true, Name = m.Name + " (off pattern)" }).Concat(Seeded(f, random));

    static bool OffPattern(Field f, Mutation m)
    {
        if (f.Kind != FieldKind.Text || f.Pattern is not { } pattern || m.Duplicate) return false;
        var text = m.Json.StartsWith('"') ? JsonSerializer.Deserialize<string>(m.Json) : m.Json is "null" or "true" or "false" || m.Json.StartsWith('{') || m.Json.StartsWith('[') ? null : m.Json;
        return text is not null && !System.Text.RegularExpressions.Regex.IsMatch(text, pattern);
    }

    static IEnumerable<Mutation> Fixed(Field f)
    {
        var k = f.Kind;
        var typed = k is FieldKind.Integer or FieldKind.Boolean or FieldKind.Array or FieldKind.Object or FieldKind.Map;
        var notText = typed; // what a text field keeps as its source text, a typed field refuses
        yield return new("null", "null", false);
        if (f.IsProperty) yield return new("duplicate key", "", true, Duplicate: true);
        yield return new("true", "true", k is not (FieldKind.Boolean or FieldKind.Any));
        yield return new("{}", "{}", k is FieldKind.Text or FieldKind.Integer or FieldKind.Boolean or FieldKind.Array);
        yield return new("[]", "[]", k is FieldKind.Text or FieldKind.Integer or FieldKind.Boolean or FieldKind.Object or FieldKind.Map);
        yield return new("[null]", "[null]", k is FieldKind.Text or FieldKind.Integer or FieldKind.Boolean or FieldKind.Object or FieldKind.Map);
        yield return new("\"x\"", "\"x\"", notText);
        yield return new("empty text", "\"\"", notText);
        yield return new("huge number", "99999999999999999999", notText);
        yield return new("huge negative", "-99999999999999999999", notText);
        yield return new("1e20", "1e20", notText);
        yield return new("huge number as text", "\"99999999999999999999\"", notText);
        yield return new("-1", "-1", k is FieldKind.Boolean or FieldKind.Array or FieldKind.Object or FieldKind.Map || (k == FieldKind.Integer && f.Minimum > -1));
        yield return new("0", "0", k is FieldKind.Boolean or FieldKind.Array or FieldKind.Object or FieldKind.Map || (k == FieldKind.Integer && f.Minimum > 0));
        yield return new("1.5", "1.5", notText);
        yield return new("long text", LongText, k != FieldKind.Any);
        yield return new("long CJK text", Quote(new string('名', 120)), notText || (k == FieldKind.Text && f.MaxLength < 120));
        yield return new("control characters", Quote("a\u0000b\u001fc\u2028d\"e\\"), notText);
        if (k is FieldKind.Text or FieldKind.Any)
        {
            foreach (var d in FarDates) yield return new($"far date {d}", Quote(d), false);
            foreach (var d in EdgeDates) yield return new($"edge date {d}", Quote(d), false);
        }
    }

    static IEnumerable<Mutation> Seeded(Field f, Random random)
    {
        var k = f.Kind;
        var typed = k is FieldKind.Integer or FieldKind.Boolean or FieldKind.Array or FieldKind.Object or FieldKind.Map;
        for (var i = 0; i < 3; i++) yield return new("random text", Quote(RandomText(random)), false);
        for (var i = 0; i < 2; i++) yield return new("random number", RandomNumber(random), typed && k != FieldKind.Integer);
        yield return new("random number as text", Quote(RandomNumber(random)), false);
    }

    /// <summary>The body as sent: the seed with the one field replaced (or written twice, for a duplicate key).</summary>
    public static string Render(JsonNode? seed, Field field, Mutation m)
    {
        if (field.Segments.Count == 0) return m.Json;
        var root = seed!.DeepClone();
        JsonNode parent = root;
        foreach (var s in field.Segments.Take(field.Segments.Count - 1))
            parent = s is int i ? parent[i]! : parent[(string)s]!;
        var last = field.Segments[^1];
        var replacement = m.Json;
        if (m.Duplicate)
        {
            var name = (string)last;
            var original = ((JsonObject)parent)[name]?.ToJsonString() ?? "null";
            replacement = $"{original},{JsonSerializer.Serialize(name)}:{original}";
        }
        if (last is int index) parent[index] = Token;
        else parent[(string)last] = Token;
        return root.ToJsonString().Replace($"\"{Token}\"", replacement);
    }

    /// <summary>Bad values for a path or query parameter (sent escaped in the URL).</summary>
    public static IEnumerable<(string Name, string Value, bool Strict)> ForParameter(FieldKind kind, decimal? minimum, int? maxLength, bool inQuery, Random random)
    {
        var integer = kind == FieldKind.Integer && inQuery;
        var boolean = kind == FieldKind.Boolean && inQuery;
        yield return ("letters", "abc", integer || boolean);
        yield return ("empty", "", false);
        yield return ("huge number", "99999999999999999999", integer || boolean);
        yield return ("-1", "-1", boolean || (integer && minimum > -1));
        yield return ("0", "0", integer && minimum > 0);
        yield return ("1.5", "1.5", integer || boolean);
        yield return ("long text", new string('x', 5000), integer || boolean || (inQuery && maxLength is not null));
        yield return ("CJK text", new string('名', 50), integer || boolean);
        yield return ("control characters", "a\u0000b\u001f\"'<>%", integer || boolean);
        foreach (var d in FarDates) yield return ($"far date {d}", d, integer || boolean);
        yield return ("random text", RandomText(random), false);
        yield return ("random number", RandomNumber(random), false);
    }

    static string Quote(string s) => JsonSerializer.Serialize(s);

    const string Alphabet = "0123456789abcdefXYZ.-+:/ _\"\\'<>{}[]@#%&*名水電\u00e9\u0000\u0007\t\n";

    static string RandomText(Random random)
    {
        var length = random.Next(4) == 0 ? random.Next(100, 300) : random.Next(0, 20);
        var sb = new StringBuilder(length);
        for (var i = 0; i < length; i++) sb.Append(Alphabet[random.Next(Alphabet.Length)]);
        return sb.ToString();
    }

    static string RandomNumber(Random random)
    {
        var sb = new StringBuilder();
        if (random.Next(3) == 0) sb.Append('-');
        var digits = random.Next(1, 26);
        for (var i = 0; i < digits; i++) sb.Append((char)('0' + (i == 0 ? random.Next(1, 10) : random.Next(10))));
        if (random.Next(2) == 0)
        {
            sb.Append('.');
            for (var i = random.Next(1, 6); i > 0; i--) sb.Append((char)('0' + random.Next(10)));
        }
        return sb.ToString();
    }
}
