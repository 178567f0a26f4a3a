using Prepaid.Api.Payments;
using Prepaid.Payments.Alipay;
using Xunit;
using Prepaid.Payments;

namespace Prepaid.Tests.Payments;

public sealed class AlipaySignatureTests
{
    [Fact]
    public void SigningString_Request_DropsSignAndEmptiesAndSortsOrdinally()
    {
        var parameters = new Dictionary<string, string>
        {
            ["version"] = "1.0",
            ["sign"] = "c2lnbg==",
            ["app_id"] = "2021000000000001",
            ["timestamp"] = "2026-11-23 19:07:41",
            ["notify_url"] = "",
            ["method"] = "alipay.trade.query",
            ["sign_type"] = "RSA2",
            ["charset"] = "utf-8",
            ["biz_content"] = """{"out_trade_no":"T1","subject":"电费 a&b=c"}""",
        };

        var text = AlipaySignature.SigningString(parameters, AlipaySignature.RequestExclusions);

        // Written by hand from payments.md: sign_type stays, values raw (no URL-encoding).
        Assert.Equal(
            "app_id=2021000000000001&biz_content={\"out_trade_no\":\"T1\",\"subject\":\"电费 a&b=c\"}&charset=utf-8"
            + "&method=alipay.trade.query&sign_type=RSA2&timestamp=2026-11-23 19:07:41&version=1.0",
            text);
    }

    [Fact]
    public void SigningString_Notification_AlsoDropsSignType()
    {
        var fields = new Dictionary<string, string>
        {
            ["trade_status"] = "TRADE_SUCCESS",
            ["sign_type"] = "RSA2",
            ["sign"] = "c2lnbg==",
            ["app_id"] = "2021000000000001",
            ["fund_bill_list"] = "",
        };

        Assert.Equal("app_id=2021000000000001&trade_status=TRADE_SUCCESS",
            AlipaySignature.SigningString(fields, AlipaySignature.NotificationExclusions));
    }

    [Fact]
    public void SigningString_KeysDifferingInCase_SortOrdinallyNotByCulture()
    {
        // Ordinal: 'B' (0x42) < '_' (0x5F) < 'b' (0x62); a culture sort would put "ab" before "aB".
        var fields = new Dictionary<string, string> { ["ab"] = "3", ["a_b"] = "2", ["aB"] = "1", ["Z"] = "0" };

        Assert.Equal("Z=0&aB=1&a_b=2&ab=3", AlipaySignature.SigningString(fields, []));
    }

    [Fact]
    public void SignThenVerify_OverSigningString_RoundTripsAndDetectsOneByteChange()
    {
        const string text = "app_id=2021000000000001&method=alipay.trade.query&sign_type=RSA2";
        var sign = AlipaySignature.Sign(TestKeys.Merchant, text);

        Assert.Equal(RsaSha256.Sign(TestKeys.Merchant, text), sign);
        Assert.True(AlipaySignature.Verify(TestKeys.Merchant, text, sign));
        Assert.False(AlipaySignature.Verify(TestKeys.Merchant, text.Replace("RSA2", "RSA3"), sign));
    }
}
