using System.Net;
using System.Net.Http.Json;
using System.Web;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>
/// The way back from paying on the phone: the order carries a return address that must be our own phone page on our
/// own origin (never an open redirect); Alipay gets it as return_url, WeChat Pay H5 as redirect_url, and the demo's
/// confirm page offers it as "back to the app". The order's number rides along, so the page knows what to follow.
/// </summary>
public class PaymentReturnTests
{
    // WebApplicationFactory's clients talk to http://localhost.
    const string PhonePage = "http://localhost/m/?account=1";

    [Fact]
    public async Task AlipayWap_ReturnUrl_GoesToAlipayAsReturnUrl_WithTheOrderNumber()
    {
        using var s = await PaymentsSite.CreateAsync();
        var order = await s.Tenant.PostOkAsync($"/api/accounts/{s.Account}/payments",
            new { amount = "20.00", channel = "alipay", method = "wap", returnUrl = PhonePage });
        var redirect = new Uri(order.Str("redirectUrl"));
        var returnUrl = HttpUtility.ParseQueryString(redirect.Query)["return_url"];
        Assert.Equal($"http://localhost/m/?account=1&outTradeNo={PaymentsSite.No(order)}", returnUrl);
    }

    [Fact]
    public async Task WeChatH5_ReturnUrl_IsAppendedToH5UrlAsRedirectUrl()
    {
        using var s = await PaymentsSite.CreateAsync();
        var order = await s.Tenant.PostOkAsync($"/api/accounts/{s.Account}/payments",
            new { amount = "20.00", channel = "wechat", method = "h5", returnUrl = PhonePage });
        var redirect = new Uri(order.Str("redirectUrl"));
        Assert.StartsWith("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=", redirect.AbsoluteUri);
        Assert.Equal($"http://localhost/m/?account=1&outTradeNo={PaymentsSite.No(order)}", HttpUtility.ParseQueryString(redirect.Query)["redirect_url"]);
    }

    [Theory]
    [InlineData("https://evil.example/m/")]
    [InlineData("http://localhost@evil.example/m/")]
    [InlineData("http://localhost.evil.example/m/")]
    [InlineData("http://localhost:8443/m/")]
    [InlineData("http://localhost/api/accounts")]
    [InlineData("http://localhost/demo/pay/x")]
    [InlineData("javascript:alert(1)")]
    public async Task ReturnUrl_NotOurPhonePage_Answers400NamingReturnUrl_AndCreatesNoOrder(string returnUrl)
    {
        using var s = await PaymentsSite.CreateAsync();
        var response = await s.Tenant.PostAsJsonAsync($"/api/accounts/{s.Account}/payments",
            new { amount = "20.00", channel = "alipay", method = "wap", returnUrl });
        PaymentsSite.AssertStatus(response, HttpStatusCode.BadRequest);
        Assert.Contains("returnUrl", (await response.ReadJsonAsync()).ErrorFields());
        Assert.Empty((await s.Admin.GetOkAsync($"/api/accounts/{s.Account}/payments")).EnumerateArray());
    }

    [Theory]
    [InlineData("alipay", "wap")]
    [InlineData("wechat", "h5")]
    public async Task DemoConfirmPage_OffersTheWayBack_BeforeAndAfterPaying(string channel, string method)
    {
        using var s = await PaymentsSite.CreateAsync();
        var order = await s.Tenant.PostOkAsync($"/api/accounts/{s.Account}/payments", new { amount = "20.00", channel, method, returnUrl = PhonePage });
        var back = $"href=\"http://localhost/m/?account=1&amp;outTradeNo={PaymentsSite.No(order)}\"";
        using var browser = s.App.CreateClient();
        Assert.Contains(back, await (await browser.GetAsync(order.Str("demoConfirmUrl"))).Content.ReadAsStringAsync());
        var paid = await browser.PostAsync(order.Str("demoConfirmUrl"), null);
        PaymentsSite.AssertStatus(paid, HttpStatusCode.OK);
        Assert.Contains(back, await paid.Content.ReadAsStringAsync());
        Assert.Equal("paid", (await s.OrderStateAsync(PaymentsSite.No(order))).Str("state"));
    }

    [Fact]
    public async Task NoReturnUrl_DemoConfirmPage_OffersNoLink()
    {
        using var s = await PaymentsSite.CreateAsync();
        var order = await s.OrderAsync("20.00", "alipay", "wap");
        using var browser = s.App.CreateClient();
        Assert.DoesNotContain("id=\"back\"", await (await browser.GetAsync(order.Str("demoConfirmUrl"))).Content.ReadAsStringAsync());
    }
}
