namespace Prepaid.Fakes.Payments;

/// <summary>A trade as the fake Alipay gateway holds it in memory.</summary>
public sealed class FakeAlipayTrade(string outTradeNo, string tradeNo, decimal totalAmountYuan, string subject, string? notifyUrl)
{
    public string OutTradeNo { get; } = outTradeNo;
    public string TradeNo { get; } = tradeNo;
    public decimal TotalAmountYuan { get; } = totalAmountYuan;
    public string Subject { get; } = subject;

    /// <summary>Where the demo's confirm page posts the notification <see cref="FakeAlipayGateway.Pay"/> makes.</summary>
    public string? NotifyUrl { get; } = notifyUrl;
    public string Status { get; internal set; } = "WAIT_BUYER_PAY";
    public decimal RefundedYuan { get; internal set; }

    /// <summary>Refunds by out_request_no, so a retried refund is answered, not repeated.</summary>
    internal Dictionary<string, decimal> Refunds { get; } = new(StringComparer.Ordinal);
}
