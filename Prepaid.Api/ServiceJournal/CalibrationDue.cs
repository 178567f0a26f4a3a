using System.Globalization;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using Prepaid.Engine;

namespace Prepaid.Api.ServiceJournal;

/// <summary>
/// Raises a <c>calibrationDue</c> alarm for a meter whose calibration falls due within the warning period (or is overdue),
/// and clears it once a newer journal entry moves the due day beyond it. A meter's due day is the next due day of its
/// latest journal entry that names one. The pass runs hourly (the Quartz job) and is idempotent: an alarm is raised once.
/// </summary>
public sealed class CalibrationDue(Db db, DeviceEventBus events, int warningDays)
{
    public const string Kind = "calibrationDue";
    public const int DefaultWarningDays = 30;

    public int WarningDays { get; } = warningDays;

    /// <summary>One pass at <paramref name="now"/>; returns the alarms raised and cleared.</summary>
    public async Task<IReadOnlyList<DeviceAlarmChange>> RunAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var changes = new List<DeviceAlarmChange>();
        var nowMs = now.ToUnixTimeMilliseconds();
        await db.WriteGate.WaitAsync(ct);
        try
        {
            await using var connection = await db.OpenAsync(ct);
            await using var tx = db.Dialect.BeginWrite(connection);
            var due = await connection.QueryAsync<(long MeterId, string NextDueDay, string TimeZone)>("""
                SELECT e.meter_id, e.next_due_day, s.time_zone
                FROM meter_service_entries e JOIN meters m ON m.id = e.meter_id JOIN sites s ON s.id = m.site_id
                WHERE e.next_due_day IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM meter_service_entries n
                    WHERE n.meter_id = e.meter_id AND n.next_due_day IS NOT NULL AND (n.day > e.day OR (n.day = e.day AND n.id > e.id)))
                """, transaction: tx);
            var open = (await connection.QueryAsync<(long Id, long MeterId)>(
                "SELECT id, meter_id FROM device_alarms WHERE kind = 'calibrationDue' AND cleared_at_ms IS NULL", transaction: tx))
                .GroupBy(a => a.MeterId).ToDictionary(g => g.Key, g => g.Select(a => a.Id).ToList());
            foreach (var (meterId, nextDueDay, timeZone) in due)
            {
                var day = DateOnly.ParseExact(nextDueDay, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                var left = day.DayNumber - DailyEstimate.DayOf(now, ApiFormat.Zone(timeZone)).DayNumber;
                var warn = left <= WarningDays;
                if (warn && !open.ContainsKey(meterId))
                {
                    var detail = left >= 0 ? $"Calibration is due on {nextDueDay}, in {left} day(s)." : $"Calibration was due on {nextDueDay}: {-left} day(s) overdue.";
                    await connection.ExecuteAsync("INSERT INTO device_alarms (meter_id, kind, detail, raised_at_ms) VALUES (@meterId, 'calibrationDue', @detail, @nowMs)",
                        new { meterId, detail, nowMs }, tx);
                    changes.Add(new DeviceAlarmChange(meterId, Kind, true, detail, now));
                }
                else if (!warn && open.TryGetValue(meterId, out var ids))
                {
                    await connection.ExecuteAsync("UPDATE device_alarms SET cleared_at_ms = @nowMs WHERE id IN " + db.Dialect.IdsFromJson("@ids"),
                        new { nowMs, ids = System.Text.Json.JsonSerializer.Serialize(ids) }, tx);
                    changes.Add(new DeviceAlarmChange(meterId, Kind, false, $"The next calibration is due on {nextDueDay}.", now));
                }
            }
            await tx.CommitAsync(ct);
        }
        finally
        {
            db.WriteGate.Release();
        }
        foreach (var c in changes) events.Publish(c);
        return changes;
    }
}
