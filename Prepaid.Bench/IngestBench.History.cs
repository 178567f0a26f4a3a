using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Engine;

namespace Prepaid.Bench;

/// <summary>
/// History for the ingest benchmark: rounds of billed readings written by bulk INSERTs, priced as the bench tariff
/// prices them (a quarter hour never crosses a segment, so a delta is priced at the price of the period it began in);
/// each reading carries its debit and is its own ledger line (ledger_lines), as the ingest path stores it, with every
/// meter's billing state and every wallet's balance left as those lines make them, so the ledger check (R22) holds and
/// the timed readings carry on where the history stops.
/// </summary>
public static partial class IngestBench
{
    static readonly Dictionary<Period, decimal> Prices = new()
    {
        [Period.Sharp] = 1.1012m, [Period.Peak] = 0.9863m, [Period.Flat] = 0.6853m, [Period.Valley] = 0.3211m,
    };

    static readonly Column[] ReadingColumns =
    [
        Column.BigInt("meter_id"), Column.BigInt("at_ms"), Column.BigInt("total_milli"), Column.BigInt("sharp_milli"), Column.BigInt("peak_milli"),
        Column.BigInt("flat_milli"), Column.BigInt("valley_milli"), Column.Text("status"), Column.BigInt("amount_fen"), Column.BigInt("quantity_milli"),
        Column.BigInt("account_meter_id"), Column.BigInt("received_at_ms"),
    ];

    sealed record HistoryReading(long MeterId, long AtMs, Registers Registers, long AmountFen, long QuantityMilli, long AccountMeterId);

    sealed class MeterState
    {
        public long AccountMeterId, AccountId, WalletLedgerId;
        public MeterCharge Charge = MeterCharge.Opening;
        public decimal LastTotal;
        public Registers? Last;
        public long LastAtMs;
    }

    /// <summary>Fills <paramref name="rounds"/> rounds of history (one reading per meter each) into the bench database.</summary>
    static async Task FillHistoryAsync(Db db, LoadProfile load, int rounds)
    {
        await using var connection = await db.OpenAsync();
        var meters = (await connection.QueryAsync<(long MeterId, long AccountMeterId, long AccountId, long WalletLedgerId)>("""
            SELECT am.meter_id, am.id, am.account_id, a.wallet_ledger_id
            FROM account_meters am JOIN accounts a ON a.id = am.account_id WHERE am.closed_at_ms IS NULL
            """)).ToDictionary(m => m.MeterId, m => new MeterState { AccountMeterId = m.AccountMeterId, AccountId = m.AccountId, WalletLedgerId = m.WalletLedgerId });
        var balances = (await connection.QueryAsync<(long Id, long Balance)>("SELECT id, balance_fen FROM ledger_accounts")).ToDictionary(l => l.Id, l => l.Balance);
        var revenue = await connection.ExecuteScalarAsync<long>(
            "SELECT id FROM ledger_accounts WHERE kind = @kind AND account_id IS NULL", new { kind = SiteLedger.Revenue(Utility.Electricity) });

        // Commits every 20 rounds keep the WAL small; the states are written with the last of them.
        for (var done = 0; done < rounds;)
        {
            var chunk = Math.Min(20, rounds - done);
            await using var tx = db.Dialect.BeginWrite(connection);
            var readings = new List<HistoryReading>();
            for (var k = 0; k < chunk; k++)
            {
                var batch = load.Next();
                var atMs = batch[0].At.ToUnixTimeMilliseconds();
                var price = Prices[PeriodAt(batch[0].At.AddMinutes(-MinutesPerRound))];
                foreach (var r in batch)
                {
                    var m = meters[r.MeterId];
                    var quantity = r.Registers.Total - m.LastTotal;
                    var (charge, debit) = m.Charge.Add(quantity * price);
                    m.Charge = charge;
                    m.LastTotal = r.Registers.Total;
                    m.Last = r.Registers;
                    m.LastAtMs = atMs;
                    readings.Add(new HistoryReading(r.MeterId, atMs, r.Registers, debit.Fen, (long)(quantity * 1000m), m.AccountMeterId));
                    balances[m.WalletLedgerId] -= debit.Fen;
                    balances[revenue] += debit.Fen;
                }
            }
            await InsertReadingsAsync(connection, tx, db.Dialect, readings);
            done += chunk;
            if (done == rounds) await SaveStatesAsync(connection, tx, meters.Values, balances);
            await tx.CommitAsync();
        }
    }

    static Task InsertReadingsAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, IReadOnlyList<HistoryReading> rows) =>
        BulkInsert.RowsAsync(connection, tx, dialect, "readings", ReadingColumns, rows, static (r, v) =>
        {
            v[0] = r.MeterId; v[1] = r.AtMs; v[2] = Milli(r.Registers.Total); v[3] = Milli(r.Registers.Sharp); v[4] = Milli(r.Registers.Peak);
            v[5] = Milli(r.Registers.Flat); v[6] = Milli(r.Registers.Valley); v[7] = "billed"; v[8] = r.AmountFen; v[9] = r.QuantityMilli;
            v[10] = r.AccountMeterId; v[11] = r.AtMs;
        }, CancellationToken.None);

    static long? Milli(decimal? value) => value is { } v ? (long)(v * 1000m) : null;

    static async Task SaveStatesAsync(DbConnection connection, DbTransaction tx, IEnumerable<MeterState> meters, Dictionary<long, long> balances)
    {
        foreach (var m in meters)
            await connection.ExecuteAsync("""
                UPDATE account_meters SET exact_cost = @exact, debited_fen = @debited, last_at_ms = @at, last_total_milli = @total,
                    last_sharp_milli = @sharp, last_peak_milli = @peak, last_flat_milli = @flat, last_valley_milli = @valley, seen_at_ms = @at
                WHERE id = @id
                """, new
            {
                exact = m.Charge.ExactCost.ToString(CultureInfo.InvariantCulture), debited = m.Charge.Debited.Fen, at = m.LastAtMs,
                total = Milli(m.Last!.Total), sharp = Milli(m.Last.Sharp), peak = Milli(m.Last.Peak), flat = Milli(m.Last.Flat), valley = Milli(m.Last.Valley),
                id = m.AccountMeterId,
            }, tx);
        foreach (var (id, balance) in balances)
            await connection.ExecuteAsync("UPDATE ledger_accounts SET balance_fen = @balance WHERE id = @id", new { balance, id }, tx);
    }

    /// <summary>The baseline's table of the same size: the same history reading rows, without prices.</summary>
    static async Task FillBaselineHistoryAsync(Db db, DbConnection connection, LoadProfile load, int rounds)
    {
        for (var done = 0; done < rounds; done += 20)
        {
            await using var tx = db.Dialect.BeginWrite(connection);
            var rows = new List<HistoryReading>();
            for (var k = 0; k < Math.Min(20, rounds - done); k++)
                foreach (var r in load.Next())
                    rows.Add(new HistoryReading(r.MeterId, r.At.ToUnixTimeMilliseconds(), r.Registers, 1, 0, r.MeterId));
            await InsertReadingsAsync(connection, tx, db.Dialect, rows);
            await tx.CommitAsync();
        }
    }

    /// <summary>Bytes the database's pages in use take (this SQLite build has no dbstat, so tables are not told apart).</summary>
    static async Task<long> StoredBytesAsync(Db db)
    {
        await using var connection = await db.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(
            "SELECT (SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count)") *
            await connection.ExecuteScalarAsync<long>("SELECT page_size FROM pragma_page_size");
    }
}
