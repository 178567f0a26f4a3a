using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Prepaid.Api.Payments;
using Prepaid.Payments.Alipay;
using Xunit;
using Prepaid.Payments;
using Prepaid.Api.Payments.Notifications;

namespace Prepaid.Tests.Payments;

public sealed class AlipayNotificationVerifierTests : IDisposable
{
    private const string OutTradeNo = "PP20261123000001";
    private readonly AlipayHarness h = new();

    public AlipayNotificationVerifierTests()
    {
        // The tenant's browser opens the trade, as in production.
        Assert.True(h.Gateway.AcceptWapPayUrl(h.Client.WapPayUrl(OutTradeNo, 95m, "电费充值")));
    }

    public void Dispose() => h.Dispose();

    [Fact]
    public void Verify_GenuinePayment_ReturnsCheckedFields()
    {
        var result = h.Notifications.Verify(h.Gateway.Pay(OutTradeNo)).ForOrder(OutTradeNo, 95.00m);

        Assert.True(result.IsValid, result.Detail);
        var n = result.Notification!;
        Assert.Equal(AlipayHarness.AppId, n.AppId);
        Assert.Equal(OutTradeNo, n.OutTradeNo);
        Assert.Equal(h.Gateway.Trades[OutTradeNo].TradeNo, n.TradeNo);
        Assert.Equal(95m, n.TotalAmountYuan);
        Assert.Equal(AlipayTradeStatus.Success, n.TradeStatus);
        Assert.Equal(AlipayHarness.SellerId, n.SellerId);
        Assert.True(n.IsPaid);
    }

    [Fact]
    public void Verify_FormCollection_AsRequestFormGivesIt()
    {
        var form = new FormCollection(h.Gateway.Pay(OutTradeNo).ToDictionary(f => f.Key, f => new StringValues(f.Value)));

        Assert.True(h.Notifications.Verify(form).IsValid);
    }

    [Fact]
    public void Verify_EmptyFieldAddedAfterSigning_IsIgnoredLikeAlipayDoes()
    {
        var fields = h.Gateway.Pay(OutTradeNo).Append(KeyValuePair.Create("fund_bill_list", ""));

        Assert.True(h.Notifications.Verify(fields).IsValid);
    }

    [Fact]
    public void Verify_Forged_SignedWithWrongKey_IsBadSignature()
    {
        var fields = h.Gateway.NotificationFields(h.Gateway.Trades[OutTradeNo]);
        fields["trade_status"] = AlipayTradeStatus.Success;
        var sign = RsaSha256.Sign(TestKeys.Stranger, AlipaySignature.SigningString(fields, AlipaySignature.NotificationExclusions));
        fields["sign_type"] = "RSA2";
        fields["sign"] = sign;

        Assert.Equal(AlipayNotificationFailure.BadSignature, h.Notifications.Verify(fields).Failure);
    }

    [Fact]
    public void Verify_SignedWithAppKeyInsteadOfAlipayKey_IsBadSignature()
    {
        // The classic mistake: verifying with our own key would accept notifications we signed.
        var options = h.Options with { AlipayPublicKey = TestKeys.MerchantPublic };
        var fields = h.Gateway.Pay(OutTradeNo);

        Assert.Equal(AlipayNotificationFailure.BadSignature, new AlipayNotificationVerifier(options).Verify(fields).Failure);
    }

    [Theory]
    [InlineData("total_amount", "0.01")]
    [InlineData("app_id", "2021000000000666")]
    [InlineData("out_trade_no", "PP20261123000999")]
    [InlineData("trade_status", "TRADE_FINISHED")]
    public void Verify_FieldChangedAfterSigning_IsBadSignature(string field, string value)
    {
        var fields = h.Gateway.Pay(OutTradeNo).Select(f => f.Key == field ? KeyValuePair.Create(field, value) : f);

        Assert.Equal(AlipayNotificationFailure.BadSignature, h.Notifications.Verify(fields).Failure);
    }

    [Fact]
    public void Verify_GenuineButAmountDiffersFromOrder_IsAmountMismatch()
    {
        var result = h.Notifications.Verify(h.Gateway.Pay(OutTradeNo)).ForOrder(OutTradeNo, 100m);

        Assert.Equal(AlipayNotificationFailure.AmountMismatch, result.Failure);
    }

    [Fact]
    public void Verify_GenuineForAnotherApp_IsAppIdMismatch()
    {
        Assert.Equal(AlipayNotificationFailure.AppIdMismatch, VerifySignedWith("app_id", "2021000000000666").Failure);
    }

    [Fact]
    public void Verify_GenuineForAnotherSeller_IsSellerIdMismatch()
    {
        Assert.Equal(AlipayNotificationFailure.SellerIdMismatch, VerifySignedWith("seller_id", "2088000000000666").Failure);
    }

    [Fact]
    public void Verify_GenuineForAnotherOrder_IsOutTradeNoMismatch()
    {
        var result = VerifySignedWith("out_trade_no", "PP20261123000999").ForOrder(OutTradeNo, 95m);

        Assert.Equal(AlipayNotificationFailure.OutTradeNoMismatch, result.Failure);
    }

    [Fact]
    public void Verify_NoSign_IsMissingSignature()
    {
        var fields = h.Gateway.Pay(OutTradeNo).Where(f => f.Key != "sign");

        Assert.Equal(AlipayNotificationFailure.MissingSignature, h.Notifications.Verify(fields).Failure);
    }

    [Fact]
    public void Verify_OldRsaSignType_IsUnsupported()
    {
        var fields = h.Gateway.Pay(OutTradeNo).Select(f => f.Key == "sign_type" ? KeyValuePair.Create("sign_type", "RSA") : f);

        Assert.Equal(AlipayNotificationFailure.UnsupportedSignType, h.Notifications.Verify(fields).Failure);
    }

    [Fact]
    public void Verify_RepeatedField_IsMalformed()
    {
        var fields = h.Gateway.Pay(OutTradeNo).Append(KeyValuePair.Create("total_amount", "0.01"));

        Assert.Equal(AlipayNotificationFailure.Malformed, h.Notifications.Verify(fields).Failure);
    }

    [Fact]
    public void Verify_AmountWrittenDifferently_ComparesAsDecimal()
    {
        var result = VerifySignedWith("total_amount", "95").ForOrder(OutTradeNo, 95.00m);

        Assert.True(result.IsValid, result.Detail);
    }

    // A notification Alipay itself signed, with one field set before signing.
    private AlipayNotificationResult VerifySignedWith(string field, string value)
    {
        var fields = h.Gateway.NotificationFields(h.Gateway.Trades[OutTradeNo]);
        fields["trade_status"] = AlipayTradeStatus.Success;
        fields[field] = value;
        return h.Notifications.Verify(h.Gateway.SignNotification(fields));
    }
}
