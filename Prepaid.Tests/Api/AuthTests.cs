using System.Net;
using System.Net.Http.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

public class AuthTests
{
    [Fact]
    public async Task Api_WithoutToken_Answers401()
    {
        using var app = new PrepaidApp();
        var response = await app.CreateClient().GetAsync("/api/sites");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Token_WrongPassword_Answers401ProblemWithoutSayingWhichPartWasWrong()
    {
        using var app = new PrepaidApp();
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var unknown = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { username = "ghost", password = "nope" });
        Assert.Equal((await response.ReadJsonAsync()).Str("title"), (await unknown.ReadJsonAsync()).Str("title"));
    }

    [Fact]
    public async Task Token_Expired_IsRefused()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/sites")).StatusCode);
        app.Time.Advance(TimeSpan.FromHours(13));
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/sites")).StatusCode);
    }

    [Fact]
    public async Task Tenant_CannotManageSitesOrSeeOtherTenantsAccounts()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync();
        var m1 = await site.MeterAsync("M1");
        var m2 = await site.MeterAsync("M2");
        var alice = await site.TenantAsync("Alice", "alice-password", "13900000001");
        var bob = await site.TenantAsync("Bob", "bob-password", "13900000002");
        var aliceAccount = (await site.AccountAsync(alice, [(m1, tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();
        var bobAccount = (await site.AccountAsync(bob, [(m2, tariff, "0")], "2026-11-01T00:00:00+08:00")).Id();

        var tenant = await app.SignInAsync("13900000001", "alice-password");
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.PostAsJsonAsync("/api/sites", new { name = "x", timeZone = "Asia/Shanghai" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync($"/api/accounts/{aliceAccount}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.GetAsync($"/api/accounts/{bobAccount}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await tenant.GetAsync($"/api/accounts/{bobAccount}/ledger")).StatusCode);
        var listed = await tenant.GetOkAsync("/api/accounts");
        Assert.Equal([aliceAccount], listed.EnumerateArray().Select(a => a.Id()).ToArray());
    }

    [Fact]
    public async Task OpenApiDocument_IsServedAnonymously()
    {
        using var app = new PrepaidApp();
        var doc = await app.CreateClient().GetOkAsync("/openapi/v1.json");
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/readings", out _));
    }
}
