using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;

namespace Prepaid.Api.Payments.Refunds;

/// <summary>
/// A refund as stored: pending until the channel confirms (succeeded) or refuses (failed). <see cref="HeldAtMs"/> is when
/// its amount moved from the wallet to refunds pending (R25); null only for refunds requested before holds existed.
/// </summary>
public sealed record PaymentRefund(long Id, long OrderId, long AccountId, string OutRefundNo, string IdempotencyKey, string RequestHash, long AmountFen,
    string State, string? Reason, string? ChannelRefundId, string? Failure, long CreatedAtMs, long? CompletedAtMs, string Channel, string OutTradeNo,
    long OrderAmountFen, long? HeldAtMs)
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    const string Select = """
        SELECT r.id, r.order_id, r.account_id, r.out_refund_no, r.idempotency_key, r.request_hash, r.amount_fen, r.state, r.reason, r.channel_refund_id,
               r.failure, r.created_at_ms, r.completed_at_ms, o.channel, o.out_trade_no, o.amount_fen AS order_amount_fen, r.held_at_ms
        FROM payment_refunds r JOIN payment_orders o ON o.id = r.order_id
        """;

    public static Task<PaymentRefund?> ByKeyAsync(DbConnection c, DbTransaction? tx, long accountId, string key) =>
        c.QuerySingleOrDefaultAsync<PaymentRefund>($"{Select} WHERE r.account_id = @accountId AND r.idempotency_key = @key", new { accountId, key }, tx);

    public static Task<PaymentRefund?> ByOutRefundNoAsync(DbConnection c, DbTransaction? tx, string outRefundNo) =>
        c.QuerySingleOrDefaultAsync<PaymentRefund>($"{Select} WHERE r.out_refund_no = @outRefundNo", new { outRefundNo }, tx);

    public static async Task<IReadOnlyList<PaymentRefund>> OfAccountAsync(DbConnection c, long accountId) =>
        (await c.QueryAsync<PaymentRefund>($"{Select} WHERE r.account_id = @accountId ORDER BY r.id DESC", new { accountId })).ToList();

    public static async Task<IReadOnlyList<PaymentRefund>> PendingAsync(DbConnection c, long createdBeforeMs) =>
        (await c.QueryAsync<PaymentRefund>($"{Select} WHERE r.state = 'pending' AND r.created_at_ms <= @createdBeforeMs ORDER BY r.id", new { createdBeforeMs })).ToList();

    public object Shape(TimeZoneInfo zone) => new
    {
        refundId = Id, accountId = AccountId, outTradeNo = OutTradeNo, channel = Channel, outRefundNo = OutRefundNo, amount = ApiFormat.Amount(AmountFen),
        state = State, reason = Reason, channelRefundId = ChannelRefundId, failure = Failure, createdAt = ApiFormat.Instant(CreatedAtMs, zone),
        completedAt = CompletedAtMs is { } c ? ApiFormat.Instant(c, zone) : null,
    };
}
