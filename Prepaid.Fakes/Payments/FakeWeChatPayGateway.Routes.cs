using System.Net;
using System.Text.Json;
using Prepaid.Payments.WeChatPay;

namespace Prepaid.Fakes.Payments;

// The API v3 endpoints the fake understands, each answering in the real response's shape.
public sealed partial class FakeWeChatPayGateway
{
    private const string OrderPrefix = "/v3/pay/transactions/out-trade-no/";

    private (HttpStatusCode, string?) Route(string method, string path, string body)
    {
        try
        {
            return (method, path) switch
            {
                ("POST", "/v3/pay/transactions/native") => Create(body, "NATIVE"),
                ("POST", "/v3/pay/transactions/jsapi") => Create(body, "JSAPI"),
                ("POST", "/v3/pay/transactions/h5") => Create(body, "MWEB"),
                ("POST", "/v3/refund/domestic/refunds") => Refund(body),
                ("POST", _) when path.StartsWith(OrderPrefix, StringComparison.Ordinal) && path.EndsWith("/close", StringComparison.Ordinal)
                    => Close(Uri.UnescapeDataString(path[OrderPrefix.Length..^"/close".Length])),
                ("GET", _) when path.StartsWith(OrderPrefix, StringComparison.Ordinal)
                    => Query(Uri.UnescapeDataString(path[OrderPrefix.Length..])),
                _ => (HttpStatusCode.NotFound, Error("NOT_FOUND", "接口不存在")),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return (HttpStatusCode.BadRequest, Error("PARAM_ERROR", e.Message));
        }
    }

    private (HttpStatusCode, string?) Create(string body, string tradeType)
    {
        using var doc = JsonDocument.Parse(body);
        var b = doc.RootElement;
        if (b.GetProperty("mchid").GetString() != MchId || b.GetProperty("appid").GetString() != AppId)
        {
            return (HttpStatusCode.BadRequest, Error("INVALID_REQUEST", "appid和mch_id不匹配"));
        }
        if (tradeType == "JSAPI" && !b.TryGetProperty("payer", out _))
        {
            return (HttpStatusCode.BadRequest, Error("PARAM_ERROR", "缺少参数payer"));
        }
        if (tradeType == "MWEB" && !b.TryGetProperty("scene_info", out _))
        {
            return (HttpStatusCode.BadRequest, Error("PARAM_ERROR", "缺少参数scene_info"));
        }
        var outTradeNo = b.GetProperty("out_trade_no").GetString()!;
        var total = b.GetProperty("amount").GetProperty("total").GetInt64();
        var order = orders.GetOrAdd(outTradeNo,
            no => new FakeWeChatPayOrder(no, tradeType, total, b.GetProperty("description").GetString()!,
                b.TryGetProperty("notify_url", out var url) ? url.GetString() : null));
        if (order.TotalFen != total || order.TradeType != tradeType)
        {
            return (HttpStatusCode.BadRequest, Error("INVALID_REQUEST", "201 商户订单号重复"));
        }
        if (order.TradeState == WeChatPayTransaction.Success)
        {
            return (HttpStatusCode.BadRequest, Error("ORDERPAID", "该订单已支付"));
        }
        var prepayId = NextId("wx");
        var answer = tradeType switch
        {
            "NATIVE" => new Dictionary<string, string> { ["code_url"] = "weixin://wxpay/bizpayurl?pr=" + prepayId[^10..] },
            "JSAPI" => new Dictionary<string, string> { ["prepay_id"] = prepayId },
            _ => new Dictionary<string, string>
            {
                ["h5_url"] = "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=" + prepayId + "&package=1",
            },
        };
        return (HttpStatusCode.OK, JsonSerializer.Serialize(answer, Json));
    }

    private (HttpStatusCode, string?) Query(string outTradeNo) =>
        orders.TryGetValue(outTradeNo, out var order)
            ? (HttpStatusCode.OK, TransactionJson(order))
            : (HttpStatusCode.NotFound, Error("ORDER_NOT_EXIST", "订单不存在"));

    private (HttpStatusCode, string?) Close(string outTradeNo)
    {
        if (!orders.TryGetValue(outTradeNo, out var order))
        {
            return (HttpStatusCode.NotFound, Error("ORDER_NOT_EXIST", "订单不存在"));
        }
        lock (order)
        {
            if (order.TradeState == WeChatPayTransaction.Success)
            {
                return (HttpStatusCode.BadRequest, Error("ORDERPAID", "该订单已支付"));
            }
            order.TradeState = "CLOSED";
        }
        // The real API answers 204 with an empty body, still signed.
        return (HttpStatusCode.NoContent, null);
    }

    private (HttpStatusCode, string?) Refund(string body)
    {
        using var doc = JsonDocument.Parse(body);
        var b = doc.RootElement;
        var outTradeNo = b.GetProperty("out_trade_no").GetString()!;
        var outRefundNo = b.GetProperty("out_refund_no").GetString()!;
        var amount = b.GetProperty("amount");
        var refund = amount.GetProperty("refund").GetInt64();
        if (!orders.TryGetValue(outTradeNo, out var order))
        {
            return (HttpStatusCode.NotFound, Error("RESOURCE_NOT_EXISTS", "订单不存在"));
        }
        lock (order)
        {
            if (!order.Refunds.TryGetValue(outRefundNo, out var done))
            {
                if (order.TradeState is not (WeChatPayTransaction.Success or "REFUND"))
                {
                    return (HttpStatusCode.BadRequest, Error("INVALID_REQUEST", "订单未支付"));
                }
                if (amount.GetProperty("total").GetInt64() != order.TotalFen)
                {
                    return (HttpStatusCode.BadRequest, Error("PARAM_ERROR", "订单金额与原订单不符"));
                }
                if (order.RefundedFen + refund > order.TotalFen)
                {
                    return (HttpStatusCode.Forbidden, Error("NOT_ENOUGH", "可退款余额不足"));
                }
                if (RefuseRefundsWith is { } code)
                {
                    return (HttpStatusCode.Forbidden, Error(code, "退款失败"));
                }
                done = new FakeWeChatPayRefund(NextId("50000"), refund, RefundsProcessing ? "PROCESSING" : "SUCCESS");
                order.Refunds[outRefundNo] = done;
                order.RefundedFen += refund;
                order.TradeState = "REFUND";
            }
            return (HttpStatusCode.OK, JsonSerializer.Serialize(new
            {
                refund_id = done.RefundId,
                out_refund_no = outRefundNo,
                transaction_id = order.TransactionId,
                out_trade_no = outTradeNo,
                channel = "ORIGINAL",
                status = done.Status,
                create_time = Rfc3339(time.GetUtcNow()),
                amount = new { refund = done.Fen, total = order.TotalFen, payer_total = order.TotalFen, payer_refund = done.Fen, currency = "CNY" },
            }, Json));
        }
    }
}
