using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Readings;
using Prepaid.Engine;

namespace Prepaid.Api.Tariffs;

/// <summary>
/// Tier usage (R13) is kept only for accounts on a tariff with a tiered version. When a tariff gets its first
/// tiered version, the usage of the running year and its months is rebuilt from the readings billed so far,
/// so the tiers count everything billed in the period, not only what is billed after the change.
/// Each billed delta is counted as live billing counts it: priced again over its interval, so a delta that spans a
/// month start is split by time (R12, R13), and what each part adds to each period is the engine's own figure.
/// </summary>
public static class TierUsageRebuild
{
    sealed record Series(long Id, long AccountId, long MeterId, long TariffId, string Utility, string Multiplier, string RegisterMax,
        string RatedMaxPerHour, string Resolution);

    public static async Task RunAsync(DbConnection connection, DbTransaction tx, SqlDialect dialect, long tariffId, TimeZoneInfo zone, DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var yearStart = new DateTimeOffset(local.Year, 1, 1, 0, 0, 0, zone.GetUtcOffset(new DateTime(local.Year, 1, 1)));
        var yearKey = local.Year.ToString("D4", CultureInfo.InvariantCulture);
        // Every meter each account of the tariff has had (a swapped one too, R27), on whatever tariff it was billed.
        var series = (await connection.QueryAsync<Series>("""
            SELECT am.id, am.account_id, am.meter_id, am.tariff_id, m.utility, m.multiplier, m.register_max, m.rated_max_per_hour, m.resolution
            FROM account_meters am JOIN meters m ON m.id = am.meter_id
            WHERE am.account_id IN (SELECT account_id FROM account_meters WHERE tariff_id = @tariffId AND closed_at_ms IS NULL)
            ORDER BY am.id
            """, new { tariffId }, tx)).ToList();
        var tariffs = new Dictionary<long, Tariff>();
        foreach (var t in await connection.QueryAsync<(long Id, string Utility, string VersionsJson)>(
            $"SELECT id, utility, versions_json FROM tariffs WHERE id IN {dialect.IdsFromJson("@ids")}",
            new { ids = System.Text.Json.JsonSerializer.Serialize(series.Select(s => s.TariffId).Distinct()) }, tx))
        {
            ApiFormat.TryUtility(t.Utility, out var u);
            tariffs[t.Id] = TariffMapping.ToEngine(u, TariffMapping.Deserialize(t.VersionsJson));
        }

        var usage = new Dictionary<(long AccountId, string Utility, string Key), decimal>();
        foreach (var s in series)
        {
            ApiFormat.TryUtility(s.Utility, out var utility);
            var spec = new MeterSpec(utility, ApiFormat.ParseDecimal(s.Multiplier), ApiFormat.ParseDecimal(s.RegisterMax),
                ApiFormat.ParseDecimal(s.RatedMaxPerHour), ApiFormat.ParseDecimal(s.Resolution));
            var tariff = tariffs[s.TariffId];
            // A billed delta that starts before its tariff's first version (R12a holds such readings) is split by time alone.
            var start = TariffStart.Of(tariff);
            var byTime = new Tariff(utility, [new FlatVersion(DateTimeOffset.MinValue, 0m)]);
            // The chain R6 bills along: baselines and billed readings, from the last one before the year on.
            var chain = await connection.QueryAsync<(long AtMs, string Status, long Total, long? Sharp, long? Peak, long? Flat, long? Valley)>("""
                SELECT at_ms, status, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli FROM readings
                WHERE meter_block = @MeterId / 64 AND meter_id = @MeterId AND account_meter_id = @Id AND status IN ('baseline', 'billed')
                  AND at_ms >= COALESCE((SELECT MAX(at_ms) FROM readings WHERE meter_block = @MeterId / 64 AND meter_id = @MeterId AND account_meter_id = @Id
                                         AND status IN ('baseline', 'billed') AND at_ms < @fromMs), @fromMs)
                ORDER BY at_ms
                """, new { s.MeterId, s.Id, fromMs = yearStart.ToUnixTimeMilliseconds() }, tx);
            (DateTimeOffset At, Registers Registers)? previous = null;
            foreach (var r in chain)
            {
                var at = DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs);
                var registers = RegisterJson.FromMilli(r.Total, r.Sharp, r.Peak, r.Flat, r.Valley);
                if (r.Status == "billed" && previous is { } p && ReadingCheck.Accept(spec, p.Registers, registers) is { Kind: VerdictKind.Billable } delta)
                {
                    var priced = Pricing.Price(new PricingRequest(TariffStart.Prices(start, p.At) ? tariff : byTime, zone, p.At, at,
                        delta.Quantity, delta.PeriodQuantities, TierUsage.Empty));
                    foreach (var (key, quantity) in priced.UsageAfter.UsedByPeriod)
                        // The running year and anything after it: a reading billed past the year's end counts there.
                        if (string.CompareOrdinal(key[..4], yearKey) >= 0)
                            usage[(s.AccountId, s.Utility, key)] = usage.GetValueOrDefault((s.AccountId, s.Utility, key)) + quantity;
                }
                previous = (at, registers);
            }
        }
        foreach (var ((accountId, utility, key), quantity) in usage)
        {
            var args = new { accountId, utility, key, quantity = quantity.ToString(CultureInfo.InvariantCulture) };
            if (await connection.ExecuteAsync("UPDATE tier_usage SET quantity = @quantity WHERE account_id = @accountId AND utility = @utility AND period_key = @key", args, tx) == 0)
                await connection.ExecuteAsync("INSERT INTO tier_usage (account_id, utility, period_key, quantity) VALUES (@accountId, @utility, @key, @quantity)", args, tx);
        }
    }
}
