using System.Data.Common;
using Dapper;
using Prepaid.Api.Data;
using Prepaid.Api.Readings;
using Prepaid.Engine;

namespace Prepaid.Api.Estimates;

/// <summary>
/// R30's estimates: a meter of an open account with no reading for a whole day (site time) is given an estimated reading
/// at the day's last millisecond, its registers advanced by the average daily consumption of the 30 days before (at least
/// 7 of them with real readings). The estimate goes through the one ingest door, marked as an estimate, and bills like
/// a reading; the next real reading supersedes it (see IngestRun). <see cref="RunAsync"/> is the daily pass (the Quartz job
/// and tests call it with <c>now</c>); <see cref="EstimateDayAsync"/> is an operator's button for one meter and day.
/// </summary>
public sealed class DailyEstimates(Db db, ReadingIngestor ingestor)
{
    /// <summary>How far back the daily pass catches up on a meter that stopped reporting: R30's window, beyond which no
    /// estimate is possible anyway.</summary>
    public const int CatchUpDays = DailyEstimate.WindowDays;

    /// <summary>The estimated reading of one meter for one day, or why there is none. Nothing is stored.</summary>
    public static async Task<(ReadingInput? Input, string? Reason)> PlanAsync(DbConnection connection, Estimates.MeterFacts meter, DateOnly day,
        DateTimeOffset now, Registers? previous = null, long? seenAtMs = null)
    {
        if (meter.AccountMeterId is null || meter.Last is null) return (null, "The meter has no open account.");
        if (meter.Held) return (null, "A suspect reading holds the meter (R8): its data awaits an operator.");
        var at = DailyEstimate.EstimateInstant(day, meter.Zone);
        if (at >= now) return (null, "The day is not over yet (site time).");
        var dayStart = DailyEstimate.DayStart(day, meter.Zone);
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM readings WHERE meter_block = @MeterId / 64 AND meter_id = @MeterId AND at_ms >= @fromMs AND at_ms <= @toMs",
                new { meter.MeterId, fromMs = dayStart.ToUnixTimeMilliseconds(), toMs = at.ToUnixTimeMilliseconds() }) > 0)
            return (null, "The meter has readings on that day.");
        if ((seenAtMs ?? meter.SeenAtMs) >= at.ToUnixTimeMilliseconds())
            return (null, "The meter has a reading after that day: the day's consumption is billed with that reading.");
        if (await Estimates.AverageDailyStepAsync(connection, null, meter, dayStart) is not { } step)
            return (null, $"Fewer than {DailyEstimate.MinDaysWithReadings} of the {DailyEstimate.WindowDays} days before had real readings (R30): no estimate.");
        return (new ReadingInput(meter.MeterId, at, DailyEstimate.After(meter.Spec, previous ?? meter.Last, step, 1m), ReadingSources.Estimate), null);
    }

    /// <summary>An operator's estimate of one meter's day: the outcome (billed, or "none" with the reason) and the reading.</summary>
    public async Task<(ReadingOutcome Outcome, ReadingInput? Input)> EstimateDayAsync(long meterId, DateOnly day, DateTimeOffset now, CancellationToken ct = default)
    {
        ReadingInput? input;
        string? reason;
        await using (var connection = await db.OpenAsync(ct))
        {
            if (await Estimates.FactsAsync(connection, null, meterId) is not { } meter) return (new ReadingOutcome("none", null, $"Meter {meterId} does not exist."), null);
            (input, reason) = await PlanAsync(connection, meter, day, now);
        }
        if (input is null) return (new ReadingOutcome("none", null, reason), null);
        return ((await ingestor.IngestAsync([input], ct))[0], input);
    }

    /// <summary>
    /// The daily pass: for every site, every meter of an open account that has stored nothing since before yesterday (site
    /// time) gets an estimate for each whole day since its last reading (at most <see cref="CatchUpDays"/> back), in day
    /// order, as far as R30 allows. Running it again estimates nothing more: an estimated day holds a reading.
    /// Returns how many estimates were billed.
    /// </summary>
    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var inputs = new List<ReadingInput>();
        await using (var connection = await db.OpenAsync(ct))
        {
            var sites = await connection.QueryAsync<(long Id, string TimeZone)>("SELECT id, time_zone FROM sites ORDER BY id");
            foreach (var site in sites)
            {
                var zone = Common.ApiFormat.Zone(site.TimeZone);
                var yesterday = DailyEstimate.DayOf(now, zone).AddDays(-1);
                var candidates = await connection.QueryAsync<long>("""
                    SELECT am.meter_id FROM account_meters am JOIN meters m ON m.id = am.meter_id
                    WHERE m.site_id = @siteId AND am.closed_at_ms IS NULL AND am.held_reading_id IS NULL
                      AND am.seen_at_ms < @dayStartMs AND am.seen_at_ms >= @oldestMs
                    ORDER BY am.meter_id
                    """, new
                    {
                        siteId = site.Id, dayStartMs = DailyEstimate.DayStart(yesterday, zone).ToUnixTimeMilliseconds(),
                        oldestMs = DailyEstimate.DayStart(yesterday.AddDays(-CatchUpDays), zone).ToUnixTimeMilliseconds(),
                    });
                foreach (var meterId in candidates)
                {
                    if (await Estimates.FactsAsync(connection, null, meterId) is not { SeenAtMs: { } seen } meter) continue;
                    var (previous, seenAtMs) = (meter.Last, seen);
                    var first = DailyEstimate.DayOf(DateTimeOffset.FromUnixTimeMilliseconds(seen), zone).AddDays(1);
                    if (first < yesterday.AddDays(1 - CatchUpDays)) first = yesterday.AddDays(1 - CatchUpDays);
                    for (var day = first; day <= yesterday; day = day.AddDays(1))
                    {
                        var (input, _) = await PlanAsync(connection, meter, day, now, previous, seenAtMs);
                        if (input is null) break;
                        inputs.Add(input);
                        (previous, seenAtMs) = (input.Registers, input.At.ToUnixTimeMilliseconds());
                    }
                }
            }
        }
        var billed = 0;
        foreach (var chunk in inputs.Chunk(ReadingBatch.MaxBatch))
            billed += (await ingestor.IngestAsync(chunk, ct)).Count(o => o.Status == "billed");
        return billed;
    }
}
