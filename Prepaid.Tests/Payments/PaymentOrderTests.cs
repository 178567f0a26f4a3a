using System.Net;
using System.Net.Http.Json;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

public class PaymentOrderTests
{
    [Theory]
    [InlineData("alipay", "qr", "qrCode")]
    [InlineData("alipay", "wap", "redirectUrl")]
    [InlineData("alipay", "app", "orderString")]
    [InlineData("wechat", "native", "qrCode")]
    [InlineData("wechat", "h5", "redirectUrl")]
    [InlineData("wechat", "jsapi", "jsapi")]
    public async Task Create_EachMethod_ReturnsWhatThePhoneNeedsAndAPendingOrder(string channel, string method, string field)
    {
        using var s = await PaymentsSite.CreateAsync();
        var order = await s.OrderAsync("100.00", channel, method);
        Assert.True(order.TryGetProperty(field, out _), order.GetRawText());
        Assert.Equal("pending", order.GetProperty("order").Str("state"));
        Assert.Equal("100.00", order.GetProperty("order").Str("amount"));
        Assert.Matches("^PP[0-9A-Z]{20}$", PaymentsSite.No(order));
        Assert.Equal($"/demo/pay/{PaymentsSite.No(order)}", order.Str("demoConfirmUrl"));
        if (method == "jsapi") Assert.False(string.IsNullOrEmpty(order.GetProperty("jsapi").Str("paySign")));
        Assert.Equal("pending", (await s.OrderStateAsync(PaymentsSite.No(order))).Str("state"));
    }

    [Theory]
    [InlineData("100.00", "paypal", "qr", "channel")]
    [InlineData("100.00", "alipay", "native", "method")]
    [InlineData("100.00", "wechat", "qr", "method")]
    [InlineData("-1.00", "alipay", "qr", "amount")]
    [InlineData("1.001", "wechat", "native", "amount")]
    public async Task Create_BadInput_Answers400NamingTheField(string amount, string channel, string method, string field)
    {
        using var s = await PaymentsSite.CreateAsync();
        var response = await s.Tenant.PostAsJsonAsync($"/api/accounts/{s.Account}/payments", new { amount, channel, method });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(field, (await response.ReadJsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task Create_JsapiWithoutOpenId_Answers400NamingOpenId()
    {
        using var s = await PaymentsSite.CreateAsync();
        var response = await s.Tenant.PostAsJsonAsync($"/api/accounts/{s.Account}/payments", new { amount = "10.00", channel = "wechat", method = "jsapi" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("openId", (await response.ReadJsonAsync()).ErrorFields());
    }

    [Fact]
    public async Task Create_TenantForAnotherTenantsAccount_Answers404AndCreatesNothing()
    {
        using var s = await PaymentsSite.CreateAsync();
        var response = await s.Tenant.PostAsJsonAsync($"/api/accounts/{s.OtherAccount}/payments", new { amount = "10.00", channel = "alipay", method = "qr" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty((await s.Admin.GetOkAsync($"/api/accounts/{s.OtherAccount}/payments")).EnumerateArray());
    }

    [Fact]
    public async Task Create_StaffForAnyAccount_Succeeds()
    {
        using var s = await PaymentsSite.CreateAsync();
        var order = await s.OrderAsync("10.00", "wechat", "native", s.Admin, s.OtherAccount);
        Assert.Equal(s.OtherAccount, order.GetProperty("order").GetProperty("accountId").GetInt64());
    }

    [Fact]
    public async Task Create_Anonymous_Answers401()
    {
        using var s = await PaymentsSite.CreateAsync();
        using var anonymous = s.App.CreateClient();
        var response = await anonymous.PostAsJsonAsync($"/api/accounts/{s.Account}/payments", new { amount = "10.00", channel = "alipay", method = "qr" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
