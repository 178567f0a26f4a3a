using System.Data.Common;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Engine;

namespace Prepaid.Api.Tenancy;

/// <summary>One transfer into or out of a wallet inside the caller's transaction, with R16 after it.</summary>
public static class WalletMoves
{
    /// <summary>
    /// Moves <paramref name="amount"/> between the wallet and the site's ledger account <paramref name="siteKind"/>:
    /// into the wallet when <paramref name="intoWallet"/>, else out of it.
    /// </summary>
    public static async Task PostAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, OutboxWriter outbox, long accountId,
        string key, string kind, string siteKind, bool intoWallet, Money amount, DateTimeOffset now)
    {
        var account = (await AccountRuntime.LoadAsync(connection, tx, dialect, [accountId]))[accountId];
        var site = (await SiteRuntime.LoadAsync(connection, tx, account.SiteId))!;
        var other = site.LedgerIds[siteKind];
        var ledger = new LedgerWriter(connection, tx, dialect);
        await ledger.LoadAsync([account.WalletLedgerId, other]);
        var before = new Money(ledger.Balance(account.WalletLedgerId));
        var (debit, credit) = intoWallet ? (other, account.WalletLedgerId) : (account.WalletLedgerId, other);
        ledger.Post(key, 0, kind, now.ToUnixTimeMilliseconds(), accountId, null, debit, credit, amount.Fen);
        var after = new Money(ledger.Balance(account.WalletLedgerId));
        var meterIds = (await connection.QueryAsync<long>(
            "SELECT meter_id FROM account_meters WHERE account_id = @accountId AND closed_at_ms IS NULL ORDER BY meter_id", new { accountId }, tx)).ToList();
        account.AfterPosting(site, before, after, now, meterIds, outbox);
        await ledger.FlushAsync(CancellationToken.None);
        await AccountRuntime.SaveAsync(connection, tx, [account]);
    }
}
