using Prepaid.Api.Payments;
using Prepaid.Payments.Alipay;
using Xunit;
using Prepaid.Payments;

namespace Prepaid.Tests.Payments;

public sealed class AlipayRequestBuilderTests
{
    private static readonly AlipayOptions Options = new()
    {
        AppId = "2021000000000001",
        AppPrivateKey = TestKeys.MerchantPrivatePkcs8,
        AlipayPublicKey = TestKeys.Stranger.ExportSubjectPublicKeyInfoPem(),
        NotifyUrl = "https://prepaid.example/api/payments/alipay/notify",
        SellerId = "2088000000000009",
    };

    private readonly AlipayRequestBuilder builder = new(Options, new ManualClock());

    [Fact]
    public void Precreate_Parameters_AreExactlyTheDocumentedSet()
    {
        var request = builder.Precreate("PP20261123000001", 95m, "电费充值");
        var p = request.Parameters;

        Assert.Equal("alipay.trade.precreate", request.Method);
        Assert.Equal(
            ["app_id", "biz_content", "charset", "method", "notify_url", "sign", "sign_type", "timestamp", "version"],
            p.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("utf-8", p["charset"]);
        Assert.Equal("RSA2", p["sign_type"]);
        Assert.Equal("1.0", p["version"]);
        Assert.Equal("""{"out_trade_no":"PP20261123000001","total_amount":"95.00","subject":"电费充值"}""", p["biz_content"]);
    }

    [Fact]
    public void Timestamp_IsChinaStandardTime_NotServerZone()
    {
        // The clock says 11:07:41 UTC; Alipay expects 19:07:41 (UTC+8).
        Assert.Equal("2026-11-23 19:07:41", builder.Query("PP20261123000001").Parameters["timestamp"]);
    }

    [Fact]
    public void Sign_CoversTheHandWrittenSigningString()
    {
        var p = builder.Query("PP20261123000001").Parameters;
        const string expected =
            "app_id=2021000000000001&biz_content={\"out_trade_no\":\"PP20261123000001\"}&charset=utf-8"
            + "&method=alipay.trade.query&sign_type=RSA2&timestamp=2026-11-23 19:07:41&version=1.0";

        Assert.True(RsaSha256.Verify(TestKeys.Merchant, expected, p["sign"]));
    }

    [Fact]
    public void Refund_CarriesOutRequestNoAndAmount()
    {
        var p = builder.Refund("PP20261123000001", 10.5m, "PP20261123000001-R1").Parameters;

        Assert.Equal("""{"out_trade_no":"PP20261123000001","refund_amount":"10.50","out_request_no":"PP20261123000001-R1"}""",
            p["biz_content"]);
        Assert.False(p.ContainsKey("notify_url"));
    }

    [Fact]
    public void WapPay_Url_CarriesEverySignedParameterEncoded()
    {
        var url = builder.WapPay("PP20261123000001", 95m, "电费充值", "https://prepaid.example/paid")
            .ToUrl(new Uri(AlipayOptions.ProductionGateway));
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);

        Assert.StartsWith("https://openapi.alipay.com/gateway.do?", url.AbsoluteUri);
        Assert.Equal("alipay.trade.wap.pay", query["method"].ToString());
        Assert.Equal("https://prepaid.example/paid", query["return_url"].ToString());
        Assert.Contains("\"product_code\":\"QUICK_WAP_WAY\"", query["biz_content"].ToString());
        var fields = query.Select(q => KeyValuePair.Create(q.Key, q.Value.ToString()));
        Assert.True(RsaSha256.Verify(TestKeys.Merchant,
            AlipaySignature.SigningString(fields, AlipaySignature.RequestExclusions), query["sign"]));
    }
}
