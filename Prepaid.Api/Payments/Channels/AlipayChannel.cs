using Prepaid.Payments.Alipay;
using Prepaid.Engine;

namespace Prepaid.Api.Payments.Channels;

/// <summary>Alipay: qr (precreate), wap (signed redirect URL), app (order string for the Alipay SDK).</summary>
public sealed class AlipayChannel(AlipayClient client) : IPaymentChannel
{
    public const string ChannelName = "alipay";
    public static readonly string[] Methods = ["qr", "wap", "app"];

    public string Name => ChannelName;

    public async Task<PaymentStart> StartAsync(PaymentStartRequest r, CancellationToken ct)
    {
        var yuan = new Money(r.AmountFen).Yuan;
        try
        {
            return r.Method switch
            {
                "qr" => new PaymentStart(QrCode: (await client.PrecreateAsync(r.OutTradeNo, yuan, r.Subject, ct)).QrCode),
                "wap" => new PaymentStart(RedirectUrl: client.WapPayUrl(r.OutTradeNo, yuan, r.Subject, r.ReturnUrl).ToString()),
                "app" => new PaymentStart(OrderString: client.AppPayOrderString(r.OutTradeNo, yuan, r.Subject)),
                _ => throw new ArgumentException($"Alipay has no method {r.Method}.", nameof(r)),
            };
        }
        catch (AlipayBusinessException e)
        {
            throw new ChannelRefusedException(e.SubCode ?? e.Code, e.Message);
        }
    }

    public async Task<ChannelTrade> QueryAsync(string outTradeNo, CancellationToken ct)
    {
        try
        {
            var t = await client.QueryAsync(outTradeNo, ct);
            var state = t.IsPaid ? ChannelTradeState.Paid
                : t.TradeStatus == AlipayTradeStatus.Closed ? ChannelTradeState.Closed
                : ChannelTradeState.NotPaid;
            return new ChannelTrade(state, t.TradeStatus, t.TradeNo, Money.FromYuan(t.TotalAmountYuan).Fen);
        }
        // A wap/app trade exists at Alipay only once the tenant's phone opened it.
        catch (AlipayBusinessException e) when (e.SubCode == "ACQ.TRADE_NOT_EXIST")
        {
            return new ChannelTrade(ChannelTradeState.NotFound, e.SubCode, null, null);
        }
    }

    public async Task CloseAsync(string outTradeNo, CancellationToken ct)
    {
        try
        {
            await client.CloseAsync(outTradeNo, ct);
        }
        catch (AlipayBusinessException e) when (e.SubCode == "ACQ.TRADE_NOT_EXIST")
        {
            // Never opened: nothing to close, nobody can pay it.
        }
        catch (AlipayBusinessException e)
        {
            throw new ChannelRefusedException(e.SubCode ?? e.Code, e.Message);
        }
    }

    public async Task<ChannelRefund> RefundAsync(string outTradeNo, long totalFen, long refundFen, string outRefundNo, string? reason, CancellationToken ct)
    {
        try
        {
            var r = await client.RefundAsync(outTradeNo, new Money(refundFen).Yuan, outRefundNo, reason, ct);
            // Alipay's refund is synchronous: a success answer (fund_change Y, or N for a repeated out_request_no) is final.
            return new ChannelRefund(ChannelRefundState.Succeeded, r.TradeNo + ":" + outRefundNo, null);
        }
        catch (AlipayBusinessException e)
        {
            return new ChannelRefund(ChannelRefundState.Refused, null, $"{e.SubCode ?? e.Code} {e.SubMsg ?? e.Msg}".Trim());
        }
    }
}
