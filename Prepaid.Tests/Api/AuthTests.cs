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

public class BadInputTests
{
    [Fact]
    public async Task MalformedJson_Answers400ProblemDetails()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var response = await admin.PostAsync("/api/sites", new StringContent("{\"name\": \"x\", ", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode} {response.Content.Headers.ContentType} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnknownTimeZone_Answers400NamingTimeZone()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/sites", new { name = "x", timeZone = "Mars/Olympus" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("timeZone", (await response.ReadJsonAsync()).ErrorFields());
        Assert.Empty((await admin.GetOkAsync("/api/sites")).EnumerateArray());
    }

    [Fact]
    public async Task ApiReferencePage_IsServed()
    {
        using var app = new PrepaidApp();
        var response = await app.CreateClient().GetAsync("/api-docs");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.True(page.Contains("openapi/v1.json"), page);
    }
}

public class OpenAccountTests
{
    [Fact]
    public async Task OpenAccount_ThreeOfFourPeriodRegisters_Answers400AndOpensNothing()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync();
        var meter = await site.MeterAsync("E-1");
        var response = await admin.PostAsJsonAsync("/api/accounts", new
        {
            tenantId = await site.TenantAsync(), alarm1 = "20.00", alarm2 = "10.00",
            meters = new[] { new { meterId = meter, tariffId = tariff, openingReading = new { at = "2026-11-01T00:00:00+08:00", registers = new { total = "1", sharp = "0", peak = "0", flat = "1" } } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("meters[0].openingReading.registers.sharp", (await response.ReadJsonAsync()).ErrorFields());
        Assert.Empty((await admin.GetOkAsync("/api/accounts")).EnumerateArray());
    }

    [Fact]
    public async Task OpenAccount_MeterAlreadyInAnOpenAccount_Answers400NamingTheMeter()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync();
        var meter = await site.MeterAsync("E-1");
        await site.AccountAsync(await site.TenantAsync(), [(meter, tariff, "0")], "2026-11-01T00:00:00+08:00");
        var response = await admin.PostAsJsonAsync("/api/accounts", new
        {
            tenantId = await site.TenantAsync("Other", phone: "13900000009"), alarm1 = "20.00", alarm2 = "10.00",
            meters = new[] { new { meterId = meter, tariffId = tariff, openingReading = new { at = "2026-11-02T00:00:00+08:00", registers = new { total = "5" } } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("meters[0].meterId", (await response.ReadJsonAsync()).ErrorFields());
        Assert.Single((await admin.GetOkAsync("/api/accounts")).EnumerateArray());
    }
}
