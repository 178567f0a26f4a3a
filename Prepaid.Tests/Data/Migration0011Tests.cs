using Dapper;
using Prepaid.Api.Data;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Data;

/// <summary>A database written before migration 0011: meters connected as "acrel-ddsy1352" (which then meant the EMS
/// plugin's map with relay control) keep that map under its new name, and connections gain the NB-IoT report period.</summary>
public class Migration0011Tests
{
    const string OldData = """
        INSERT INTO sites (id, name, time_zone, created_at_ms) VALUES (1, 'Old mall', 'Asia/Shanghai', 0);
        INSERT INTO meters (id, site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, relay_state, connection_json, created_at_ms)
            VALUES (1, 1, 'E-1', 'electricity', '1', '1000000', '60', '0.01', 'closed', '{"gatewayId":1,"busId":1,"address":"1","profile":"acrel-ddsy1352"}', 0),
                   (2, 1, 'E-2', 'electricity', '1', '1000000', '60', '0.01', 'closed', '{"gatewayId":1,"busId":1,"address":"2","profile":"generic-modbus"}', 0);
        INSERT INTO gateways (id, site_id, name, protocol, host, port, timeout_ms, created_at_ms) VALUES (1, 1, 'gw', 'modbusTcp', '127.0.0.1', 502, 1000, 0);
        INSERT INTO buses (id, gateway_id, name, baud_rate, poll_interval_ms, offline_after, created_at_ms) VALUES (1, 1, 'bus', 9600, 60000, 3, 0);
        INSERT INTO meter_connections (meter_id, gateway_id, bus_id, address, profile, updated_at_ms) VALUES
            (1, 1, 1, '1', 'acrel-ddsy1352', 0), (2, 1, 1, '2', 'generic-modbus', 0);
        """;

    [Fact]
    public async Task Migration0011_RenamesTheOldAcrelProfile_AndAddsTheReportPeriod()
    {
        var before = Directory.CreateTempSubdirectory("prepaid-before-0011-").FullName;
        Directory.CreateDirectory(Path.Combine(before, "sqlite"));
        foreach (var script in Directory.GetFiles(Path.Combine(TestDatabase.MigrationsRoot, "sqlite"), "*.sql")
                     .Where(f => long.Parse(Path.GetFileName(f).Split('_')[0]) < 11))
            File.Copy(script, Path.Combine(before, "sqlite", Path.GetFileName(script)));
        await using var test = await SqliteTestDatabase.CreateEmptyAsync();
        await Migrator.ApplyAsync(test.Db, before, 0);
        Directory.Delete(before, recursive: true);
        await using (var connection = await test.Db.OpenAsync())
            await connection.ExecuteAsync(OldData);

        Assert.Contains("0011_nbiot_presence_and_acrel_profiles.sql", await Migrator.ApplyAsync(test.Db, TestDatabase.MigrationsRoot, 0));

        await using var db = await test.Db.OpenAsync();
        Assert.Equal(["acrel-ems-plugin", "generic-modbus"], (await db.QueryAsync<string>("SELECT profile FROM meter_connections ORDER BY meter_id")).ToList());
        Assert.Contains("\"profile\":\"acrel-ems-plugin\"", await db.ExecuteScalarAsync<string>("SELECT connection_json FROM meters WHERE id = 1"));
        Assert.Contains("\"profile\":\"generic-modbus\"", await db.ExecuteScalarAsync<string>("SELECT connection_json FROM meters WHERE id = 2"));
        Assert.Equal(0, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM meter_connections WHERE report_period_ms IS NOT NULL OR offline_after_reports IS NOT NULL"));
        Assert.NotNull(Prepaid.Devices.Metering.MeterProfiles.Find("acrel-ems-plugin")!.ModbusControlRegister);
    }
}
