using System.Net;
using System.Net.Http.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

public class TopUpTests
{
    static async Task<(PrepaidApp App, HttpClient Admin, SiteBuilder Site, long Account)> OpenAsync(string? feeRate = "0.05")
    {
        var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync();
        var meter = await site.MeterAsync("E-1");
        var tenant = await site.TenantAsync();
        var account = (await site.AccountAsync(tenant, [(meter, tariff, "100.00")], "2026-11-01T00:00:00+08:00", serviceFeeRate: feeRate)).Id();
        return (app, admin, site, account);
    }

    [Fact]
    public async Task TopUp_WithFivePercentFee_Credits95AndSkimsFee_R15()
    {
        var (app, _, site, account) = await OpenAsync();
        using var _app = app;
        var result = await site.TopUpAsync(account, "100.00", "k-1");
        Assert.Equal("100.00", result.Str("amount"));
        Assert.Equal("5.00", result.Str("fee"));
        Assert.Equal("95.00", result.Str("credited"));
        Assert.Equal("95.00", result.Str("balance"));
        Assert.Equal("normal", result.Str("state"));
    }

    [Fact]
    public async Task TopUp_SameKeySameBody_ReturnsFirstResultAndCreditsOnce()
    {
        var (app, _, site, account) = await OpenAsync();
        using var _app = app;
        var first = await site.TopUpAsync(account, "50.00", "same-key");
        var again = await site.TopUpAsync(account, "50.00", "same-key");
        Assert.Equal(first.GetProperty("topupId").GetInt64(), again.GetProperty("topupId").GetInt64());
        Assert.Equal("47.50", await site.BalanceAsync(account));
    }

    [Fact]
    public async Task TopUp_SameKeyOtherBody_Answers409AndChangesNothing()
    {
        var (app, admin, site, account) = await OpenAsync();
        using var _app = app;
        await site.TopUpAsync(account, "50.00", "k");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{account}/topups") { Content = JsonContent.Create(new { amount = "60.00", channel = "cash" }) };
        request.Headers.Add("Idempotency-Key", "k");
        Assert.Equal(HttpStatusCode.Conflict, (await admin.SendAsync(request)).StatusCode);
        Assert.Equal("47.50", await site.BalanceAsync(account));
    }

    [Theory]
    [InlineData("-10.00")]
    [InlineData("0.00")]
    [InlineData("10.001")]
    [InlineData("ten")]
    public async Task TopUp_BadAmount_Answers400NamingAmount(string amount)
    {
        var (app, admin, site, account) = await OpenAsync();
        using var _app = app;
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{account}/topups") { Content = JsonContent.Create(new { amount, channel = "cash" }) };
        request.Headers.Add("Idempotency-Key", "bad");
        var response = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("amount", (await response.ReadJsonAsync()).ErrorFields());
        Assert.Equal("0.00", await site.BalanceAsync(account));
    }

    [Fact]
    public async Task TopUp_WithoutIdempotencyKey_Answers400()
    {
        var (app, admin, _, account) = await OpenAsync();
        using var _app = app;
        var response = await admin.PostAsJsonAsync($"/api/accounts/{account}/topups", new { amount = "10.00", channel = "cash" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", (await response.ReadJsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task TopUp_UnknownAccount_Answers404()
    {
        var (app, admin, _, _) = await OpenAsync();
        using var _app = app;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/accounts/999/topups") { Content = JsonContent.Create(new { amount = "10.00", channel = "cash" }) };
        request.Headers.Add("Idempotency-Key", "x");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Ledger_ShowsTopUpWithBalanceAfterAndKey_NewestFirst()
    {
        var (app, admin, site, account) = await OpenAsync(feeRate: null);
        using var _app = app;
        await site.TopUpAsync(account, "10.00", "a");
        await site.TopUpAsync(account, "20.00", "b");
        var ledger = (await admin.GetOkAsync($"/api/accounts/{account}/ledger")).EnumerateArray().ToList();
        Assert.Equal(2, ledger.Count);
        Assert.Equal("20.00", ledger[0].Str("amount"));
        Assert.Equal("30.00", ledger[0].Str("balanceAfter"));
        Assert.Equal($"topup:counter:{account}:b", ledger[0].Str("key")); // the counter's key, scoped to the account (R21)
        Assert.Equal("10.00", ledger[1].Str("balanceAfter"));
    }
}
