using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Accounts;
using Prepaid.Api.Alarms;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Ledger;
using Prepaid.Api.Outbox;
using Prepaid.Api.Tariffs;
using Prepaid.Engine;

namespace Prepaid.Api.Readings;

/// <summary>
/// One ingest transaction: loads the state of every meter, account, site and tariff the batch touches,
/// applies R6–R16 reading by reading in memory, and writes everything back in a few statements.
/// A reading that cannot be priced is held (R9b), never thrown: one bad reading does not cost the batch.
/// Nothing here commits: the caller owns the transaction, so a crash leaves no trace and a replay bills nothing twice.
/// </summary>
public sealed class IngestRun(DbConnection connection, DbTransaction tx, SqlDialect dialect, DateTimeOffset now)
{
    readonly long receivedAtMs = now.ToUnixTimeMilliseconds();
    readonly LedgerWriter ledger = new(connection, tx, dialect);
    readonly OutboxWriter outbox = new();
    readonly List<ReadingRow> readings = new();
    readonly Dictionary<(long MeterId, long AtMs), Registers> storedThisRun = new();
    readonly Dictionary<(long AccountId, Utility Utility), Dictionary<string, decimal>> tierUsage = new();
    readonly HashSet<(long AccountId, Utility Utility, string Key)> tierDirty = new();
    Dictionary<long, MeterBilling> meters = new();
    Dictionary<long, AccountRuntime> accounts = new();
    readonly Dictionary<long, SiteRuntime> sites = new();
    readonly Dictionary<long, Tariff> tariffs = new();
    readonly Dictionary<long, DateTimeOffset?> tariffStarts = new();
    Dictionary<long, List<long>> accountMeters = new();
    // R13 counts an account's usage only where it matters: accounts with a meter on a tariff that has a tiered version.
    HashSet<long> tieredAccounts = new();

    public IReadOnlyList<OutboxRow> Events => outbox.Rows;
    public IEnumerable<AccountRuntime> Accounts => accounts.Values;

    sealed record ReadingRow(long MeterId, long AtMs, Registers Registers, string Status, string? Reason, long? AmountFen, long? AccountMeterId,
        long? QuantityMilli = null, string Source = ReadingSources.Meter, long? EnteredBy = null, long? PowerW = null);

    public static readonly Column[] ReadingColumns =
    [
        Column.BigInt("meter_id"), Column.BigInt("at_ms"), Column.BigInt("total_milli"), Column.BigInt("sharp_milli"), Column.BigInt("peak_milli"),
        Column.BigInt("flat_milli"), Column.BigInt("valley_milli"), Column.Text("status"), Column.LongText("reason"), Column.BigInt("amount_fen"),
        Column.BigInt("account_meter_id"), Column.BigInt("received_at_ms"), Column.BigInt("quantity_milli"), Column.Text("source"),
        Column.BigInt("entered_by"), Column.BigInt("entered_at_ms"), Column.BigInt("power_w"),
    ];

    /// <summary>Overload alarms raised or cleared by the powers this run saw, for the caller to publish after its commit.</summary>
    public IReadOnlyList<Devices.DeviceAlarmChange> AlarmChanges => alarmChanges;
    readonly List<Devices.DeviceAlarmChange> alarmChanges = new();
    readonly Dictionary<long, (long AtMs, long PowerW, long LimitW)> powers = new();

    public static readonly Column[] TierUsageColumns = [Column.BigInt("account_id"), Column.Text("utility"), Column.Text("period_key"), Column.Text("quantity")];

    /// <summary>A delta priced but not yet applied: what it costs, the meter's charge after it, the debit due (R4).</summary>
    sealed record PricedReading(PricedDelta Delta, MeterCharge Charge, Money Debit, long QuantityMilli);

    public async Task LoadAsync(IEnumerable<long> meterIds)
    {
        meters = await MeterBilling.LoadAsync(connection, tx, dialect, meterIds);
        var accountIds = meters.Values.Where(m => m.AccountId is not null).Select(m => m.AccountId!.Value).Distinct().ToList();
        accounts = await AccountRuntime.LoadAsync(connection, tx, dialect, accountIds);
        // Every open meter of the batch's accounts: switch requests go to all of them, and any one on a tiered tariff makes R13 count.
        var tieredTariffs = (await connection.QueryAsync<long>(
            "SELECT id FROM tariffs WHERE versions_json LIKE '%\"kind\":\"tiered\"%'", transaction: tx)).ToHashSet();
        accountMeters = new Dictionary<long, List<long>>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = tx;
            command.CommandText = $"SELECT account_id, meter_id, tariff_id FROM account_meters WHERE closed_at_ms IS NULL AND account_id IN {dialect.IdsFromJson("@ids")} ORDER BY meter_id";
            dialect.Parameter(command, "@ids", ParameterType.LongText).Value = System.Text.Json.JsonSerializer.Serialize(accountIds);
            await using var r = await command.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                var accountId = r.GetInt64(0);
                if (!accountMeters.TryGetValue(accountId, out var list)) accountMeters[accountId] = list = new List<long>();
                list.Add(r.GetInt64(1));
                if (tieredTariffs.Contains(r.GetInt64(2))) tieredAccounts.Add(accountId);
            }
        }
        foreach (var siteId in meters.Values.Select(m => m.SiteId).Distinct())
            sites[siteId] = (await SiteRuntime.LoadAsync(connection, tx, siteId))!;
        var tariffIds = meters.Values.Where(m => m.TariffId is not null).Select(m => m.TariffId!.Value).Distinct().ToList();
        if (tariffIds.Count > 0)
        {
            var rows = await connection.QueryAsync<(long Id, string Utility, string VersionsJson)>(
                $"SELECT id, utility, versions_json FROM tariffs WHERE id IN {dialect.IdsFromJson("@ids")}",
                new { ids = System.Text.Json.JsonSerializer.Serialize(tariffIds) }, tx);
            foreach (var t in rows)
            {
                ApiFormat.TryUtility(t.Utility, out var u);
                tariffs[t.Id] = TariffMapping.ToEngine(u, TariffMapping.Deserialize(t.VersionsJson));
                tariffStarts[t.Id] = TariffStart.Of(tariffs[t.Id]);
            }
        }
        if (tieredAccounts.Count > 0) await LoadTierUsageAsync(tieredAccounts);
        var ledgerIds = accounts.Values.Select(a => a.WalletLedgerId)
            .Concat(sites.Values.SelectMany(s => s.LedgerIds.Values));
        await ledger.LoadAsync(ledgerIds);
    }

    public bool Knows(long meterId) => meters.ContainsKey(meterId);

    public bool IsHeld(long meterId) => meters[meterId].HeldReadingId is not null;

    /// <summary>
    /// Applies one reading. Readings of one meter must come in timestamp order within a run; a batch comes in
    /// timestamp order across meters (R9a), since meters of one account share its tier usage (R13).
    /// </summary>
    public async Task<ReadingOutcome> ApplyAsync(ReadingInput r, CancellationToken ct)
    {
        var m = meters[r.MeterId];
        var estimate = r.Source == ReadingSources.Estimate;
        if (RegisterBounds.Problem(r.Registers, m.Spec.RegisterMax) is { } impossible) return estimate ? NotEstimated(impossible) : Reject(r, impossible);
        var atMs = r.At.ToUnixTimeMilliseconds();

        // R9: the same meter and timestamp as a stored reading is a duplicate or a conflict.
        if (storedThisRun.TryGetValue((r.MeterId, atMs), out var same))
            return estimate ? NotEstimated("A reading is already stored at that instant.") : SameOrConflict(r, same);
        if (m.AccountMeterId is null || atMs <= m.SeenAtMs)
        {
            var stored = await StoredAsync(r.MeterId, atMs);
            if (stored is not null) return estimate ? NotEstimated("A reading is already stored at that instant.") : SameOrConflict(r, stored);
        }
        if (estimate) return ApplyEstimate(r, m, atMs);
        WatchPower(r, m, atMs);

        if (m.IsAllocator)
            return Store(r, m, "baseline", "A heat cost allocator counts units, not energy: the reading is recorded, never priced (R34).");
        if (m.AccountMeterId is null)
            return Store(r, m, "baseline", "The meter has no open account; the reading is recorded, not billed.");

        m.Dirty = true;
        m.SeenAtMs = Math.Max(m.SeenAtMs, atMs);
        if (m.HeldReadingId is not null && atMs > m.LastAtMs)
        {
            Store(r, m, "queued", "Queued behind a suspect reading awaiting an operator's decision (R8).");
            return new ReadingOutcome("suspect", null, "Queued behind a suspect reading awaiting an operator's decision (R8).");
        }

        // R30: while estimates stand, a real reading is judged against the last real one, not against the estimates.
        var (judgedAt, judged) = m.Anchor is { } anchor ? (anchor.AtMs, anchor.Registers) : (m.LastAtMs, m.Last!);
        var verdict = ReadingCheck.Evaluate(m.Spec, DateTimeOffset.FromUnixTimeMilliseconds(judgedAt), judged, r.At, r.Registers);
        switch (verdict.Kind)
        {
            case VerdictKind.Duplicate:
            case VerdictKind.Conflict:
                return SameOrConflict(r, judged);
            case VerdictKind.Late:
                return Store(r, m, "late", verdict.Reason ?? "Older than the last billed reading; stored, not billed (R9).");
            case VerdictKind.Rejected:
                return Store(r, m, "rejected", verdict.Reason);
            case VerdictKind.Suspect:
                return await HoldAsync(r, m, verdict.Reason, ct);
            case VerdictKind.Baseline:
                m.LastAtMs = atMs;
                m.Last = r.Registers;
                return Store(r, m, "baseline", null);
            default:
                if (m.Anchor is not null)
                {
                    var estimates = await StandingEstimatesAsync(m);
                    if (Supersede(m, r.At, r.Registers, verdict, estimates, out var unpricedReal) is not { } superseding)
                        return await HoldAsync(r, m, unpricedReal, ct);
                    await MarkSupersededAsync(m, estimates, r.At, ct);
                    return Store(r, m, "billed", superseding.Reason, superseding.Debit.Fen, superseding.QuantityMilli);
                }
                if (Price(m, r.At, verdict.Quantity, verdict.PeriodQuantities, out var unpriced) is not { } priced)
                    return await HoldAsync(r, m, unpriced, ct);
                var debit = Bill(m, r.At, r.Registers, priced);
                return Store(r, m, "billed", null, debit.Fen, priced.QuantityMilli);
        }
    }

    /// <summary>
    /// R30: an estimated reading bills like a reading, but only when it can: on a meter with an open account, nothing held,
    /// nothing stored at or after its instant, a delta R6–R8 accept and a price. Otherwise nothing is stored, and the
    /// outcome (status "none") says why. The first estimate after a real reading keeps that reading as the anchor.
    /// </summary>
    ReadingOutcome ApplyEstimate(ReadingInput r, MeterBilling m, long atMs)
    {
        if (m.AccountMeterId is null) return NotEstimated("The meter has no open account.");
        if (m.HeldReadingId is not null) return NotEstimated("A suspect reading holds the meter (R8): its data awaits an operator.");
        if (atMs <= m.SeenAtMs) return NotEstimated("The meter has a reading at or after that instant.");
        var verdict = ReadingCheck.Evaluate(m.Spec, DateTimeOffset.FromUnixTimeMilliseconds(m.LastAtMs), m.Last, r.At, r.Registers);
        if (verdict.Kind != VerdictKind.Billable) return NotEstimated($"The estimate would not bill: {verdict.Reason ?? verdict.Kind.ToString()}.");
        if (Price(m, r.At, verdict.Quantity, null, out var unpriced) is not { } priced) return NotEstimated(unpriced ?? "It has no price.");
        m.Dirty = true;
        m.SeenAtMs = atMs;
        m.Anchor ??= new EstimateAnchor(m.LastAtMs, m.Last!, m.Charge.ExactCost);
        var debit = Bill(m, r.At, r.Registers, priced);
        return Store(r, m, "billed", "Estimated (R30): the average daily consumption of the last 30 days with readings.", debit.Fen, priced.QuantityMilli);
    }

    static ReadingOutcome NotEstimated(string reason) => new("none", null, reason);

    /// <summary>An estimate standing in a meter's series: its instant, registers and the quantity it billed.</summary>
    sealed record StandingEstimate(long AtMs, Registers Registers, long QuantityMilli);

    /// <summary>The estimates billed since the anchor, stored or stored by this run, in time order.</summary>
    async Task<List<StandingEstimate>> StandingEstimatesAsync(MeterBilling m)
    {
        var anchor = m.Anchor!;
        var rows = await connection.QueryAsync<(long AtMs, long Total, long? Sharp, long? Peak, long? Flat, long? Valley, long? QuantityMilli)>("""
            SELECT at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli, quantity_milli FROM readings
            WHERE meter_id = @MeterId AND account_meter_id = @AccountMeterId AND source = 'estimate' AND status = 'billed' AND at_ms > @AtMs
            ORDER BY at_ms
            """, new { m.MeterId, m.AccountMeterId, anchor.AtMs }, tx);
        return rows.Select(e => new StandingEstimate(e.AtMs, RegisterJson.FromMilli(e.Total, e.Sharp, e.Peak, e.Flat, e.Valley), e.QuantityMilli ?? 0))
            .Concat(readings.Where(e => e.MeterId == m.MeterId && e.Source == ReadingSources.Estimate && e.Status == "billed" && e.AtMs > anchor.AtMs)
                .Select(e => new StandingEstimate(e.AtMs, e.Registers, e.QuantityMilli ?? 0)))
            .OrderBy(e => e.AtMs).ToList();
    }

    /// <summary>
    /// R30 and R4: a real reading after estimates. The meter's series is put back where real readings alone leave it —
    /// the anchor's registers and exact cumulative cost, the tier usage without the estimates' quantities (R13) — and the
    /// real delta is priced from there. The posting is round(that exact cost) − what was debited, estimates included:
    /// the difference, posted under reestimate:&lt;meter&gt;:&lt;timestamp&gt;, a credit when the estimates debited too much.
    /// Null, changing nothing, when the real delta has no price (R9b): the caller holds the reading.
    /// </summary>
    (Money Debit, long QuantityMilli, string Reason)? Supersede(MeterBilling m, DateTimeOffset at, Registers registers, ReadingVerdict verdict,
        IReadOnlyList<StandingEstimate> estimates, out string? unpriced)
    {
        var anchor = m.Anchor!;
        var accountId = m.AccountId!.Value;
        var usage = tieredAccounts.Contains(accountId) ? TierUsageOf(accountId, m.Spec.Utility) : null;
        var estimated = usage is null ? null : EstimatedUsage(m, anchor, estimates);
        var saved = (m.LastAtMs, m.Last, m.Charge);
        if (estimated is not null) AddUsage(usage!, estimated, -1);
        m.LastAtMs = anchor.AtMs;
        m.Last = anchor.Registers;
        m.Charge = new MeterCharge(anchor.ExactCost, m.Charge.Debited);
        if (Price(m, at, verdict.Quantity, verdict.PeriodQuantities, out unpriced) is not { } priced)
        {
            if (estimated is not null) AddUsage(usage!, estimated, +1);
            (m.LastAtMs, m.Last, m.Charge) = saved;
            return null;
        }
        if (estimated is not null)
            foreach (var period in estimated.Keys) tierDirty.Add((accountId, m.Spec.Utility, period));
        var atMs = at.ToUnixTimeMilliseconds();
        var transferKey = TransferKeys.Reestimate(m.MeterId, atMs);
        var debit = Bill(m, at, registers, priced, transferKey, "reestimate");
        m.Anchor = null;
        var reason = FormattableString.Invariant(
            $"Supersedes {estimates.Count} estimated reading(s) since the real one at {DateTimeOffset.FromUnixTimeMilliseconds(anchor.AtMs):O}: the real delta is priced from there and the difference to what the estimates debited is posted under {transferKey} (R30).");
        return (debit, priced.QuantityMilli - estimates.Sum(e => e.QuantityMilli), reason);
    }

    /// <summary>
    /// What the estimates added to each tier period's usage (R13): each estimated delta shared by time over its interval,
    /// exactly as pricing counted it, whatever the tariff (the shares depend on time and month starts only).
    /// </summary>
    Dictionary<string, decimal> EstimatedUsage(MeterBilling m, EstimateAnchor anchor, IReadOnlyList<StandingEstimate> estimates)
    {
        var byTime = new Tariff(m.Spec.Utility, [new FlatVersion(DateTimeOffset.MinValue, 0m)]);
        var added = new Dictionary<string, decimal>();
        var (previousAt, previous) = (DateTimeOffset.FromUnixTimeMilliseconds(anchor.AtMs), anchor.Registers);
        foreach (var e in estimates)
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(e.AtMs);
            if (ReadingCheck.Accept(m.Spec, previous, e.Registers) is { Kind: VerdictKind.Billable } delta)
                foreach (var (key, quantity) in Pricing.Price(new PricingRequest(byTime, sites[m.SiteId].Zone, previousAt, at, delta.Quantity, null,
                             TierUsage.Empty)).UsageAfter.UsedByPeriod)
                    added[key] = added.GetValueOrDefault(key) + quantity;
            (previousAt, previous) = (at, e.Registers);
        }
        return added;
    }

    static void AddUsage(Dictionary<string, decimal> usage, Dictionary<string, decimal> change, int sign)
    {
        foreach (var (key, quantity) in change) usage[key] = usage.GetValueOrDefault(key) + sign * quantity;
    }

    /// <summary>The superseded estimates stay, marked, for everything that shows readings; they bill nothing more.</summary>
    async Task MarkSupersededAsync(MeterBilling m, IReadOnlyList<StandingEstimate> estimates, DateTimeOffset by, CancellationToken ct)
    {
        if (estimates.Count == 0) return;
        var reason = FormattableString.Invariant($"Estimated (R30), superseded by the real reading at {by:O}.");
        var fromMs = estimates[0].AtMs;
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE readings SET status = 'superseded', reason = @reason
            WHERE meter_id = @MeterId AND account_meter_id = @AccountMeterId AND source = 'estimate' AND status = 'billed' AND at_ms >= @fromMs
            """, new { reason, m.MeterId, m.AccountMeterId, fromMs }, tx, cancellationToken: ct));
        for (var i = 0; i < readings.Count; i++)
            if (readings[i] is { Source: ReadingSources.Estimate, Status: "billed" } e && e.MeterId == m.MeterId && e.AtMs >= fromMs)
                readings[i] = e with { Status = "superseded", Reason = reason };
    }

    /// <summary>The latest power of each meter with an overload limit, checked once per run when the run is flushed.</summary>
    void WatchPower(ReadingInput r, MeterBilling m, long atMs)
    {
        if (r.PowerW is not { } power || m.OverloadLimitW is not { } limit) return;
        if (!powers.TryGetValue(m.MeterId, out var seen) || seen.AtMs < atMs) powers[m.MeterId] = (atMs, power, limit);
    }

    /// <summary>R8: stores the reading as suspect; it holds the meter, and later readings queue behind it.</summary>
    async Task<ReadingOutcome> HoldAsync(ReadingInput r, MeterBilling m, string? reason, CancellationToken ct)
    {
        var atMs = r.At.ToUnixTimeMilliseconds();
        m.HeldReadingId = await InsertOneAsync(new ReadingRow(r.MeterId, atMs, r.Registers, "suspect", reason, null, m.AccountMeterId,
            Source: r.Source, EnteredBy: r.EnteredBy, PowerW: r.PowerW), ct);
        storedThisRun[(r.MeterId, atMs)] = r.Registers;
        return new ReadingOutcome("suspect", null, reason);
    }

    /// <summary>
    /// An operator's decision on a held reading (R8). Accepting bills it as it stands, or makes it the baseline when it
    /// has no price (R12a); rejecting keeps it as rejected.
    /// Either way the readings queued behind it are taken again in order.
    /// </summary>
    public async Task<IReadOnlyList<ReadingOutcome>> ResolveHeldAsync(long meterId, bool accept, string? note, CancellationToken ct)
    {
        var m = meters[meterId];
        var held = await connection.QuerySingleAsync<(long Id, long AtMs, long Total, long? Sharp, long? Peak, long? Flat, long? Valley)>(
            "SELECT id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli FROM readings WHERE id = @id",
            new { id = m.HeldReadingId }, tx);
        m.HeldReadingId = null;
        m.Dirty = true;
        if (accept)
        {
            var registers = RegisterJson.FromMilli(held.Total, held.Sharp, held.Peak, held.Flat, held.Valley);
            var at = DateTimeOffset.FromUnixTimeMilliseconds(held.AtMs);
            var accepted = ReadingCheck.Accept(m.Spec, m.Anchor?.Registers ?? m.Last!, registers);
            var estimates = m.Anchor is null ? null : await StandingEstimatesAsync(m);
            if (estimates is not null && Supersede(m, at, registers, accepted, estimates, out _) is { } superseding)
            {
                await MarkSupersededAsync(m, estimates, at, ct);
                await connection.ExecuteAsync("UPDATE readings SET status = 'billed', amount_fen = @fen, quantity_milli = @quantityMilli, reason = @reason WHERE id = @id",
                    new { fen = superseding.Debit.Fen, quantityMilli = superseding.QuantityMilli,
                        reason = "Accepted by an operator" + (note is null ? "" : ": " + note) + ". " + superseding.Reason, id = held.Id }, tx);
            }
            else if (Price(m, at, accepted.Quantity, accepted.PeriodQuantities, out var unpriced) is { } priced)
            {
                var debit = Bill(m, at, registers, priced);
                await connection.ExecuteAsync("UPDATE readings SET status = 'billed', amount_fen = @fen, quantity_milli = @quantityMilli, reason = @reason WHERE id = @id",
                    new { fen = debit.Fen, quantityMilli = priced.QuantityMilli, reason = "Accepted by an operator" + (note is null ? "" : ": " + note), id = held.Id }, tx);
            }
            else
            {
                // R12a: consumption without a price is never billed, not even by a later version; accepting the
                // reading makes it the baseline the next delta is taken from (R6).
                m.LastAtMs = held.AtMs;
                m.Last = registers;
                m.Anchor = null; // the estimates' debits stand: there is no real delta to price them against
                await connection.ExecuteAsync("UPDATE readings SET status = 'baseline', reason = @reason WHERE id = @id",
                    new { reason = "Accepted by an operator as the baseline, not billed: " + unpriced + (note is null ? "" : " " + note), id = held.Id }, tx);
            }
        }
        else
        {
            await connection.ExecuteAsync("UPDATE readings SET status = 'rejected', reason = @reason WHERE id = @id",
                new { reason = "Rejected by an operator" + (note is null ? "" : ": " + note), id = held.Id }, tx);
        }

        var queued = (await connection.QueryAsync<(long Id, long AtMs, long Total, long? Sharp, long? Peak, long? Flat, long? Valley, string Source, long? EnteredBy, long? PowerW)>(
            "SELECT id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli, source, entered_by, power_w FROM readings WHERE meter_id = @meterId AND status = 'queued' ORDER BY at_ms",
            new { meterId }, tx)).ToList();
        // Queued readings are taken again as if they arrived now, in order; their rows are replaced by the outcome.
        await connection.ExecuteAsync("DELETE FROM readings WHERE meter_id = @meterId AND status = 'queued'", new { meterId }, tx);
        var outcomes = new List<ReadingOutcome>();
        foreach (var q in queued)
            outcomes.Add(await ApplyAsync(new ReadingInput(meterId, DateTimeOffset.FromUnixTimeMilliseconds(q.AtMs),
                RegisterJson.FromMilli(q.Total, q.Sharp, q.Peak, q.Flat, q.Valley), q.Source, q.EnteredBy, q.PowerW), ct));
        return outcomes;
    }

    /// <summary>
    /// R10–R14 and R4 for one billable delta, changing nothing: its exact cost, and the debit due, round(cumulative) −
    /// debited. Null, with the reason, when it has no price: it starts before the tariff's first version (R12a), spans
    /// longer than any meter goes unread, or its values are beyond exact arithmetic or the calendar (R9b).
    /// </summary>
    PricedReading? Price(MeterBilling m, DateTimeOffset at, decimal quantity, IReadOnlyDictionary<Period, decimal>? periods, out string? reason)
    {
        var from = DateTimeOffset.FromUnixTimeMilliseconds(m.LastAtMs);
        if (!TariffStart.Prices(tariffStarts[m.TariffId!.Value], from))
        {
            reason = FormattableString.Invariant($"No tariff version is effective at {from:O}: consumption before a tariff's first version has no price (R12a).");
            return null;
        }
        if (!ReadingSpan.IsPlausible(from, at))
        {
            reason = FormattableString.Invariant($"The reading is {(at - from).TotalDays:0} days after the last billed one at {from:O}, more than any meter goes unread (R9b).");
            return null;
        }
        var accountId = m.AccountId!.Value;
        var usage = tieredAccounts.Contains(accountId) ? TierUsageOf(accountId, m.Spec.Utility) : null;
        try
        {
            var delta = Pricing.Price(new PricingRequest(tariffs[m.TariffId.Value], sites[m.SiteId].Zone, from, at, quantity, periods,
                usage is null ? TierUsage.Empty : new TierUsage(usage)));
            var (charge, debit) = m.Charge.Add(delta.Cost);
            reason = null;
            return new PricedReading(delta, charge, debit, (long)decimal.Round(quantity * 1000m, 0, MidpointRounding.AwayFromZero));
        }
        catch (Exception e) when (e is ArithmeticException or ArgumentOutOfRangeException)
        {
            reason = $"The reading cannot be priced: {e.Message} (R9b).";
            return null;
        }
    }

    /// <summary>
    /// R13–R16 for a priced delta: count the tier usage, debit the wallet (under reading:&lt;meter&gt;:&lt;timestamp&gt; unless
    /// another key is given), derive state and switches. A negative debit (R30's correction) credits the wallet.
    /// </summary>
    Money Bill(MeterBilling m, DateTimeOffset at, Registers registers, PricedReading priced, string? transferKey = null, string kind = "consumption")
    {
        var account = accounts[m.AccountId!.Value];
        var site = sites[m.SiteId];
        var usage = tieredAccounts.Contains(account.Id) ? TierUsageOf(account.Id, m.Spec.Utility) : null;
        if (usage is not null)
            foreach (var (key, used) in priced.Delta.UsageAfter.UsedByPeriod)
                if (!usage.TryGetValue(key, out var before) || before != used)
                {
                    usage[key] = used;
                    tierDirty.Add((account.Id, m.Spec.Utility, key));
                }

        var debit = priced.Debit;
        m.Charge = priced.Charge;
        m.LastAtMs = at.ToUnixTimeMilliseconds();
        m.Last = registers; // R6: the next delta is taken from this reading
        if (debit.Fen != 0)
        {
            var before = new Money(ledger.Balance(account.WalletLedgerId));
            var revenue = site.LedgerIds[SiteLedger.Revenue(m.Spec.Utility)];
            var (from, to) = debit.Fen > 0 ? (account.WalletLedgerId, revenue) : (revenue, account.WalletLedgerId);
            ledger.Post(transferKey ?? $"reading:{m.MeterId}:{at.ToUnixTimeMilliseconds()}", 0, kind, at.ToUnixTimeMilliseconds(), account.Id, m.MeterId,
                from, to, Math.Abs(debit.Fen));
            var after = new Money(ledger.Balance(account.WalletLedgerId));
            account.AfterPosting(site, before, after, now, accountMeters.GetValueOrDefault(account.Id) ?? [m.MeterId], outbox);
        }
        return debit;
    }

    Dictionary<string, decimal> TierUsageOf(long accountId, Utility utility)
    {
        if (tierUsage.TryGetValue((accountId, utility), out var usage)) return usage;
        return tierUsage[(accountId, utility)] = new Dictionary<string, decimal>();
    }

    /// <summary>
    /// R13's running usage for every account of the batch, in one query. A delta is priced from its meter's last billed
    /// reading on, so only periods from the oldest of those on can change (from the year before, as the keys are local
    /// months and years, which may lag the UTC year by a day).
    /// </summary>
    async Task LoadTierUsageAsync(IReadOnlyCollection<long> accountIds)
    {
        var oldestMs = meters.Values.Where(m => m.AccountId is { } a && accountIds.Contains(a)).Select(m => m.LastAtMs).DefaultIfEmpty(receivedAtMs).Min();
        var minKey = Math.Max(1, DateTimeOffset.FromUnixTimeMilliseconds(oldestMs).Year - 1).ToString("D4", CultureInfo.InvariantCulture);
        var rows = await connection.QueryAsync<(long AccountId, string Utility, string Key, string Quantity)>(
            $"SELECT account_id, utility, period_key, quantity FROM tier_usage WHERE period_key >= @minKey AND account_id IN {dialect.IdsFromJson("@ids")}",
            new { minKey, ids = System.Text.Json.JsonSerializer.Serialize(accountIds) }, tx);
        foreach (var r in rows)
        {
            ApiFormat.TryUtility(r.Utility, out var u);
            TierUsageOf(r.AccountId, u)[r.Key] = ApiFormat.ParseDecimal(r.Quantity);
            tierStored.Add((r.AccountId, u, r.Key));
        }
    }

    readonly HashSet<(long AccountId, Utility Utility, string Key)> tierStored = new();

    ReadingOutcome Store(ReadingInput r, MeterBilling m, string status, string? reason, long? amountFen = null, long? quantityMilli = null)
    {
        var atMs = r.At.ToUnixTimeMilliseconds();
        readings.Add(new ReadingRow(r.MeterId, atMs, r.Registers, status, reason, amountFen, m.AccountMeterId, quantityMilli, r.Source, r.EnteredBy, r.PowerW));
        storedThisRun[(r.MeterId, atMs)] = r.Registers;
        return new ReadingOutcome(status, amountFen, reason);
    }

    ReadingOutcome SameOrConflict(ReadingInput r, Registers stored) => stored == r.Registers
        ? new ReadingOutcome("duplicate", null, null)
        : Reject(r, "A different reading is already stored for this meter and timestamp (R9).");

    /// <summary>A reading that is not stored as a reading: kept with its reason among the rejects, for operators to see.</summary>
    ReadingOutcome Reject(ReadingInput r, string reason)
    {
        rejects.Add((r.MeterId, System.Text.Json.JsonSerializer.Serialize(new
        {
            meterId = r.MeterId, at = ApiFormat.Instant(r.At),
            registers = RegisterJson.Of(r.Registers), source = r.Source, enteredBy = r.EnteredBy,
        }), reason));
        return new ReadingOutcome("rejected", null, reason);
    }

    readonly List<(long MeterId, string Payload, string Reason)> rejects = new();

    async Task<Registers?> StoredAsync(long meterId, long atMs)
    {
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, long Total, long? Sharp, long? Peak, long? Flat, long? Valley)>(
            "SELECT id, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli FROM readings WHERE meter_id = @meterId AND at_ms = @atMs",
            new { meterId, atMs }, tx);
        return row.Id == 0 ? null : RegisterJson.FromMilli(row.Total, row.Sharp, row.Peak, row.Flat, row.Valley);
    }

    Task<long> InsertOneAsync(ReadingRow row, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(dialect.InsertReturningId("readings",
            "meter_id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli, status, reason, amount_fen, account_meter_id, received_at_ms, source, entered_by, entered_at_ms, power_w",
            "@MeterId, @AtMs, @total, @sharp, @peak, @flat, @valley, @Status, @Reason, @AmountFen, @AccountMeterId, @receivedAtMs, @Source, @EnteredBy, @enteredAtMs, @PowerW"),
            new
            {
                row.MeterId, row.AtMs, total = ApiFormat.Milli(row.Registers.Total), sharp = RegisterJson.Milli(row.Registers.Sharp),
                peak = RegisterJson.Milli(row.Registers.Peak), flat = RegisterJson.Milli(row.Registers.Flat), valley = RegisterJson.Milli(row.Registers.Valley),
                row.Status, row.Reason, row.AmountFen, row.AccountMeterId, receivedAtMs, row.Source, row.EnteredBy,
                enteredAtMs = ReadingSources.ByPerson(row.Source) ? receivedAtMs : (long?)null, row.PowerW,
            }, tx, cancellationToken: ct));

    async Task FlushTierUsageAsync(CancellationToken ct)
    {
        if (tierDirty.Count == 0) return;
        await using var update = connection.CreateCommand();
        update.Transaction = tx;
        var p = TierUpdate(update, dialect);
        await update.PrepareAsync(ct); // reused for every row: parse the SQL once
        var inserts = new List<(long AccountId, string Utility, string Key, string Quantity)>();
        foreach (var (accountId, utility, key) in tierDirty)
        {
            var quantity = tierUsage[(accountId, utility)][key].ToString(CultureInfo.InvariantCulture);
            if (!tierStored.Contains((accountId, utility, key)))
            {
                inserts.Add((accountId, ApiFormat.Utility(utility), key, quantity));
                tierStored.Add((accountId, utility, key));
                continue;
            }
            p[0].Value = quantity; p[1].Value = accountId; p[2].Value = ApiFormat.Utility(utility); p[3].Value = key;
            await update.ExecuteNonQueryAsync(ct);
        }
        await BulkInsert.RowsAsync(connection, tx, dialect, "tier_usage", TierUsageColumns, inserts,
            static (r, v) => { v[0] = r.AccountId; v[1] = r.Utility; v[2] = r.Key; v[3] = r.Quantity; }, ct);
        tierDirty.Clear();
    }

    /// <summary>The statement that updates one period's usage, its parameters in the order FlushTierUsageAsync fills them.</summary>
    public static DbParameter[] TierUpdate(DbCommand command, SqlDialect dialect)
    {
        command.CommandText = "UPDATE tier_usage SET quantity = @quantity WHERE account_id = @accountId AND utility = @utility AND period_key = @key";
        return [dialect.Parameter(command, "@quantity", ParameterType.Text), dialect.Parameter(command, "@accountId", ParameterType.BigInt),
            dialect.Parameter(command, "@utility", ParameterType.Text), dialect.Parameter(command, "@key", ParameterType.Text)];
    }

    /// <summary>Times the steps of <see cref="FlushAsync"/> when set.</summary>
    public IngestPhases? Phases { get; init; }

    public async Task FlushAsync(CancellationToken ct)
    {
        var t = System.Diagnostics.Stopwatch.GetTimestamp();
        await BulkInsert.RowsAsync(connection, tx, dialect, "readings", ReadingColumns, readings, (r, v) =>
            {
                v[0] = r.MeterId; v[1] = r.AtMs; v[2] = ApiFormat.Milli(r.Registers.Total); v[3] = RegisterJson.Milli(r.Registers.Sharp);
                v[4] = RegisterJson.Milli(r.Registers.Peak); v[5] = RegisterJson.Milli(r.Registers.Flat); v[6] = RegisterJson.Milli(r.Registers.Valley);
                v[7] = r.Status; v[8] = r.Reason; v[9] = r.AmountFen; v[10] = r.AccountMeterId; v[11] = receivedAtMs; v[12] = r.QuantityMilli;
                v[13] = r.Source; v[14] = r.EnteredBy; v[15] = ReadingSources.ByPerson(r.Source) ? receivedAtMs : null; v[16] = r.PowerW;
            }, ct);
        readings.Clear();
        t = Phases?.Add("write readings", t) ?? t;
        foreach (var (meterId, payload, reason) in rejects)
            await connection.ExecuteAsync("INSERT INTO reading_rejects (meter_id, payload_json, reason, received_at_ms) VALUES (@meterId, @payload, @reason, @receivedAtMs)",
                new { meterId, payload, reason, receivedAtMs }, tx);
        rejects.Clear();
        Phases?.Add("write rejects", t);
        await ledger.FlushAsync(ct, Phases);
        t = System.Diagnostics.Stopwatch.GetTimestamp();
        await MeterBilling.SaveAsync(connection, tx, dialect, meters.Values, ct);
        t = Phases?.Add("write meter states", t) ?? t;
        await AccountRuntime.SaveAsync(connection, tx, accounts.Values);
        await FlushTierUsageAsync(ct);
        await outbox.FlushAsync(connection, tx, dialect, ct);
        await OverloadAlarms.CheckAsync(connection, tx, powers, now, alarmChanges, ct);
        powers.Clear();
        Phases?.Add("write accounts, tiers, outbox, alarms", t);
    }
}
