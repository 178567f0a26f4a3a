using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Prepaid.Fakes.Payments;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>
/// One site with a tenant who can sign in and an account with a 5 % service fee (R15), built through the API; plus
/// the ways a channel delivers notifications, posted anonymously as the channels do.
/// </summary>
public sealed class PaymentsSite : IDisposable
{
    public required PaymentsApp App { get; init; }
    public required HttpClient Admin { get; init; }
    public required HttpClient Tenant { get; init; }
    public required SiteBuilder Site { get; init; }
    public required long Account { get; init; }
    public required long OtherAccount { get; init; }
    public required string MeterSerial { get; init; }

    public static async Task<PaymentsSite> CreateAsync()
    {
        var app = new PaymentsApp();
        var admin = await app.SignInAsync("admin", PaymentsApp.AdminPassword);
        var site = await new SiteBuilder(admin).SiteAsync();
        var tariff = await site.FlatTariffAsync();
        var meter = await site.MeterAsync("E-PAY-1");
        var other = await site.MeterAsync("E-PAY-2");
        var tenant = await site.TenantAsync("Tea shop", PaymentsApp.TenantPassword, "13900000001");
        var otherTenant = await site.TenantAsync("Noodles", null, "13900000002");
        var account = (await site.AccountAsync(tenant, [(meter, tariff, "0")], "2026-11-01T00:00:00+08:00", serviceFeeRate: "0.05")).Id();
        var otherAccount = (await site.AccountAsync(otherTenant, [(other, tariff, "0")], "2026-11-01T00:00:00+08:00", serviceFeeRate: "0.05")).Id();
        return new PaymentsSite
        {
            App = app, Admin = admin, Tenant = await app.SignInAsync("13900000001", PaymentsApp.TenantPassword), Site = site,
            Account = account, OtherAccount = otherAccount, MeterSerial = "E-PAY-1",
        };
    }

    public async Task<JsonElement> OrderAsync(string amount, string channel, string method, HttpClient? client = null, long? account = null, string? openId = null)
    {
        var body = new { amount, channel, method, openId = openId ?? (method == "jsapi" ? "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" : null) };
        return await (client ?? Tenant).PostOkAsync($"/api/accounts/{account ?? Account}/payments", body);
    }

    public static string No(JsonElement order) => order.Str("outTradeNo");

    public async Task<HttpResponseMessage> DeliverAlipayAsync(IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var anonymous = App.CreateClient();
        return await anonymous.PostAsync("/api/payments/alipay/notify", new FormUrlEncodedContent(fields));
    }

    public async Task<HttpResponseMessage> DeliverWeChatAsync(FakeWeChatPayNotification n) => await DeliverWeChatAsync(n.Headers, n.Body);

    public async Task<HttpResponseMessage> DeliverWeChatAsync(IReadOnlyDictionary<string, string> headers, string body)
    {
        using var anonymous = App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/wechat/notify")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { ContentType = new("application/json") } },
        };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return await anonymous.SendAsync(request);
    }

    public Task<string> BalanceAsync(long? account = null) => Site.BalanceAsync(account ?? Account);

    public async Task<List<JsonElement>> NotificationsAsync(string? outTradeNo = null) =>
        (await Admin.GetOkAsync("/api/payments/notifications" + (outTradeNo is null ? "" : $"?outTradeNo={outTradeNo}"))).EnumerateArray().ToList();

    public async Task<JsonElement> OrderStateAsync(string outTradeNo) => await Tenant.GetOkAsync($"/api/accounts/{Account}/payments/{outTradeNo}");

    public async Task<int> CountPostingsAsync(string transferKey)
    {
        var ledger = (await Admin.GetOkAsync($"/api/accounts/{Account}/ledger?limit=500")).EnumerateArray();
        return ledger.Count(p => p.Str("key") == transferKey && p.GetProperty("leg").GetInt32() == 0);
    }

    public static async Task<string> TextAsync(HttpResponseMessage response) => await response.Content.ReadAsStringAsync();

    public static void AssertStatus(HttpResponseMessage response, HttpStatusCode expected) =>
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {response.Content.ReadAsStringAsync().Result}");

    public void Dispose()
    {
        Admin.Dispose();
        Tenant.Dispose();
        App.Dispose();
    }
}
