using System.Security.Cryptography;

namespace Prepaid.Fakes.Payments;

/// <summary>
/// Both channels played by the fakes, and the merchant's side of their secrets. The merchant key and the APIv3 key are
/// made at start, so no secret is ever in the repository or on disk; <see cref="Settings"/> hands them to the platform
/// as the configuration a real merchant would have.
/// </summary>
public sealed class FakeChannels : IDisposable
{
    public const string AlipayAppId = "2021000000000001";
    public const string AlipaySellerId = "2088000000000009";
    public const string WeChatMchId = "1900000109";
    public const string WeChatAppId = "wxd678efh567hg6787";
    public const string WeChatMerchantSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";

    /// <summary>Where each gateway answers on the fakes' host.</summary>
    public const string AlipayGatewayPath = "/alipay/gateway.do", WeChatPayPrefix = "/wechatpay";

    public FakeChannels(TimeProvider time)
    {
        var merchantPublicKey = MerchantKey.ExportSubjectPublicKeyInfoPem();
        Alipay = new FakeAlipayGateway(AlipayAppId, merchantPublicKey, AlipaySellerId, time);
        WeChat = new FakeWeChatPayGateway(WeChatMchId, WeChatAppId, WeChatMerchantSerial, merchantPublicKey, ApiV3Key, time)
        {
            PathPrefix = WeChatPayPrefix,
        };
    }

    /// <summary>The merchant's key pair: the app key at Alipay, the merchant API certificate's key at WeChat Pay.</summary>
    public RSA MerchantKey { get; } = RSA.Create(2048);

    public string ApiV3Key { get; } = new(RandomNumberGenerator.GetItems<char>("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32));

    public FakeAlipayGateway Alipay { get; }
    public FakeWeChatPayGateway WeChat { get; }

    /// <summary>
    /// <c>Prepaid:Payments:Alipay:*</c> and <c>Prepaid:Payments:WeChatPay:*</c> for a platform that reaches the fakes at
    /// <paramref name="host"/>. The notify URLs are the platform's own; the demo's confirm page delivers to its configured address.
    /// </summary>
    public Dictionary<string, string> Settings(Uri host)
    {
        var root = host.GetLeftPart(UriPartial.Authority);
        return new Dictionary<string, string>
        {
            ["Prepaid:Payments:Alipay:AppId"] = AlipayAppId,
            ["Prepaid:Payments:Alipay:AppPrivateKey"] = MerchantKey.ExportPkcs8PrivateKeyPem(),
            ["Prepaid:Payments:Alipay:AlipayPublicKey"] = Alipay.AlipayPublicKey,
            ["Prepaid:Payments:Alipay:GatewayUrl"] = root + AlipayGatewayPath,
            ["Prepaid:Payments:Alipay:NotifyUrl"] = "https://localhost/api/payments/alipay/notify",
            ["Prepaid:Payments:Alipay:SellerId"] = AlipaySellerId,
            ["Prepaid:Payments:WeChatPay:MchId"] = WeChatMchId,
            ["Prepaid:Payments:WeChatPay:AppId"] = WeChatAppId,
            ["Prepaid:Payments:WeChatPay:MerchantPrivateKey"] = MerchantKey.ExportPkcs8PrivateKeyPem(),
            ["Prepaid:Payments:WeChatPay:MerchantCertificateSerial"] = WeChatMerchantSerial,
            ["Prepaid:Payments:WeChatPay:ApiV3Key"] = ApiV3Key,
            [$"Prepaid:Payments:WeChatPay:PlatformPublicKeys:{WeChat.PublicKeyId}"] = WeChat.PublicKey,
            ["Prepaid:Payments:WeChatPay:BaseUrl"] = root + WeChatPayPrefix,
            ["Prepaid:Payments:WeChatPay:NotifyUrl"] = "https://localhost/api/payments/wechat/notify",
        };
    }

    public void Dispose()
    {
        Alipay.Dispose();
        WeChat.Dispose();
        MerchantKey.Dispose();
    }
}
