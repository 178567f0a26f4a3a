using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Web;

/// <summary>
/// Two sites and one user per role: site A has meters A-1 (tenant 1's account) and A-2 (not opened); site B has B-1
/// (tenant 2's account) and B-2 (not opened). The operator and the cashier work for site A only.
/// </summary>
public sealed class ScopedWorld : IAsyncLifetime
{
    public const string Password = "role-pass-123";
    public PrepaidApp App { get; } = new();
    public long SiteA, SiteB, MeterA1, MeterA2, MeterB1, MeterB2, TariffA, TariffB, TenantA, TenantB, AccountA, AccountB, OperatorUserId;
    readonly Dictionary<string, HttpClient> clients = new();
    public static readonly string[] RoleNames = ["admin", "operator", "cashier", "auditor", "tenant"];

    public HttpClient Client(string role) => clients[role];
    public string Token(string role) => clients[role].DefaultRequestHeaders.Authorization!.Parameter!;

    public async ValueTask InitializeAsync()
    {
        var admin = await App.AdminAsync();
        var a = await new SiteBuilder(admin).SiteAsync();
        var b = await new SiteBuilder(admin).SiteAsync();
        (SiteA, SiteB) = (a.SiteId, b.SiteId);
        TariffA = await a.FlatTariffAsync();
        TariffB = await b.FlatTariffAsync();
        MeterA1 = await a.MeterAsync("A-1");
        MeterA2 = await a.MeterAsync("A-2");
        MeterB1 = await b.MeterAsync("B-1");
        MeterB2 = await b.MeterAsync("B-2");
        TenantA = await a.TenantAsync("Shop A", Password, "13800000001");
        TenantB = await b.TenantAsync("Shop B", Password, "13800000002");
        var at = PrepaidApp.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz");
        AccountA = (await a.AccountAsync(TenantA, [(MeterA1, TariffA, "100")], at)).Id();
        AccountB = (await b.AccountAsync(TenantB, [(MeterB1, TariffB, "100")], at)).Id();
        await a.TopUpAsync(AccountA, "50.00", "world-a");
        await b.TopUpAsync(AccountB, "50.00", "world-b");

        OperatorUserId = (await admin.PostOkAsync("/api/users", new { username = "op-a", password = Password, role = "operator", siteIds = new[] { SiteA } })).Id();
        await admin.PostOkAsync("/api/users", new { username = "cash-a", password = Password, role = "cashier", siteIds = new[] { SiteA } });
        await admin.PostOkAsync("/api/users", new { username = "audit", password = Password, role = "auditor" });
        clients["admin"] = admin;
        clients["operator"] = await App.SignInAsync("op-a", Password);
        clients["cashier"] = await App.SignInAsync("cash-a", Password);
        clients["auditor"] = await App.SignInAsync("audit", Password);
        clients["tenant"] = await App.SignInAsync("13800000001", Password);
    }

    public ValueTask DisposeAsync()
    {
        App.Dispose();
        return ValueTask.CompletedTask;
    }
}
