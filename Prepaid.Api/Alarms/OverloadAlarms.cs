using System.Data.Common;
using System.Globalization;
using Dapper;
using Prepaid.Api.Devices;

namespace Prepaid.Api.Alarms;

/// <summary>
/// A meter that reports its power and has an overload limit: a power above the limit raises an <c>overload</c> alarm
/// (once, while it lasts), a later power at or below it clears the alarm. Checked in the ingest transaction with the
/// newest power of each meter of the batch; the changes are published after the commit.
/// </summary>
public static class OverloadAlarms
{
    public const string Kind = "overload";

    public static async Task CheckAsync(DbConnection connection, DbTransaction tx, IReadOnlyDictionary<long, (long AtMs, long PowerW, long LimitW)> powers,
        DateTimeOffset now, List<DeviceAlarmChange> changes, CancellationToken ct)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        foreach (var (meterId, (_, powerW, limitW)) in powers)
        {
            var open = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT MIN(id) FROM device_alarms WHERE meter_id = @meterId AND kind = 'overload' AND cleared_at_ms IS NULL",
                new { meterId }, tx, cancellationToken: ct));
            if (powerW > limitW && open is null)
            {
                var detail = $"Power {Kw(powerW)} kW is above the meter's overload limit of {Kw(limitW)} kW.";
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO device_alarms (meter_id, kind, detail, raised_at_ms) VALUES (@meterId, 'overload', @detail, @nowMs)",
                    new { meterId, detail, nowMs }, tx, cancellationToken: ct));
                changes.Add(new DeviceAlarmChange(meterId, Kind, true, detail, now));
            }
            else if (powerW <= limitW && open is { } id)
            {
                await connection.ExecuteAsync(new CommandDefinition("UPDATE device_alarms SET cleared_at_ms = @nowMs WHERE id = @id",
                    new { id, nowMs }, tx, cancellationToken: ct));
                changes.Add(new DeviceAlarmChange(meterId, Kind, false, $"Power {Kw(powerW)} kW is back within the limit of {Kw(limitW)} kW.", now));
            }
        }
    }

    public static string Kw(long watts) => (watts / 1000m).ToString("0.000", CultureInfo.InvariantCulture);
}
