using Prepaid.Payments.Alipay;
using Xunit;
using Prepaid.Payments;

namespace Prepaid.Tests.Payments;

/// <summary>Round trips of the real client against the fake gateway.</summary>
public sealed class AlipayClientTests : IDisposable
{
    private const string OutTradeNo = "PP20261123000001";
    private readonly AlipayHarness h = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => h.Dispose();

    [Fact]
    public async Task Precreate_ReturnsQrCodeAndOpensTrade()
    {
        var created = await h.Client.PrecreateAsync(OutTradeNo, 95m, "电费充值", Ct);

        Assert.Equal(OutTradeNo, created.OutTradeNo);
        Assert.StartsWith("https://qr.alipay.com/", created.QrCode);
        Assert.Equal(95m, h.Gateway.Trades[OutTradeNo].TotalAmountYuan);
        Assert.Equal(h.Options.NotifyUrl, h.Gateway.Trades[OutTradeNo].NotifyUrl);
        Assert.Equal(0, h.Gateway.RejectedRequests);
    }

    [Fact]
    public async Task Precreate_GatewayEscapesSlashes_StillVerifies()
    {
        h.Gateway.EscapeSlashes = true;

        var created = await h.Client.PrecreateAsync(OutTradeNo, 95m, "电费充值", Ct);

        Assert.StartsWith("https://qr.alipay.com/", created.QrCode);
    }

    [Fact]
    public void WapPayUrl_IsAcceptedByGateway_AndTamperingIsNot()
    {
        var url = h.Client.WapPayUrl(OutTradeNo, 95m, "电费充值", "https://prepaid.example/paid");
        var tampered = new Uri(url.AbsoluteUri.Replace("95.00", "0.01"));

        Assert.StartsWith("https://alipay.fake/gateway.do?", url.AbsoluteUri);
        Assert.False(h.Gateway.AcceptWapPayUrl(tampered));
        Assert.True(h.Gateway.AcceptWapPayUrl(url));
        Assert.Equal(95m, h.Gateway.Trades[OutTradeNo].TotalAmountYuan);
    }

    [Fact]
    public void AppPayOrderString_IsSignedByTheAppKey()
    {
        var orderString = h.Client.AppPayOrderString(OutTradeNo, 95m, "电费充值");
        var fields = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(orderString)
            .Select(q => KeyValuePair.Create(q.Key, q.Value.ToString())).ToList();

        var sign = fields.Single(f => f.Key == "sign").Value;
        Assert.Contains(fields, f => f.Key == "method" && f.Value == "alipay.trade.app.pay");
        Assert.True(Prepaid.Payments.RsaSha256.Verify(TestKeys.Merchant,
            AlipaySignature.SigningString(fields, AlipaySignature.RequestExclusions), sign));
    }

    [Fact]
    public async Task Query_BeforeAndAfterPay_ReportsStatus()
    {
        await h.Client.PrecreateAsync(OutTradeNo, 95m, "电费充值", Ct);

        var before = await h.Client.QueryAsync(OutTradeNo, Ct);
        h.Gateway.Pay(OutTradeNo);
        var after = await h.Client.QueryAsync(OutTradeNo, Ct);

        Assert.Equal(AlipayTradeStatus.WaitBuyerPay, before.TradeStatus);
        Assert.False(before.IsPaid);
        Assert.True(after.IsPaid);
        Assert.Equal(95m, after.TotalAmountYuan);
        Assert.Equal(h.Gateway.Trades[OutTradeNo].TradeNo, after.TradeNo);
    }

    [Fact]
    public async Task Query_UnknownTrade_ThrowsTradeNotExist()
    {
        var e = await Assert.ThrowsAsync<AlipayBusinessException>(() => h.Client.QueryAsync("PP-NOPE-000001", Ct));

        Assert.Equal("40004", e.Code);
        Assert.Equal("ACQ.TRADE_NOT_EXIST", e.SubCode);
    }

    [Fact]
    public async Task Refund_Partial_ThenRetrySameRequestNo_IsNotRepeated()
    {
        await h.Client.PrecreateAsync(OutTradeNo, 95m, "电费充值", Ct);
        h.Gateway.Pay(OutTradeNo);

        var first = await h.Client.RefundAsync(OutTradeNo, 10m, OutTradeNo + "-R1", "unused balance", Ct);
        var retry = await h.Client.RefundAsync(OutTradeNo, 10m, OutTradeNo + "-R1", "unused balance", Ct);
        var second = await h.Client.RefundAsync(OutTradeNo, 5.5m, OutTradeNo + "-R2", ct: Ct);

        Assert.True(first.FundChanged);
        Assert.Equal(10m, first.RefundFeeYuan);
        Assert.False(retry.FundChanged);
        Assert.Equal(10m, retry.RefundFeeYuan);
        Assert.Equal(15.5m, second.RefundFeeYuan);
    }

    [Fact]
    public async Task Refund_MoreThanPaid_IsRefused()
    {
        await h.Client.PrecreateAsync(OutTradeNo, 95m, "电费充值", Ct);
        h.Gateway.Pay(OutTradeNo);

        var e = await Assert.ThrowsAsync<AlipayBusinessException>(
            () => h.Client.RefundAsync(OutTradeNo, 95.01m, OutTradeNo + "-R1", ct: Ct));

        Assert.Equal("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", e.SubCode);
    }

    [Fact]
    public async Task Close_OpenTrade_ClosesIt_PaidTradeIsRefused()
    {
        await h.Client.PrecreateAsync(OutTradeNo, 95m, "电费充值", Ct);
        await h.Client.PrecreateAsync("PP20261123000002", 50m, "水费充值", Ct);
        h.Gateway.Pay("PP20261123000002");

        await h.Client.CloseAsync(OutTradeNo, Ct);
        var e = await Assert.ThrowsAsync<AlipayBusinessException>(() => h.Client.CloseAsync("PP20261123000002", Ct));

        Assert.Equal(AlipayTradeStatus.Closed, (await h.Client.QueryAsync(OutTradeNo, Ct)).TradeStatus);
        Assert.Equal("ACQ.TRADE_STATUS_ERROR", e.SubCode);
    }

    [Fact]
    public async Task Request_SignedWithWrongAppKey_IsRefusedByGateway()
    {
        using var wrong = new AlipayHarness(TestKeys.Stranger.ExportPkcs8PrivateKeyPem());

        var e = await Assert.ThrowsAsync<AlipayBusinessException>(
            () => wrong.Client.PrecreateAsync(OutTradeNo, 95m, "电费充值", Ct));

        Assert.Equal("isv.invalid-signature", e.SubCode);
        Assert.Equal(1, wrong.Gateway.RejectedRequests);
    }

    [Fact]
    public async Task Client_WithBareConsoleKey_Works()
    {
        using var bare = new AlipayHarness(TestKeys.Bare(TestKeys.MerchantPrivatePkcs8));

        var created = await bare.Client.PrecreateAsync(OutTradeNo, 95m, "电费充值", Ct);

        Assert.Equal(OutTradeNo, created.OutTradeNo);
    }

    [Fact]
    public async Task Response_FromAnotherGateway_IsNotTrusted()
    {
        // The client trusts one Alipay key; a gateway signing with any other is an impostor.
        using var impostor = new AlipayHarness();
        var client = new AlipayClient(impostor.Http, h.Options, impostor.Clock);

        await Assert.ThrowsAsync<AlipayResponseException>(() => client.PrecreateAsync(OutTradeNo, 95m, "电费充值", Ct));
    }
}
