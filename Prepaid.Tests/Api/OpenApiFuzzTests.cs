using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Tests.Api.Fuzz;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// Every operation of the OpenAPI document, as admin (who reaches everything), with bad bodies and parameters: wrong
/// JSON types, nulls, huge numbers, long strings, far dates, duplicate keys, seeded random text. No answer may be a
/// 5xx; a 400 must be problem details naming the field (its JSON path, or the parameter); and the ledger holds after.
/// The fuzz asks in zh-CN, and every problem it gets back must read in Chinese: title, detail and each field error.
/// Reproducible: PREPAID_FUZZ_SEED replays a run.
/// </summary>
public class OpenApiFuzzTests(ITestOutputHelper output)
{
    /// <summary>Endpoints that read their raw body (channel and platform pushes, verified by signature or token):
    /// they answer the caller's protocol, not problem details, so only "never a 5xx" applies to them.</summary>
    static readonly HashSet<string> RawOperations =
    [
        "POST /api/payments/alipay/notify", "POST /api/payments/wechat/notify", "POST /api/nbiot/{gatewayId}/iotda", "POST /api/nbiot/{gatewayId}/ctwing",
    ];

    /// <summary>
    /// 5xx that these endpoints' own handlers give, reported to the work on notification bodies rather than fixed with
    /// request validation: printed and counted, not failed. An entry goes once its handler answers without a 5xx.
    /// </summary>
    static readonly Dictionary<string, string> ReportedElsewhere = new()
    {
    };

    sealed record Operation(string Method, string Path, JsonObject Spec)
    {
        public string Name => $"{Method} {Path}";
    }

    int requests;
    readonly List<string> failures = [];
    readonly List<string> reported = [];

    [Fact]
    public async Task EveryOperation_BadBodiesAndParameters_Answer400NamingTheField_Never5xx_LedgerHolds_R22()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PREPAID_FUZZ_SEED"), out var s) ? s : 20261202;
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        using var app = new FuzzApp();
        async Task<HttpClient> SignedInAsync(string username, string password)
        {
            var client = Chinese(app.CreateClient());
            var token = JsonDocument.Parse(await (await client.PostAsync("/api/auth/token",
                new StringContent(JsonSerializer.Serialize(new { username, password }), Encoding.UTF8, "application/json"))).Content.ReadAsStringAsync());
            client.DefaultRequestHeaders.Authorization = new("Bearer", token.RootElement.GetProperty("token").GetString());
            return client;
        }
        var admin = await SignedInAsync("admin", FuzzApp.AdminPassword);
        var world = await FuzzWorld.BuildAsync(app, admin);
        // The tenant's own endpoints (/api/me/…) answer only a tenant: they are fuzzed as the world's first tenant.
        var tenant = await SignedInAsync("13900000101", "tenant-pass-1");

        var document = JsonNode.Parse(await admin.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var schemas = new SchemaFields(document);
        var operations = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => new Operation(m.Key.ToUpperInvariant(), p.Key, m.Value!.AsObject())))
            .OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal).ToList();
        Assert.True(operations.Count > 50, $"The document lists only {operations.Count} operations.");
        var unseeded = new List<string>();

        foreach (var op in operations)
        {
            var content = op.Spec["requestBody"]?["content"]?.AsObject();
            var (mediaType, bodySchema) = content?.Select(c => (c.Key, c.Value!["schema"])).FirstOrDefault() ?? default;
            var seeds = world.Seeds(op.Name);
            if (mediaType is not null && seeds.Count == 0)
            {
                unseeded.Add(op.Name);
                seeds = [Generated(schemas, bodySchema)];
            }
            var parameters = (op.Spec["parameters"] as JsonArray ?? []).Select(p => p!.AsObject()).ToList();
            var values = parameters.ToDictionary(p => p["name"]!.GetValue<string>(), p => world.Parameter(op.Name, p["name"]!.GetValue<string>()));
            var raw = RawOperations.Contains(op.Name);
            // Signing out with the fuzz's own token would end its session: sign-out is fuzzed without one.
            var client = op.Name == "POST /api/auth/logout" ? Chinese(app.CreateClient()) : op.Path.StartsWith("/api/me/", StringComparison.Ordinal) ? tenant : admin;

            string? firstBody = null;
            foreach (var body in seeds.DefaultIfEmpty(null))
            {
                var seedText = mediaType is null ? null : mediaType == "application/json" ? body?.ToJsonString() ?? "null" : FormOf(body, null, null);
                firstBody ??= seedText;
                var baseline = await SendAsync(client, op, values, seedText, mediaType);
                if (baseline.Status >= 500) Fail(op, "the seed", "", baseline);
                else if (baseline.Status == 400 && !raw && !unseeded.Contains(op.Name))
                    failures.Add($"{op.Name}: the seed itself is refused, fix the seed: {baseline.Text}");
                if (mediaType is null) continue;

                foreach (var field in schemas.Walk(bodySchema, body))
                    foreach (var m in Mutations.ForField(field, random))
                    {
                        var text = mediaType == "application/json" ? Mutations.Render(body, field, m) : FormOf(body, field, m);
                        var answer = await SendAsync(client, op, values, text, mediaType);
                        await CheckAsync(op, $"{Field.PathOf(field.Segments)} ← {m.Name}", field.ErrorPath, m.Strict, raw, answer,
                            () => SendAsync(client, op, values, seedText, mediaType));
                    }
            }

            foreach (var p in parameters)
            {
                var name = p["name"]!.GetValue<string>();
                var schema = schemas.Resolve(p["schema"]);
                var inQuery = p["in"]!.GetValue<string>() == "query";
                var minimum = schema["minimum"] is { } min ? decimal.Parse(min.ToString(), System.Globalization.CultureInfo.InvariantCulture) : (decimal?)null;
                var maxLength = schema["maxLength"] is { } max ? (int)max : (int?)null;
                foreach (var (what, value, strict) in Mutations.ForParameter(schemas.KindOf(schema), minimum, maxLength, inQuery, random))
                {
                    var mutated = new Dictionary<string, string?>(values) { [name] = value };
                    var answer = await SendAsync(client, op, mutated, firstBody, mediaType);
                    await CheckAsync(op, $"parameter {name} ← {what}", name, strict, raw || !inQuery, answer,
                        () => SendAsync(client, op, values, firstBody, mediaType));
                }
            }
        }

        var ledger = await LedgerCheck.RunAsync(app.Services.GetRequiredService<Db>());
        foreach (var r in ledger.Where(r => !r.Holds)) failures.Add($"check-ledger: {r.Name} is broken: {r.Detail}");

        output.WriteLine($"Fuzz seed {seed}: {requests} requests over {operations.Count} operations in {clock.Elapsed.TotalSeconds:0.0} s; {failures.Count} failures.");
        if (unseeded.Count > 0) output.WriteLine($"Operations fuzzed from a generated body (no seed in FuzzWorld): {string.Join(", ", unseeded)}");
        foreach (var (op, why) in ReportedElsewhere)
            output.WriteLine($"Reported, not failed: {reported.Count(r => r.StartsWith(op + " ", StringComparison.Ordinal))} answers 5xx from {op}: {why}.");
        foreach (var r in reported.Take(20)) output.WriteLine("  " + r);
        foreach (var f in failures.Take(500)) output.WriteLine(f);
        Assert.True(failures.Count == 0, $"{failures.Count} failures (seed {seed}), the first: {string.Join("\n", failures.Take(15))}");
    }

    sealed record Answer(int Status, string? MediaType, string Text);

    async Task<Answer> SendAsync(HttpClient client, Operation op, Dictionary<string, string?> values, string? body, string? mediaType)
    {
        requests++;
        var path = op.Path;
        var query = new List<string>();
        foreach (var (name, value) in values)
        {
            // A NUL in the path never reaches an endpoint (the server refuses the request line), so it is left out there.
            if (path.Contains("{" + name + "}")) path = path.Replace("{" + name + "}", Uri.EscapeDataString((value ?? "0").Replace("\0", "")));
            else if (value is not null) query.Add($"{name}={Uri.EscapeDataString(value)}");
        }
        var url = query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
        using var request = new HttpRequestMessage(new HttpMethod(op.Method), url);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, mediaType ?? "application/json");
        // Money writes need a key: a fresh one each time, so an accepted mutation really posts.
        request.Headers.TryAddWithoutValidation("Idempotency-Key", $"fuzz-{requests}");
        using var response = await client.SendAsync(request);
        var answer = new Answer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
        if (answer.MediaType == "application/problem+json")
            foreach (var english in EnglishTexts(answer.Text))
                if (englishSeen.Add($"{op.Name}: {english}"))
                    failures.Add($"{op.Name}: a problem in English for a zh-CN caller: \"{english}\"");
        return answer;
    }

    readonly HashSet<string> englishSeen = [];

    static HttpClient Chinese(HttpClient client)
    {
        client.DefaultRequestHeaders.Add("Accept-Language", "zh-CN");
        return client;
    }

    /// <summary>The title, detail and field errors of a problem that hold no Chinese character.</summary>
    static IEnumerable<string> EnglishTexts(string problemJson)
    {
        JsonElement p;
        try { p = JsonDocument.Parse(problemJson).RootElement.Clone(); }
        catch (JsonException) { yield break; }
        var texts = new List<string?>();
        if (p.TryGetProperty("title", out var t)) texts.Add(t.GetString());
        if (p.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String) texts.Add(d.GetString());
        if (p.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
            foreach (var f in errors.EnumerateObject())
                if (f.Value.ValueKind == JsonValueKind.Array)
                    texts.AddRange(f.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString() : m.ToString()));
        foreach (var text in texts)
            if (text is not null && !Prepaid.Api.Localization.Catalog.HasChinese(text)) yield return text;
    }

    async Task CheckAsync(Operation op, string what, string errorPath, bool strict, bool statusOnly, Answer answer, Func<Task<Answer>> seedAgain)
    {
        if (answer.Status >= 500) { Fail(op, what, "", answer); return; }
        if (statusOnly) return;
        if (answer.Status == (int)HttpStatusCode.BadRequest)
        {
            if (answer.MediaType != "application/problem+json") { Fail(op, what, "400 is not problem details", answer); return; }
            var names = ErrorNames(answer.Text);
            if (names.Length == 0) { Fail(op, what, "400 names no field", answer); return; }
            if (Names(names, errorPath)) return;
            // A 400 about another field is fine only if the unspoilt request gets one too (a meter already taken, a name in use).
            if (!strict && (await seedAgain()).Status == 400) return;
            Fail(op, what, $"400 names [{string.Join(", ", names)}], not {errorPath}", answer);
        }
        else if (strict && answer.Status != (int)HttpStatusCode.TooManyRequests)
            Fail(op, what, $"expected 400 naming {errorPath}", answer);
    }

    /// <summary>The field itself, or one inside it (an empty object is refused for its missing members).</summary>
    static bool Names(string[] names, string path) =>
        path == "body" || names.Any(n => n == path || n.StartsWith(path + ".", StringComparison.Ordinal) || n.StartsWith(path + "[", StringComparison.Ordinal));

    static string[] ErrorNames(string text)
    {
        try
        {
            return JsonDocument.Parse(text).RootElement.ErrorFields();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    void Fail(Operation op, string what, string why, Answer answer) =>
        (answer.Status >= 500 && ReportedElsewhere.ContainsKey(op.Name) ? reported : failures)
            .Add($"{op.Name} [{what}]: {answer.Status} {why} {(answer.Text.Length > 300 ? answer.Text[..300] + "…" : answer.Text)}");

    /// <summary>A form body (Alipay's notification) from the seed's fields, the one field spoilt as text.</summary>
    static string FormOf(JsonNode? seed, Field? field, Mutation? m)
    {
        var fields = (seed as JsonObject ?? []).Select(p => (p.Key, Value: p.Value?.ToString() ?? "")).ToList();
        if (field is null || m is null) return Form(fields);
        if (field.Segments.Count == 0) return m.Json;
        if (field.Segments.Count == 1 && field.Segments[0] is string name)
        {
            var value = m.Json.StartsWith('"') ? JsonSerializer.Deserialize<string>(m.Json)! : m.Json;
            fields = m.Duplicate ? [.. fields, (name, "again")] : [.. fields.Where(f => f.Key != name), (name, value)];
        }
        return Form(fields);
    }

    static string Form(IEnumerable<(string Key, string Value)> fields) =>
        string.Join('&', fields.Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));

    /// <summary>A body built from the schema alone, for an operation the world has no seed for.</summary>
    static JsonNode? Generated(SchemaFields schemas, JsonNode? schema, int depth = 0)
    {
        var s = schemas.Resolve(schema);
        return schemas.KindOf(s) switch
        {
            FieldKind.Integer => JsonValue.Create(1),
            FieldKind.Boolean => JsonValue.Create(false),
            FieldKind.Text => JsonValue.Create("x"),
            FieldKind.Array => depth > 4 ? new JsonArray() : new JsonArray(Generated(schemas, s["items"], depth + 1)),
            FieldKind.Object when depth <= 4 => new JsonObject((s["properties"] as JsonObject ?? [])
                .Select(p => KeyValuePair.Create(p.Key, Generated(schemas, p.Value, depth + 1)))),
            _ => new JsonObject(),
        };
    }
}
