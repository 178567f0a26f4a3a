using Prepaid.Api.Ledger;
using Dapper;
using Prepaid.Api.Data;
using Prepaid.Api.Outbox;
using Prepaid.Api.Payments.Channels;
using Prepaid.Api.Payments.Refunds;

namespace Prepaid.Api.Payments.Orders;

public sealed record PendingRun(int Queried, int Credited, int Expired, int RefundsSettled);

/// <summary>
/// The fallback for lost notifications: orders still pending after a few minutes are asked about at the channel. Paid
/// ones are credited through the same <see cref="PaymentCredit"/> (same key, so a late notification finds them
/// credited); unpaid ones past their expiry are closed at the channel, then here. Pending refunds are sent again.
/// </summary>
public sealed class PendingPayments(IServiceProvider services, Db db, TimeProvider time, IPostingEvents events, PaymentsOptions options,
    ILogger<PendingPayments> logger)
{
    const int Batch = 200;

    public async Task<PendingRun> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        IReadOnlyList<PaymentOrder> orders;
        IReadOnlyList<PaymentRefund> refunds;
        await using (var connection = await db.OpenAsync(ct))
        {
            orders = await PaymentOrder.PendingAsync(connection, db.Dialect, nowMs - options.QueryAfterMinutes * 60_000L, Batch);
            refunds = await PaymentRefund.PendingAsync(connection, nowMs - 60_000L);
        }

        int credited = 0, expired = 0, settled = 0;
        foreach (var order in orders)
        {
            var channel = PaymentChannels.Find(services, order.Channel);
            if (channel is null) continue;
            try
            {
                var trade = await channel.QueryAsync(order.OutTradeNo, ct);
                if (trade.State == ChannelTradeState.Paid)
                {
                    // A paid trade for another amount is not ours to guess about: reconciliation lists it for a person.
                    if (trade.AmountFen != order.AmountFen)
                    {
                        logger.LogError("Order {OutTradeNo}: the channel was paid {Channel} fen for an order of {Order} fen; not credited",
                            order.OutTradeNo, trade.AmountFen, order.AmountFen);
                        // Closed so the job stops asking; the reconciliation keeps listing it until a person settles it.
                        await using var c = await db.OpenAsync(ct);
                        await c.ExecuteAsync("UPDATE payment_orders SET state = 'closed', closed_at_ms = @nowMs, failure = @failure WHERE id = @id AND state = 'pending'",
                            new { id = order.Id, nowMs, failure = $"The channel was paid {trade.AmountFen} fen for an order of {order.AmountFen} fen." });
                        continue;
                    }
                    var (outcome, _) = await PostingWrites.RunAsync(db, events, (c, tx, outbox) =>
                        PaymentCredit.ApplyAsync(c, tx, db.Dialect, order.OutTradeNo, trade.TradeId, "query", now, outbox), ct);
                    if (outcome == CreditOutcome.Credited) credited++;
                }
                else if (nowMs >= order.ExpiresAtMs)
                {
                    if (trade.State is ChannelTradeState.NotPaid) await channel.CloseAsync(order.OutTradeNo, ct);
                    await using var connection = await db.OpenAsync(ct);
                    expired += await connection.ExecuteAsync(
                        "UPDATE payment_orders SET state = 'expired', closed_at_ms = @nowMs, last_queried_at_ms = @nowMs WHERE id = @id AND state = 'pending'",
                        new { id = order.Id, nowMs });
                }
                else
                {
                    await using var connection = await db.OpenAsync(ct);
                    await connection.ExecuteAsync("UPDATE payment_orders SET last_queried_at_ms = @nowMs WHERE id = @id", new { id = order.Id, nowMs });
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One order's trouble (the channel down, paid just as we closed) must not stop the others; next round asks again.
                logger.LogWarning(e, "Pending order {OutTradeNo} at {Channel}: will ask again", order.OutTradeNo, order.Channel);
            }
        }
        foreach (var refund in refunds)
            if (await RefundSubmission.SubmitAsync(services, db, events, refund, now, logger, ct) != PaymentRefund.Pending) settled++;
        return new PendingRun(orders.Count, credited, expired, settled);
    }
}
