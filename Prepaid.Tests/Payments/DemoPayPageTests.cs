using System.Net;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>`--demo`: the fake confirm page makes the fake gateway notify our endpoint, and the wallet is credited.</summary>
public class DemoPayPageTests
{
    [Theory]
    [InlineData("alipay", "qr")]
    [InlineData("alipay", "wap")]
    [InlineData("wechat", "jsapi")]
    [InlineData("wechat", "h5")]
    public async Task ConfirmPage_Pay_SendsTheSignedNotificationAndCredits(string channel, string method)
    {
        using var s = await PaymentsSite.CreateAsync();
        var order = await s.OrderAsync("50.00", channel, method);
        using var browser = s.App.CreateClient();
        var page = await browser.GetAsync(order.Str("demoConfirmUrl"));
        PaymentsSite.AssertStatus(page, HttpStatusCode.OK);
        Assert.Contains("50.00", await page.Content.ReadAsStringAsync());
        var paid = await browser.PostAsync(order.Str("demoConfirmUrl"), null);
        PaymentsSite.AssertStatus(paid, HttpStatusCode.OK);
        Assert.Contains("paid", await paid.Content.ReadAsStringAsync());
        Assert.Equal("47.50", await s.BalanceAsync());
        Assert.Equal("credited", (await s.NotificationsAsync(PaymentsSite.No(order))).Single().Str("outcome"));
    }

    [Fact]
    public async Task ConfirmPage_UnknownOrder_Answers404()
    {
        using var s = await PaymentsSite.CreateAsync();
        using var browser = s.App.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/demo/pay/PPNOSUCHORDER000000001")).StatusCode);
    }
}
