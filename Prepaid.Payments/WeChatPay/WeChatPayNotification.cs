namespace Prepaid.Payments.WeChatPay;

/// <summary>
/// A verified, decrypted notification. <see cref="Transaction"/> is set for payment events
/// (resource <c>transaction</c>); refund events leave it null and keep the JSON in
/// <see cref="Resource"/>.
/// </summary>
public sealed record WeChatPayNotification(
    string Id, string EventType, string OriginalType, string Resource, WeChatPayTransaction? Transaction);

/// <summary>Either a verified notification or the reason it was refused.</summary>
public sealed record WeChatPayNotificationResult
{
    private WeChatPayNotificationResult(WeChatPayNotification? notification, WeChatPayRejection? rejection, string detail)
    {
        Notification = notification;
        Rejection = rejection;
        Detail = detail;
    }

    public WeChatPayNotification? Notification { get; }
    public WeChatPayRejection? Rejection { get; }
    public string Detail { get; }
    public bool IsValid => Rejection is null;

    public static WeChatPayNotificationResult Valid(WeChatPayNotification notification) => new(notification, null, "");

    public static WeChatPayNotificationResult Invalid(WeChatPayRejection rejection, string detail) =>
        new(null, rejection, detail);

    /// <summary>Matches a verified payment notification to the order the caller loaded.</summary>
    public WeChatPayNotificationResult ForOrder(string outTradeNo, long amountFen)
    {
        var t = Notification?.Transaction;
        if (t is null)
        {
            return this;
        }
        if (!string.Equals(t.OutTradeNo, outTradeNo, StringComparison.Ordinal))
        {
            return Invalid(WeChatPayRejection.OutTradeNoMismatch, $"out_trade_no {t.OutTradeNo} is not order {outTradeNo}.");
        }
        if (t.AmountTotalFen != amountFen)
        {
            return Invalid(WeChatPayRejection.AmountMismatch,
                $"amount.total {t.AmountTotalFen} differs from the order's {amountFen} fen.");
        }
        return this;
    }
}
