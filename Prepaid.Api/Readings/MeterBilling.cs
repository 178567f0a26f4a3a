using System.Data.Common;
using Prepaid.Api.Accounts;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Meters;
using Prepaid.Engine;

namespace Prepaid.Api.Readings;

/// <summary>
/// A meter's billing state while a batch runs: its spec, its open account and tariff, its last billed reading,
/// the R4 exact cost and what was debited, and the reading that holds it (R8). Loaded once per batch, saved once.
/// </summary>
public sealed class MeterBilling
{
    public required long MeterId { get; init; }
    public required long SiteId { get; init; }
    public required MeterSpec Spec { get; init; }
    public long? AccountMeterId { get; init; }
    public long? AccountId { get; init; }
    public long? TariffId { get; init; }

    /// <summary>R34: a heat cost allocator counts units, not energy; its readings are recorded and never priced.</summary>
    public bool IsAllocator { get; init; }
    public long LastAtMs { get; set; }
    public Registers? Last { get; set; }
    public MeterCharge Charge { get; set; }
    public long? HeldReadingId { get; set; }
    public long SeenAtMs { get; set; }
    public bool Dirty { get; set; }

    /// <summary>R30: set while estimates stand after the last real reading; the next real reading is judged and priced from it.</summary>
    public EstimateAnchor? Anchor { get; set; }

    /// <summary>Power above which the meter is overloaded, in W; null when no limit is set.</summary>
    public long? OverloadLimitW { get; init; }

    /// <summary>Every column the meter's row holds, as loaded or last saved: saving skips a meter whose state came back to it.</summary>
    (MeterCharge Charge, long LastAtMs, Registers? Last, long? Held, long Seen, EstimateAnchor? Anchor) stored;

    (MeterCharge, long, Registers?, long?, long, EstimateAnchor?) State => (Charge, LastAtMs, Last, HeldReadingId, SeenAtMs, Anchor);

    /// <summary>What one query reads for a batch: its meters, the accounts open on them, and those accounts' wallet balances.</summary>
    public sealed record Batch(Dictionary<long, MeterBilling> Meters, Dictionary<long, AccountRuntime> Accounts, Dictionary<long, long> WalletBalances);

    /// <summary>
    /// Read by hand rather than through Dapper: this runs for every meter of every batch, and typed getters avoid boxing.
    /// The open account and its wallet's balance come in the same row: one query and one pass instead of three, under
    /// the caller's write transaction, so they are as current as the meter's state.
    /// </summary>
    public static async Task<Batch> LoadAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, IEnumerable<long> meterIds)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"""
            SELECT m.id, m.site_id, m.utility, m.multiplier, m.register_max, m.rated_max_per_hour, m.resolution,
                   am.id AS account_meter_id, am.account_id, am.tariff_id, am.exact_cost, am.debited_fen, am.last_at_ms,
                   am.last_total_milli, am.last_sharp_milli, am.last_peak_milli, am.last_flat_milli, am.last_valley_milli,
                   am.held_reading_id, am.seen_at_ms, m.overload_limit_w,
                   am.real_at_ms, am.real_total_milli, am.real_sharp_milli, am.real_peak_milli, am.real_flat_milli, am.real_valley_milli, am.real_exact_cost, m.kind,
                   {AccountRuntime.Columns("a")}, w.balance_fen
            FROM meters m LEFT JOIN account_meters am ON am.meter_id = m.id AND am.closed_at_ms IS NULL AND m.kind <> 'allocator'
                LEFT JOIN accounts a ON a.id = am.account_id
                LEFT JOIN ledger_accounts w ON w.id = a.wallet_ledger_id
            WHERE m.id IN {dialect.IdsFromJson("@ids")}
            """;
        var ids = System.Text.Json.JsonSerializer.Serialize(meterIds.Distinct());
        var batch = new Batch(new Dictionary<long, MeterBilling>(), new Dictionary<long, AccountRuntime>(), new Dictionary<long, long>());
        var specs = new Dictionary<(string, string, string, string, string), MeterSpec>();
        await SqliteRows.ForEachAsync(command, dialect, ids, row => Add(row, batch, specs), row => Add(row, batch, specs));
        return batch;
    }

    static void Add<TRow>(TRow r, Batch batch, Dictionary<(string, string, string, string, string), MeterSpec> specs) where TRow : IRow
    {
        // Many meters share a model: parse each distinct spec once.
        var specKey = (r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6));
        if (!specs.TryGetValue(specKey, out var spec))
        {
            ApiFormat.TryUtility(specKey.Item1, out var utility);
            specs[specKey] = spec = new MeterSpec(utility, ApiFormat.ParseDecimal(specKey.Item2), ApiFormat.ParseDecimal(specKey.Item3),
                ApiFormat.ParseDecimal(specKey.Item4), ApiFormat.ParseDecimal(specKey.Item5));
        }
        var open = !r.IsNull(7);
        var held = open ? r.Int64OrNull(18) : null;
        var anchored = open && !r.IsNull(21);
        var meter = new MeterBilling
        {
            MeterId = r.Int64(0), SiteId = r.Int64(1), Spec = spec,
            AccountMeterId = open ? r.Int64(7) : null, AccountId = open ? r.Int64(8) : null, TariffId = open ? r.Int64(9) : null,
            Charge = open ? new MeterCharge(ApiFormat.ParseDecimal(r.Text(10)), new Money(r.Int64(11))) : MeterCharge.Opening,
            LastAtMs = open ? r.Int64(12) : 0,
            Last = open ? RegisterJson.FromMilli(r.Int64(13), r.Int64OrNull(14), r.Int64OrNull(15), r.Int64OrNull(16), r.Int64OrNull(17)) : null,
            HeldReadingId = held,
            SeenAtMs = open ? r.Int64(19) : long.MinValue,
            OverloadLimitW = r.Int64OrNull(20),
            Anchor = anchored
                ? new EstimateAnchor(r.Int64(21), RegisterJson.FromMilli(r.Int64(22), r.Int64OrNull(23), r.Int64OrNull(24), r.Int64OrNull(25), r.Int64OrNull(26)),
                    ApiFormat.ParseDecimal(r.Text(27)))
                : null,
            IsAllocator = r.Text(28) == MeterKinds.Allocator,
        };
        meter.stored = meter.State;
        batch.Meters[meter.MeterId] = meter;
        // Meters of one account repeat its columns: read them once.
        if (open && !batch.Accounts.ContainsKey(meter.AccountId!.Value))
        {
            var account = batch.Accounts[meter.AccountId.Value] = AccountRuntime.Read(r, AccountColumn);
            batch.WalletBalances[account.WalletLedgerId] = r.Int64(AccountColumn + AccountRuntime.ColumnCount);
        }
    }

    const int AccountColumn = 29;

    /// <summary>The statement that saves a meter's billing state, its parameters in the order SaveAsync fills them.</summary>
    public static DbParameter[] Update(DbCommand command, SqlDialect dialect)
    {
        command.CommandText = """
            UPDATE account_meters SET exact_cost = @exactCost, debited_fen = @debitedFen, last_at_ms = @lastAtMs,
                last_total_milli = @total, last_sharp_milli = @sharp, last_peak_milli = @peak, last_flat_milli = @flat, last_valley_milli = @valley,
                held_reading_id = @held, seen_at_ms = @seen,
                real_at_ms = @realAtMs, real_total_milli = @realTotal, real_sharp_milli = @realSharp, real_peak_milli = @realPeak,
                real_flat_milli = @realFlat, real_valley_milli = @realValley, real_exact_cost = @realExactCost
            WHERE id = @id
            """;
        return [dialect.Parameter(command, "@exactCost", ParameterType.Text),
            .. new[] { "@debitedFen", "@lastAtMs", "@total", "@sharp", "@peak", "@flat", "@valley", "@held", "@seen", "@id",
                    "@realAtMs", "@realTotal", "@realSharp", "@realPeak", "@realFlat", "@realValley" }
                .Select(n => dialect.Parameter(command, n, ParameterType.BigInt)),
            dialect.Parameter(command, "@realExactCost", ParameterType.Text)];
    }

    /// <summary>
    /// The statement that saves the state of a meter that neither had nor has a held reading or an estimate anchor (the
    /// common case, a billed reading): nine columns instead of eighteen; parameters in the order SaveAsync fills them.
    /// </summary>
    public static DbParameter[] UpdateBilled(DbCommand command, SqlDialect dialect)
    {
        command.CommandText = """
            UPDATE account_meters SET exact_cost = @exactCost, debited_fen = @debitedFen, last_at_ms = @lastAtMs,
                last_total_milli = @total, last_sharp_milli = @sharp, last_peak_milli = @peak, last_flat_milli = @flat, last_valley_milli = @valley,
                seen_at_ms = @seen
            WHERE id = @id
            """;
        return [dialect.Parameter(command, "@exactCost", ParameterType.Text),
            .. new[] { "@debitedFen", "@lastAtMs", "@total", "@sharp", "@peak", "@flat", "@valley", "@seen", "@id" }
                .Select(n => dialect.Parameter(command, n, ParameterType.BigInt))];
    }

    /// <param name="touched">The meters the run marked dirty, each once: the only ones that may differ from their rows.</param>
    public static async Task SaveAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, IReadOnlyList<MeterBilling> touched, CancellationToken ct)
    {
        // A meter whose readings were all late or rejected, say, is dirty and yet holds what its row holds. One whose row
        // holds no held reading nor estimate anchor, and whose state has none (a billed reading), saves nine columns.
        var plain = new List<MeterBilling>(touched.Count);
        var full = new List<MeterBilling>();
        foreach (var m in touched)
        {
            if (m.AccountMeterId is null || m.State == m.stored) continue;
            (m.stored.Held is null && m.stored.Anchor is null && m.HeldReadingId is null && m.Anchor is null ? plain : full).Add(m);
        }
        await BatchedStatements.RunAsync(connection, tx, dialect, plain, UpdateBilled, static (m, p) =>
        {
            FillLast(m, p);
            p[8].Value = m.SeenAtMs;
            p[9].Value = m.AccountMeterId!.Value;
        }, ct);
        await BatchedStatements.RunAsync(connection, tx, dialect, full, Update, static (m, p) =>
        {
            FillLast(m, p);
            var anchor = m.Anchor;
            p[8].Value = (object?)m.HeldReadingId ?? DBNull.Value;
            p[9].Value = m.SeenAtMs;
            p[10].Value = m.AccountMeterId!.Value;
            p[11].Value = (object?)anchor?.AtMs ?? DBNull.Value;
            p[12].Value = anchor is null ? DBNull.Value : ApiFormat.Milli(anchor.Registers.Total);
            p[13].Value = (object?)RegisterJson.Milli(anchor?.Registers.Sharp) ?? DBNull.Value;
            p[14].Value = (object?)RegisterJson.Milli(anchor?.Registers.Peak) ?? DBNull.Value;
            p[15].Value = (object?)RegisterJson.Milli(anchor?.Registers.Flat) ?? DBNull.Value;
            p[16].Value = (object?)RegisterJson.Milli(anchor?.Registers.Valley) ?? DBNull.Value;
            p[17].Value = anchor is null ? DBNull.Value : anchor.ExactCost.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }, ct);
        foreach (var m in touched)
        {
            m.stored = m.State;
            m.Dirty = false;
        }
    }

    /// <summary>The first eight parameters of both statements: the charge (R4) and the last reading.</summary>
    static void FillLast(MeterBilling m, DbParameter[] p)
    {
        var last = m.Last!;
        p[0].Value = m.Charge.ExactCost.ToString(System.Globalization.CultureInfo.InvariantCulture);
        p[1].Value = m.Charge.Debited.Fen;
        p[2].Value = m.LastAtMs;
        p[3].Value = ApiFormat.Milli(last.Total);
        p[4].Value = (object?)RegisterJson.Milli(last.Sharp) ?? DBNull.Value;
        p[5].Value = (object?)RegisterJson.Milli(last.Peak) ?? DBNull.Value;
        p[6].Value = (object?)RegisterJson.Milli(last.Flat) ?? DBNull.Value;
        p[7].Value = (object?)RegisterJson.Milli(last.Valley) ?? DBNull.Value;
    }
}

/// <summary>R30: the last real reading before the estimates that stand, and the exact cumulative cost (R4) at it.</summary>
public sealed record EstimateAnchor(long AtMs, Registers Registers, decimal ExactCost);
