using System.Net;
using Prepaid.Api.Payments;
using Prepaid.Payments.WeChatPay;
using Xunit;
using Prepaid.Payments;

namespace Prepaid.Tests.Payments;

/// <summary>Round trips of the real client against the fake gateway.</summary>
public sealed class WeChatPayClientTests : IDisposable
{
    private const string OutTradeNo = "PP20261123000001";
    private readonly WeChatPayHarness h = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static WeChatPayOrder Order(string no = OutTradeNo, long fen = 9500) =>
        new(no, "电费充值", fen, ManualClock.Start.AddMinutes(15));

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task Native_ReturnsCodeUrl()
    {
        var codeUrl = await h.Client.NativeAsync(Order(), Ct);

        Assert.StartsWith("weixin://wxpay/bizpayurl?pr=", codeUrl);
        Assert.Equal(9500, h.Gateway.Orders[OutTradeNo].TotalFen);
        Assert.Equal("NATIVE", h.Gateway.Orders[OutTradeNo].TradeType);
        Assert.Equal(0, h.Gateway.RejectedRequests);
    }

    [Fact]
    public async Task Jsapi_ReturnsPageParamsWithVerifiablePaySign()
    {
        var page = await h.Client.JsapiAsync(Order(), "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", Ct);

        Assert.Equal(WeChatPayHarness.AppId, page.AppId);
        Assert.Equal("1795432061", page.TimeStamp);
        Assert.Equal("RSA", page.SignType);
        Assert.StartsWith("prepay_id=wx", page.Package);
        var message = $"{page.AppId}\n{page.TimeStamp}\n{page.NonceStr}\n{page.Package}\n";
        Assert.True(RsaSha256.Verify(TestKeys.Merchant, message, page.PaySign));
    }

    [Fact]
    public async Task Jsapi_Params_SerialiseWithTheNamesTheBridgeExpects()
    {
        var page = await h.Client.JsapiAsync(Order(), "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", Ct);
        var json = System.Text.Json.JsonSerializer.Serialize(page);

        foreach (var name in new[] { "appId", "timeStamp", "nonceStr", "package", "signType", "paySign" })
        {
            Assert.Contains($"\"{name}\":", json);
        }
    }

    [Fact]
    public async Task H5_ReturnsH5Url()
    {
        var h5Url = await h.Client.H5Async(Order(), "203.0.113.7", Ct);

        Assert.StartsWith("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=", h5Url);
        Assert.Equal("MWEB", h.Gateway.Orders[OutTradeNo].TradeType);
    }

    [Fact]
    public async Task Query_BeforeAndAfterPay_ReportsTradeState()
    {
        await h.Client.NativeAsync(Order(), Ct);

        var before = await h.Client.QueryByOutTradeNoAsync(OutTradeNo, Ct);
        h.Gateway.Pay(OutTradeNo);
        var after = await h.Client.QueryByOutTradeNoAsync(OutTradeNo, Ct);

        Assert.Equal("NOTPAY", before.TradeState);
        Assert.False(before.IsPaid);
        Assert.True(after.IsPaid);
        Assert.Equal(9500, after.AmountTotalFen);
        Assert.NotNull(after.TransactionId);
        Assert.Equal("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", after.PayerOpenId);
    }

    [Fact]
    public async Task Query_UnknownOrder_ThrowsOrderNotExist()
    {
        var e = await Assert.ThrowsAsync<WeChatPayBusinessException>(() => h.Client.QueryByOutTradeNoAsync("PP-NOPE-000001", Ct));

        Assert.Equal(HttpStatusCode.NotFound, e.Status);
        Assert.Equal("ORDER_NOT_EXIST", e.Code);
    }

    [Fact]
    public async Task Close_UnpaidOrder_Returns204AndCloses_PaidOrderIsRefused()
    {
        await h.Client.NativeAsync(Order(), Ct);
        await h.Client.NativeAsync(Order("PP20261123000002", 5000), Ct);
        h.Gateway.Pay("PP20261123000002");

        await h.Client.CloseAsync(OutTradeNo, Ct);
        var e = await Assert.ThrowsAsync<WeChatPayBusinessException>(() => h.Client.CloseAsync("PP20261123000002", Ct));

        Assert.Equal("CLOSED", (await h.Client.QueryByOutTradeNoAsync(OutTradeNo, Ct)).TradeState);
        Assert.Equal("ORDERPAID", e.Code);
    }

    [Fact]
    public async Task Refund_Partial_ThenRetrySameRefundNo_IsNotRepeated()
    {
        await h.Client.NativeAsync(Order(), Ct);
        h.Gateway.Pay(OutTradeNo);

        var first = await h.Client.RefundAsync(new WeChatPayRefundRequest(OutTradeNo, OutTradeNo + "-R1", 1000, 9500, "unused balance"), Ct);
        var retry = await h.Client.RefundAsync(new WeChatPayRefundRequest(OutTradeNo, OutTradeNo + "-R1", 1000, 9500, "unused balance"), Ct);

        Assert.Equal("SUCCESS", first.Status);
        Assert.Equal(1000, first.RefundFen);
        Assert.Equal(first.RefundId, retry.RefundId);
        Assert.Equal(1000, h.Gateway.Orders[OutTradeNo].RefundedFen);
    }

    [Fact]
    public async Task Refund_MoreThanPaid_IsRefused()
    {
        await h.Client.NativeAsync(Order(), Ct);
        h.Gateway.Pay(OutTradeNo);

        var e = await Assert.ThrowsAsync<WeChatPayBusinessException>(
            () => h.Client.RefundAsync(new WeChatPayRefundRequest(OutTradeNo, OutTradeNo + "-R1", 9501, 9500), Ct));

        Assert.Equal("NOT_ENOUGH", e.Code);
    }

    [Fact]
    public async Task Request_SignedWithWrongMerchantKey_IsRefusedByGateway()
    {
        using var wrong = new WeChatPayHarness(TestKeys.Stranger.ExportPkcs8PrivateKeyPem());

        var e = await Assert.ThrowsAsync<WeChatPayBusinessException>(() => wrong.Client.NativeAsync(Order(), Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, e.Status);
        Assert.Equal("SIGN_ERROR", e.Code);
        Assert.Equal(1, wrong.Gateway.RejectedRequests);
    }

    [Fact]
    public async Task Response_FromAnotherGateway_IsNotTrusted()
    {
        using var impostor = new WeChatPayHarness();
        var client = new WeChatPayClient(impostor.Http, h.Options, impostor.Clock);

        var e = await Assert.ThrowsAsync<WeChatPayResponseException>(() => client.NativeAsync(Order(), Ct));

        Assert.Equal(WeChatPayRejection.UnknownSerial, e.Rejection);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("PP 2026 space")]
    [InlineData("PP2026112300000100000000000000001")]
    public void Order_BadOutTradeNo_IsRefusedBeforeAnyCall(string outTradeNo)
    {
        Assert.Throws<ArgumentException>(() => new WeChatPayOrder(outTradeNo, "电费充值", 9500));
    }

    [Theory]
    [InlineData("http://prepaid.example/notify")]
    [InlineData("https://prepaid.example/notify?order=1")]
    [InlineData("/notify")]
    public void Client_BadNotifyUrl_FailsAtConstruction(string notifyUrl)
    {
        Assert.Throws<ArgumentException>(() => new WeChatPayClient(h.Http, h.Options with { NotifyUrl = notifyUrl }, h.Clock));
    }

    [Fact]
    public async Task Native_PassesNotifyUrlToGateway()
    {
        await h.Client.NativeAsync(Order(), Ct);

        Assert.Equal(h.Options.NotifyUrl, h.Gateway.Orders[OutTradeNo].NotifyUrl);
    }

    [Fact]
    public void Order_ZeroFen_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WeChatPayOrder(OutTradeNo, "电费充值", 0));
    }
}
