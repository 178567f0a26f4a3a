namespace Prepaid.Api.Ledger;

/// <summary>
/// The idempotency keys of top-ups and refunds (R21): each names its source, so keys of different sources never meet.
///
/// | source | form | example |
/// | --- | --- | --- |
/// | counter top-up | <c>topup:counter:&lt;account id&gt;:&lt;Idempotency-Key&gt;</c> | <c>topup:counter:17:till-7-0001</c> |
/// | channel payment | <c>topup:&lt;alipay or wechat&gt;:&lt;out_trade_no&gt;</c> | <c>topup:alipay:PP2611020800001ABCDEFGH</c> |
/// | refund request (R25 hold) | <c>refund:&lt;channel&gt;:&lt;out_refund_no&gt;</c> | wallet → refunds_pending |
/// | refund confirmed | <c>refund-paid:&lt;channel&gt;:&lt;out_refund_no&gt;</c> | refunds_pending → clearing_&lt;channel&gt; |
/// | refund failed | <c>refund-returned:&lt;channel&gt;:&lt;out_refund_no&gt;</c> | refunds_pending → wallet |
///
/// A counter key is what a person typed, scoped to the account; the account id is digits up to the next colon, so the
/// typed key (colons and all) is the rest and two counter keys are equal only for the same account and key. A channel
/// key's second part is a payment channel, never <c>counter</c>, and its out_trade_no is ours.
///
/// Databases from before migration 0005 hold counter top-ups as <c>topup:&lt;channel&gt;:&lt;typed key&gt;</c> (any channel)
/// and confirmed refunds as one two-leg <c>refund:&lt;channel&gt;:&lt;out_refund_no&gt;</c> (wallet → refunds_payable →
/// clearing). They stay as they are: their second part is a channel, so no new counter key meets them, and a channel key
/// meets one only where a cashier once typed that order's out_trade_no with that channel; the payment then finds its key
/// taken and is left for reconciliation instead of being credited as the typed amount.
/// </summary>
public static class TransferKeys
{
    public const string Counter = "counter";

    /// <summary>The posting kind of a billed reading's debit.</summary>
    public const string Consumption = "consumption";

    /// <summary>
    /// A billed reading's debit: its key is its reading's meter and instant, which readings hold unique (R9). The reading
    /// row is that ledger line (ledger_lines), so no posting row and no text key is stored for it.
    /// </summary>
    public static string Reading(long meterId, long atMs) => $"reading:{meterId}:{atMs}";

    /// <summary>A ledger line's key: a posting's own, or for a line without one (a reading's debit) its reading's.</summary>
    public static string Of(string? storedKey, long? meterId, long atMs) =>
        storedKey ?? Reading(meterId ?? throw new InvalidOperationException("A line without a key names no meter."), atMs);

    public static string CounterTopUp(long accountId, string key) => $"topup:{Counter}:{accountId}:{key}";

    public static string ChannelTopUp(string channel, string outTradeNo) =>
        $"topup:{PaymentChannel(channel)}:{outTradeNo}";

    /// <summary>The form counter top-ups had before migration 0005, looked up so a retry across the upgrade credits once.</summary>
    public static string LegacyCounterTopUp(string channel, string key) => $"topup:{channel}:{key}";

    public static string RefundHold(string channel, string outRefundNo) => $"refund:{PaymentChannel(channel)}:{outRefundNo}";

    public static string RefundPaid(string channel, string outRefundNo) => $"refund-paid:{PaymentChannel(channel)}:{outRefundNo}";

    public static string RefundReturned(string channel, string outRefundNo) => $"refund-returned:{PaymentChannel(channel)}:{outRefundNo}";

    /// <summary>R30: the difference a real reading posts against the estimates it supersedes.</summary>
    public static string Reestimate(long meterId, long atMs) => $"reestimate:{meterId}:{atMs}";

    static string PaymentChannel(string channel) => SiteLedger.PaymentChannels.Contains(channel)
        ? channel : throw new ArgumentException($"{channel} is not a payment channel.", nameof(channel));
}
