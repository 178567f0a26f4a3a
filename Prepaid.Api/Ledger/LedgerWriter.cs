using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;

namespace Prepaid.Api.Ledger;

/// <summary>
/// One leg of a transfer: debit one ledger account, credit another (R21), under its idempotency key. A billed reading's
/// own debit is no posting row: the reading row is that line (<see cref="LedgerWriter.Move"/>, the view ledger_lines).
/// </summary>
public sealed record PostingRow(string TransferKey, int Leg, string Kind, long AtMs, long? AccountId, long? MeterId,
    long DebitLedgerId, long CreditLedgerId, long AmountFen, long DebitBalanceAfterFen, long CreditBalanceAfterFen);

/// <summary>
/// Posts transfers inside the caller's transaction. Balances are read once, kept in memory while a batch posts,
/// and written back with the postings in <see cref="FlushAsync"/>, so a batch of 10,000 readings touches each
/// ledger account once. Balances are credits − debits, so a wallet's balance is what the tenant holds and the
/// sum over all ledger accounts is always zero.
/// </summary>
/// <param name="balances">Balances already read (an earlier committed run's, as stored): kept and added to.</param>
public sealed class LedgerWriter(DbConnection connection, DbTransaction tx, SqlDialect dialect, Dictionary<long, long> balances)
{
    public LedgerWriter(DbConnection connection, DbTransaction tx, SqlDialect dialect) : this(connection, tx, dialect, new Dictionary<long, long>()) { }

    readonly HashSet<long> touched = new();
    readonly List<PostingRow> pending = new();

    public IReadOnlyList<PostingRow> Pending => pending;

    /// <param name="read">Balances the caller already read in this transaction (ingest reads wallets with their meters): taken as they are.</param>
    public async Task LoadAsync(IEnumerable<long> ledgerIds, IReadOnlyDictionary<long, long>? read = null)
    {
        foreach (var (id, balance) in read ?? new Dictionary<long, long>()) balances.TryAdd(id, balance);
        var missing = ledgerIds.Where(id => !balances.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0) return;
        var rows = await connection.QueryAsync<(long Id, long Balance)>(
            $"SELECT id, balance_fen FROM ledger_accounts WHERE id IN {dialect.IdsFromJson("@ids")}",
            new { ids = System.Text.Json.JsonSerializer.Serialize(missing) }, tx);
        foreach (var (id, balance) in rows) balances[id] = balance;
        foreach (var id in missing.Where(id => !balances.ContainsKey(id)))
            throw new InvalidOperationException($"Ledger account {id} does not exist.");
    }

    public long Balance(long ledgerId) => balances[ledgerId];

    /// <summary>Queues a leg; amounts must be positive (a zero movement is not a transfer).</summary>
    public PostingRow Post(string transferKey, int leg, string kind, long atMs, long? accountId, long? meterId, long debitLedgerId, long creditLedgerId, long amountFen)
    {
        ArgumentNullException.ThrowIfNull(transferKey);
        var (debitAfter, creditAfter) = Move(debitLedgerId, creditLedgerId, amountFen);
        var row = new PostingRow(transferKey, leg, kind, atMs, accountId, meterId, debitLedgerId, creditLedgerId, amountFen, debitAfter, creditAfter);
        pending.Add(row);
        return row;
    }

    /// <summary>
    /// Moves the balances of a line whose row the caller stores itself: a billed reading carries its debit (amount_fen,
    /// the view ledger_lines maps it to this debit and credit), so no posting row is queued. The balances are written
    /// with the batch's others in <see cref="FlushAsync"/>.
    /// </summary>
    public (long DebitBalanceAfterFen, long CreditBalanceAfterFen) Move(long debitLedgerId, long creditLedgerId, long amountFen)
    {
        if (amountFen <= 0) throw new ArgumentOutOfRangeException(nameof(amountFen), "A transfer moves a positive amount.");
        var debitAfter = balances[debitLedgerId] -= amountFen;
        var creditAfter = balances[creditLedgerId] += amountFen;
        touched.Add(debitLedgerId);
        touched.Add(creditLedgerId);
        return (debitAfter, creditAfter);
    }

    public async Task FlushAsync(CancellationToken ct, Readings.IngestPhases? phases = null)
    {
        var t = System.Diagnostics.Stopwatch.GetTimestamp();
        await BulkInsert.PostingsAsync(connection, tx, dialect, pending, ct);
        t = phases?.Add("write:postings", t) ?? t;
        await BatchedStatements.RunAsync(connection, tx, dialect, touched.ToList(), static (c, d) => { var (b, i) = BalanceUpdate(c, d); return [b, i]; },
            (ledgerId, p) => { p[0].Value = balances[ledgerId]; p[1].Value = ledgerId; }, ct);
        pending.Clear();
        touched.Clear();
        phases?.Add("write:balances", t);
    }

    public static (DbParameter Balance, DbParameter Id) BalanceUpdate(DbCommand command, SqlDialect dialect)
    {
        command.CommandText = "UPDATE ledger_accounts SET balance_fen = @balance WHERE id = @id";
        return (dialect.Parameter(command, "@balance", ParameterType.BigInt), dialect.Parameter(command, "@id", ParameterType.BigInt));
    }
}
