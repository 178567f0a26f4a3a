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

// Step 1, load: the state of every meter, account, site, tariff and wallet the batch touches, read once per batch;
// only what the run's state lacks, when it starts from an earlier run's (which holds exactly what is stored for those rows).
public sealed partial class IngestRun
{
    public async Task LoadAsync(IEnumerable<long> meterIds)
    {
        var clock = System.Diagnostics.Stopwatch.GetTimestamp();
        var missing = meterIds.Where(id => !meters.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0)
        {
            Phases?.Add("load:kept", clock);
            return;
        }
        var batch = await MeterBilling.LoadAsync(connection, tx, dialect, missing);
        foreach (var (id, meter) in batch.Meters) meters[id] = meter;
        // An account of a new meter may be kept already (another of its meters): the kept one is the one other meters' runs moved.
        var newAccounts = batch.Accounts.Keys.Where(id => !accounts.ContainsKey(id)).ToList();
        foreach (var id in newAccounts) accounts[id] = batch.Accounts[id];
        clock = Phases?.Add("load:meters+accounts", clock) ?? clock;
        // Every open meter of the batch's accounts: switch requests go to all of them, and any one on a tiered tariff makes R13 count.
        var meterTariffs = new List<(long AccountId, long TariffId)>();
        if (newAccounts.Count > 0)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = $"SELECT account_id, meter_id, tariff_id FROM account_meters WHERE closed_at_ms IS NULL AND account_id IN {dialect.IdsFromJson("@ids")} ORDER BY meter_id";
            var ids = System.Text.Json.JsonSerializer.Serialize(newAccounts);
            await SqliteRows.ForEachAsync(command, dialect, ids, row => AddAccountMeter(row, meterTariffs), row => AddAccountMeter(row, meterTariffs));
        }
        clock = Phases?.Add("load:accountMeters", clock) ?? clock;
        foreach (var siteId in batch.Meters.Values.Select(m => m.SiteId).Distinct().Where(id => !sites.ContainsKey(id)).ToList())
            sites[siteId] = (await SiteRuntime.LoadAsync(connection, tx, siteId))!;
        // The tariffs of the batch's meters and of their accounts' other meters: those decide which accounts count R13's usage,
        // read by id rather than by a scan of every tariff's versions.
        var tariffIds = batch.Meters.Values.Where(m => m.TariffId is not null).Select(m => m.TariffId!.Value)
            .Concat(meterTariffs.Select(t => t.TariffId)).Distinct().Where(id => !tariffs.ContainsKey(id)).ToList();
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
        foreach (var (accountId, tariffId) in meterTariffs)
            if (tariffs.TryGetValue(tariffId, out var tariff) && tariff.Versions.Any(v => v is TieredVersion)) tieredAccounts.Add(accountId);
        clock = Phases?.Add("load:sites+tariffs", clock) ?? clock;
        // Usage from the oldest last reading of each tiered account's meters on: a new meter of a kept account may reach back further.
        var tiered = batch.Meters.Values.Where(m => m.AccountId is { } a && tieredAccounts.Contains(a)).Select(m => m.AccountId!.Value).ToHashSet();
        if (tiered.Count > 0) await LoadTierUsageAsync(tiered);
        await ledger.LoadAsync(batch.Meters.Values.Select(m => m.SiteId).Distinct().SelectMany(id => sites[id].LedgerIds.Values), batch.WalletBalances);
        Phases?.Add("load:balances", clock);
    }

    void AddAccountMeter<TRow>(TRow r, List<(long AccountId, long TariffId)> meterTariffs) where TRow : IRow
    {
        var accountId = r.Int64(0);
        if (!accountMeters.TryGetValue(accountId, out var list)) accountMeters[accountId] = list = new List<long>();
        list.Add(r.Int64(1));
        meterTariffs.Add((accountId, r.Int64(2)));
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

    /// <summary>
    /// R9's look-up of what is stored at a reading's instant, for the readings that will need it (a meter with no open
    /// account, or an instant not after the meter's newest), in one query for the batch: per meter and reading on a
    /// poll of unassigned meters it cost more than the rest of their ingest. Within the meters and the span read, a
    /// look-up is answered from here; the rows this run stores are in storedThisRun, which is asked first.
    /// </summary>
    public async Task PrefetchStoredAsync(IReadOnlyList<ReadingInput> batch)
    {
        var needed = batch.Where(r => meters.TryGetValue(r.MeterId, out var m) && (m.AccountMeterId is null || r.At.ToUnixTimeMilliseconds() <= m.SeenAtMs)).ToList();
        if (needed.Count < 2) return;
        var (fromMs, toMs) = (needed.Min(r => r.At.ToUnixTimeMilliseconds()), needed.Max(r => r.At.ToUnixTimeMilliseconds()));
        var ids = needed.Select(r => r.MeterId).Distinct().ToList();
        var rows = await connection.QueryAsync<(long MeterId, long AtMs, long Total, long? Sharp, long? Peak, long? Flat, long? Valley)>(
            $"""
            SELECT meter_id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli FROM readings
            WHERE meter_block IN {dialect.IdsFromJson("@blocks")} AND meter_id IN {dialect.IdsFromJson("@ids")} AND at_ms >= @fromMs AND at_ms <= @toMs
            """,
            new { blocks = System.Text.Json.JsonSerializer.Serialize(ids.Select(id => id / 64).Distinct()), ids = System.Text.Json.JsonSerializer.Serialize(ids), fromMs, toMs }, tx);
        prefetched = new Dictionary<(long, long), Registers>();
        foreach (var r in rows) prefetched[(r.MeterId, r.AtMs)] = RegisterJson.FromMilli(r.Total, r.Sharp, r.Peak, r.Flat, r.Valley);
        (prefetchedMeters, prefetchedFromMs, prefetchedToMs) = (ids.ToHashSet(), fromMs, toMs);
    }

    Dictionary<(long MeterId, long AtMs), Registers>? prefetched;
    HashSet<long> prefetchedMeters = [];
    long prefetchedFromMs, prefetchedToMs;

    async Task<Registers?> StoredAsync(long meterId, long atMs)
    {
        if (prefetched is not null && prefetchedMeters.Contains(meterId) && atMs >= prefetchedFromMs && atMs <= prefetchedToMs)
            return prefetched.GetValueOrDefault((meterId, atMs));
        var row = await connection.QuerySingleOrDefaultAsync<(long Id, long Total, long? Sharp, long? Peak, long? Flat, long? Valley)>(
            "SELECT id, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli FROM readings WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND at_ms = @atMs",
            new { meterId, atMs }, tx);
        return row.Id == 0 ? null : RegisterJson.FromMilli(row.Total, row.Sharp, row.Peak, row.Flat, row.Valley);
    }
}
