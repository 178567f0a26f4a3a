using Dapper;
using Prepaid.Api.Data;
using Prepaid.Api.Readings;
using Prepaid.Engine;

namespace Prepaid.Api.Demo;

/// <summary>
/// The demo's meters: every few seconds each reports its registers through the same ingest path a gateway uses.
/// Consumption is accelerated (a minute's load every 5 s) so balances visibly fall; a meter whose account the
/// engine asked to trip stops consuming, as a real relay would, until a top-up asks to close it.
/// </summary>
public sealed class DemoMeters(Db db, ReadingIngestor ingestor, TimeProvider time, ILogger<DemoMeters> log) : BackgroundService
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var random = new Random(645);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await TickAsync(random, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The demo keeps going; a failed tick is logged and the next one tries again.
                log.LogWarning(e, "Demo meters: a reporting round failed.");
            }
        }
    }

    sealed record Meter(long Id, string Utility, long LastTotalMilli, long? LastSharpMilli, long? LastPeakMilli, long? LastFlatMilli, long? LastValleyMilli,
        long SeenAtMs, string? SwitchPayload, long? SwitchNotBeforeMs)
    {
        /// <summary>The relay opens once a trip request's notBefore has passed (a friendly window delays it) and closes on a close request.</summary>
        public bool Open(long nowMs) => SwitchPayload is { } p && p.Contains("\"trip\"") && SwitchNotBeforeMs <= nowMs;
    }

    async Task TickAsync(Random random, CancellationToken ct)
    {
        List<Meter> meters;
        await using (var connection = await db.OpenAsync(ct))
            meters = (await connection.QueryAsync<Meter>("""
                SELECT m.id, m.utility, am.last_total_milli, am.last_sharp_milli, am.last_peak_milli, am.last_flat_milli, am.last_valley_milli,
                       am.seen_at_ms, o.payload_json AS switch_payload, o.not_before_ms AS switch_not_before_ms
                FROM meters m JOIN account_meters am ON am.meter_id = m.id AND am.closed_at_ms IS NULL
                LEFT JOIN outbox o ON o.id = (SELECT MAX(id) FROM outbox x WHERE x.kind = 'switchRequested' AND x.meter_id = m.id)
                WHERE am.held_reading_id IS NULL
                """)).ToList();
        var now = time.GetUtcNow();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / 1000 * 1000);
        var period = PeriodNow(now);
        var batch = new List<ReadingInput>();
        foreach (var m in meters)
        {
            if (at.ToUnixTimeMilliseconds() <= m.SeenAtMs) continue;
            // A tripped relay or closed valve: the register stands still.
            var stepMilli = m.Open(now.ToUnixTimeMilliseconds()) ? 0 : m.Utility == "water" ? random.Next(0, 6) : random.Next(20, 120);
            var total = m.LastTotalMilli + stepMilli;
            Registers registers = m.LastSharpMilli is null
                ? new Registers(total / 1000m)
                : new Registers(total / 1000m,
                    (m.LastSharpMilli + (period == Period.Sharp ? stepMilli : 0)) / 1000m, (m.LastPeakMilli + (period == Period.Peak ? stepMilli : 0)) / 1000m,
                    (m.LastFlatMilli + (period == Period.Flat ? stepMilli : 0)) / 1000m, (m.LastValleyMilli + (period == Period.Valley ? stepMilli : 0)) / 1000m);
            batch.Add(new ReadingInput(m.Id, at, registers));
        }
        if (batch.Count > 0) await ingestor.IngestAsync(batch, ct);
        await using (var connection = await db.OpenAsync(ct))
            await connection.ExecuteAsync("UPDATE meters SET relay_state = @state WHERE id = @Id",
                meters.Select(m => new { m.Id, state = m.Open(now.ToUnixTimeMilliseconds()) ? "open" : "closed" }));
    }

    /// <summary>The demo tariff's period now, in Shanghai: registers of period meters advance in the current period.</summary>
    static Period PeriodNow(DateTimeOffset now)
    {
        var hour = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).Hour;
        return hour switch { < 8 => Period.Valley, < 10 => Period.Flat, < 12 => Period.Sharp, < 17 => Period.Peak, < 19 => Period.Sharp, < 22 => Period.Flat, _ => Period.Valley };
    }
}
