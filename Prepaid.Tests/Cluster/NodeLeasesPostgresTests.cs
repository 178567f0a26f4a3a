using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Prepaid.Api.Cluster;
using Prepaid.Api.Data;
using Prepaid.Api.Devices;
using Prepaid.Tests.Support;

namespace Prepaid.Tests.Cluster;

/// <summary>
/// The bus leases on PostgreSQL, driven heartbeat by heartbeat on a fake clock: nodes split the buses fairly, a lapsed
/// lease is taken with a new epoch, a write under the old epoch changes nothing, and a write applies only from the
/// state it expects.
/// </summary>
public class NodeLeasesPostgresTests
{
    const int Buses = 10;

    static NodeLeases Node(Db db, string id, TimeProvider time) => new(db,
        new ClusterOptions { Enabled = true, NodeId = id, LeaseSeconds = 3, HeartbeatSeconds = 1 }, time, NullLogger<NodeLeases>.Instance);

    static async Task<(long MeterId, List<long> BusIds)> SeedAsync(Db db)
    {
        await using var c = await db.OpenAsync();
        var site = await c.ExecuteScalarAsync<long>("INSERT INTO sites (name, time_zone, created_at_ms) VALUES ('s', 'Asia/Shanghai', 0) RETURNING id");
        var gateway = await c.ExecuteScalarAsync<long>(
            "INSERT INTO gateways (site_id, name, protocol, host, port, timeout_ms, created_at_ms) VALUES (@site, 'g', 'modbusTcp', '127.0.0.1', 1, 500, 0) RETURNING id", new { site });
        var buses = new List<long>();
        for (var i = 0; i < Buses; i++)
            buses.Add(await c.ExecuteScalarAsync<long>(
                "INSERT INTO buses (gateway_id, name, baud_rate, poll_interval_ms, offline_after, created_at_ms) VALUES (@gateway, @name, 9600, 60000, 3, 0) RETURNING id",
                new { gateway, name = $"b{i}" }));
        var meter = await c.ExecuteScalarAsync<long>("""
            INSERT INTO meters (site_id, serial, utility, multiplier, register_max, rated_max_per_hour, resolution, created_at_ms)
            VALUES (@site, 'E-1', 'electricity', '1', '99999999', '100', '0.01', 0) RETURNING id
            """, new { site });
        await c.ExecuteAsync("INSERT INTO meter_connections (meter_id, gateway_id, bus_id, address, profile, updated_at_ms) VALUES (@meter, @gateway, @bus, '1', 'generic-modbus', 0)",
            new { meter, gateway, bus = buses[0] });
        return (meter, buses);
    }

    static int Owned(NodeLeases node, List<long> buses) => buses.Count(b => node.Owns(NodeLeases.Bus(b)));

    [Fact]
    public async Task Leases_SplitFairly_AndALapsedOneIsTakenUnderANewEpoch()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var (_, buses) = await SeedAsync(test.Db);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = Node(test.Db, "a", time);
        var b = Node(test.Db, "b", time);

        await a.TickAsync();
        Assert.Equal(Buses, Owned(a, buses)); // alone, a node takes everything
        await b.TickAsync(); // b is alive now, but nothing is free yet
        await a.TickAsync(); // a gives back what exceeds its share
        await b.TickAsync();
        Assert.Equal(Buses / 2, Owned(a, buses));
        Assert.Equal(Buses / 2, Owned(b, buses));
        Assert.All(buses, bus => Assert.True(a.Owns(NodeLeases.Bus(bus)) ^ b.Owns(NodeLeases.Bus(bus))));

        // a stops renewing: its claims go invalid locally one heartbeat before the lease lapses in the table ...
        var stale = buses.Select(bus => a.Claim(NodeLeases.Bus(bus))).First(c => c is not null)!;
        time.Advance(TimeSpan.FromSeconds(2.5));
        Assert.False(a.Holds(stale));
        // ... and b takes it over once it has lapsed, with the next epoch.
        time.Advance(TimeSpan.FromSeconds(1));
        await b.TickAsync();
        Assert.Equal(Buses, Owned(b, buses));
        Assert.Equal(stale.Epoch + 1, b.Claim(stale.Resource)!.Epoch);

        // a wakes up: its renewal finds none of its leases, and it takes nothing while b holds its share.
        await a.TickAsync();
        Assert.False(a.Holds(stale));
    }

    [Fact]
    public async Task CommandWrite_UnderALostEpoch_OrFromAnotherState_ChangesNothing()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var (meter, buses) = await SeedAsync(test.Db);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var a = Node(test.Db, "a", time);
        var b = Node(test.Db, "b", time);
        await a.TickAsync();
        var claim = a.Claim(NodeLeases.Bus(buses[0]))!;
        long command;
        await using (var c = await test.Db.OpenAsync())
            command = await c.ExecuteScalarAsync<long>("""
                INSERT INTO device_commands (meter_id, kind, source, state, attempts, next_attempt_at_ms, expires_at_ms, created_at_ms, updated_at_ms)
                VALUES (@meter, 'trip', 'operator', 'requested', 0, 0, 9999999999999, 0, 0) RETURNING id
                """, new { meter });

        // a pauses past its lease; b takes the bus; a's confirmation under the old epoch is refused.
        time.Advance(TimeSpan.FromSeconds(4));
        await b.TickAsync();
        var events = new DeviceEventBus(NullLogger<DeviceEventBus>.Instance);
        var writerA = new CommandStateWriter(test.Db, new MeterStatusWriter(test.Db, events, time), events, a, time);
        writerA.Add(new CommandUpdate(command, meter, "trip", null, CommandKinds.Confirmed, 1, 0, null, null, ExpectedState: CommandKinds.Requested, Lease: claim));
        await writerA.FlushAsync();
        Assert.Equal(CommandKinds.Requested, await StateAsync(test.Db, command));

        // b's write under its own epoch applies, once: a second write expecting 'requested' finds 'sent' and does nothing.
        var writerB = new CommandStateWriter(test.Db, new MeterStatusWriter(test.Db, events, time), events, b, time);
        var claimB = b.Claim(NodeLeases.Bus(buses[0]))!;
        writerB.Add(new CommandUpdate(command, meter, "trip", null, CommandKinds.Sent, 1, 0, null, null, ExpectedState: CommandKinds.Requested, Lease: claimB));
        await writerB.FlushAsync();
        Assert.Equal(CommandKinds.Sent, await StateAsync(test.Db, command));
        writerB.Add(new CommandUpdate(command, meter, "trip", null, CommandKinds.Failed, 5, 0, null, "late", ExpectedState: CommandKinds.Requested, Lease: claimB));
        await writerB.FlushAsync();
        Assert.Equal(CommandKinds.Sent, await StateAsync(test.Db, command));
    }

    static async Task<string> StateAsync(Db db, long command)
    {
        await using var c = await db.OpenAsync();
        return await c.ExecuteScalarAsync<string>("SELECT state FROM device_commands WHERE id = @command", new { command }) ?? "";
    }
}
