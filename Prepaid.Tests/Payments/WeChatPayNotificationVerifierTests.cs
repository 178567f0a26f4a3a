using System.Text;
using Microsoft.AspNetCore.Http;
using Prepaid.Api.Payments;
using Prepaid.Fakes.Payments;
using Prepaid.Payments.WeChatPay;
using Xunit;
using Prepaid.Payments;
using Prepaid.Api.Payments.Notifications;

namespace Prepaid.Tests.Payments;

public sealed class WeChatPayNotificationVerifierTests : IAsyncLifetime
{
    private const string OutTradeNo = "PP20261123000001";
    private readonly WeChatPayHarness h = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Orders reach the fake the way they do in production, through the client.
    public async ValueTask InitializeAsync() =>
        await h.Client.NativeAsync(new WeChatPayOrder(OutTradeNo, "电费充值", 9500), Ct);

    public ValueTask DisposeAsync()
    {
        h.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public void Verify_GenuinePayment_ReturnsDecryptedTransaction()
    {
        var result = Verify(h.Gateway.Pay(OutTradeNo)).ForOrder(OutTradeNo, 9500);

        Assert.True(result.IsValid, result.Detail);
        var t = result.Notification!.Transaction!;
        Assert.Equal("TRANSACTION.SUCCESS", result.Notification.EventType);
        Assert.Equal(OutTradeNo, t.OutTradeNo);
        Assert.Equal(9500, t.AmountTotalFen);
        Assert.True(t.IsPaid);
        Assert.Equal(h.Gateway.Orders[OutTradeNo].TransactionId, t.TransactionId);
    }

    [Fact]
    public async Task VerifyAsync_HttpRequest_ReadsRawBodyAndHeaders()
    {
        var n = h.Gateway.Pay(OutTradeNo);
        var context = new DefaultHttpContext();
        foreach (var (name, value) in n.Headers)
        {
            context.Request.Headers[name] = value;
        }
        context.Request.Body = new MemoryStream(n.BodyBytes);

        var result = await h.Notifications.VerifyAsync(context.Request, Ct);

        Assert.True(result.IsValid, result.Detail);
    }

    [Fact]
    public void Verify_RefundResource_IsValidWithoutTransaction()
    {
        var n = h.Gateway.Notify(
            """{"mchid":"1900000109","out_trade_no":"PP20261123000001","refund_status":"SUCCESS"}""", "refund", "REFUND.SUCCESS");

        var result = Verify(n);

        Assert.True(result.IsValid, result.Detail);
        Assert.Equal("REFUND.SUCCESS", result.Notification!.EventType);
        Assert.Null(result.Notification.Transaction);
        Assert.Contains("refund_status", result.Notification.Resource);
    }

    [Fact]
    public void Verify_Forged_SignedWithWrongKey_IsBadSignature()
    {
        var genuine = h.Gateway.Pay(OutTradeNo);
        var headers = new Dictionary<string, string>(genuine.Headers)
        {
            [WeChatPayHeaders.SignatureName] = RsaSha256.Sign(TestKeys.Stranger, WeChatPayMessages.Response(
                genuine.Headers[WeChatPayHeaders.TimestampName], genuine.Headers[WeChatPayHeaders.NonceName], genuine.BodyBytes)),
        };

        Assert.Equal(WeChatPayRejection.BadSignature, Verify(genuine with { Headers = headers }).Rejection);
    }

    [Fact]
    public void Verify_BodyChangedAfterSigning_IsBadSignature()
    {
        var genuine = h.Gateway.Pay(OutTradeNo);

        Assert.Equal(WeChatPayRejection.BadSignature,
            Verify(genuine with { Body = genuine.Body.Replace("支付成功", "支付失败") }).Rejection);
    }

    [Fact]
    public void Verify_GenuineButAmountDiffersFromOrder_IsAmountMismatch()
    {
        var result = Verify(h.Gateway.Pay(OutTradeNo)).ForOrder(OutTradeNo, 10_000);

        Assert.Equal(WeChatPayRejection.AmountMismatch, result.Rejection);
    }

    [Fact]
    public void Verify_GenuineWithTamperedAmount_IsAmountMismatch()
    {
        var result = Verify(NotifyWith("\"total\":9500", "\"total\":1")).ForOrder(OutTradeNo, 9500);

        Assert.Equal(WeChatPayRejection.AmountMismatch, result.Rejection);
    }

    [Fact]
    public void Verify_GenuineForAnotherApp_IsAppIdMismatch()
    {
        Assert.Equal(WeChatPayRejection.AppIdMismatch, Verify(NotifyWith(WeChatPayHarness.AppId, "wx0000000000000666")).Rejection);
    }

    [Fact]
    public void Verify_GenuineForAnotherMerchant_IsMchIdMismatch()
    {
        Assert.Equal(WeChatPayRejection.MchIdMismatch, Verify(NotifyWith(WeChatPayHarness.MchId, "1900000666")).Rejection);
    }

    [Fact]
    public void Verify_GenuineForAnotherOrder_IsOutTradeNoMismatch()
    {
        var result = Verify(NotifyWith(OutTradeNo, "PP20261123000999")).ForOrder(OutTradeNo, 9500);

        Assert.Equal(WeChatPayRejection.OutTradeNoMismatch, result.Rejection);
    }

    [Fact]
    public void Verify_MoreThan300SecondsLater_IsStale()
    {
        var notification = h.Gateway.Pay(OutTradeNo);
        h.Clock.Advance(TimeSpan.FromSeconds(301));

        Assert.Equal(WeChatPayRejection.StaleTimestamp, Verify(notification).Rejection);
    }

    [Fact]
    public void Verify_300SecondsLater_IsStillAccepted()
    {
        var notification = h.Gateway.Pay(OutTradeNo);
        h.Clock.Advance(TimeSpan.FromSeconds(300));

        Assert.True(Verify(notification).IsValid);
    }

    [Fact]
    public void Verify_TimestampFromTheFuture_IsStale()
    {
        var notification = h.Gateway.Pay(OutTradeNo);
        h.Clock.Advance(TimeSpan.FromSeconds(-301));

        Assert.Equal(WeChatPayRejection.StaleTimestamp, Verify(notification).Rejection);
    }

    [Fact]
    public void Verify_SignTestProbe_IsSignatureProbe()
    {
        var genuine = h.Gateway.Pay(OutTradeNo);
        var headers = new Dictionary<string, string>(genuine.Headers)
        {
            [WeChatPayHeaders.SignatureName] = "WECHATPAY/SIGNTEST/" + Convert.ToBase64String(new byte[256]),
        };

        Assert.Equal(WeChatPayRejection.SignatureProbe, Verify(genuine with { Headers = headers }).Rejection);
    }

    [Fact]
    public void Verify_UnknownSerial_IsUnknownSerial()
    {
        var genuine = h.Gateway.Pay(OutTradeNo);
        var headers = new Dictionary<string, string>(genuine.Headers) { [WeChatPayHeaders.SerialName] = "PUB_KEY_ID_0000000000000000" };

        Assert.Equal(WeChatPayRejection.UnknownSerial, Verify(genuine with { Headers = headers }).Rejection);
    }

    [Fact]
    public void Verify_MissingHeader_IsMalformed()
    {
        var genuine = h.Gateway.Pay(OutTradeNo);
        var headers = genuine.Headers.Where(x => x.Key != WeChatPayHeaders.NonceName).ToDictionary();

        Assert.Equal(WeChatPayRejection.Malformed, Verify(genuine with { Headers = headers }).Rejection);
    }

    [Fact]
    public async Task Verify_EncryptedWithAnotherApiV3Key_IsDecryptionFailed()
    {
        using var other = new WeChatPayHarness(apiV3Key: "vutsrqponmlkjihgfedcba9876543210");
        var verifier = new WeChatPayNotificationVerifier(h.Options with
        {
            PlatformPublicKeys = new Dictionary<string, string> { [other.Gateway.PublicKeyId] = other.Gateway.PublicKey },
        }, h.Clock);
        await other.Client.NativeAsync(new WeChatPayOrder(OutTradeNo, "电费充值", 9500), Ct);
        var notification = other.Gateway.Pay(OutTradeNo);

        Assert.Equal(WeChatPayRejection.DecryptionFailed,
            verifier.Verify(WeChatPayHeaders.From(notification.Headers), notification.BodyBytes).Rejection);
    }

    [Fact]
    public async Task Verify_DuringKeyRotation_AcceptsEitherConfiguredKey()
    {
        // The platform certificate and the WeChat Pay public key overlap for days.
        using var old = new WeChatPayHarness();
        var verifier = new WeChatPayNotificationVerifier(h.Options with
        {
            PlatformPublicKeys = new Dictionary<string, string>
            {
                [h.Gateway.PublicKeyId] = h.Gateway.PublicKey,
                [old.Gateway.PublicKeyId] = old.Gateway.PublicKey,
            },
        }, h.Clock);
        await old.Client.NativeAsync(new WeChatPayOrder(OutTradeNo, "电费充值", 9500), Ct);

        foreach (var n in new[] { h.Gateway.Pay(OutTradeNo), old.Gateway.Pay(OutTradeNo) })
        {
            Assert.True(verifier.Verify(WeChatPayHeaders.From(n.Headers), n.BodyBytes).IsValid);
        }
    }

    private WeChatPayNotificationResult Verify(FakeWeChatPayNotification n) =>
        h.Notifications.Verify(WeChatPayHeaders.From(n.Headers), Encoding.UTF8.GetBytes(n.Body));

    // A notification WeChat Pay itself encrypted and signed, with one value changed before that.
    private FakeWeChatPayNotification NotifyWith(string from, string to)
    {
        h.Gateway.Pay(OutTradeNo);
        var json = h.Gateway.TransactionJson(h.Gateway.Orders[OutTradeNo]);
        Assert.Contains(from, json);
        return h.Gateway.Notify(json.Replace(from, to));
    }
}
