using Prepaid.Api.Payments;
using Prepaid.Payments.WeChatPay;
using System.Text;
using Xunit;
using Prepaid.Payments;

namespace Prepaid.Tests.Payments;

public sealed class WeChatPayMessagesTests
{
    private const long Timestamp = 1_795_432_061; // 2026-11-23 11:07:41 UTC
    private const string Nonce = "593BEC0C930BF1AFEB40B4A08C8FB242";

    private static readonly WeChatPayOptions Options = new()
    {
        MchId = "1900000109",
        AppId = "wxd678efh567hg6787",
        MerchantPrivateKey = TestKeys.MerchantPrivatePkcs8,
        MerchantCertificateSerial = "5157f09efdc096de15ebe81a47057a7232f1b8e1",
        ApiV3Key = "0123456789abcdefghijklmnopqrstuv",
        PlatformPublicKeys = new Dictionary<string, string>(),
        NotifyUrl = "https://prepaid.example/api/payments/wechatpay/notify",
    };

    [Fact]
    public void Request_Post_EveryLineEndsInNewline()
    {
        Assert.Equal(
            "POST\n/v3/pay/transactions/native\n1795432061\n593BEC0C930BF1AFEB40B4A08C8FB242\n{\"mchid\":\"1900000109\"}\n",
            WeChatPayMessages.Request("POST", "/v3/pay/transactions/native", Timestamp, Nonce, "{\"mchid\":\"1900000109\"}"));
    }

    [Fact]
    public void Request_Get_EndsInTwoNewlinesAndKeepsQuery()
    {
        Assert.Equal(
            "GET\n/v3/pay/transactions/out-trade-no/PP1?mchid=1900000109\n1795432061\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n",
            WeChatPayMessages.Request("GET", "/v3/pay/transactions/out-trade-no/PP1?mchid=1900000109", Timestamp, Nonce, ""));
    }

    [Fact]
    public void Response_IsTimestampNonceBodyEachEndingInNewline()
    {
        var message = WeChatPayMessages.Response("1795432061", Nonce, "{\"a\":\"电\"}"u8);

        Assert.Equal("1795432061\n593BEC0C930BF1AFEB40B4A08C8FB242\n{\"a\":\"电\"}\n", Encoding.UTF8.GetString(message));
    }

    [Fact]
    public void AuthorizationParameters_ExactFormat_UpperCaseSerial_SignatureVerifies()
    {
        var signer = new WeChatPayRequestSigner(Options, new ManualClock());
        const string body = "{\"mchid\":\"1900000109\"}";

        var header = signer.AuthorizationParameters("POST", "/v3/pay/transactions/native", body, Timestamp, Nonce);

        var expectedMessage = "POST\n/v3/pay/transactions/native\n1795432061\n593BEC0C930BF1AFEB40B4A08C8FB242\n" + body + "\n";
        var signature = RsaSha256.Sign(TestKeys.Merchant, expectedMessage);
        Assert.Equal(
            $"mchid=\"1900000109\",nonce_str=\"{Nonce}\",signature=\"{signature}\",timestamp=\"1795432061\","
            + "serial_no=\"5157F09EFDC096DE15EBE81A47057A7232F1B8E1\"",
            header);
    }

    [Fact]
    public void AuthorizationParameters_TakesTimestampFromClock()
    {
        var signer = new WeChatPayRequestSigner(Options, new ManualClock());

        Assert.Contains("timestamp=\"1795432061\"", signer.AuthorizationParameters("GET", "/v3/certificates", ""));
    }

    [Fact]
    public void PaySign_MessageAndSignature_MatchHandWrittenText()
    {
        const string prepayId = "wx201410272009395522657a690389285100";
        var signer = new WeChatPayRequestSigner(Options, new ManualClock());

        var message = WeChatPayMessages.PaySign("wxd678efh567hg6787", "1795432061", Nonce, prepayId);
        var paySign = signer.PaySign("wxd678efh567hg6787", "1795432061", Nonce, prepayId);

        Assert.Equal("wxd678efh567hg6787\n1795432061\n593BEC0C930BF1AFEB40B4A08C8FB242\nprepay_id=wx201410272009395522657a690389285100\n", message);
        Assert.True(RsaSha256.Verify(TestKeys.Merchant, message, paySign));
        Assert.False(RsaSha256.Verify(TestKeys.Merchant, message.Replace("wx2014", "wx2015"), paySign));
    }

    [Fact]
    public void NewNonce_Is32SafeCharacters()
    {
        var nonce = WeChatPayMessages.NewNonce();

        Assert.Matches("^[A-Z0-9]{32}$", nonce);
        Assert.NotEqual(nonce, WeChatPayMessages.NewNonce());
    }
}
