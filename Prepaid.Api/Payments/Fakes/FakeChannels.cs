using System.Security.Cryptography;
using Prepaid.Api.Payments.Alipay;
using Prepaid.Api.Payments.WeChatPay;

namespace Prepaid.Api.Payments.Fakes;

/// <summary>
/// `--demo` and tests: both channels played by the in-process fakes. The merchant key and the APIv3 key are made at
/// start, so no secret is ever in the repository or on disk.
/// </summary>
public static class FakeChannels
{
    public const string AlipayAppId = "2021000000000001";
    public const string AlipaySellerId = "2088000000000009";
    public const string WeChatMchId = "1900000109";
    public const string WeChatAppId = "wxd678efh567hg6787";
    public const string WeChatMerchantSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";

    /// <summary>The merchant's side of the fakes' secrets, one per process.</summary>
    public sealed class MerchantSecrets
    {
        public RSA Key { get; } = RSA.Create(2048);
        public string ApiV3Key { get; } = new(RandomNumberGenerator.GetItems<char>("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32));
    }

    public static void Add(IServiceCollection services)
    {
        services.AddSingleton<MerchantSecrets>();
        services.AddSingleton(sp => new FakeAlipayGateway(AlipayAppId, sp.GetRequiredService<MerchantSecrets>().Key.ExportSubjectPublicKeyInfoPem(),
            AlipaySellerId, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var secrets = sp.GetRequiredService<MerchantSecrets>();
            return new FakeWeChatPayGateway(WeChatMchId, WeChatAppId, WeChatMerchantSerial, secrets.Key.ExportSubjectPublicKeyInfoPem(),
                secrets.ApiV3Key, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new AlipayOptions
        {
            AppId = AlipayAppId,
            AppPrivateKey = sp.GetRequiredService<MerchantSecrets>().Key.ExportPkcs8PrivateKeyPem(),
            AlipayPublicKey = sp.GetRequiredService<FakeAlipayGateway>().AlipayPublicKey,
            GatewayUrl = new Uri("https://alipay.fake/gateway.do"),
            NotifyUrl = "https://localhost/api/payments/alipay/notify",
            SellerId = AlipaySellerId,
        });
        services.AddSingleton(sp =>
        {
            var secrets = sp.GetRequiredService<MerchantSecrets>();
            var gateway = sp.GetRequiredService<FakeWeChatPayGateway>();
            return new WeChatPayOptions
            {
                MchId = WeChatMchId,
                AppId = WeChatAppId,
                MerchantPrivateKey = secrets.Key.ExportPkcs8PrivateKeyPem(),
                MerchantCertificateSerial = WeChatMerchantSerial,
                ApiV3Key = secrets.ApiV3Key,
                PlatformPublicKeys = new Dictionary<string, string> { [gateway.PublicKeyId] = gateway.PublicKey },
                BaseUrl = new Uri("https://wechatpay.fake"),
                NotifyUrl = "https://localhost/api/payments/wechat/notify",
            };
        });
    }
}
