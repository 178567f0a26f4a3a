using System.Net;
using Prepaid.Api.Payments.Demo;
using Prepaid.Api.Payments.Notifications;

namespace Prepaid.Tests.Payments;

/// <summary>The demo confirm page posts its signed notification to the configured address, never to the Host it is sent.</summary>
public class DemoPayHostTests
{
    [Theory]
    [InlineData("alipay", "qr", PaymentNotificationsApi.AlipayPath)]
    [InlineData("wechat", "native", PaymentNotificationsApi.WeChatPath)]
    public async Task ConfirmPage_ForgedHostHeader_PostsToTheConfiguredAddressOnly(string channel, string method, string path)
    {
        using var s = await PaymentsSite.CreateAsync();
        var order = await s.OrderAsync("20.00", channel, method);
        using var browser = s.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, order.GetProperty("demoConfirmUrl").GetString());
        request.Headers.Host = "attacker.example:8443";

        var paid = await browser.SendAsync(request);

        PaymentsSite.AssertStatus(paid, HttpStatusCode.OK);
        var sentTo = Assert.Single(s.App.DemoNotifications);
        Assert.Equal(new Uri(PaymentsApp.DemoNotifyBaseUrl + path), sentTo);
        Assert.Equal("19.00", await s.BalanceAsync());
    }

    [Theory]
    [InlineData(null, "http://localhost:5000")]
    [InlineData("http://*:8080", "http://localhost:8080")]
    [InlineData("https://0.0.0.0:8443;http://[::]:8080", "http://localhost:8080")]
    [InlineData("https://+:8443", "https://localhost:8443")]
    [InlineData("http://pay.example.com:5000/", "http://pay.example.com:5000")]
    public void DefaultNotifyAddress_IsTheConfiguredListenAddress(string? urls, string expected) =>
        Assert.Equal(expected, DemoPayPage.OwnAddress(urls));
}
