using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Readings;
using Prepaid.Api.Tariffs;
using Prepaid.Engine;

namespace Prepaid.Api.Statements;

/// <summary>A meter of the account as the statement names it.</summary>
public sealed record StatementMeter(long MeterId, string Serial, string Utility, decimal Multiplier);

/// <summary>
/// One priced piece of a delta: a flat price, a TOU period (sharp/peak/flat/valley) or a tier of a tier period.
/// Cost = Quantity × Price, exact.
/// </summary>
public sealed record PricedPiece(string Kind, string? Period, int? Tier, string? TierPeriod, decimal Quantity, decimal Price, decimal Cost);

/// <summary>A billed reading explained: the delta from the reading before it, its quantity, and how the engine priced it.</summary>
public sealed record PricedReading(long MeterId, long ReadingId, long FromAtMs, Registers From, long AtMs, Registers To, decimal Quantity,
    IReadOnlyList<PricedPiece> Pieces, decimal Cost);

/// <summary>
/// R36's explanations of consumption, from stored data only: every billed reading of the period is priced again by the
/// engine (Pricing.Price) against the reading before it, with the account's tariff and the tier usage as it was, in the
/// order ingest billed them (reading ids). The tier usage before the period is the quantity billed earlier in the same
/// tier month or year, by reading time (as TierUsageRebuild counts it). Amounts are not taken from here: the statement
/// shows what the ledger posted; this says why.
/// </summary>
public static class ConsumptionReplay
{
    static readonly string[] Counted = ["billed", "baseline"];

    sealed record AccountMeterRow(long Id, long MeterId, long TariffId, string Serial, string Utility, string Multiplier, string RegisterMax,
        string RatedMaxPerHour, string Resolution);

    sealed record ReadingRow(long Id, long AtMs, long TotalMilli, long? SharpMilli, long? PeakMilli, long? FlatMilli, long? ValleyMilli, string Status)
    {
        public Registers Registers => RegisterJson.FromMilli(TotalMilli, SharpMilli, PeakMilli, FlatMilli, ValleyMilli);
    }

    sealed record Pair(AccountMeterRow Meter, MeterSpec Spec, ReadingRow From, ReadingRow To);

    public static async Task<(IReadOnlyDictionary<long, StatementMeter> Meters, List<PricedReading> Readings)> RunAsync(
        DbConnection connection, SqlDialect dialect, long accountId, TimeZoneInfo zone, long fromMs, long toMs)
    {
        var accountMeters = (await connection.QueryAsync<AccountMeterRow>("""
            SELECT am.id, am.meter_id, am.tariff_id, m.serial, m.utility, m.multiplier, m.register_max, m.rated_max_per_hour, m.resolution
            FROM account_meters am JOIN meters m ON m.id = am.meter_id
            WHERE am.account_id = @accountId ORDER BY am.meter_id, am.id
            """, new { accountId })).ToList();
        var meters = accountMeters.GroupBy(m => m.MeterId)
            .ToDictionary(g => g.Key, g => new StatementMeter(g.Key, g.First().Serial, g.First().Utility, ApiFormat.ParseDecimal(g.First().Multiplier)));

        var tariffs = new Dictionary<long, Tariff>();
        foreach (var (id, utility, json) in await connection.QueryAsync<(long, string, string)>(
                     $"SELECT id, utility, versions_json FROM tariffs WHERE id IN {dialect.IdsFromJson("@ids")}",
                     new { ids = System.Text.Json.JsonSerializer.Serialize(accountMeters.Select(m => m.TariffId).Distinct()) }))
        {
            ApiFormat.TryUtility(utility, out var u);
            tariffs[id] = TariffMapping.ToEngine(u, TariffMapping.Deserialize(json));
        }

        var pairs = new List<Pair>();
        foreach (var m in accountMeters)
        {
            ApiFormat.TryUtility(m.Utility, out var utility);
            var spec = new MeterSpec(utility, ApiFormat.ParseDecimal(m.Multiplier), ApiFormat.ParseDecimal(m.RegisterMax),
                ApiFormat.ParseDecimal(m.RatedMaxPerHour), ApiFormat.ParseDecimal(m.Resolution));
            var series = await SeriesAsync(connection, dialect, m, fromMs, toMs);
            for (var i = 1; i < series.Count; i++)
                if (series[i].Status == "billed" && series[i].AtMs >= fromMs) pairs.Add(new Pair(m, spec, series[i - 1], series[i]));
        }
        pairs.Sort((a, b) => a.To.Id.CompareTo(b.To.Id));

        // R13 counts an account's usage only when one of its tariffs has a tiered version; then every meter of the utility adds to it.
        var tiered = tariffs.Values.Any(t => t.Versions.Any(v => v is TieredVersion));
        var usage = new Dictionary<string, Dictionary<string, decimal>>();
        if (tiered && pairs.Count > 0)
            foreach (var utility in accountMeters.Select(m => m.Utility).Distinct())
                usage[utility] = await UsageBeforeAsync(connection, accountMeters.Where(m => m.Utility == utility).ToList(),
                    zone, pairs.Where(p => p.Meter.Utility == utility).Select(p => p.From.AtMs).DefaultIfEmpty(fromMs).Min(), fromMs);

        var priced = new List<PricedReading>(pairs.Count);
        foreach (var p in pairs)
        {
            var verdict = ReadingCheck.Accept(p.Spec, p.From.Registers, p.To.Registers);
            var tariff = tariffs[p.Meter.TariffId];
            var used = tiered ? usage[p.Meter.Utility] : null;
            PricedDelta delta;
            try
            {
                delta = Pricing.Price(new PricingRequest(tariff, zone, DateTimeOffset.FromUnixTimeMilliseconds(p.From.AtMs),
                    DateTimeOffset.FromUnixTimeMilliseconds(p.To.AtMs), verdict.Quantity, verdict.PeriodQuantities,
                    used is null ? TierUsage.Empty : new TierUsage(used)));
            }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                // Billed once, so priceable then; a tariff changed by hand since cannot explain it: say nothing rather than guess.
                priced.Add(new PricedReading(p.Meter.MeterId, p.To.Id, p.From.AtMs, p.From.Registers, p.To.AtMs, p.To.Registers, verdict.Quantity, [], 0m));
                continue;
            }
            if (used is not null)
                foreach (var (key, q) in delta.UsageAfter.UsedByPeriod) used[key] = q;
            priced.Add(new PricedReading(p.Meter.MeterId, p.To.Id, p.From.AtMs, p.From.Registers, p.To.AtMs, p.To.Registers, verdict.Quantity,
                delta.Lines.Select(l => Piece(tariff, l)).ToList(), delta.Cost));
        }
        return (meters, priced);
    }

    /// <summary>The meter's counted readings from the last one before the period (where the first delta starts) to the period's end.</summary>
    static async Task<List<ReadingRow>> SeriesAsync(DbConnection connection, SqlDialect dialect, AccountMeterRow m, long fromMs, long toMs)
    {
        const string Columns = "id, at_ms, total_milli, sharp_milli, peak_milli, flat_milli, valley_milli, status";
        var statuses = $"('{string.Join("','", Counted)}')";
        var args = new { meterId = m.MeterId, accountMeterId = m.Id, fromMs, toMs };
        // Newest first and one row: readings' index is walked back from the period's start and stops at the meter's first entry.
        var start = await connection.QueryFirstOrDefaultAsync<ReadingRow>(dialect.Page($"""
            SELECT {Columns} FROM readings
            WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND account_meter_id = @accountMeterId AND status IN {statuses} AND at_ms < @fromMs
            ORDER BY at_ms DESC
            """, "0", "1"), args);
        var series = new List<ReadingRow>();
        if (start is not null) series.Add(start);
        series.AddRange(await connection.QueryAsync<ReadingRow>($"""
            SELECT {Columns} FROM readings
            WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND account_meter_id = @accountMeterId AND status IN {statuses} AND at_ms >= @fromMs AND at_ms < @toMs
            ORDER BY at_ms
            """, args));
        return series;
    }

    /// <summary>
    /// The tier usage before the period: per local month and year from the first delta's start up to the period's start,
    /// the quantity billed in it before the period began.
    /// </summary>
    static async Task<Dictionary<string, decimal>> UsageBeforeAsync(DbConnection connection, IReadOnlyList<AccountMeterRow> accountMeters,
        TimeZoneInfo zone, long earliestMs, long fromMs)
    {
        var usage = new Dictionary<string, decimal>();
        var first = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(earliestMs), zone);
        var last = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(fromMs), zone);
        var periods = new List<(string Key, DateTime Start, DateTime End)>();
        for (var y = first.Year; y <= last.Year; y++) periods.Add((y.ToString("0000"), new DateTime(y, 1, 1), new DateTime(y + 1, 1, 1)));
        for (var month = new DateTime(first.Year, first.Month, 1); month <= last.DateTime; month = month.AddMonths(1))
            periods.Add((month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), month, month.AddMonths(1)));
        foreach (var (key, start, end) in periods)
        {
            var startMs = Statement.LocalStart(start, zone).ToUnixTimeMilliseconds();
            var endMs = Math.Min(Statement.LocalStart(end, zone).ToUnixTimeMilliseconds(), fromMs);
            if (endMs <= startMs) continue;
            var milli = 0L;
            foreach (var m in accountMeters)
                milli += await connection.ExecuteScalarAsync<long>("""
                    SELECT COALESCE(CAST(SUM(quantity_milli) AS BIGINT), 0) FROM readings
                    WHERE meter_block = @MeterId / 64 AND meter_id = @MeterId AND account_meter_id = @Id AND status = 'billed' AND at_ms >= @startMs AND at_ms < @endMs
                    """, new { m.MeterId, m.Id, startMs, endMs });
            if (milli != 0) usage[key] = ApiFormat.FromMilli(milli);
        }
        return usage;
    }

    /// <summary>What a line of the engine is: flat, a TOU period, or a tier (its label "tier 2 2026-11" names tier and period).</summary>
    static PricedPiece Piece(Tariff tariff, PriceLine line)
    {
        var version = tariff.Versions.Last(v => v.EffectiveFrom <= line.From);
        return version switch
        {
            TouVersion => new PricedPiece("tou", line.Label, null, null, line.Quantity, line.Price, line.Cost),
            TieredVersion when line.Label.Split(' ') is ["tier", var n, var key] =>
                new PricedPiece("tier", null, int.Parse(n, System.Globalization.CultureInfo.InvariantCulture), key, line.Quantity, line.Price, line.Cost),
            _ => new PricedPiece("flat", null, null, null, line.Quantity, line.Price, line.Cost),
        };
    }
}
