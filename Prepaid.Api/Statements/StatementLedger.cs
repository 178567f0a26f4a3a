using System.Data.Common;
using Dapper;

namespace Prepaid.Api.Statements;

/// <summary>A movement of the tenant's wallet, signed as the tenant sees it: + money in, − money out.</summary>
public sealed record WalletPosting(long Id, string TransferKey, string Kind, long AtMs, long? MeterId, long AmountFen);

/// <summary>
/// R36's money: the wallet's balance now and its postings from the period's start on, read in one statement so that they
/// agree. The balance at any instant since is the balance now less what was posted from that instant on (R22: the stored
/// balance is the sum of the postings), so a statement reads the recent postings only, whatever the account's history.
/// </summary>
public static class StatementLedger
{
    const string OfWallet = "account_id = @accountId AND (debit_ledger_id = @walletId OR credit_ledger_id = @walletId)";

    public static async Task<(long BalanceNowFen, List<WalletPosting> Since)> SinceAsync(DbConnection connection, long accountId, long walletId, long fromMs)
    {
        var rows = await connection.QueryAsync<(long Id, string? TransferKey, string Kind, long AtMs, long? MeterId, long DebitLedgerId, long AmountFen)>($"""
            SELECT id, transfer_key, kind, at_ms, meter_id, debit_ledger_id, amount_fen FROM postings WHERE {OfWallet} AND at_ms >= @fromMs
            UNION ALL
            SELECT 0, '', '', 0, NULL, 0, balance_fen FROM ledger_accounts WHERE id = @walletId
            """, new { accountId, walletId, fromMs });
        long balance = 0;
        var since = new List<WalletPosting>();
        foreach (var p in rows)
        {
            // Posting ids start at 1: id 0 is the wallet's balance row.
            if (p.Id == 0) balance = p.AmountFen;
            else since.Add(new WalletPosting(p.Id, Ledger.TransferKeys.Of(p.TransferKey, p.MeterId, p.AtMs), p.Kind, p.AtMs, p.MeterId, p.DebitLedgerId == walletId ? -p.AmountFen : p.AmountFen));
        }
        since.Sort((a, b) => a.AtMs != b.AtMs ? a.AtMs.CompareTo(b.AtMs) : a.Id.CompareTo(b.Id));
        return (balance, since);
    }

    public static Task<long> CountAsync(DbConnection connection, long accountId, long walletId, long fromMs, long toMs) =>
        connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM postings WHERE {OfWallet} AND at_ms >= @fromMs AND at_ms < @toMs",
            new { accountId, walletId, fromMs, toMs });
}
