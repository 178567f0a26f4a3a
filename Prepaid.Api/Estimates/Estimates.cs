using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Readings;
using Prepaid.Engine;

namespace Prepaid.Api.Estimates;

/// <summary>
/// R30's figures for one meter, read from its stored readings: the average daily register advance of the window before
/// an instant (<see cref="DailyEstimate"/>), and the registers an estimate gives. Other features use it where a reading
/// must be estimated, e.g. a move-out (R26) at an instant with no registers given: <see cref="RegistersAtAsync"/>.
/// </summary>
public static class Estimates
{
    /// <summary>What R30 needs to know of a meter: its spec, its site's zone, and its open series' last billed reading.</summary>
    public sealed record MeterFacts(long MeterId, long SiteId, TimeZoneInfo Zone, MeterSpec Spec, long? AccountMeterId, long? LastAtMs,
        Registers? Last, long? SeenAtMs, bool Held);

    public static async Task<MeterFacts?> FactsAsync(DbConnection connection, DbTransaction? tx, long meterId)
    {
        var row = await connection.QuerySingleOrDefaultAsync<FactsRow>("""
            SELECT m.id AS MeterId, m.site_id AS SiteId, s.time_zone AS TimeZone, m.utility AS Utility, m.multiplier AS Multiplier,
                   m.register_max AS RegisterMax, m.rated_max_per_hour AS RatedMaxPerHour, m.resolution AS Resolution,
                   am.id AS AccountMeterId, am.last_at_ms AS LastAtMs, am.last_total_milli AS LastTotal, am.last_sharp_milli AS LastSharp,
                   am.last_peak_milli AS LastPeak, am.last_flat_milli AS LastFlat, am.last_valley_milli AS LastValley, am.seen_at_ms AS SeenAtMs,
                   am.held_reading_id AS HeldReadingId
            FROM meters m JOIN sites s ON s.id = m.site_id LEFT JOIN account_meters am ON am.meter_id = m.id AND am.closed_at_ms IS NULL
            WHERE m.id = @meterId
            """, new { meterId }, tx);
        if (row is null) return null;
        ApiFormat.TryUtility(row.Utility, out var utility);
        var spec = new MeterSpec(utility, ApiFormat.ParseDecimal(row.Multiplier), ApiFormat.ParseDecimal(row.RegisterMax),
            ApiFormat.ParseDecimal(row.RatedMaxPerHour), ApiFormat.ParseDecimal(row.Resolution));
        return new MeterFacts(row.MeterId, row.SiteId, ApiFormat.Zone(row.TimeZone), spec, row.AccountMeterId, row.LastAtMs,
            row.LastTotal is { } total ? RegisterJson.FromMilli(total, row.LastSharp, row.LastPeak, row.LastFlat, row.LastValley) : null,
            row.SeenAtMs, row.HeldReadingId is not null);
    }

    sealed record FactsRow(long MeterId, long SiteId, string TimeZone, string Utility, string Multiplier, string RegisterMax, string RatedMaxPerHour,
        string Resolution, long? AccountMeterId, long? LastAtMs, long? LastTotal, long? LastSharp, long? LastPeak, long? LastFlat, long? LastValley,
        long? SeenAtMs, long? HeldReadingId);

    /// <summary>The meter's real readings (billed or baseline, never an estimate) in [from, to), in time order.</summary>
    public static async Task<List<(DateTimeOffset At, Registers Registers)>> RealReadingsAsync(DbConnection connection, DbTransaction? tx, long meterId,
        DateTimeOffset from, DateTimeOffset to)
    {
        var rows = await connection.QueryAsync<(long AtMs, long Total)>("""
            SELECT at_ms, total_milli FROM readings
            WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND at_ms >= @fromMs AND at_ms < @toMs AND source <> 'estimate' AND status IN ('billed', 'baseline')
            ORDER BY at_ms
            """, new { meterId, fromMs = from.ToUnixTimeMilliseconds(), toMs = to.ToUnixTimeMilliseconds() }, tx);
        return rows.Select(r => (DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), new Registers(ApiFormat.FromMilli(r.Total)))).ToList();
    }

    /// <summary>R30's average daily register advance over the window before <paramref name="to"/>; null when fewer than 7 of its
    /// 30 days had real readings.</summary>
    public static async Task<decimal?> AverageDailyStepAsync(DbConnection connection, DbTransaction? tx, MeterFacts meter, DateTimeOffset to)
    {
        var (from, until) = DailyEstimate.Window(to, meter.Zone);
        return DailyEstimate.AverageDailyStep(meter.Spec, await RealReadingsAsync(connection, tx, meter.MeterId, from, until), meter.Zone);
    }

    /// <summary>
    /// The estimated registers of a meter at an instant: its open series' last billed reading advanced by R30's average daily
    /// consumption for the time since (total only, rounded to the meter's resolution). Null when R30 gives no estimate (fewer
    /// than 7 days with real readings in the 30 days before), when the meter has no open account, or when its last billed
    /// reading is not before <paramref name="at"/>.
    /// </summary>
    public static async Task<Registers?> RegistersAtAsync(DbConnection connection, DbTransaction? tx, long meterId, DateTimeOffset at)
    {
        if (await FactsAsync(connection, tx, meterId) is not { Last: { } last, LastAtMs: { } lastAtMs } meter || lastAtMs >= at.ToUnixTimeMilliseconds())
            return null;
        if (await AverageDailyStepAsync(connection, tx, meter, at) is not { } step) return null;
        var days = (decimal)(at.ToUnixTimeMilliseconds() - lastAtMs) / 86_400_000m;
        return DailyEstimate.After(meter.Spec, last, step, days);
    }
}
