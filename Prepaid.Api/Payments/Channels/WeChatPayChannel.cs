using System.Net;
using Prepaid.Payments.WeChatPay;

namespace Prepaid.Api.Payments.Channels;

/// <summary>WeChat Pay: native (QR code_url), jsapi (inside WeChat, paySign parameters), h5 (phone browser redirect).</summary>
public sealed class WeChatPayChannel(WeChatPayClient client) : IPaymentChannel
{
    public const string ChannelName = "wechat";
    public static readonly string[] Methods = ["native", "jsapi", "h5"];

    public string Name => ChannelName;

    public async Task<PaymentStart> StartAsync(PaymentStartRequest r, CancellationToken ct)
    {
        var order = new WeChatPayOrder(r.OutTradeNo, r.Subject, r.AmountFen, r.ExpiresAt);
        try
        {
            return r.Method switch
            {
                "native" => new PaymentStart(QrCode: await client.NativeAsync(order, ct)),
                "jsapi" => new PaymentStart(Jsapi: await client.JsapiAsync(order, r.OpenId!, ct)),
                "h5" => new PaymentStart(RedirectUrl: WithRedirect(await client.H5Async(order, r.ClientIp ?? "127.0.0.1", ct), r.ReturnUrl)),
                _ => throw new ArgumentException($"WeChat Pay has no method {r.Method}.", nameof(r)),
            };
        }
        catch (WeChatPayBusinessException e)
        {
            throw new ChannelRefusedException(e.Code, e.Message);
        }
    }

    /// <summary>
    /// H5: WeChat Pay brings the payer back to the page named by redirect_url appended to h5_url (its domain must be
    /// registered for H5 payments in the merchant platform).
    /// </summary>
    public static string WithRedirect(string h5Url, string? returnUrl) =>
        returnUrl is null ? h5Url : $"{h5Url}{(h5Url.Contains('?') ? '&' : '?')}redirect_url={Uri.EscapeDataString(returnUrl)}";

    public async Task<ChannelTrade> QueryAsync(string outTradeNo, CancellationToken ct)
    {
        try
        {
            var t = await client.QueryByOutTradeNoAsync(outTradeNo, ct);
            var state = t.TradeState switch
            {
                // REFUND: it was paid, and (part of) it went back since.
                WeChatPayTransaction.Success or "REFUND" => ChannelTradeState.Paid,
                "CLOSED" or "REVOKED" or "PAYERROR" => ChannelTradeState.Closed,
                _ => ChannelTradeState.NotPaid,
            };
            return new ChannelTrade(state, t.TradeState, t.TransactionId, t.AmountTotalFen);
        }
        catch (WeChatPayBusinessException e) when (e.Code == "ORDER_NOT_EXIST" || e.Status == HttpStatusCode.NotFound)
        {
            return new ChannelTrade(ChannelTradeState.NotFound, e.Code, null, null);
        }
    }

    public async Task CloseAsync(string outTradeNo, CancellationToken ct)
    {
        try
        {
            await client.CloseAsync(outTradeNo, ct);
        }
        catch (WeChatPayBusinessException e) when (e.Code == "ORDER_NOT_EXIST")
        {
        }
        catch (WeChatPayBusinessException e)
        {
            throw new ChannelRefusedException(e.Code, e.Message);
        }
    }

    public async Task<ChannelRefund> RefundAsync(string outTradeNo, long totalFen, long refundFen, string outRefundNo, string? reason, CancellationToken ct)
    {
        try
        {
            var r = await client.RefundAsync(new WeChatPayRefundRequest(outTradeNo, outRefundNo, refundFen, totalFen, reason), ct);
            return r.Status switch
            {
                "SUCCESS" => new ChannelRefund(ChannelRefundState.Succeeded, r.RefundId, null),
                // The refund notification (or the next retry of this same out_refund_no) tells the end.
                "PROCESSING" => new ChannelRefund(ChannelRefundState.Processing, r.RefundId, null),
                _ => new ChannelRefund(ChannelRefundState.Refused, r.RefundId, $"refund status {r.Status}"),
            };
        }
        catch (WeChatPayBusinessException e) when ((int)e.Status is >= 400 and < 500)
        {
            return new ChannelRefund(ChannelRefundState.Refused, null, $"{e.Code} {e.ErrorMessage}".Trim());
        }
    }
}
