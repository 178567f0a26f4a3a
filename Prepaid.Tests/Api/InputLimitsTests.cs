using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Tests.Payments;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Api;

/// <summary>
/// Bad input as it was found in the field: each answers 400 problem details naming the field at fault, changes
/// nothing, and never a 500. The fuzz test (OpenApiFuzzTests) covers the same ground over every operation.
/// </summary>
public class InputLimitsTests
{
    const string Huge = "99999999999999999999";

    static async Task<(PaymentsSite S, string PaidOrder)> WorldAsync()
    {
        var s = await PaymentsSite.CreateAsync();
        var no = PaymentsSite.No(await s.OrderAsync("100.00", "wechat", "native"));
        Assert.True((await s.DeliverWeChatAsync(s.App.WeChat.Pay(no))).IsSuccessStatusCode);
        Assert.Equal("95.00", await s.BalanceAsync());
        return (s, no);
    }

    static async Task<HttpResponseMessage> SendJsonAsync(HttpClient client, HttpMethod method, string url, string json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    /// <summary>400, problem+json, and the field named in errors.</summary>
    static async Task AssertNamesAsync(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"answered {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var fields = JsonDocument.Parse(text).RootElement.ErrorFields();
        Assert.True(fields.Contains(field), $"errors name [{string.Join(", ", fields)}], not {field}: {text}");
    }

    static async Task AssertLedgerHoldsAsync(PaymentsApp app)
    {
        var results = await LedgerCheck.RunAsync(app.Services.GetRequiredService<Db>());
        Assert.All(results, r => Assert.True(r.Holds, $"{r.Name}: {r.Detail}"));
    }

    [Theory]
    [InlineData("topups", "amount")]
    [InlineData("payments", "amount")]
    [InlineData("refunds", "amount")]
    [InlineData("accounts", "alarm1")]
    [InlineData("accounts", "alarm2")]
    [InlineData("accounts", "overdraft")]
    [InlineData("accounts", "reconnectThreshold")]
    public async Task TwentyDigitAmount_Answers400NamingTheAmount(string operation, string field)
    {
        var (s, no) = await WorldAsync();
        using var _s = s;
        var response = operation switch
        {
            "topups" => await SendJsonAsync(s.Admin, HttpMethod.Post, $"/api/accounts/{s.Account}/topups", $$"""{"amount":"{{Huge}}","channel":"cash"}""", "k-huge"),
            "payments" => await SendJsonAsync(s.Tenant, HttpMethod.Post, $"/api/accounts/{s.Account}/payments", $$"""{"amount":"{{Huge}}","channel":"wechat","method":"native"}"""),
            "refunds" => await SendJsonAsync(s.Admin, HttpMethod.Post, $"/api/accounts/{s.Account}/refunds", $$"""{"outTradeNo":"{{no}}","amount":"{{Huge}}"}""", "r-huge"),
            _ => await s.Admin.PostAsJsonAsync("/api/accounts", new Dictionary<string, object?>
            {
                ["tenantId"] = (await s.Site.TenantAsync("Huge", null, "13900000009")), ["alarm1"] = "20.00", ["alarm2"] = "10.00",
                ["meters"] = new[] { new { meterId = await s.Site.MeterAsync("E-HUGE"), tariffId = await s.Site.FlatTariffAsync(), openingReading = new { at = "2026-11-01T00:00:00+08:00", registers = new { total = "0" } } } },
                [field] = Huge,
            }),
        };
        await AssertNamesAsync(response, field);
        Assert.Equal("95.00", await s.BalanceAsync());
        await AssertLedgerHoldsAsync(s.App);
    }

    [Fact]
    public async Task SiteWithNullTimeZone_Answers400NamingTimeZone()
    {
        using var app = new PaymentsApp();
        var admin = await app.SignInAsync("admin", PaymentsApp.AdminPassword);
        await AssertNamesAsync(await SendJsonAsync(admin, HttpMethod.Post, "/api/sites", """{"name":"North","timeZone":null}"""), "timeZone");
    }

    [Fact]
    public async Task BatchWithNullMeterIds_Answers400NamingMeterIds()
    {
        using var app = new PaymentsApp();
        var admin = await app.SignInAsync("admin", PaymentsApp.AdminPassword);
        await AssertNamesAsync(await SendJsonAsync(admin, HttpMethod.Post, "/api/batches", """{"meterIds":null,"command":{"kind":"trip"}}"""), "meterIds");
    }

    [Fact]
    public async Task ReadingAtTheEndOfTime_Answers400NamingItsAtAndBillsNothing()
    {
        var (s, _) = await WorldAsync();
        using var _s = s;
        var response = await SendJsonAsync(s.Admin, HttpMethod.Post, "/api/readings", $$$"""
            [{"serial":"{{{s.MeterSerial}}}","at":"2026-11-02T09:00:00+08:00","registers":{"total":"1.00"}},
             {"serial":"{{{s.MeterSerial}}}","at":"9999-12-31T23:59:59+14:00","registers":{"total":"2.00"}}]
            """);
        await AssertNamesAsync(response, "[1].at");
        Assert.Equal("95.00", await s.BalanceAsync());
        await AssertLedgerHoldsAsync(s.App);
    }

    [Theory]
    [InlineData("from=0001-01-01")]
    [InlineData("to=9999-12-31")]
    public async Task ConsumptionOutsideTheCalendar_Answers400NamingTheBound(string query)
    {
        var (s, _) = await WorldAsync();
        using var _s = s;
        await AssertNamesAsync(await s.Tenant.GetAsync($"/api/accounts/{s.Account}/consumption?{query}"), query[..query.IndexOf('=')]);
    }

    [Theory]
    [InlineData("/api/meters", """{"siteId":{},"serial":"E-9","utility":"electricity"}""", "siteId")]
    [InlineData("/api/meters", """{"siteId":1,"serial":["E-9"],"utility":"electricity"}""", "serial")]
    [InlineData("/api/accounts", """{"tenantId":1,"alarm1":"20.00","alarm2":"10.00","meters":[{"meterId":1,"tariffId":"x","openingReading":null}]}""", "meters[0].tariffId")]
    [InlineData("/api/readings", """[{"meterId":1,"at":"2026-11-02T09:00:00+08:00","registers":{"total":"1"}},{"meterId":1,"at":"2026-11-02T10:00:00+08:00","registers":"x"}]""", "[1].registers")]
    [InlineData("/api/sites", """{"name":"N","timeZone":"Asia/Shanghai","allowAboveCap":"yes"}""", "allowAboveCap")]
    public async Task WrongJsonType_Answers400NamingItsPath(string url, string json, string field)
    {
        using var app = new PaymentsApp();
        var admin = await app.SignInAsync("admin", PaymentsApp.AdminPassword);
        await AssertNamesAsync(await SendJsonAsync(admin, HttpMethod.Post, url, json), field);
    }

    [Theory]
    [InlineData("multiplier")]
    [InlineData("ratedMaxPerHour")]
    [InlineData("registerMax")]
    [InlineData("ratedCurrentA")]
    public async Task MeterWithAbsurdSpecification_Answers400NamingIt(string field)
    {
        using var app = new PaymentsApp();
        var admin = await app.SignInAsync("admin", PaymentsApp.AdminPassword);
        var site = await new SiteBuilder(admin).SiteAsync();
        var response = await admin.PostAsJsonAsync("/api/meters", new Dictionary<string, object?>
        {
            ["siteId"] = site.SiteId, ["serial"] = "E-ABSURD", ["utility"] = "electricity", [field] = "100000000000000000000",
        });
        await AssertNamesAsync(response, field);
    }

    [Theory]
    [InlineData("/api/tenants")]
    [InlineData("/api/users")]
    [InlineData("/api/auth/token")]
    public async Task MegabytePassword_Answers400NamingPassword(string url)
    {
        using var app = new PaymentsApp();
        var admin = await app.SignInAsync("admin", PaymentsApp.AdminPassword);
        var password = new string('p', 1 << 20);
        object body = url switch
        {
            "/api/tenants" => new { name = "Shop", phone = "13900000011", password },
            "/api/users" => new { username = "clerk", password, role = "auditor" },
            _ => new { username = "admin", password },
        };
        await AssertNamesAsync(await admin.PostAsJsonAsync(url, body), "password");
    }

    /// <summary>Found by the fuzz: an empty grid (a new site, or siteId=0) was a 500 from the row mapping.</summary>
    [Theory]
    [InlineData("/api/dashboard/meters")]
    [InlineData("/api/dashboard/overview")]
    public async Task DashboardOfASiteWithoutMeters_Answers200(string url)
    {
        using var app = new PaymentsApp();
        var admin = await app.SignInAsync("admin", PaymentsApp.AdminPassword);
        var site = await new SiteBuilder(admin).SiteAsync();
        var grid = await admin.GetOkAsync($"{url}?siteId={site.SiteId}");
        Assert.Equal(0, url.EndsWith("meters") ? grid.GetArrayLength() : grid.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"{url}?siteId=0")).StatusCode);
    }

    [Fact]
    public async Task DuplicateJsonKey_Answers400NamingTheKeyAndCreditsNothing()
    {
        var (s, _) = await WorldAsync();
        using var _s = s;
        var response = await SendJsonAsync(s.Admin, HttpMethod.Post, $"/api/accounts/{s.Account}/topups",
            """{"amount":"10.00","channel":"cash","amount":"900.00"}""", "dup-1");
        await AssertNamesAsync(response, "amount");
        Assert.Equal("95.00", await s.BalanceAsync());
    }
}
