using System.Text.Json;
using Prepaid.Payments.Alipay;

namespace Prepaid.Fakes.Payments;

// The OpenAPI methods the fake understands, each answering in the real response's shape.
public sealed partial class FakeAlipayGateway
{
    private Dictionary<string, string> Dispatch(string method, Dictionary<string, string> form)
    {
        using var biz = JsonDocument.Parse(form.GetValueOrDefault("biz_content") ?? "{}");
        var b = biz.RootElement;
        var outTradeNo = AlipayResponseVerifier.Text(b, "out_trade_no") ?? "";
        return method switch
        {
            "alipay.trade.precreate" or "alipay.trade.wap.pay" => Create(b, outTradeNo, form.GetValueOrDefault("notify_url")),
            "alipay.trade.query" => Query(outTradeNo),
            "alipay.trade.refund" => Refund(b, outTradeNo),
            "alipay.trade.close" => Close(outTradeNo),
            _ => Failure("40004", "Business Failed", "isv.invalid-method", "不存在的方法名"),
        };
    }

    private Dictionary<string, string> Create(JsonElement b, string outTradeNo, string? notifyUrl)
    {
        if (!AlipayAmount.TryParse(AlipayResponseVerifier.Text(b, "total_amount"), out var amount) || amount < AlipayAmount.Min)
        {
            return Failure("40004", "Business Failed", "ACQ.INVALID_PARAMETER", "参数无效");
        }
        var trade = trades.GetOrAdd(outTradeNo, no =>
            new FakeAlipayTrade(no, NextTradeNo(), amount, AlipayResponseVerifier.Text(b, "subject") ?? "", notifyUrl));
        if (trade.TotalAmountYuan != amount)
        {
            // Alipay refuses to reuse an out_trade_no for different content.
            return Failure("40004", "Business Failed", "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改");
        }
        return Success(("out_trade_no", outTradeNo), ("qr_code", "https://qr.alipay.com/" + trade.TradeNo));
    }

    private Dictionary<string, string> Query(string outTradeNo) =>
        trades.TryGetValue(outTradeNo, out var t)
            ? Success(("trade_no", t.TradeNo), ("out_trade_no", t.OutTradeNo), ("trade_status", t.Status),
                ("total_amount", AlipayAmount.Format(t.TotalAmountYuan)), ("buyer_logon_id", "159****5620"))
            : TradeNotFound();

    private Dictionary<string, string> Refund(JsonElement b, string outTradeNo)
    {
        if (!trades.TryGetValue(outTradeNo, out var t))
        {
            return TradeNotFound();
        }
        var requestNo = AlipayResponseVerifier.Text(b, "out_request_no") ?? outTradeNo;
        if (!AlipayAmount.TryParse(AlipayResponseVerifier.Text(b, "refund_amount"), out var amount))
        {
            return Failure("40004", "Business Failed", "ACQ.INVALID_PARAMETER", "参数无效");
        }
        lock (t)
        {
            var fundChange = "N";
            if (!t.Refunds.ContainsKey(requestNo))
            {
                if (!AlipayTradeStatus.IsPaid(t.Status))
                {
                    return Failure("40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
                }
                if (t.RefundedYuan + amount > t.TotalAmountYuan)
                {
                    return Failure("40004", "Business Failed", "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");
                }
                if (RefuseRefundsWith is { } subCode)
                {
                    return Failure("40004", "Business Failed", subCode, "退款失败");
                }
                t.Refunds[requestNo] = amount;
                t.RefundedYuan += amount;
                fundChange = "Y";
                if (t.RefundedYuan == t.TotalAmountYuan)
                {
                    // Alipay closes a trade once all of it went back.
                    t.Status = AlipayTradeStatus.Closed;
                }
            }
            return Success(("trade_no", t.TradeNo), ("out_trade_no", t.OutTradeNo),
                ("refund_fee", AlipayAmount.Format(t.RefundedYuan)), ("fund_change", fundChange));
        }
    }

    private Dictionary<string, string> Close(string outTradeNo)
    {
        if (!trades.TryGetValue(outTradeNo, out var t))
        {
            return TradeNotFound();
        }
        if (t.Status != AlipayTradeStatus.WaitBuyerPay)
        {
            return Failure("40004", "Business Failed", "ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
        }
        t.Status = AlipayTradeStatus.Closed;
        return Success(("trade_no", t.TradeNo), ("out_trade_no", t.OutTradeNo));
    }
}
