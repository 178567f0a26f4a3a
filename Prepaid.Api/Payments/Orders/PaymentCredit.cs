using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;
using Prepaid.Api.Outbox;
using Prepaid.Api.TopUps;
using Prepaid.Engine;

namespace Prepaid.Api.Payments.Orders;

public enum CreditOutcome { Credited, AlreadyCredited, UnknownOrder, AccountClosed, KeyTaken }

/// <summary>
/// The one road from "the channel says paid" to the wallet, for notifications and for the query job alike: the order
/// turns paid and the wallet is credited (R15 fee included) in the caller's transaction, under the key
/// topup:&lt;channel&gt;:&lt;out_trade_no&gt;, so whichever comes second finds the key taken and credits nothing.
/// </summary>
public static class PaymentCredit
{
    public static async Task<(CreditOutcome Outcome, PaymentOrder? Order)> ApplyAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect,
        string outTradeNo, string? channelTradeId, string via, DateTimeOffset now, OutboxWriter outbox)
    {
        // Read inside the write lock: the state seen here cannot change before commit.
        var order = await PaymentOrder.FindAsync(connection, tx, outTradeNo);
        if (order is null) return (CreditOutcome.UnknownOrder, null);
        if (order.State == PaymentOrder.Paid) return (CreditOutcome.AlreadyCredited, order);

        // A closed or expired order that the channel says was paid is still money received: it is credited too.
        var (outcome, topup) = await TopUpPosting.PostAsync(connection, tx, dialect, order.AccountId, new Money(order.AmountFen),
            order.Channel, TopUpSource.Payment(order.Channel, order.OutTradeNo), null, now, outbox);
        if (outcome is TopUpOutcome.NoAccount or TopUpOutcome.Closed) return (CreditOutcome.AccountClosed, order);
        // Only a counter top-up of the old key form can hold an order's key (TransferKeys): it is not this payment,
        // so the order stays unpaid here and reconciliation lists the money as paid but not credited.
        if (outcome == TopUpOutcome.KeyReused) return (CreditOutcome.KeyTaken, order);

        var marked = await connection.ExecuteAsync("""
            UPDATE payment_orders SET state = 'paid', paid_at_ms = @nowMs, paid_via = @via, channel_trade_id = COALESCE(@channelTradeId, channel_trade_id),
                   topup_id = @topupId
            WHERE id = @id AND state <> 'paid'
            """, new { id = order.Id, nowMs = now.ToUnixTimeMilliseconds(), via, channelTradeId, topupId = topup?.Id }, tx);
        // Another node marked it between our read and our update; its top-up holds the key, so ours would fail on commit.
        if (marked == 0) return (CreditOutcome.AlreadyCredited, order);
        return (outcome == TopUpOutcome.Posted ? CreditOutcome.Credited : CreditOutcome.AlreadyCredited, order);
    }
}
