using System.Globalization;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;

namespace Prepaid.Api.Devices.NbIot;

/// <summary>
/// NB-IoT meters are never polled: they report when they wake. One pass here turns offline (with an "offline" alarm, as
/// missed polls do on a bus) every NB meter whose last report is older than its reporting period × its allowance of missed
/// reports; its next report brings it back and clears the alarm (<see cref="MeterStatusWriter.RecordAsync"/>). A meter
/// that never reported counts from when it was connected. The Quartz job runs it every minute; tests call it with their
/// own <c>now</c>.
/// </summary>
public sealed class NbIotPresenceCheck(Db db, DeviceEventBus events)
{
    public const int DefaultOfflineAfterReports = 3;

    // Mapped by name, not by constructor: SQLite types a computed column by its first value, so a NULL there would not
    // match a constructor's signature.
    sealed class Row
    {
        public long MeterId { get; init; }
        public long ReportPeriodMs { get; init; }
        public long OfflineAfterReports { get; init; }
        public long SinceMs { get; init; }
        public long Reported { get; init; }
        public long? Online { get; init; }
        public string TimeZone { get; init; } = "";
    }

    /// <summary>Turns the silent meters offline; returns how many turned.</summary>
    public async Task<int> RunOnceAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var raised = new List<DeviceAlarmChange>();
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            var silent = (await connection.QueryAsync<Row>("""
                SELECT c.meter_id, c.report_period_ms, COALESCE(c.offline_after_reports, 3) AS offline_after_reports,
                       COALESCE(s.last_seen_at_ms, c.updated_at_ms) AS since_ms, CASE WHEN s.last_seen_at_ms IS NULL THEN 0 ELSE 1 END AS reported, s.online, si.time_zone
                FROM meter_connections c LEFT JOIN meter_status s ON s.meter_id = c.meter_id
                JOIN meters m ON m.id = c.meter_id JOIN sites si ON si.id = m.site_id
                WHERE c.bus_id IS NULL AND c.report_period_ms IS NOT NULL
                """)).Where(r => r.Online != 0 && r.SinceMs + r.ReportPeriodMs * r.OfflineAfterReports < nowMs).ToList();
            if (silent.Count == 0) return 0;
            await using var tx = db.Dialect.BeginWrite(connection);
            foreach (var r in silent)
            {
                var missed = (nowMs - r.SinceMs) / r.ReportPeriodMs;
                // The alarm's text names the time as the site's people read it.
                var since = ApiFormat.Instant(r.SinceMs, ApiFormat.Zone(r.TimeZone));
                var detail = r.Reported == 1
                    ? $"No report since {since}: {missed} report windows of {Period(r.ReportPeriodMs)} missed."
                    : $"No report since it was connected at {since}: {missed} report windows of {Period(r.ReportPeriodMs)} missed.";
                var updated = await connection.ExecuteAsync(
                    "UPDATE meter_status SET online = 0, missed_polls = @missed, updated_at_ms = @nowMs WHERE meter_id = @MeterId",
                    new { r.MeterId, missed, nowMs }, tx);
                if (updated == 0)
                    await connection.ExecuteAsync("INSERT INTO meter_status (meter_id, online, missed_polls, updated_at_ms) VALUES (@MeterId, 0, @missed, @nowMs)",
                        new { r.MeterId, missed, nowMs }, tx);
                await connection.ExecuteAsync("INSERT INTO device_alarms (meter_id, kind, detail, raised_at_ms) VALUES (@MeterId, 'offline', @detail, @nowMs)",
                    new { r.MeterId, detail, nowMs }, tx);
                raised.Add(new DeviceAlarmChange(r.MeterId, "offline", true, detail, now));
            }
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }
        foreach (var a in raised) events.Publish(a);
        return raised.Count;
    }

    static string Period(long ms) => ms % 3_600_000 == 0
        ? $"{ms / 3_600_000} h"
        : $"{(ms / 60_000m).ToString("0.##", CultureInfo.InvariantCulture)} min";
}
