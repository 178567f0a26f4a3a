namespace Prepaid.Payments.Alipay;

/// <summary>A trade created for a QR code; <see cref="QrCode"/> is the text to render.</summary>
public sealed record AlipayPrecreated(string OutTradeNo, string QrCode);

/// <summary>
/// A trade as <c>alipay.trade.query</c> reports it. Only <c>TRADE_SUCCESS</c> and
/// <c>TRADE_FINISHED</c> mean the tenant paid.
/// </summary>
public sealed record AlipayTrade(string OutTradeNo, string? TradeNo, string TradeStatus, decimal TotalAmountYuan)
{
    public bool IsPaid => AlipayTradeStatus.IsPaid(TradeStatus);
}

/// <summary>A refund request's outcome; <see cref="RefundFeeYuan"/> is the total refunded so far.</summary>
public sealed record AlipayRefund(string OutTradeNo, string? TradeNo, decimal RefundFeeYuan, bool FundChanged);

public static class AlipayTradeStatus
{
    public const string WaitBuyerPay = "WAIT_BUYER_PAY";
    public const string Closed = "TRADE_CLOSED";
    public const string Success = "TRADE_SUCCESS";
    public const string Finished = "TRADE_FINISHED";

    // TRADE_FINISHED can arrive long after TRADE_SUCCESS (refund window over); both mean paid.
    public static bool IsPaid(string? status) => status is Success or Finished;
}
