using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api.Helpdesk;

/// <summary>
/// Two sites for the helpdesk tests: site A with tenant 1 (account A1) and tenant 2 (account A2), site B with tenant 3
/// (account B); an operator and a cashier of site A, an operator of site B, an auditor. Everyone signed in.
/// </summary>
public sealed class HelpdeskWorld : IAsyncDisposable
{
    public const string Password = "helpdesk-pass-1";
    /// <summary>A real 1×1 PNG.</summary>
    public const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

    public PrepaidApp App { get; }
    public HttpClient Admin = null!, Tenant1 = null!, Tenant2 = null!, Tenant3 = null!, OperatorA = null!, CashierA = null!, OperatorB = null!, Auditor = null!;
    public long SiteA, SiteB, AccountA1, AccountA2, AccountB, OperatorAId, CashierAId, OperatorBId;

    HelpdeskWorld(PrepaidApp app) => App = app;

    public static async Task<HelpdeskWorld> StartAsync(IDictionary<string, string>? settings = null, PrepaidApp? on = null)
    {
        var app = on ?? new PrepaidApp();
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) app.Settings[k] = v;
        var w = new HelpdeskWorld(app) { Admin = await app.AdminAsync() };
        var a = await new SiteBuilder(w.Admin).SiteAsync(name: "Mall A");
        var b = await new SiteBuilder(w.Admin).SiteAsync(name: "Mall B");
        (w.SiteA, w.SiteB) = (a.SiteId, b.SiteId);
        var tariffA = await a.FlatTariffAsync();
        var tariffB = await b.FlatTariffAsync();
        var t1 = await a.TenantAsync("Shop A1", Password, "13800000011");
        var t2 = await a.TenantAsync("Shop A2", Password, "13800000012");
        var t3 = await b.TenantAsync("Shop B", Password, "13800000013");
        const string at = "2026-11-02T08:00:00+08:00";
        w.AccountA1 = (await a.AccountAsync(t1, [(await a.MeterAsync("A-1"), tariffA, "0")], at)).Id();
        w.AccountA2 = (await a.AccountAsync(t2, [(await a.MeterAsync("A-2"), tariffA, "0")], at)).Id();
        w.AccountB = (await b.AccountAsync(t3, [(await b.MeterAsync("B-1"), tariffB, "0")], at)).Id();
        async Task<long> User(string name, string role, long? site) =>
            (await w.Admin.PostOkAsync("/api/users", new { username = name, password = Password, role, siteIds = site is { } s ? new[] { s } : Array.Empty<long>() })).Id();
        w.OperatorAId = await User("op-a", "operator", w.SiteA);
        w.CashierAId = await User("cash-a", "cashier", w.SiteA);
        w.OperatorBId = await User("op-b", "operator", w.SiteB);
        await User("audit", "auditor", null);
        w.Tenant1 = await app.SignInAsync("13800000011", Password);
        w.Tenant2 = await app.SignInAsync("13800000012", Password);
        w.Tenant3 = await app.SignInAsync("13800000013", Password);
        w.OperatorA = await app.SignInAsync("op-a", Password);
        w.CashierA = await app.SignInAsync("cash-a", Password);
        w.OperatorB = await app.SignInAsync("op-b", Password);
        w.Auditor = await app.SignInAsync("audit", Password);
        return w;
    }

    /// <summary>A request filed by a tenant; its id.</summary>
    public async Task<long> FileAsync(HttpClient tenant, string category = "leak", string text = "Water under the sink", long? accountId = null, string? photo = null) =>
        (await tenant.PostOkAsync("/api/me/requests", new { category, text, accountId, photo })).Id();

    public ValueTask DisposeAsync()
    {
        App.Dispose();
        return ValueTask.CompletedTask;
    }
}
