using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Prepaid.Payments.Alipay;
using Prepaid.Api.Payments.Channels;
using Prepaid.Payments.WeChatPay;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Payments;

/// <summary>Channels come from configuration (never the repository); an unconfigured channel is absent, not broken.</summary>
public class PaymentsConfigurationTests
{
    [Fact]
    public async Task NoChannelConfigured_OrdersAre422AndNotificationsAreStoredAsRejected()
    {
        using var app = new PrepaidApp();
        var admin = await app.AdminAsync();
        var site = await new SiteBuilder(admin).SiteAsync();
        var account = (await site.AccountAsync(await site.TenantAsync(), [(await site.MeterAsync("E-1"), await site.FlatTariffAsync(), "0")], "2026-11-01T00:00:00+08:00")).Id();
        var response = await admin.PostAsJsonAsync($"/api/accounts/{account}/payments", new { amount = "10.00", channel = "wechat", method = "native" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("channel", (await response.ReadJsonAsync()).ErrorFields());

        using var anonymous = app.CreateClient();
        var notify = await anonymous.PostAsync("/api/payments/wechat/notify", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.BadRequest, notify.StatusCode);
        var log = (await admin.GetOkAsync("/api/payments/notifications")).EnumerateArray().Single();
        Assert.Equal("rejected", log.Str("outcome"));
        // The fake confirm page exists only with the fakes.
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("/demo/pay/PP0000000000000000000001")).StatusCode);
    }

    [Fact]
    public void ChannelSettings_AreBoundFromConfiguration()
    {
        using var key = RSA.Create(2048);
        using var platform = RSA.Create(2048);
        using var app = new PrepaidApp().WithWebHostBuilder(b =>
        {
            b.UseSetting("Prepaid:Payments:Alipay:AppId", "2021000000000777");
            b.UseSetting("Prepaid:Payments:Alipay:AppPrivateKey", key.ExportPkcs8PrivateKeyPem());
            b.UseSetting("Prepaid:Payments:Alipay:AlipayPublicKey", platform.ExportSubjectPublicKeyInfoPem());
            b.UseSetting("Prepaid:Payments:Alipay:NotifyUrl", "https://pay.example/api/payments/alipay/notify");
            b.UseSetting("Prepaid:Payments:Alipay:SellerId", "2088000000000777");
            b.UseSetting("Prepaid:Payments:Alipay:GatewayUrl", "https://openapi-sandbox.dl.alipaydev.com/gateway.do");
            b.UseSetting("Prepaid:Payments:WeChatPay:MchId", "1900000777");
            b.UseSetting("Prepaid:Payments:WeChatPay:AppId", "wx0000000000000777");
            b.UseSetting("Prepaid:Payments:WeChatPay:MerchantPrivateKey", key.ExportPkcs8PrivateKeyPem());
            b.UseSetting("Prepaid:Payments:WeChatPay:MerchantCertificateSerial", "ABC123");
            b.UseSetting("Prepaid:Payments:WeChatPay:ApiV3Key", "0123456789abcdefghijklmnopqrstuv");
            b.UseSetting("Prepaid:Payments:WeChatPay:PlatformPublicKeys:PUB_KEY_ID_0111", platform.ExportSubjectPublicKeyInfoPem());
            b.UseSetting("Prepaid:Payments:WeChatPay:PlatformPublicKeys:5157F09EFDC096DE", platform.ExportSubjectPublicKeyInfoPem());
            b.UseSetting("Prepaid:Payments:WeChatPay:NotifyUrl", "https://pay.example/api/payments/wechat/notify");
        });
        var alipay = app.Services.GetRequiredService<AlipayOptions>();
        Assert.Equal("2088000000000777", alipay.SellerId);
        Assert.Equal("openapi-sandbox.dl.alipaydev.com", alipay.GatewayUrl.Host);
        var wechat = app.Services.GetRequiredService<WeChatPayOptions>();
        Assert.Equal(2, wechat.PlatformPublicKeys.Count);
        Assert.Equal(WeChatPayOptions.ProductionBaseUrl, wechat.BaseUrl.ToString().TrimEnd('/'));
        using var scope = app.Services.CreateScope();
        Assert.NotNull(PaymentChannels.Find(scope.ServiceProvider, "alipay"));
        Assert.NotNull(PaymentChannels.Find(scope.ServiceProvider, "wechat"));
    }
}
