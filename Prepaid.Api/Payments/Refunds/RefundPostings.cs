using System.Data.Common;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Engine;

namespace Prepaid.Api.Payments.Refunds;

/// <summary>
/// The three movements of a refund (R25), each a transfer of its own (keys in <see cref="TransferKeys"/>). The request
/// holds the amount (wallet → refunds_pending), so state, thresholds and every later debit see the lower balance at once;
/// the channel's confirmation pays it out (refunds_pending → clearing_&lt;channel&gt;) without touching the wallet; a
/// refusal returns it (refunds_pending → wallet). A refund so takes only what the wallet held when it was asked, whatever
/// is billed before the channel answers. The fee of R15 stays earned.
/// </summary>
public static class RefundPostings
{
    public const string HoldKind = "refund";
    public const string PaidKind = "refund_paid";
    public const string ReturnedKind = "refund_returned";

    /// <summary>
    /// Holds the amount. A request is held only if the wallet covers it (the caller checked under the same write lock);
    /// a refund requested before holds existed is held when the channel has already paid it, whatever the wallet holds.
    /// </summary>
    public static Task HoldAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, PaymentRefund refund, DateTimeOffset now,
        OutboxWriter outbox, bool paidAlready = false) =>
        MoveAsync(connection, tx, dialect, refund, now, outbox, TransferKeys.RefundHold(refund.Channel, refund.OutRefundNo), HoldKind,
            (wallet, site) => (wallet, site[SiteLedger.RefundsPending]), coveredOnly: !paidAlready);

    public static Task PayAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, PaymentRefund refund, DateTimeOffset now,
        OutboxWriter outbox) =>
        MoveAsync(connection, tx, dialect, refund, now, outbox, TransferKeys.RefundPaid(refund.Channel, refund.OutRefundNo), PaidKind,
            (_, site) => (site[SiteLedger.RefundsPending], site[SiteLedger.Clearing(refund.Channel)]), coveredOnly: false);

    public static Task ReturnAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, PaymentRefund refund, DateTimeOffset now,
        OutboxWriter outbox) =>
        MoveAsync(connection, tx, dialect, refund, now, outbox, TransferKeys.RefundReturned(refund.Channel, refund.OutRefundNo), ReturnedKind,
            (wallet, site) => (site[SiteLedger.RefundsPending], wallet), coveredOnly: false);

    static async Task MoveAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, PaymentRefund refund, DateTimeOffset now,
        OutboxWriter outbox, string key, string kind, Func<long, IReadOnlyDictionary<string, long>, (long Debit, long Credit)> legs, bool coveredOnly)
    {
        var account = (await AccountRuntime.LoadAsync(connection, tx, dialect, [refund.AccountId]))[refund.AccountId];
        var site = (await SiteRuntime.LoadAsync(connection, tx, account.SiteId))!;
        var (debit, credit) = legs(account.WalletLedgerId, site.LedgerIds);
        var wallet = account.WalletLedgerId;
        var ledger = new LedgerWriter(connection, tx, dialect);
        await ledger.LoadAsync([debit, credit]);
        if (coveredOnly && debit == wallet && ledger.Balance(wallet) < refund.AmountFen)
            throw new InvalidOperationException($"Refund {refund.OutRefundNo}: the wallet holds {ledger.Balance(wallet)} fen, less than {refund.AmountFen}.");

        var touchesWallet = debit == wallet || credit == wallet;
        var before = touchesWallet ? new Money(ledger.Balance(wallet)) : Money.Zero;
        ledger.Post(key, 0, kind, now.ToUnixTimeMilliseconds(), refund.AccountId, null, debit, credit, refund.AmountFen);
        if (touchesWallet)
        {
            var after = new Money(ledger.Balance(wallet));
            var meterIds = (await connection.QueryAsync<long>(
                "SELECT meter_id FROM account_meters WHERE account_id = @accountId AND closed_at_ms IS NULL ORDER BY meter_id",
                new { accountId = refund.AccountId }, tx)).ToList();
            // R16: a hold lowers the balance like any debit and a return lifts it like a top-up, so thresholds and switching follow.
            account.AfterPosting(site, before, after, now, meterIds, outbox);
        }
        await ledger.FlushAsync(CancellationToken.None);
        await AccountRuntime.SaveAsync(connection, tx, [account]);
    }
}
