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
    /// <summary>The simulators when they run in this process (empty when they run in another).</summary>
    public required List<SimulatedElectricMeter> Meters { get; init; }
    public required long[] MeterIds { get; init; }
    public required BusPoller Poller { get; init; }
    public required CommandQueue Queue { get; init; }
    public required CommandDispatcher Dispatcher { get; init; }
    public required BusLinks Links { get; init; }
    public required MeterStatusWriter Status { get; init; }
    public required ReadingIngestor Ingestor { get; init; }
    /// <summary>Where the poll's writes spend their time (meter status, then the ingest's own steps).</summary>
    public required IngestPhases Phases { get; init; }
    SimulatedBuses? Simulators { get; init; }

    /// <summary>Builds <paramref name="buses"/> gateways of one bus each with <paramref name="perBus"/> Modbus meters, simulated in this process.</summary>
    public static async Task<DeviceRig> CreateAsync(int buses, int perBus, string protocol, WireTiming? timing, int? watts = null, bool accounts = false)
    {
        var simulators = SimulatedBuses.Start(buses, perBus, protocol, timing, watts);
        return await OverAsync(simulators.Ports, perBus, protocol, simulators, accounts);
    }

    /// <summary>The database and services for gateways already listening on <paramref name="ports"/> (one bus each, units 1..perBus).</summary>
    /// <param name="accounts">Opens an account on each meter (a time-of-use tariff, an overdraft no sweep reaches), so its
    /// readings are priced and debited as on a site, not only stored.</param>
    public static async Task<DeviceRig> OverAsync(IReadOnlyList<int> ports, int perBus, string protocol, SimulatedBuses? simulators = null, bool accounts = false)
    {
        var time = TimeProvider.System;
        var folder = Directory.CreateTempSubdirectory("prepaid-bench-devices-").FullName;
        var db = Db.Create("sqlite", $"Data Source={Path.Combine(folder, "devices.db")}", folder);
        await Migrator.ApplyAsync(db, Migrator.LocateScripts(AppContext.BaseDirectory), time.GetUtcNow().ToUnixTimeMilliseconds());
        var meterIds = new List<long>();
        await using (var connection = await db.OpenAsync())
        {
            await using var tx = db.Dialect.BeginWrite(connection);
            var siteId = await connection.ExecuteScalarAsync<long>("INSERT INTO sites (name, time_zone, created_at_ms) VALUES ('Bench mall', 'Asia/Shanghai', 0) RETURNING id", transaction: tx);
            for (var b = 0; b < ports.Count; b++)
            {
                var gatewayId = await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO gateways (site_id, name, protocol, host, port, timeout_ms, created_at_ms) VALUES (@siteId, @name, @protocol, '127.0.0.1', @port, 2000, 0) RETURNING id
                    """, new { siteId, name = $"gw-{b}", protocol, port = ports[b] }, tx);
                var busId = await connection.ExecuteScalarAsync<long>("""
                    INSERT INTO buses (gateway_id, name, baud_rate, poll_interval_ms, offline_after, created_at_ms) VALUES (@gatewayId, 'bus-1', 9600, 60000, 3, 0) RETURNING id
                    """, new { gatewayId }, tx);
                for (var unit = 1; unit <= perBus; unit++)
                {
                    var meterId = await connection.ExecuteScalarAsync<long>("""
                        INSERT INTO meters (site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, relay_state, created_at_ms)
                        VALUES (@siteId, @serial, 'electricity', '1', '1000000', '60', '0.01', 'closed', 0) RETURNING id
                        """, new { siteId, serial = $"E{SimulatedBuses.Address(b, unit)}" }, tx);
                    await connection.ExecuteAsync("""
                        INSERT INTO meter_connections (meter_id, gateway_id, bus_id, address, profile, updated_at_ms) VALUES (@meterId, @gatewayId, @busId, @address, 'generic-modbus', 0)
                        """, new { meterId, gatewayId, busId, address = unit.ToString(System.Globalization.CultureInfo.InvariantCulture) }, tx);
                    meterIds.Add(meterId);
                }
            }
            if (accounts) await BenchAccounts.OpenAsync(connection, tx, db.Dialect, siteId, meterIds, time.GetUtcNow().AddHours(-1), _ => true);
            await tx.CommitAsync();
        }
        var phases = new IngestPhases();
        var events = new DeviceEventBus(NullLogger<DeviceEventBus>.Instance);
        var links = new BusLinks();
        var status = new MeterStatusWriter(db, events, time);
        var ingestor = new ReadingIngestor(db, time, new PostingEventBus()) { Phases = phases };
        var queue = new CommandQueue(db, events, time);
        var leases = new Prepaid.Api.Cluster.NodeLeases(db, new Prepaid.Api.Cluster.ClusterOptions(), time, NullLogger<Prepaid.Api.Cluster.NodeLeases>.Instance);
        var writer = new CommandStateWriter(db, status, events, leases, time);
        var nbIot = new NbIotCommandSender(db, new NoHttp(), writer, new Prepaid.Devices.NbIot.IotdaTokens(time), time);
        return new DeviceRig
        {
            Folder = folder, Db = db, Simulators = simulators, Meters = simulators?.Meters ?? [], MeterIds = [.. meterIds], Links = links, Phases = phases,
            Status = status, Ingestor = ingestor,
            Poller = new BusPoller(db, links, ingestor, status, leases, time, NullLogger<BusPoller>.Instance) { Phases = phases },
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
        if (Simulators is not null) await Simulators.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
