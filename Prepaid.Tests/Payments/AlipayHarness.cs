using Prepaid.Payments.Alipay;
using Prepaid.Fakes.Payments;

namespace Prepaid.Tests.Payments;

/// <summary>A real <see cref="AlipayClient"/> wired to a <see cref="FakeAlipayGateway"/>, no ports.</summary>
internal sealed class AlipayHarness : IDisposable
{
    public const string AppId = "2021000000000001";
    public const string SellerId = "2088000000000009";

    public AlipayHarness(string? appPrivateKey = null)
    {
        Gateway = new FakeAlipayGateway(AppId, TestKeys.MerchantPublic, SellerId, Clock);
        Options = new AlipayOptions
        {
            AppId = AppId,
            AppPrivateKey = appPrivateKey ?? TestKeys.MerchantPrivatePkcs8,
            AlipayPublicKey = Gateway.AlipayPublicKey,
            GatewayUrl = new Uri("https://alipay.fake/gateway.do"),
            NotifyUrl = "https://prepaid.example/api/payments/alipay/notify",
            SellerId = SellerId,
        };
        Http = new HttpClient(Gateway, disposeHandler: false);
        Client = new AlipayClient(Http, Options, Clock);
        Notifications = new AlipayNotificationVerifier(Options);
    }

    public ManualClock Clock { get; } = new();
    public FakeAlipayGateway Gateway { get; }
    public AlipayOptions Options { get; }
    public HttpClient Http { get; }
    public AlipayClient Client { get; }
    public AlipayNotificationVerifier Notifications { get; }

    public void Dispose()
    {
        Http.Dispose();
        Gateway.Dispose();
    }
}
