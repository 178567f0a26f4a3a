using Dapper;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;

namespace Prepaid.Api.Payments.Refunds;

/// <summary>
/// Ends a pending refund when the channel has spoken (R25): a confirmation pays the held amount out to the channel's
/// clearing account, a refusal returns it to the wallet. A refund requested before holds existed is held here first
/// (the channel has paid it), so every refund ends as the same transfers.
/// </summary>
public static class RefundSettlement
{
    public static Task<string> SettleAsync(Db db, Outbox.IPostingEvents events, string outRefundNo, string? channelRefundId, bool succeeded,
        string? failure, DateTimeOffset now, CancellationToken ct) =>
        PostingWrites.RunAsync(db, events, async (connection, tx, outbox) =>
        {
            var refund = await PaymentRefund.ByOutRefundNoAsync(connection, tx, outRefundNo);
            if (refund is null) return "unknown";
            // Settled already (a retried notification, the job and the request racing): nothing more moves.
            if (refund.State != PaymentRefund.Pending) return refund.State;
            var nowMs = now.ToUnixTimeMilliseconds();
            var held = refund.HeldAtMs is not null;
            if (!succeeded)
            {
                if (held) await RefundPostings.ReturnAsync(connection, tx, db.Dialect, refund, now, outbox);
                await connection.ExecuteAsync("UPDATE payment_refunds SET state = 'failed', failure = @failure, completed_at_ms = @nowMs WHERE id = @id",
                    new { id = refund.Id, failure, nowMs }, tx);
                return PaymentRefund.Failed;
            }
            if (!held) await RefundPostings.HoldAsync(connection, tx, db.Dialect, refund, now, outbox, paidAlready: true);
            await RefundPostings.PayAsync(connection, tx, db.Dialect, refund, now, outbox);
            await connection.ExecuteAsync("""
                UPDATE payment_refunds SET state = 'succeeded', channel_refund_id = COALESCE(@channelRefundId, channel_refund_id), completed_at_ms = @nowMs,
                       held_at_ms = COALESCE(held_at_ms, @nowMs)
                WHERE id = @id
                """, new { id = refund.Id, channelRefundId, nowMs }, tx);
            await connection.ExecuteAsync("UPDATE payment_orders SET refunded_fen = refunded_fen + @amount WHERE id = @orderId",
                new { amount = refund.AmountFen, orderId = refund.OrderId }, tx);
            return PaymentRefund.Succeeded;
        }, ct);
}
