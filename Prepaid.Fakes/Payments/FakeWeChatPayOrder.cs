namespace Prepaid.Fakes.Payments;

/// <summary>An order as the fake WeChat Pay gateway holds it in memory.</summary>
public sealed class FakeWeChatPayOrder(string outTradeNo, string tradeType, long totalFen, string description, string? notifyUrl)
{
    public string OutTradeNo { get; } = outTradeNo;

    /// <summary>NATIVE, JSAPI or MWEB (H5), as WeChat Pay reports it.</summary>
    public string TradeType { get; } = tradeType;
    public long TotalFen { get; } = totalFen;
    public string Description { get; } = description;

    /// <summary>Where the demo's confirm page posts the notification <see cref="FakeWeChatPayGateway.Pay"/> makes.</summary>
    public string? NotifyUrl { get; } = notifyUrl;
    public string TradeState { get; internal set; } = "NOTPAY";
    public string? TransactionId { get; internal set; }
    public string? PayerOpenId { get; internal set; }
    public string? SuccessTime { get; internal set; }
    public long RefundedFen { get; internal set; }

    /// <summary>Refunds by out_refund_no, so a retried refund is answered, not repeated.</summary>
    internal Dictionary<string, FakeWeChatPayRefund> Refunds { get; } = new(StringComparer.Ordinal);
}

/// <summary>A refund as the fake holds it: PROCESSING until finished, then SUCCESS, ABNORMAL or CLOSED.</summary>
internal sealed class FakeWeChatPayRefund(string refundId, long fen, string status)
{
    public string RefundId { get; } = refundId;
    public long Fen { get; } = fen;
    public string Status { get; set; } = status;
}
