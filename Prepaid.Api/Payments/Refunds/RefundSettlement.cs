using System.Data.Common;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Engine;

namespace Prepaid.Api.Payments.Refunds;

/// <summary>
/// Ends a pending refund when the channel has spoken. Success posts one transfer, key refund:&lt;channel&gt;:&lt;out_refund_no&gt;,
/// in two legs: wallet → refunds_payable (the tenant's money becomes a debt to pay out) and refunds_payable → clearing
/// (the channel paid it out of what it owes us), so refunds_payable nets to zero per refund and shows the flow.
/// Nothing touches the wallet before the channel confirms; the fee of R15 stays earned.
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
            if (!succeeded)
            {
                await connection.ExecuteAsync("UPDATE payment_refunds SET state = 'failed', failure = @failure, completed_at_ms = @nowMs WHERE id = @id",
                    new { id = refund.Id, failure, nowMs }, tx);
                return PaymentRefund.Failed;
            }
            await PostAsync(connection, tx, db.Dialect, refund, now, outbox);
            await connection.ExecuteAsync("""
                UPDATE payment_refunds SET state = 'succeeded', channel_refund_id = COALESCE(@channelRefundId, channel_refund_id), completed_at_ms = @nowMs
                WHERE id = @id
                """, new { id = refund.Id, channelRefundId, nowMs }, tx);
            await connection.ExecuteAsync("UPDATE payment_orders SET refunded_fen = refunded_fen + @amount WHERE id = @orderId",
                new { amount = refund.AmountFen, orderId = refund.OrderId }, tx);
            return PaymentRefund.Succeeded;
        }, ct);

    static async Task PostAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, PaymentRefund refund, DateTimeOffset now, OutboxWriter outbox)
    {
        var account = (await AccountRuntime.LoadAsync(connection, tx, dialect, [refund.AccountId]))[refund.AccountId];
        var site = (await SiteRuntime.LoadAsync(connection, tx, account.SiteId))!;
        var payable = site.LedgerIds[SiteLedger.RefundsPayable];
        var clearing = site.LedgerIds[SiteLedger.Clearing(refund.Channel)];
        var ledger = new LedgerWriter(connection, tx, dialect);
        await ledger.LoadAsync([account.WalletLedgerId, payable, clearing]);

        var key = $"refund:{refund.Channel}:{refund.OutRefundNo}";
        var atMs = now.ToUnixTimeMilliseconds();
        var before = new Money(ledger.Balance(account.WalletLedgerId));
        ledger.Post(key, 0, "refund", atMs, refund.AccountId, null, account.WalletLedgerId, payable, refund.AmountFen);
        ledger.Post(key, 1, "refund", atMs, refund.AccountId, null, payable, clearing, refund.AmountFen);
        var after = new Money(ledger.Balance(account.WalletLedgerId));
        var meterIds = (await connection.QueryAsync<long>("SELECT meter_id FROM account_meters WHERE account_id = @accountId AND closed_at_ms IS NULL ORDER BY meter_id",
            new { accountId = refund.AccountId }, tx)).ToList();
        // R16: a refund lowers the balance like any debit, so thresholds and switch requests follow.
        account.AfterPosting(site, before, after, now, meterIds, outbox);
        await ledger.FlushAsync(CancellationToken.None);
        await AccountRuntime.SaveAsync(connection, tx, [account]);
    }
}
