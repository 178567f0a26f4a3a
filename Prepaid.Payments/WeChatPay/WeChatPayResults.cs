using System.Text.Json;
using System.Text.Json.Serialization;

namespace Prepaid.Payments.WeChatPay;

/// <summary>
/// A transaction as the query API returns it and as a notification carries it (decrypted).
/// Only <c>SUCCESS</c> means paid.
/// </summary>
public sealed record WeChatPayTransaction(
    string AppId, string MchId, string OutTradeNo, string? TransactionId, string TradeState,
    long? AmountTotalFen, string? PayerOpenId, string? SuccessTime)
{
    public const string Success = "SUCCESS";

    public bool IsPaid => TradeState == Success;

    public static WeChatPayTransaction Parse(JsonElement t) => new(
        Text(t, "appid") ?? "",
        Text(t, "mchid") ?? "",
        Text(t, "out_trade_no") ?? throw new JsonException("out_trade_no is missing."),
        Text(t, "transaction_id"),
        Text(t, "trade_state") ?? throw new JsonException("trade_state is missing."),
        // Unpaid orders may come without an amount; a paid one always has it.
        t.TryGetProperty("amount", out var a) && a.TryGetProperty("total", out var total) ? total.GetInt64() : null,
        t.TryGetProperty("payer", out var p) ? Text(p, "openid") : null,
        Text(t, "success_time"));

    public static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>What the JSAPI page hands to <c>WeixinJSBridge.invoke('getBrandWCPayRequest', …)</c>.</summary>
public sealed record WeChatPayJsapiParams(
    [property: JsonPropertyName("appId")] string AppId,
    [property: JsonPropertyName("timeStamp")] string TimeStamp,
    [property: JsonPropertyName("nonceStr")] string NonceStr,
    [property: JsonPropertyName("package")] string Package,
    [property: JsonPropertyName("signType")] string SignType,
    [property: JsonPropertyName("paySign")] string PaySign)
{
    public string PrepayId => Package["prepay_id=".Length..];
}

/// <summary>A refund's state: SUCCESS, PROCESSING, CLOSED or ABNORMAL.</summary>
public sealed record WeChatPayRefund(string RefundId, string OutRefundNo, string Status, long RefundFen);
