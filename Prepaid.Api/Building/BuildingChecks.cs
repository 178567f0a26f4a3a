using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Dashboard;
using Prepaid.Api.Data;
using Prepaid.Api.Outbox;
using Prepaid.Engine;

namespace Prepaid.Api.Building;

/// <summary>
/// One pass of the building checks at <c>now</c>: leak alarms on water meters (R33) and circuit alarms on yesterday's
/// balance (R32), kept in device_alarms (kind leak | circuit) next to the device layer's alarms, so the dashboard's
/// overview and alarm page show them. A leak that starts or ends also writes an outbox row, <c>leakStarted</c> or
/// <c>leakCleared</c>, with the meter's open account, for whoever tells the tenant.
/// </summary>
public sealed class BuildingChecks(Db db, IPostingEvents events, IDashboardPublisher dashboard)
{
    /// <summary>An alarm open longer than this is judged on its last week only: an hour of no flow that old no longer matters.</summary>
    static readonly TimeSpan ClearLookBack = TimeSpan.FromDays(7);

    // Classes with setters, not positional records: SQLite reports a NULL column's type as a blob, which no constructor matches.
    sealed class WaterMeter
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public string Serial { get; init; } = "";
        public long? LeakVolumeMilli { get; init; }
        public string TimeZone { get; init; } = "";
        public long? AlarmId { get; init; }
        public long? RaisedAtMs { get; init; }
        public long? AccountId { get; init; }
    }

    sealed class LiveCircuit
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public string Name { get; init; } = "";
        public long MasterMeterId { get; init; }
        public string ThresholdPct { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public long? AlarmId { get; init; }
    }

    public async Task RunAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        await LeaksAsync(now, ct);
        await CircuitsAsync(now, ct);
    }

    public async Task LeaksAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        List<WaterMeter> meters;
        await using (var connection = await db.OpenAsync(ct))
            meters = [.. await connection.QueryAsync<WaterMeter>("""
                SELECT m.id, m.site_id, m.serial, m.leak_volume_milli, s.time_zone,
                       a.id AS alarm_id, a.raised_at_ms,
                       (SELECT MAX(am.account_id) FROM account_meters am WHERE am.meter_id = m.id AND am.closed_at_ms IS NULL) AS account_id
                FROM meters m JOIN sites s ON s.id = m.site_id
                LEFT JOIN device_alarms a ON a.meter_id = m.id AND a.kind = 'leak' AND a.cleared_at_ms IS NULL
                WHERE m.utility = 'water' ORDER BY m.id
                """)];
        foreach (var m in meters)
        {
            var zone = ApiFormat.Zone(m.TimeZone);
            var end = Leak.HourStart(now, zone);
            DateTimeOffset? openSince = m.RaisedAtMs is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null;
            if (openSince < end - ClearLookBack) openSince = end - ClearLookBack;
            var start = end.AddHours(-Leak.Hours);
            if (openSince is { } since && Leak.HourStart(since, zone) < start) start = Leak.HourStart(since, zone);
            var volume = m.LeakVolumeMilli is { } v ? ApiFormat.FromMilli(v) : Leak.DefaultVolume;

            IReadOnlyList<(DateTimeOffset At, decimal Total)> points;
            await using (var connection = await db.OpenAsync(ct))
                points = await MeterSeries.WindowAsync(connection, m.Id, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), MeterSeries.Measured);
            var decision = Leak.Decide(points, now, zone, volume, openSince);
            if (decision == LeakDecision.None) continue;

            var sum = PeriodQuantity.Of(points, end.AddHours(-Leak.Hours), end);
            var detail = decision == LeakDecision.Raise
                ? $"Water flowed in each of the last {Leak.Hours} hours, {Quantity(sum)} m³ in all (leak volume {Quantity(volume)} m³)."
                : "An hour without flow: the leak has stopped.";
            var kind = decision == LeakDecision.Raise ? "leakStarted" : "leakCleared";
            var payload = JsonSerializer.Serialize(new
            {
                meterId = m.Id, serial = m.Serial, accountId = m.AccountId, at = ApiFormat.Instant(now.ToUnixTimeMilliseconds(), zone),
                volume = Quantity(sum), leakVolume = Quantity(volume),
            });
            var row = new OutboxRow(kind, m.SiteId, m.AccountId, m.Id, payload, now.ToUnixTimeMilliseconds(), now.ToUnixTimeMilliseconds());
            // Judged again under the write gate: a pass that raced this one may have raised or cleared it already.
            var changed = await WriteAsync(async (c, tx) =>
            {
                var n = decision == LeakDecision.Raise
                    ? await c.ExecuteAsync("""
                        INSERT INTO device_alarms (meter_id, kind, detail, raised_at_ms)
                        SELECT @Id, 'leak', @detail, @nowMs WHERE NOT EXISTS
                            (SELECT 1 FROM device_alarms WHERE meter_id = @Id AND kind = 'leak' AND cleared_at_ms IS NULL)
                        """, new { m.Id, detail, nowMs = now.ToUnixTimeMilliseconds() }, tx)
                    : await c.ExecuteAsync("UPDATE device_alarms SET cleared_at_ms = @nowMs WHERE id = @AlarmId AND cleared_at_ms IS NULL",
                        new { m.AlarmId, nowMs = now.ToUnixTimeMilliseconds() }, tx);
                if (n == 1)
                    await c.ExecuteAsync("""
                        INSERT INTO outbox (kind, site_id, account_id, meter_id, payload_json, not_before_ms, created_at_ms)
                        VALUES (@Kind, @SiteId, @AccountId, @MeterId, @PayloadJson, @NotBeforeMs, @CreatedAtMs)
                        """, row, tx);
                return n == 1;
            }, ct);
            if (!changed) continue;
            events.Posted([row]);
            if (decision == LeakDecision.Raise)
                dashboard.Alarm(new AlarmEvent("leak", m.SiteId, m.AccountId, m.Id, $"{m.Serial}: {detail}", ApiFormat.Instant(now.ToUnixTimeMilliseconds(), zone)));
        }
    }

    /// <summary>R32 once a day: yesterday's imbalance above the threshold raises the circuit's alarm; a day within it clears it.</summary>
    public async Task CircuitsAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        List<LiveCircuit> circuits;
        await using (var connection = await db.OpenAsync(ct))
            circuits = [.. await connection.QueryAsync<LiveCircuit>("""
                SELECT c.id, c.site_id, c.name, c.master_meter_id, c.threshold_pct, s.time_zone, a.id AS alarm_id
                FROM circuits c JOIN sites s ON s.id = c.site_id
                LEFT JOIN device_alarms a ON a.circuit_id = c.id AND a.kind = 'circuit' AND a.cleared_at_ms IS NULL
                WHERE c.deleted_at_ms IS NULL ORDER BY c.id
                """)];
        foreach (var circuit in circuits)
        {
            var zone = ApiFormat.Zone(circuit.TimeZone);
            var day = CircuitBalance.LastWholeDay(now, zone);
            CircuitPeriod verdict;
            await using (var connection = await db.OpenAsync(ct))
                verdict = (await CircuitsApi.ComputeAsync(connection, circuit.MasterMeterId, circuit.Id, [day], ApiFormat.ParseDecimal(circuit.ThresholdPct)))[0];
            if (verdict.NoData || verdict.Alarm == (circuit.AlarmId is not null)) continue;
            var nowMs = now.ToUnixTimeMilliseconds();
            var date = TimeZoneInfo.ConvertTime(day.From, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var detail = verdict.ImbalancePct is { } pct
                ? $"{circuit.Name}, {date}: imbalance {Quantity(verdict.Imbalance)} ({decimal.Round(pct, 2, MidpointRounding.AwayFromZero).ToString("F2", CultureInfo.InvariantCulture)} %), threshold {circuit.ThresholdPct} %."
                : $"{circuit.Name}, {date}: the master meter read nothing while the sub-meters read {Quantity(verdict.Subs)}.";
            var changed = await WriteAsync(async (c, tx) => 1 == (verdict.Alarm
                ? await c.ExecuteAsync("""
                    INSERT INTO device_alarms (meter_id, kind, detail, raised_at_ms, circuit_id)
                    SELECT @MasterMeterId, 'circuit', @detail, @nowMs, @Id WHERE NOT EXISTS
                        (SELECT 1 FROM device_alarms WHERE circuit_id = @Id AND kind = 'circuit' AND cleared_at_ms IS NULL)
                    """, new { circuit.MasterMeterId, detail, nowMs, circuit.Id }, tx)
                : await c.ExecuteAsync("UPDATE device_alarms SET cleared_at_ms = @nowMs WHERE id = @AlarmId AND cleared_at_ms IS NULL", new { circuit.AlarmId, nowMs }, tx)), ct);
            if (!changed) continue;
            if (verdict.Alarm)
                dashboard.Alarm(new AlarmEvent("circuit", circuit.SiteId, null, circuit.MasterMeterId, detail, ApiFormat.Instant(nowMs, zone)));
        }
    }

    async Task<bool> WriteAsync(Func<DbConnection, DbTransaction, Task<bool>> work, CancellationToken ct)
    {
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            var changed = await work(connection, tx);
            await tx.CommitAsync(ct);
            return changed;
        }
        finally
        {
            db.WriteGate.Release();
        }
    }

    static string Quantity(decimal? q) => q is { } v ? decimal.Round(v, 3, MidpointRounding.AwayFromZero).ToString("F3", CultureInfo.InvariantCulture) : "—";
}
