using System.Data.Common;
using Dapper;

namespace Prepaid.Api.Statements;

/// <summary>A movement of the tenant's wallet, signed as the tenant sees it: + money in, − money out.</summary>
public sealed record WalletPosting(long Id, string TransferKey, string Kind, long AtMs, long? MeterId, long AmountFen);

/// <summary>
/// R36's money: the wallet's balance now and its lines (ledger_lines: postings and billed readings) from the period's start
/// on, read in one statement so that they agree. The balance at any instant since is the balance now less what was posted
/// from that instant on (R22: the stored balance is the sum of the lines), so a statement reads the recent lines only,
/// whatever the account's history. A reading's own line has id −readings.id.
/// </summary>
public static class StatementLedger
{
    const string OfWallet = "account_id = @accountId AND (debit_ledger_id = @walletId OR credit_ledger_id = @walletId)";

    public static async Task<(long BalanceNowFen, List<WalletPosting> Since)> SinceAsync(DbConnection connection, long accountId, long walletId, long fromMs)
    {
        var rows = await connection.QueryAsync<(long Id, string? TransferKey, string Kind, long AtMs, long? MeterId, long DebitLedgerId, long AmountFen)>($"""
            SELECT id, transfer_key, kind, at_ms, meter_id, debit_ledger_id, amount_fen FROM ledger_lines WHERE {OfWallet} AND at_ms >= @fromMs
            UNION ALL
            SELECT 0, '', '', 0, NULL, 0, balance_fen FROM ledger_accounts WHERE id = @walletId
            """, new { accountId, walletId, fromMs });
        long balance = 0;
        var since = new List<WalletPosting>();
        foreach (var p in rows)
        {
            // Line ids are never 0 (postings from 1, readings' lines from −1): id 0 is the wallet's balance row.
            if (p.Id == 0) balance = p.AmountFen;
            else since.Add(new WalletPosting(p.Id, Ledger.TransferKeys.Of(p.TransferKey, p.MeterId, p.AtMs), p.Kind, p.AtMs, p.MeterId, p.DebitLedgerId == walletId ? -p.AmountFen : p.AmountFen));
        }
        since.Sort(InOrder);
        return (balance, since);
    }

    /// <summary>
    /// The lines' order: by instant, then a reading's own line before the postings of that instant (a batch's readings
    /// are billed before what follows them at the same instant, a move-out's charges and deposit), each by its row id.
    /// </summary>
    public static int InOrder(WalletPosting a, WalletPosting b) =>
        a.AtMs != b.AtMs ? a.AtMs.CompareTo(b.AtMs) : (a.Id > 0).CompareTo(b.Id > 0) is var kind and not 0 ? kind : Math.Abs(a.Id).CompareTo(Math.Abs(b.Id));

    /// <summary><see cref="InOrder"/> in SQL, newest first, over a query's <c>at_ms</c> and <c>id</c> of ledger_lines.</summary>
    public const string NewestFirst = "at_ms DESC, CASE WHEN id < 0 THEN 0 ELSE 1 END DESC, ABS(id) DESC";

    public static Task<long> CountAsync(DbConnection connection, long accountId, long walletId, long fromMs, long toMs) =>
        connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM ledger_lines WHERE {OfWallet} AND at_ms >= @fromMs AND at_ms < @toMs",
            new { accountId, walletId, fromMs, toMs });
}
