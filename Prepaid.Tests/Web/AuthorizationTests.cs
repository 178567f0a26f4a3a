using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// For every role, the calls it may make and the ones it may not: 403 when the role may never do it, 404 when the
/// data lies outside the user's sites or is another tenant's (ids reveal nothing). Site A is the scoped users' site.
/// </summary>
public class AuthorizationTests(ScopedWorld w) : IClassFixture<ScopedWorld>
{
    // call name → expected status for admin, operator (site A), cashier (site A), auditor, tenant (owns account A)
    static readonly (string Call, int Admin, int Operator, int Cashier, int Auditor, int Tenant)[] Table =
    [
        ("GET sites",                 200, 200, 200, 200, 403),
        ("GET site B",                200, 404, 404, 200, 403),
        ("POST site",                 201, 403, 403, 403, 403),
        ("POST room in B",            201, 404, 403, 403, 403),
        ("GET meter A-1",             200, 200, 200, 200, 403),
        ("GET meter B-1",             200, 404, 404, 200, 403),
        ("GET meter B-1 readings",    200, 404, 404, 200, 403),
        ("POST meter in B",           201, 404, 403, 403, 403),
        ("POST tariff in A",          201, 201, 403, 403, 403),
        ("GET tariff B",              200, 404, 404, 200, 403),
        ("GET tenant B",              200, 404, 404, 200, 403),
        ("POST open account on B-2",  201, 404, 403, 403, 403),
        ("GET account A",             200, 200, 200, 200, 200),
        ("GET account B",             200, 404, 404, 200, 404),
        ("GET ledger A",              200, 200, 200, 200, 200),
        ("GET ledger B",              200, 404, 404, 200, 404),
        ("GET consumption B",         200, 404, 404, 200, 404),
        ("POST top-up A",             201, 201, 201, 403, 403),
        ("POST top-up B",             201, 404, 404, 403, 403),
        ("POST readings B-1",         200, 400, 403, 403, 403), // a batch naming a meter outside the scope is refused like an unknown meter
        ("GET outbox",                200, 200, 200, 200, 403),
        ("GET grid A",                200, 200, 200, 200, 403),
        ("GET grid B",                200, 404, 404, 200, 403),
        ("GET overview B",            200, 404, 404, 200, 403),
        ("GET report sales A",        200, 200, 200, 200, 403),
        ("GET report sales B",        200, 404, 404, 200, 403),
        ("GET apportionments",        200, 200, 200, 200, 403),
        ("GET users",                 200, 403, 403, 403, 403),
        ("POST user",                 201, 403, 403, 403, 403),
        ("PUT user sites",            200, 403, 403, 403, 403),
        ("GET me",                    200, 200, 200, 200, 200),
        ("GET ledger check",          200, 403, 403, 403, 403),
        ("POST command on B-1",       201, 404, 403, 403, 403),
        ("GET commands of B-1",       200, 404, 404, 200, 403),
        ("POST batch on B-1",         201, 400, 403, 403, 403), // a batch naming a meter outside the scope is refused like an unknown meter
    ];

    public static TheoryData<string, string, int> Cases()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var r in Table)
        {
            data.Add("admin", r.Call, r.Admin);
            data.Add("operator", r.Call, r.Operator);
            data.Add("cashier", r.Call, r.Cashier);
            data.Add("auditor", r.Call, r.Auditor);
            data.Add("tenant", r.Call, r.Tenant);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Role_Call_AnswersAsTheTableSays(string role, string call, int expected)
    {
        var response = await Send(w.Client(role), role, call);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expected, $"{role} {call}: expected {expected}, got {(int)response.StatusCode} {text}");
    }

    Task<HttpResponseMessage> Send(HttpClient c, string role, string call)
    {
        var from = "2026-01-01";
        var to = "2027-01-01";
        return call switch
        {
            "GET sites" => c.GetAsync("/api/sites"),
            "GET site B" => c.GetAsync($"/api/sites/{w.SiteB}"),
            "POST site" => c.PostAsJsonAsync("/api/sites", new { name = $"New {role}", timeZone = "Asia/Shanghai" }),
            "POST room in B" => c.PostAsJsonAsync($"/api/sites/{w.SiteB}/rooms", new { code = $"R-{role}", name = "Room", areaM2 = "10" }),
            "GET meter A-1" => c.GetAsync($"/api/meters/{w.MeterA1}"),
            "GET meter B-1" => c.GetAsync($"/api/meters/{w.MeterB1}"),
            "GET meter B-1 readings" => c.GetAsync($"/api/meters/{w.MeterB1}/readings"),
            "POST meter in B" => c.PostAsJsonAsync("/api/meters", new { siteId = w.SiteB, serial = $"B-new-{role}", utility = "electricity" }),
            "POST tariff in A" => c.PostAsJsonAsync("/api/tariffs", new
            {
                siteId = w.SiteA, name = $"T {role}", utility = "electricity",
                versions = new[] { new { effectiveFrom = "2026-01-01T00:00:00+08:00", kind = "flat", price = "1.0000" } },
            }),
            "GET tariff B" => c.GetAsync($"/api/tariffs/{w.TariffB}"),
            "GET tenant B" => c.GetAsync($"/api/tenants/{w.TenantB}"),
            "POST open account on B-2" => c.PostAsJsonAsync("/api/accounts", new
            {
                tenantId = w.TenantB, alarm1 = "20.00", alarm2 = "10.00",
                meters = new[] { new { meterId = w.MeterB2, tariffId = w.TariffB, openingReading = new { at = "2026-11-02T08:00:00+08:00", registers = new { total = "5" } } } },
            }),
            "GET account A" => c.GetAsync($"/api/accounts/{w.AccountA}"),
            "GET account B" => c.GetAsync($"/api/accounts/{w.AccountB}"),
            "GET ledger A" => c.GetAsync($"/api/accounts/{w.AccountA}/ledger"),
            "GET ledger B" => c.GetAsync($"/api/accounts/{w.AccountB}/ledger"),
            "GET consumption B" => c.GetAsync($"/api/accounts/{w.AccountB}/consumption"),
            "POST top-up A" => TopUp(c, w.AccountA, $"auth-a-{role}"),
            "POST top-up B" => TopUp(c, w.AccountB, $"auth-b-{role}"),
            "POST readings B-1" => c.PostAsJsonAsync("/api/readings", new[] { new { meterId = w.MeterB1, at = "2026-11-02T09:00:00+08:00", registers = new { total = "101" } } }),
            "GET outbox" => c.GetAsync("/api/outbox"),
            "GET grid A" => c.GetAsync($"/api/dashboard/meters?siteId={w.SiteA}"),
            "GET grid B" => c.GetAsync($"/api/dashboard/meters?siteId={w.SiteB}"),
            "GET overview B" => c.GetAsync($"/api/dashboard/overview?siteId={w.SiteB}"),
            "GET report sales A" => c.GetAsync($"/api/reports/sales?siteId={w.SiteA}&from={from}&to={to}"),
            "GET report sales B" => c.GetAsync($"/api/reports/sales?siteId={w.SiteB}&from={from}&to={to}"),
            "GET apportionments" => c.GetAsync("/api/apportionments"),
            "GET users" => c.GetAsync("/api/users"),
            "POST user" => c.PostAsJsonAsync("/api/users", new { username = $"new-{role}", password = ScopedWorld.Password, role = "auditor" }),
            "PUT user sites" => PutSpareOperatorSites(c, role),
            "GET me" => c.GetAsync("/api/me"),
            "GET ledger check" => c.GetAsync("/api/admin/ledger-check"),
            "POST command on B-1" => c.PostAsJsonAsync($"/api/meters/{w.MeterB1}/commands", new { kind = "keepOn" }),
            "GET commands of B-1" => c.GetAsync($"/api/meters/{w.MeterB1}/commands"),
            "POST batch on B-1" => c.PostAsJsonAsync("/api/batches", new { meterIds = new[] { w.MeterB1 }, command = new { kind = "keepOn" } }),
            _ => throw new ArgumentException(call),
        };
    }

    // A user nobody here signs in as: a site change ends that user's sessions, and the shared operator's must go on.
    async Task<HttpResponseMessage> PutSpareOperatorSites(HttpClient c, string role)
    {
        var spare = (await w.Client("admin").PostOkAsync("/api/users",
            new { username = $"spare-{role}", password = ScopedWorld.Password, role = "operator", siteIds = new[] { w.SiteA } })).Id();
        return await c.PutAsJsonAsync($"/api/users/{spare}/sites", new { siteIds = new[] { w.SiteA } });
    }

    static Task<HttpResponseMessage> TopUp(HttpClient c, long accountId, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/topups") { Content = JsonContent.Create(new { amount = "10.00", channel = "cash" }) };
        request.Headers.Add("Idempotency-Key", key);
        return c.SendAsync(request);
    }

    [Fact]
    public async Task Lists_ShowOnlyWhatTheUserMaySee()
    {
        static async Task<long[]> Ids(HttpClient c, string url, string field = "id") =>
            (await c.GetOkAsync(url)).EnumerateArray().Select(e => e.GetProperty(field).GetInt64()).ToArray();

        Assert.Equal([w.SiteA], await Ids(w.Client("operator"), "/api/sites"));
        Assert.Equal([w.AccountA], await Ids(w.Client("operator"), "/api/accounts"));
        Assert.Equal([w.AccountA], await Ids(w.Client("cashier"), "/api/accounts"));
        Assert.Equal([w.AccountA], await Ids(w.Client("tenant"), "/api/accounts"));
        Assert.Equal([w.AccountA], await Ids(w.Client("tenant"), $"/api/accounts?tenantId={w.TenantB}"));
        Assert.DoesNotContain(w.MeterB1, await Ids(w.Client("operator"), "/api/meters"));
        Assert.All(await Ids(w.Client("operator"), "/api/dashboard/meters", "siteId"), s => Assert.Equal(w.SiteA, s));
        Assert.Contains(w.SiteB, await Ids(w.Client("auditor"), "/api/sites"));
        var outbox = (await w.Client("operator").GetOkAsync("/api/outbox")).EnumerateArray();
        Assert.All(outbox, o => Assert.Equal(w.SiteA, o.GetProperty("siteId").GetInt64()));
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
}
