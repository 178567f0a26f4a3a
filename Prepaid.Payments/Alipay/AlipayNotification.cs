namespace Prepaid.Payments.Alipay;

/// <summary>The fields of a verified asynchronous notification that the platform acts on.</summary>
public sealed record AlipayNotification(
    string AppId, string OutTradeNo, string? TradeNo, decimal TotalAmountYuan, string TradeStatus, string? SellerId)
{
    public bool IsPaid => AlipayTradeStatus.IsPaid(TradeStatus);
}

/// <summary>Why a notification was rejected; stored with the raw notification for operators.</summary>
public enum AlipayNotificationFailure
{
    /// <summary>Missing, duplicated or unparsable fields.</summary>
    Malformed,
    MissingSignature,
    UnsupportedSignType,
    /// <summary>Not signed by Alipay's key, or changed after signing.</summary>
    BadSignature,
    AppIdMismatch,
    SellerIdMismatch,
    /// <summary>Signed by Alipay, but for an order other than the one it was matched to.</summary>
    OutTradeNoMismatch,
    AmountMismatch,
}

/// <summary>Either a verified notification or the reason it was refused.</summary>
public sealed record AlipayNotificationResult
{
    private AlipayNotificationResult(AlipayNotification? notification, AlipayNotificationFailure? failure, string detail)
    {
        Notification = notification;
        Failure = failure;
        Detail = detail;
    }

    public AlipayNotification? Notification { get; }
    public AlipayNotificationFailure? Failure { get; }
    public string Detail { get; }
    public bool IsValid => Failure is null;

    public static AlipayNotificationResult Valid(AlipayNotification notification) => new(notification, null, "");

    public static AlipayNotificationResult Invalid(AlipayNotificationFailure failure, string detail) =>
        new(null, failure, detail);

    /// <summary>
    /// Matches a verified notification to the order the caller loaded by its out_trade_no; amounts
    /// compare as decimals so "95" and "95.00" agree.
    /// </summary>
    public AlipayNotificationResult ForOrder(string outTradeNo, decimal totalAmountYuan)
    {
        if (Notification is null)
        {
            return this;
        }
        if (!string.Equals(Notification.OutTradeNo, outTradeNo, StringComparison.Ordinal))
        {
            return Invalid(AlipayNotificationFailure.OutTradeNoMismatch,
                $"out_trade_no {Notification.OutTradeNo} is not order {outTradeNo}.");
        }
        if (Notification.TotalAmountYuan != totalAmountYuan)
        {
            return Invalid(AlipayNotificationFailure.AmountMismatch,
                $"total_amount {Notification.TotalAmountYuan} differs from the order's {totalAmountYuan}.");
        }
        return this;
    }
}
