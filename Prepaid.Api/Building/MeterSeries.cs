using System.Data.Common;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Engine;

namespace Prepaid.Api.Building;

/// <summary>
/// A meter's cumulative register as the building checks read it: unwrapped at its register_max (R18a) and times its
/// multiplier (R2), so differences are billed quantities.
/// </summary>
public static class MeterSeries
{
    /// <summary>What a circuit balance counts: the readings R18 counts.</summary>
    public const string Counted = "'baseline', 'billed', 'late'";

    /// <summary>A leak is a measurement: a reading held as suspect or queued behind one still shows the water that flowed.</summary>
    public const string Measured = "'baseline', 'billed', 'late', 'suspect', 'queued'";

    sealed record Meter(string Multiplier, string RegisterMax);

    /// <summary>
    /// The readings of [fromMs, toMs] with the last one at or before fromMs and the first one at or after toMs, so every
    /// instant of the window has its R18 boundary value.
    /// </summary>
    public static async Task<IReadOnlyList<(DateTimeOffset At, decimal Total)>> WindowAsync(DbConnection c, long meterId, long fromMs, long toMs, string statuses)
    {
        var rows = await c.QueryAsync<(long AtMs, long TotalMilli)>($"""
            SELECT at_ms, total_milli FROM readings
            WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND status IN ({statuses})
              AND at_ms >= COALESCE((SELECT MAX(at_ms) FROM readings WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND status IN ({statuses}) AND at_ms <= @fromMs), @fromMs)
              AND at_ms <= COALESCE((SELECT MIN(at_ms) FROM readings WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND status IN ({statuses}) AND at_ms >= @toMs), @toMs)
            ORDER BY at_ms
            """, new { meterId, fromMs, toMs });
        return await ScaleAsync(c, meterId, rows);
    }

    /// <summary>
    /// Only the readings next to each boundary (the last at or before it, the first at or after it): enough for R18's
    /// value at every boundary and for telling whether a period between two boundaries holds a reading, without loading
    /// a year of readings taken every few seconds.
    /// </summary>
    public static async Task<IReadOnlyList<(DateTimeOffset At, decimal Total)>> AroundAsync(DbConnection c, long meterId, IEnumerable<DateTimeOffset> boundaries)
    {
        var rows = new SortedDictionary<long, long>();
        foreach (var b in boundaries)
        {
            var atMs = b.ToUnixTimeMilliseconds();
            foreach (var r in await c.QueryAsync<(long AtMs, long TotalMilli)>($"""
                SELECT at_ms, total_milli FROM readings
                WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND status IN ({Counted})
                  AND (at_ms = (SELECT MAX(at_ms) FROM readings WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND status IN ({Counted}) AND at_ms <= @atMs)
                    OR at_ms = (SELECT MIN(at_ms) FROM readings WHERE meter_block = @meterId / 64 AND meter_id = @meterId AND status IN ({Counted}) AND at_ms >= @atMs))
                """, new { meterId, atMs }))
                rows[r.AtMs] = r.TotalMilli;
        }
        return await ScaleAsync(c, meterId, rows.Select(r => (r.Key, r.Value)));
    }

    static async Task<IReadOnlyList<(DateTimeOffset At, decimal Total)>> ScaleAsync(DbConnection c, long meterId, IEnumerable<(long AtMs, long TotalMilli)> rows)
    {
        var meter = await c.QuerySingleAsync<Meter>("SELECT multiplier, register_max FROM meters WHERE id = @meterId", new { meterId });
        var multiplier = ApiFormat.ParseDecimal(meter.Multiplier);
        return [.. Apportion.Unwrap(rows.Select(r => (DateTimeOffset.FromUnixTimeMilliseconds(r.AtMs), ApiFormat.FromMilli(r.TotalMilli))), ApiFormat.ParseDecimal(meter.RegisterMax))
            .Select(p => (p.At, p.Total * multiplier))];
    }
}
