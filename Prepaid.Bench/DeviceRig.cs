using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using Prepaid.Api.Devices.NbIot;
using Prepaid.Api.Outbox;
using Prepaid.Api.Readings;
using Prepaid.Devices.Simulator;

namespace Prepaid.Bench;

/// <summary>
/// A database with gateways, buses and meters wired to simulators on loopback ports, and the device layer's real
/// services (poller, queue, dispatcher) built over it as the API builds them.
/// </summary>
public sealed class DeviceRig : IAsyncDisposable
{
    public required string Folder { get; init; }
    public required Db Db { get; init; }
    public required List<LoopbackServer> Servers { get; init; }
    public required List<SimulatedElectricMeter> Meters { get; init; }
    public required long[] MeterIds { get; init; }
    public required BusPoller Poller { get; init; }
    public required CommandQueue Queue { get; init; }
    public required CommandDispatcher Dispatcher { get; init; }
    public required BusLinks Links { get; init; }

    /// <summary>Builds <paramref name="buses"/> gateways of one bus each with <paramref name="perBus"/> Modbus meters.</summary>
    public static async Task<DeviceRig> CreateAsync(int buses, int perBus, string protocol, WireTiming? timing)
    {
        var time = TimeProvider.System;
        var folder = Directory.CreateTempSubdirectory("prepaid-bench-devices-").FullName;
        var db = Db.Create("sqlite", $"Data Source={Path.Combine(folder, "devices.db")}", folder);
        await Migrator.ApplyAsync(db, Migrator.LocateScripts(AppContext.BaseDirectory), time.GetUtcNow().ToUnixTimeMilliseconds());
        var servers = new List<LoopbackServer>();
        var meters = new List<SimulatedElectricMeter>();
        var meterIds = new List<long>();
        await using (var connection = await db.OpenAsync())
        {
            await using var tx = db.Dialect.BeginWrite(connection);
            var siteId = await connection.ExecuteScalarAsync<long>("INSERT INTO sites (name, time_zone, created_at_ms) VALUES ('Bench mall', 'Asia/Shanghai', 0) RETURNING id", transaction: tx);
            for (var b = 0; b < buses; b++)
            {
                var busMeters = Enumerable.Range(1, perBus)
                    .Select(u => new SimulatedElectricMeter((byte)u, $"{b:D6}{u:D6}", time, LoadProfile.Default) { RegisterStepWh = 10 }).ToList();
                meters.AddRange(busMeters);
                var bus = new ModbusBus(busMeters);
                LoopbackServer server = protocol == "modbusRtuOverTcp"
                    ? new ModbusRtuDtuSimulator(bus) { Timing = timing }
                    : new ModbusTcpGatewaySimulator(bus) { Timing = timing };
                servers.Add(server.Start());
                var gatewayId = await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO gateways (site_id, name, protocol, host, port, timeout_ms, created_at_ms) VALUES (@siteId, @name, @protocol, '127.0.0.1', @port, 2000, 0) RETURNING id
                    """, new { siteId, name = $"gw-{b}", protocol, port = server.Port }, tx);
                var busId = await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO buses (gateway_id, name, baud_rate, poll_interval_ms, offline_after, created_at_ms) VALUES (@gatewayId, 'bus-1', 9600, 60000, 3, 0) RETURNING id
                    """, new { gatewayId }, tx);
                foreach (var m in busMeters)
                {
                    var meterId = await connection.ExecuteScalarAsync<long>("""
                        INSERT INTO meters (site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, relay_state, created_at_ms)
                        VALUES (@siteId, @serial, 'electricity', '1', '1000000', '60', '0.01', 'closed', 0) RETURNING id
                        """, new { siteId, serial = $"E{m.Address}" }, tx);
                    await connection.ExecuteAsync("""
                        INSERT INTO meter_connections (meter_id, gateway_id, bus_id, address, profile, updated_at_ms) VALUES (@meterId, @gatewayId, @busId, @address, 'generic-modbus', 0)
                        """, new { meterId, gatewayId, busId, address = m.UnitId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, tx);
                    meterIds.Add(meterId);
                }
            }
            await tx.CommitAsync();
        }
        var events = new DeviceEventBus(NullLogger<DeviceEventBus>.Instance);
        var links = new BusLinks();
        var status = new MeterStatusWriter(db, events, time);
        var ingestor = new ReadingIngestor(db, time, new PostingEventBus());
        var queue = new CommandQueue(db, events, time);
        var leases = new Prepaid.Api.Cluster.NodeLeases(db, new Prepaid.Api.Cluster.ClusterOptions(), time, NullLogger<Prepaid.Api.Cluster.NodeLeases>.Instance);
        var writer = new CommandStateWriter(db, status, events, leases, time);
        var nbIot = new NbIotCommandSender(db, new NoHttp(), writer, new Prepaid.Devices.NbIot.IotdaTokens(time), time);
        return new DeviceRig
        {
            Folder = folder, Db = db, Servers = servers, Meters = meters, MeterIds = [.. meterIds], Links = links,
            Poller = new BusPoller(db, links, ingestor, status, leases, time, NullLogger<BusPoller>.Instance),
            Queue = queue,
            Dispatcher = new CommandDispatcher(db, queue, links, writer, nbIot, leases, time, NullLogger<CommandDispatcher>.Instance),
        };
    }

    sealed class NoHttp : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }

    public async ValueTask DisposeAsync()
    {
        await Links.DisposeAsync();
        foreach (var s in Servers) await s.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
