using Prepaid.Api.Payments;
using Prepaid.Payments.Alipay;
using Xunit;
using Prepaid.Payments;

namespace Prepaid.Tests.Payments;

public sealed class AlipayResponseVerifierTests
{
    private const string Method = "alipay.trade.query";

    [Fact]
    public void Verify_SignedSuccess_ReturnsMember()
    {
        const string member = """{"code":"10000","msg":"Success","out_trade_no":"T1"}""";
        var raw = Body(member, RsaSha256.Sign(TestKeys.Stranger, member));

        var r = AlipayResponseVerifier.Verify(raw, Method, TestKeys.Stranger);

        Assert.Equal("T1", r.GetProperty("out_trade_no").GetString());
    }

    [Fact]
    public void Verify_SlashesEscapedAfterSigning_VerifiesOnRetry()
    {
        const string signed = """{"code":"10000","qr_code":"https://qr.alipay.com/x"}""";
        var raw = Body(signed.Replace("/", @"\/"), RsaSha256.Sign(TestKeys.Stranger, signed));

        var r = AlipayResponseVerifier.Verify(raw, Method, TestKeys.Stranger);

        Assert.Equal("https://qr.alipay.com/x", r.GetProperty("qr_code").GetString());
    }

    [Fact]
    public void Verify_SuccessSignedByOtherKey_Throws()
    {
        const string member = """{"code":"10000","msg":"Success"}""";
        var raw = Body(member, RsaSha256.Sign(TestKeys.Merchant, member));

        Assert.Throws<AlipayResponseException>(() => AlipayResponseVerifier.Verify(raw, Method, TestKeys.Stranger));
    }

    [Fact]
    public void Verify_UnsignedSuccess_Throws()
    {
        const string raw = """{"alipay_trade_query_response":{"code":"10000","msg":"Success"}}""";

        Assert.Throws<AlipayResponseException>(() => AlipayResponseVerifier.Verify(raw, Method, TestKeys.Stranger));
    }

    [Fact]
    public void Verify_UnsignedGatewayError_ReportsBusinessFailure()
    {
        const string raw = """{"error_response":{"code":"40002","msg":"Invalid Arguments","sub_code":"isv.invalid-app-id"}}""";

        var e = Assert.Throws<AlipayBusinessException>(() => AlipayResponseVerifier.Verify(raw, Method, TestKeys.Stranger));
        Assert.Equal("isv.invalid-app-id", e.SubCode);
    }

    [Fact]
    public void Verify_NotJson_Throws()
    {
        Assert.Throws<AlipayResponseException>(() => AlipayResponseVerifier.Verify("<html>502</html>", Method, TestKeys.Stranger));
    }

    private static string Body(string member, string sign) =>
        $"{{\"alipay_trade_query_response\":{member},\"sign\":\"{sign}\"}}";
}
