using System.Data.Common;
using Dapper;
using Prepaid.Devices.Metering;

namespace Prepaid.Api.Devices;

/// <summary>A bus and how to reach it, as stored.</summary>
public sealed record BusPlan(long BusId, long GatewayId, string GatewayProtocol, string? Host, long? Port, string? SerialPort, long TimeoutMs,
    long BaudRate, long PollIntervalMs, long OfflineAfter, long? LastPolledAtMs, string TimeZone)
{
    public GatewayEndpoint Endpoint(DateTimeOffset now) => new(
        CreateGatewayValidator.ToProtocol(GatewayProtocol) ?? throw new InvalidOperationException($"Gateway protocol {GatewayProtocol} has no bus."),
        Host, (int)(Port ?? 0), SerialPort, (int)BaudRate, TimeSpan.FromMilliseconds(TimeoutMs),
        TimeZoneInfo.FindSystemTimeZoneById(TimeZone).GetUtcOffset(now));
}

/// <summary>A connected meter with what the poller and dispatcher need to know about it.</summary>
public sealed record ConnectedMeter(long MeterId, long? BusId, long GatewayId, string Address, string Profile, string Resolution)
{
    public MeterTarget Target => new(Address, MeterProfiles.Find(Profile) ?? throw new InvalidOperationException($"Unknown profile {Profile}."));
}

/// <summary>The stored device configuration, read fresh on every sweep so API changes apply without a restart.</summary>
public static class DeviceDirectory
{
    const string SelectBus = """
        SELECT b.id AS bus_id, b.gateway_id, g.protocol AS gateway_protocol, g.host, g.port, g.serial_port, g.timeout_ms,
               b.baud_rate, b.poll_interval_ms, b.offline_after, b.last_polled_at_ms, s.time_zone
        FROM buses b JOIN gateways g ON g.id = b.gateway_id JOIN sites s ON s.id = g.site_id
        """;

    public static async Task<List<BusPlan>> BusesAsync(DbConnection connection) =>
        (await connection.QueryAsync<BusPlan>(SelectBus + " ORDER BY b.id")).ToList();

    public static async Task<BusPlan?> BusAsync(DbConnection connection, long busId) =>
        await connection.QuerySingleOrDefaultAsync<BusPlan>(SelectBus + " WHERE b.id = @busId", new { busId });

    const string SelectMeter = """
        SELECT c.meter_id, c.bus_id, c.gateway_id, c.address, c.profile, m.resolution
        FROM meter_connections c JOIN meters m ON m.id = c.meter_id
        """;

    public static async Task<List<ConnectedMeter>> MetersOnBusAsync(DbConnection connection, long busId) =>
        (await connection.QueryAsync<ConnectedMeter>(SelectMeter + " WHERE c.bus_id = @busId ORDER BY c.meter_id", new { busId })).ToList();

    /// <summary>Every meter behind a bus, for a sweep of all buses in one query.</summary>
    public static async Task<List<ConnectedMeter>> MetersOnBusesAsync(DbConnection connection) =>
        (await connection.QueryAsync<ConnectedMeter>(SelectMeter + " WHERE c.bus_id IS NOT NULL ORDER BY c.bus_id, c.meter_id")).ToList();

    public static async Task<Dictionary<long, ConnectedMeter>> MetersAsync(DbConnection connection, Data.SqlDialect dialect, IEnumerable<long> meterIds) =>
        (await connection.QueryAsync<ConnectedMeter>(SelectMeter + $" WHERE c.meter_id IN {dialect.IdsFromJson("@ids")}",
            new { ids = System.Text.Json.JsonSerializer.Serialize(meterIds.Distinct()) })).ToDictionary(m => m.MeterId);

    public static async Task<ConnectedMeter?> MeterAsync(DbConnection connection, long meterId) =>
        await connection.QuerySingleOrDefaultAsync<ConnectedMeter>(SelectMeter + " WHERE c.meter_id = @meterId", new { meterId });
}
