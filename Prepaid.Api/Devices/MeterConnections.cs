using System.Data.Common;
using System.Text.Json;
using Dapper;
using Prepaid.Api.Common;
using Prepaid.Devices.Metering;

namespace Prepaid.Api.Devices;

/// <summary>
/// How a meter is reached, checked and written: the bus or gateway must be of the meter's site (so a meter in scope only
/// ever reaches the scope's wiring) and speak the profile's protocol. Used by PUT /api/meters/{id}/connection and by a
/// meter swap, which wires the new meter in the same step (R27).
/// </summary>
public static class MeterConnections
{
    /// <summary>The gateway the connection goes through, or a problem naming the field (under <paramref name="prefix"/>).</summary>
    public static async Task<(long GatewayId, IResult? Problem)> CheckAsync(DbConnection connection, DbTransaction? tx, long siteId, string utility,
        MeterConnectionRequest r, string prefix = "")
    {
        var profile = MeterProfiles.Find(r.Profile)!;
        if (profile.Utility != utility)
            return (0, Problems.Field(prefix + "profile", $"Profile {profile.Name} meters {profile.Utility}, the meter is {utility}."));
        if (r.BusId is { } busId)
        {
            var bus = await connection.QuerySingleOrDefaultAsync<(long GatewayId, long SiteId, string Protocol)?>(
                "SELECT b.gateway_id, g.site_id, g.protocol FROM buses b JOIN gateways g ON g.id = b.gateway_id WHERE b.id = @busId", new { busId }, tx);
            if (bus is null || bus.Value.SiteId != siteId) return (0, Problems.Field(prefix + "busId", $"Bus {busId} does not exist on the meter's site."));
            if (!Fits(profile.Protocol, bus.Value.Protocol))
                return (0, Problems.Field(prefix + "profile", $"A {profile.Protocol} meter cannot sit behind a {bus.Value.Protocol} gateway."));
            return (bus.Value.GatewayId, null);
        }
        var gateway = await connection.QuerySingleOrDefaultAsync<(long SiteId, string Protocol)?>(
            "SELECT site_id, protocol FROM gateways WHERE id = @GatewayId", new { r.GatewayId }, tx);
        if (gateway is null || gateway.Value.SiteId != siteId)
            return (0, Problems.Field(prefix + "gatewayId", $"Gateway {r.GatewayId} does not exist on the meter's site."));
        if (gateway.Value.Protocol is not ("iotda" or "ctwing") || profile.Protocol != MeterProtocol.NbIot)
            return (0, Problems.Field(prefix + "busId", "Wired meters connect to a bus; only NB-IoT meters connect to a platform gateway directly."));
        return (r.GatewayId!.Value, null);
    }

    /// <summary>Writes the connection; answers the NB-IoT report period and missed reports before offline (null for wired meters).</summary>
    public static async Task<(long? ReportPeriodMs, long? OfflineAfterReports)> WriteAsync(DbConnection connection, DbTransaction tx, long meterId, long gatewayId,
        MeterConnectionRequest r, long nowMs)
    {
        var profile = MeterProfiles.Find(r.Profile)!;
        // NB-IoT meters report on their own schedule; the presence check turns them offline after the missed windows.
        long? reportPeriodMs = r.BusId is null ? (r.ReportPeriodMinutes is { } m ? m * 60_000L : (long?)profile.ReportPeriod?.TotalMilliseconds) : null;
        long? offlineAfterReports = reportPeriodMs is null ? null : r.OfflineAfterReports ?? NbIot.NbIotPresenceCheck.DefaultOfflineAfterReports;
        await connection.ExecuteAsync("DELETE FROM meter_connections WHERE meter_id = @meterId", new { meterId }, tx);
        await connection.ExecuteAsync("""
            INSERT INTO meter_connections (meter_id, gateway_id, bus_id, address, profile, report_period_ms, offline_after_reports, updated_at_ms)
            VALUES (@meterId, @gatewayId, @BusId, @Address, @Profile, @reportPeriodMs, @offlineAfterReports, @nowMs)
            """, new { meterId, gatewayId, r.BusId, r.Address, r.Profile, reportPeriodMs, offlineAfterReports, nowMs }, tx);
        // The meter's free-form connection shows the same facts, so GET /api/meters tells where a meter sits.
        await connection.ExecuteAsync("UPDATE meters SET connection_json = @json WHERE id = @meterId",
            new { meterId, json = JsonSerializer.Serialize(new { gatewayId, busId = r.BusId, address = r.Address, profile = r.Profile }) }, tx);
        return (reportPeriodMs, offlineAfterReports);
    }

    static bool Fits(MeterProtocol meter, string gateway) => meter switch
    {
        MeterProtocol.Modbus => gateway is "modbusTcp" or "modbusRtuOverTcp" or "modbusRtu",
        MeterProtocol.Dlt645 => gateway is "dlt645Tcp",
        MeterProtocol.Cjt188 => gateway is "cjt188Tcp",
        _ => false,
    };
}
