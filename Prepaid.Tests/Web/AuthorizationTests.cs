using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// Every operation of the API, generated from its OpenAPI document (plus the routes left out of it), called by every
/// role and anonymously on an object of site B and on another tenant's object. Each answer must be the table's
/// status; a refused call and every read must leave the database as it was (row counts and a checksum of every table);
/// an answer to an operator, cashier, tenant or anonymous caller must hold nothing of site B (nor, for the tenant, of
/// the other tenant). The table is in <c>AuthorizationTests.Table.cs</c>: an operation without a row, or a row naming an
/// operation that no longer exists, fails <see cref="EveryOperation_HasARow_AndEveryRowAnOperation"/>.
/// </summary>
public partial class AuthorizationTests(ScopedWorld w, ITestOutputHelper output) : IClassFixture<ScopedWorld>
{
    /// <summary>The table's columns, in order.</summary>
    static readonly string[] Callers = ["admin", "operator", "cashier", "auditor", "tenant", "anonymous"];

    [Fact]
    public async Task EveryOperation_HasARow_AndEveryRowAnOperation()
    {
        var operations = await OperationsAsync();
        var rows = Table().Select(r => r.Op).ToHashSet();
        var missing = operations.Except(rows).Order().ToList();
        var gone = rows.Except(operations).Order().ToList();
        Assert.True(missing.Count == 0, "Operations without a row in the authorization table:\n" + string.Join("\n", missing));
        Assert.True(gone.Count == 0, "Rows for operations the API no longer has:\n" + string.Join("\n", gone));
        Assert.All(Table(), r => Assert.Equal(Callers.Length, r.Expect.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length));
    }

    /// <summary>
    /// "METHOD /path" of every operation in /openapi/v1.json, and of every mapped route the document leaves out (the demo
    /// page, the web app's pages): a route hidden from the document is still a route someone can call.
    /// </summary>
    async Task<HashSet<string>> OperationsAsync()
    {
        var document = await w.Client("anonymous").GetOkAsync("/openapi/v1.json");
        var operations = new HashSet<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var method in path.Value.EnumerateObject())
                operations.Add($"{method.Name.ToUpperInvariant()} {path.Name}");
        var described = operations.Select(o => o.Split(' ')[1]).ToHashSet();
        foreach (var e in w.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + e.RoutePattern.RawText!.Trim('/');
            if (described.Contains(Described(pattern))) continue;
            foreach (var m in e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["ANY"]) operations.Add($"{m} {pattern}");
        }
        return operations;
    }

    /// <summary>A route pattern as the OpenAPI document writes it: no constraints ({accountId:long} is {accountId}).</summary>
    static string Described(string pattern) => System.Text.RegularExpressions.Regex.Replace(pattern, @"\{([^}:]+):[^}]+\}", "{$1}");

    [Fact]
    public async Task EveryOperation_EveryCaller_AnswersAsTheTableSays_AndRefusalsChangeNothing()
    {
        var siteB = SiteBData(w);
        var tenantA2 = TenantA2Data(w);
        var mustNotSee = new Dictionary<string, ForeignData>
        {
            ["operator"] = siteB, ["cashier"] = siteB, ["tenant"] = siteB + tenantA2, ["anonymous"] = siteB + tenantA2,
        };
        var failures = new List<string>();
        var table = Table();
        DatabaseSnapshot? current = null;
        int calls = 0, unchanged = 0, n = 0;
        foreach (var row in table)
        {
            var expected = row.Expect.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => x == "-" ? (int?)null : int.Parse(x)).ToArray();
            // Refusals first: a caller who may write must not change the object before the others are refused.
            foreach (var i in Enumerable.Range(0, Callers.Length).Where(i => expected[i] is not null).OrderBy(i => Success(expected[i]!.Value) ? 1 : 0))
            {
                var caller = Callers[i];
                var request = row.Request(new Ctx(w, caller, $"authz-{++n}"));
                var label = $"{caller} {row.Op} [{row.Of}{(row.Case.Length > 0 ? ": " + row.Case : "")}]";
                var mustNotWrite = !Success(expected[i]!.Value) || request.Method == "GET" || !row.Writes;
                var before = mustNotWrite ? current ?? await DatabaseSnapshot.TakeAsync(w.App.DatabasePath) : null;

                using var response = await w.Client(caller).SendAsync(request.ToMessage());
                calls++;
                var body = await response.Content.ReadAsByteArrayAsync();
                var status = (int)response.StatusCode;
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (status != expected[i])
                    failures.Add($"{label}: expected {expected[i]}, got {status} {Short(body)}");
                if (Success(status) && mustNotSee.TryGetValue(caller, out var foreign) && foreign.FoundIn(mediaType, body) is { Count: > 0 } leaked)
                    failures.Add($"{label}: the answer shows {string.Join(", ", leaked.Distinct())}");
                if (caller == "admin" && row.ShowsForeign && Success(status) && (row.Of == Of.TenantA2 ? tenantA2 : siteB).FoundIn(mediaType, body).Count == 0)
                    failures.Add($"{label}: the admin's answer holds none of the foreign data, so the row proves nothing: {Short(body)}");

                if (before is null)
                {
                    current = null;
                    continue;
                }
                current = await DatabaseSnapshot.TakeAsync(w.App.DatabasePath);
                var changes = current.ChangesSince(before).Where(c => !row.Evidence.Contains(c.Table)).ToList();
                if (changes.Count > 0)
                    failures.Add($"{label}: answered {status} but changed {string.Join(", ", changes.Select(c => $"{c.Table} ({c.RowsBefore} → {c.RowsAfter} rows)"))}");
                else unchanged++;
            }
        }

        var operations = table.Select(r => r.Op).Distinct().Count();
        output.WriteLine($"Authorization matrix: {operations} operations × {Callers.Length} callers ({string.Join(", ", Callers)}) × {table.Count} rows of cases " +
                         $"(object of site B, other tenant's object, or none) = {calls} calls; {unchanged} refusals and reads checked to leave all " +
                         $"{current?.Tables ?? 0} tables unchanged.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls broke the table:\n" + string.Join("\n", failures));
    }

    static bool Success(int status) => status is >= 200 and < 300;

    static string Short(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    /// <summary>Site B's data as it shows in answers.</summary>
    static ForeignData SiteBData(ScopedWorld w) => new ForeignData()
        .Ids("siteId", w.SiteB)
        .Ids("meterId", w.MeterB1, w.MeterB2, w.MeterBN, w.MasterB, w.MeterB3, w.MeterB4, w.MeterB5).Ids("masterMeterId", w.MasterB).Ids("subMeterIds", w.MeterB1, w.MeterB2)
        .Ids("meterIds", w.MeterB1, w.MeterB2, w.MeterBN).Ids("oldMeterId", w.MeterB5)
        .Ids("accountId", w.AccountB, w.AccountBClosed, w.AccountBToClose).Ids("tenantId", w.TenantB).Ids("agreementId", w.ChargeB)
        .Ids("gatewayId", w.GatewayB, w.NbGatewayB).Ids("busId", w.BusB)
        .Ids("commandId", w.CommandB).Ids("batchId", w.BatchB)
        .Texts(ScopedWorld.RequestBText, "Mall B", "\"B-1\"", "\"B-2\"", "\"B-N\"", "B-MASTER", "B-101", "gw-B", "Shop B", "13800000002", w.OrderB, w.LostB);

    /// <summary>The other tenant's (of site A) data, which the tenant of account A must not see.</summary>
    static ForeignData TenantA2Data(ScopedWorld w) => new ForeignData()
        .Ids("accountId", w.AccountA2).Ids("tenantId", w.TenantA2).Ids("meterId", w.MeterA3)
        .Texts(ScopedWorld.RequestA2Text, "Shop A2", "13800000003", "\"A-3\"", w.OrderA2);

    [Fact]
    public async Task Reconciliation_ReadBySiteScopedUser_HasTheRowsAndOrderCountOfTheirSitesOnly()
    {
        var admin = w.Client("admin");
        var run = await admin.PostOkAsync("/api/payments/reconciliations", new { channel = "alipay", day = ScopedWorld.Day });
        var siteA = (await admin.GetOkAsync($"/api/accounts?siteId={w.SiteA}")).EnumerateArray().Select(a => a.Id()).ToHashSet();
        var ordersOfA = (await admin.GetOkAsync("/api/payments/orders?channel=alipay&limit=1000")).EnumerateArray()
            .Count(o => siteA.Contains(o.GetProperty("accountId").GetInt64()));
        var rowsOfA = run.GetProperty("rows").EnumerateArray().Where(r => siteA.Contains(r.GetProperty("accountId").GetInt64())).Select(r => r.Str("outTradeNo")).ToList();

        var seen = await w.Client("operator").GetOkAsync($"/api/payments/reconciliations?channel=alipay&day={ScopedWorld.Day}");
        Assert.Equal(run.Id(), seen.Id());
        Assert.Equal(rowsOfA, seen.GetProperty("rows").EnumerateArray().Select(r => r.Str("outTradeNo")).ToList());
        Assert.Contains(w.LostA, rowsOfA);
        Assert.Equal(rowsOfA.Count, seen.GetProperty("differences").GetInt32());
        Assert.Equal(ordersOfA, seen.GetProperty("orders").GetInt32());
        Assert.True(run.GetProperty("orders").GetInt32() > ordersOfA, "the run also covers site B's orders");
        var auditor = await w.Client("auditor").GetOkAsync($"/api/payments/reconciliations?channel=alipay&day={ScopedWorld.Day}");
        Assert.Equal(run.GetProperty("orders").GetInt32(), auditor.GetProperty("orders").GetInt32());
        Assert.Equal(run.GetProperty("rows").GetArrayLength(), auditor.GetProperty("differences").GetInt32());
    }

    [Fact]
    public async Task Users_CreateValidatesRoleAndSites()
    {
        var admin = w.Client("admin");
        var bad = await admin.PostAsJsonAsync("/api/users", new { username = "x", password = "short", role = "boss", siteIds = new[] { 999 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var fields = (await bad.ReadJsonAsync()).ErrorFields();
        Assert.Contains("password", fields);
        Assert.Contains("role", fields);
        var unknownSite = await admin.PostAsJsonAsync("/api/users", new { username = "op-x", password = ScopedWorld.Password, role = "operator", siteIds = new[] { 999 } });
        Assert.Equal(HttpStatusCode.NotFound, unknownSite.StatusCode);
        Assert.Contains("siteIds[0]", (await unknownSite.ReadJsonAsync()).ErrorFields());
        var me = await w.Client("operator").GetOkAsync("/api/me");
        Assert.Equal("operator", me.Str("role"));
        Assert.Equal([w.SiteA], me.GetProperty("siteIds").EnumerateArray().Select(e => e.GetInt64()).ToArray());
    }

    public enum Of { Nothing, SiteB, TenantA2 }

    /// <summary>One call: its method and URL, and a JSON body or other content.</summary>
    public sealed record Req(string Method, string Url, object? Json = null, Func<HttpContent>? Content = null, string? IdempotencyKey = null)
    {
        public HttpRequestMessage ToMessage()
        {
            var message = new HttpRequestMessage(new HttpMethod(Method), Url)
            {
                Content = Content?.Invoke() ?? (Json is null ? null : JsonContent.Create(Json, options: JsonOptions)),
            };
            if (IdempotencyKey is not null) message.Headers.Add("Idempotency-Key", IdempotencyKey);
            return message;
        }

        static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    }

    /// <summary>Who calls, and a key unique to this call (idempotency keys, names that must not collide).</summary>
    public sealed record Ctx(ScopedWorld W, string Caller, string Key);

    /// <summary>
    /// One operation on one case. <c>Expect</c> holds the status per caller in <see cref="Callers"/> order ("-" skips
    /// the caller). <c>ShowsForeign</c>: the admin's answer must hold the case's foreign data (so the leak check on the
    /// others is not vacuous). <c>Evidence</c>: tables a refused call writes by design (a refused batch, a forged
    /// notification, both kept for operators). <c>Writes</c> false: even an accepted call must change nothing else.
    /// </summary>
    public sealed record Row(string Op, Of Of, string Expect, Func<Ctx, Req> Request)
    {
        public string Case { get; init; } = "";
        public bool ShowsForeign { get; init; }
        public string[] Evidence { get; init; } = [];
        public bool Writes { get; init; } = true;
    }
}
