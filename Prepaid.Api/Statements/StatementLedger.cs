using System.Data.Common;
using Dapper;

namespace Prepaid.Api.Statements;

/// <summary>A movement of the tenant's wallet, signed as the tenant sees it: + money in, − money out.</summary>
public sealed record WalletPosting(long Id, string TransferKey, string Kind, long AtMs, long? MeterId, long AmountFen);

/// <summary>
/// R36's money: the wallet's postings in [from, to) and its balance at an instant. A balance is the sum of the wallet's
/// postings before the instant (R22: the stored balance is that sum), so opening + Σ lines = closing holds by the
/// postings themselves, whatever order they were written in.
/// </summary>
public static class StatementLedger
{
    const string Signed = "CASE WHEN credit_ledger_id = @walletId THEN amount_fen ELSE -amount_fen END";
    const string OfWallet = "account_id = @accountId AND (debit_ledger_id = @walletId OR credit_ledger_id = @walletId)";

    public static Task<long> BalanceBeforeAsync(DbConnection connection, long accountId, long walletId, long atMs) =>
        connection.ExecuteScalarAsync<long>($"SELECT COALESCE(SUM({Signed}), 0) FROM postings WHERE {OfWallet} AND at_ms < @atMs",
            new { accountId, walletId, atMs });

    public static Task<long> CountAsync(DbConnection connection, long accountId, long walletId, long fromMs, long toMs) =>
        connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM postings WHERE {OfWallet} AND at_ms >= @fromMs AND at_ms < @toMs",
            new { accountId, walletId, fromMs, toMs });

    public static async Task<List<WalletPosting>> PostingsAsync(DbConnection connection, long accountId, long walletId, long fromMs, long toMs) =>
        (await connection.QueryAsync<(long Id, string TransferKey, string Kind, long AtMs, long? MeterId, long DebitLedgerId, long AmountFen)>($"""
            SELECT id, transfer_key, kind, at_ms, meter_id, debit_ledger_id, amount_fen
            FROM postings WHERE {OfWallet} AND at_ms >= @fromMs AND at_ms < @toMs
            ORDER BY at_ms, id
            """, new { accountId, walletId, fromMs, toMs }))
        .Select(p => new WalletPosting(p.Id, p.TransferKey, p.Kind, p.AtMs, p.MeterId, p.DebitLedgerId == walletId ? -p.AmountFen : p.AmountFen))
        .ToList();
}
