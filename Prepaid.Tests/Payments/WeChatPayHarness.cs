using Prepaid.Fakes.Payments;
using Prepaid.Payments.WeChatPay;

namespace Prepaid.Tests.Payments;

/// <summary>A real <see cref="WeChatPayClient"/> wired to a <see cref="FakeWeChatPayGateway"/>, no ports.</summary>
internal sealed class WeChatPayHarness : IDisposable
{
    public const string MchId = "1900000109";
    public const string AppId = "wxd678efh567hg6787";
    public const string MerchantSerial = "5157f09efdc096de15ebe81a47057a7232f1b8e1";

    // 32 ASCII characters, made up for the tests.
    public const string ApiV3Key = "0123456789abcdefghijklmnopqrstuv";

    public WeChatPayHarness(string? merchantPrivateKey = null, string apiV3Key = ApiV3Key)
    {
        Gateway = new FakeWeChatPayGateway(MchId, AppId, MerchantSerial, TestKeys.MerchantPublic, apiV3Key, Clock);
        Options = new WeChatPayOptions
        {
            MchId = MchId,
            AppId = AppId,
            MerchantPrivateKey = merchantPrivateKey ?? TestKeys.MerchantPrivatePkcs8,
            MerchantCertificateSerial = MerchantSerial,
            ApiV3Key = ApiV3Key,
            PlatformPublicKeys = new Dictionary<string, string> { [Gateway.PublicKeyId] = Gateway.PublicKey },
            BaseUrl = new Uri("https://wechatpay.fake"),
            NotifyUrl = "https://prepaid.example/api/payments/wechatpay/notify",
        };
        Http = new HttpClient(Gateway, disposeHandler: false);
        Client = new WeChatPayClient(Http, Options, Clock);
        Notifications = new WeChatPayNotificationVerifier(Options, Clock);
    }

    public ManualClock Clock { get; } = new();
    public FakeWeChatPayGateway Gateway { get; }
    public WeChatPayOptions Options { get; }
    public HttpClient Http { get; }
    public WeChatPayClient Client { get; }
    public WeChatPayNotificationVerifier Notifications { get; }

    public void Dispose()
    {
        Http.Dispose();
        Gateway.Dispose();
    }
}
